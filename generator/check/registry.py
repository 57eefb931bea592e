"""The rule registry of `ppconnector check`: every rule is a small function with an id, a severity,
a family and one line of documentation (as in ruff and oasdiff).

A rule receives the ``Target`` (the definition, properties and script being checked, plus the YAML
model when the input is a YAML source) and yields ``Issue``s: a message and where it is, as a JSON
pointer into one of the target's files.  The engine turns issues into ``Finding``s with file, line and
column (the YAML line for a YAML source, the JSON line for a connector folder).

Feature packages add families by defining rules in ``generator/<feature>/rules.py``; ``all_rules()``
imports them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

# Files of a target an issue can point into.
DEFINITION, PROPERTIES, SCRIPT = "definition", "properties", "script"


@dataclass(frozen=True)
class Issue:
    message: str
    pointer: str = ""  # JSON pointer into the file (for SCRIPT, leave empty and give line/column)
    file: str = DEFINITION  # DEFINITION, PROPERTIES, SCRIPT, or the path of another file (a fixture)
    line: int | None = None  # only for files without pointers (script, fixtures read as text)
    column: int | None = None
    severity: str | None = None  # overrides the rule's severity for this one issue


@dataclass
class Target:
    """What is being checked.  For a YAML source, the definition/properties are the source locale's build."""

    definition: dict
    properties: dict
    script: str | None = None
    folder: Path | None = None  # the connector folder (YAML source's folder, or the plain folder)
    connector: Any = None  # ppconnector.model.Connector when checking a YAML source, else None
    files: dict[str, str] = field(default_factory=dict)  # DEFINITION/PROPERTIES/SCRIPT -> shown file name
    builds: dict[str, tuple[dict, dict]] = field(default_factory=dict)  # locale -> (definition, properties)
    locate: Callable[[str, str], tuple[str | None, int | None, int | None]] | None = None  # (file, pointer) -> place
    run_scripts: bool = False  # run the script on its fixtures (check --run-scripts); else compile only


RuleFunction = Callable[[Target], Iterable[Issue]]


def once_per_target(target: Target, name: str, key: Any, compute: Callable[[], Any]) -> Any:
    """compute() once for a target while key (the input it depends on) is the same object: a family's
    rules share one analysis (the fixtures' contract, the compiled script) instead of redoing it each."""
    cache = target.__dict__.setdefault("_family_results", {})
    if name in cache and cache[name][0] is key:
        return cache[name][1]
    result = compute()
    cache[name] = (key, result)
    return result


@dataclass(frozen=True)
class Rule:
    id: str  # Microsoft's validator rule name where one exists
    severity: str  # "error" | "warning" | "info"
    family: str
    doc: str  # one line: what the rule checks and why it matters
    function: RuleFunction

    @property
    def section(self) -> str:
        """The section of Microsoft's validator page that lists the rule (its module's SECTION), else its family."""
        import sys

        return getattr(sys.modules.get(self.function.__module__), "SECTION", self.family)

    def run(self, target: Target) -> Iterator[Issue]:
        yield from self.function(target)


_RULES: dict[str, Rule] = {}
FAMILY_MODULES = ("ppconnector.check.rules", "ppconnector.fixtures.rules", "ppconnector.script.rules", "ppconnector.i18n.rules",
                  "ppconnector.solution.rules")


def rule(id: str, severity: str, family: str, doc: str) -> Callable[[RuleFunction], RuleFunction]:
    def register(function: RuleFunction) -> RuleFunction:
        if id in _RULES and _RULES[id].function is not function:
            raise ValueError(f"rule id {id!r} registered twice")
        _RULES[id] = Rule(id, severity, family, doc, function)
        return function

    return register


def all_rules() -> dict[str, Rule]:
    for name in FAMILY_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if not name.startswith(e.name or "\0"):
                raise
    return dict(_RULES)

"""The engine of `ppconnector check`: input -> Target -> every selected rule -> located Findings.

A YAML source is built in memory for every locale (nothing is written) and each issue is traced back
to the YAML line it comes from; a connector folder is read as it is (tolerantly: a BOM, comments,
trailing commas and duplicate keys are findings, not crashes) and each issue points at the JSON line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..diagnostics import ERROR, INFO, INTERNAL, WARNING, Finding, InputError, crash_site
from .registry import DEFINITION, PROPERTIES, SCRIPT, Issue, Rule, Target, all_rules

SEVERITY_RANK = {INFO: 0, WARNING: 1, ERROR: 2}
DEFINITION_FILE, PROPERTIES_FILE = "apiDefinition.swagger.json", "apiProperties.json"
SCRIPT_NAMES = ("script.csx", "Script.csx", "script.cs", "Script.cs")


@dataclass
class Loaded:
    target: Target
    findings: list[Finding] = field(default_factory=list)  # from reading the input (tolerant JSON, YAML warnings)
    texts: dict[str, str] = field(default_factory=dict)  # shown file -> text, for the source lines of the report


def load(path: Path | None) -> Loaded:
    from ..source.loader import NOT_SOURCES, display_path

    if path is None:
        from ..repo.resolve import resolve_one

        path = resolve_one(what="check").path
    if path.is_dir():
        if connector_file(path, DEFINITION_FILE):
            return _load_folder(path)
        yamls = sorted(p for p in path.glob("*.yaml") if p.name not in NOT_SOURCES)
        if len(yamls) == 1:
            return _load_yaml(yamls[0])
        raise InputError(Finding("input", ERROR, f"expected a connector folder with {DEFINITION_FILE} and {PROPERTIES_FILE}, "
                                 "or a YAML source", display_path(path)))
    if not path.exists():
        raise InputError(Finding("input", ERROR, "no such file or folder", display_path(path)))
    if path.name.lower() == DEFINITION_FILE.lower():
        return _load_folder(path.parent)
    return _load_yaml(path)


def connector_file(folder: Path, name: str) -> Path | None:
    """folder/name in any letter case: Microsoft's CI finds a definition with PowerShell's case-insensitive
    `-match '.+?apidefinition.swagger.json$'` (PowerPlatformConnectors, .pipelines/swagger_validation.yml)."""
    exact = folder / name
    if exact.is_file():
        return exact
    try:
        return next((p for p in sorted(folder.iterdir()) if p.name.lower() == name.lower() and p.is_file()), None)
    except OSError:
        return None


def _load_yaml(path: Path) -> Loaded:
    from ..source.loader import load_connector

    return loaded_source(*load_connector(path))


def loaded_source(connector, warnings: Iterable[Finding] = ()) -> Loaded:
    """What the rules check of a loaded YAML source: every locale built in memory, each issue traced to its line."""
    from ..emit.properties import properties
    from ..emit.script import script
    from ..emit.sourcemap import key_line, source_key_position
    from ..emit.swagger import definition

    builds = {loc: (definition(connector, loc), properties(connector, loc)) for loc in connector.locales}
    d, p = builds[connector.source_locale]
    code = script(connector)

    def locate(file: str, pointer: str):  # the line of the YAML key a finding is about
        if file == DEFINITION:
            pos = source_key_position(connector, pointer)
        elif file == PROPERTIES:
            pos = key_line(connector.node, _properties_source_path(pointer))
        else:
            pos = None
        return connector.shown, *(pos or (None, None))

    from ..build import default_out
    from ..source.loader import display_path

    # The script's label is the file `ppconnector build` writes; findings in it point at the YAML's script: section.
    files = {DEFINITION: connector.shown, PROPERTIES: connector.shown, SCRIPT: display_path(default_out(connector) / "script.csx")}
    target = Target(d, p, code, connector.folder, connector, files, builds, locate)
    texts = {connector.shown: connector.file.read_text(encoding="utf-8")}
    target.__dict__["source_text"] = texts[connector.shown]  # findings on it speak its words (to_finding)
    return Loaded(target, list(warnings), texts)


def _properties_source_path(pointer: str) -> tuple:
    from ..emit.sourcemap import split_pointer

    parts = split_pointer(pointer)[1:]  # below /properties
    if not parts:
        return ("connection",)
    head = parts[0]
    if head == "connectionParameters":
        path: tuple = ("connection", "parameters") + tuple(parts[1:2])
        rest = parts[2:]
        if rest[:1] == ["uiDefinition"] and len(rest) > 1:
            key = {"displayName": "display_name", "description": "description", "tooltip": "tooltip"}.get(rest[1])
            if key:
                path += (key,)
        return path
    simple = {"iconBrandColor": ("connector", "brand_color"), "publisher": ("connector", "publisher"),
              "stackOwner": ("connector", "stack_owner"), "capabilities": ("connector", "capabilities"),
              "scriptOperations": ("script",), "policyTemplateInstances": ("connector",)}
    return simple.get(head, ("connector",))


def _load_folder(folder: Path) -> Loaded:
    from ..emit.sourcemap import split_pointer
    from ..source.jsonfile import read_json
    from ..source.loader import display_path

    definition_path = connector_file(folder, DEFINITION_FILE) or folder / DEFINITION_FILE
    definition_doc = read_json(definition_path, display_path(definition_path))
    findings = list(definition_doc.findings)
    props_path = connector_file(folder, PROPERTIES_FILE)
    properties_doc = read_json(props_path, display_path(props_path)) if props_path else None
    if properties_doc is None:
        findings.append(Finding("input", WARNING, f"no {PROPERTIES_FILE}: the connection and cross-file rules see no properties",
                                display_path(folder)))
    else:
        findings.extend(properties_doc.findings)
    script_path = next((folder / n for n in SCRIPT_NAMES if (folder / n).is_file()), None)
    code = None
    if script_path is not None:
        raw = script_path.read_bytes()
        code = raw.decode("utf-8-sig", errors="replace")
    for doc in (definition_doc, properties_doc):
        if doc is not None and not isinstance(doc.value, dict):
            raise InputError(Finding("input", ERROR, "expected a JSON object at the top of the file", doc.shown, 1, 1))
    files = {DEFINITION: definition_doc.shown, PROPERTIES: properties_doc.shown if properties_doc else PROPERTIES_FILE,
             SCRIPT: display_path(script_path) if script_path else "script.csx"}
    docs = {DEFINITION: definition_doc, PROPERTIES: properties_doc}

    from .locate import FastLocator

    fast: dict[str, FastLocator] = {}

    def locate(file: str, pointer: str):
        doc = docs.get(file)
        if doc is None:
            return files.get(file, file), None, None
        if not pointer:
            return doc.shown, 1, 1
        if doc._positioned is None and not doc.findings:  # strict JSON: the C scanner finds the place
            if file not in fast:
                fast[file] = FastLocator(doc.text)
            try:
                return doc.shown, *fast[file].position(split_pointer(pointer))
            except (ValueError, StopIteration, IndexError):
                pass  # not what the C scanner reads after all: the tolerant reader places it
        pos = doc.position(split_pointer(pointer))  # lenient JSON was positioned while it was read
        return doc.shown, *(pos or (None, None))

    target = Target(definition_doc.value, properties_doc.value if properties_doc else {}, code, folder, None, files, {}, locate)
    target.__dict__["definition_bytes"] = definition_path.stat().st_size
    target.__dict__["definition_text"] = definition_doc.text  # lets a rule see at once that a word is nowhere in the file
    texts = {definition_doc.shown: definition_doc.text}
    if properties_doc:
        texts[properties_doc.shown] = properties_doc.text
    if code is not None:
        texts[files[SCRIPT]] = code
    return Loaded(target, findings, texts)


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules by id or family (comma lists); unknown names are a usage error with a suggestion."""
    from ..diagnostics import did_you_mean

    rules = all_rules()
    families = {r.family for r in rules.values()}
    chosen = dict(rules)

    def expand(names: Iterable[str], option: str) -> set[str]:
        out: set[str] = set()
        for name in names:
            if name in rules:
                out.add(name)
            elif name in families:
                out |= {r.id for r in rules.values() if r.family == name}
            else:
                raise InputError(Finding("usage", ERROR, f'{option}: "{name}" is no rule id or family'
                                         f'{did_you_mean(name, list(rules) + sorted(families))}'))
        return out

    wanted = expand(select, "--select")
    if wanted:
        chosen = {k: v for k, v in chosen.items() if k in wanted}
    for k in expand(ignore, "--ignore"):
        chosen.pop(k, None)
    return list(chosen.values())


def run(loaded: Loaded, rules: list[Rule], locate_infos: bool = True) -> list[Finding]:
    """Every finding, input findings first, then by file, line and rule.  Without locate_infos, infos keep their file
    and pointer but no line: a text report that does not list them spares finding their places (infos are four
    findings in five on a whole tree; placing them took about a tenth of its time)."""
    target = loaded.target
    out: list[Finding] = []
    ids = {r.id for r in rules}
    out.extend(f for f in loaded.findings if not ids or f.rule in ids or f.rule.startswith(("json-", "input", "source")))
    reading = len(out)  # what reading the input found stays first
    for r in rules:
        try:
            for issue in r.run(target):
                out.append(to_finding(target, r, issue, locate_infos or (issue.severity or r.severity) != INFO))
        except Exception as e:  # noqa: BLE001 - one broken rule must not hide what the others found
            out.append(Finding(INTERNAL, ERROR, f"rule {r.id} crashed: {type(e).__name__}: {e}{crash_site(e)}; this is a bug in "
                               "ppconnector, not in the connector", target.files.get(DEFINITION)))
    # A canonical order: jsonschema lists some errors in set order, which changes with the hash seed; the same
    # input must give the same report, byte for byte.
    out[reading:] = sorted(out[reading:], key=_order)
    seen, unique = set(), []
    for f in out:
        key = (f.rule, f.file, f.line, f.column, f.message) if f.line is not None else (f.rule, f.file, f.pointer, f.message)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _order(f: Finding) -> tuple:
    return (f.file or "", f.line or 0, f.column or 0, f.rule, f.message, f.pointer or "")


def to_finding(target: Target, r: Rule, issue: Issue, locate: bool = True) -> Finding:
    severity = issue.severity or r.severity
    if issue.file in (DEFINITION, PROPERTIES):
        if target.locate and locate:
            file, line, column = target.locate(issue.file, issue.pointer)
        else:
            file, line, column = target.files.get(issue.file), None, None
        pointer = issue.pointer if issue.file == DEFINITION else f"{PROPERTIES_FILE}#{issue.pointer}"
        message = issue.message
        if target.connector is not None:  # a YAML source: its keys, not the generated files' names
            from ..emit.sourcemap import in_source_words

            message = in_source_words(message, target.__dict__.get("source_text", ""))
        return Finding(r.id, severity, message, file, line, column, pointer or "/" if issue.file == DEFINITION else pointer)
    if issue.file == SCRIPT and target.connector is not None:
        # The script is generated from the YAML's script: section; point there and say where in the script.
        from ..source.yamlfile import key_position

        c = target.connector
        line, column = key_position(c.node, ("script",)) or (None, None)
        where = f" (generated script.csx, line {issue.line})" if issue.line else " (generated script.csx)"
        return Finding(r.id, severity, issue.message + where, c.shown, line, column, None)
    file = target.files.get(issue.file, issue.file)
    return Finding(r.id, severity, issue.message, file, issue.line, issue.column, None)


def check(path: Path | None, select: Iterable[str] = (), ignore: Iterable[str] = (), run_scripts: bool = False,
          locate_infos: bool = True) -> tuple[list[Finding], Loaded]:
    rules = select_rules(select, ignore)
    loaded = load(path)
    loaded.target.run_scripts = run_scripts  # running a connector's code is an explicit choice
    return run(loaded, rules, locate_infos), loaded


def _check_one(ref, select: tuple[str, ...], ignore: tuple[str, ...], run_scripts: bool,
               locate_infos: bool) -> tuple[dict[str, str], list[Finding]]:
    findings, loaded = check(ref.path, select, ignore, run_scripts, locate_infos)
    return loaded.texts, findings


def check_connectors(connectors: list, select: Iterable[str] = (), ignore: Iterable[str] = (),
                     run_scripts: bool = False, locate_infos: bool = True) -> list:
    """Every connector checked across the cores: an Outcome each (findings; the value is the checked files'
    texts, for the report's source lines).  A wrong --select/--ignore is one usage error, not one per connector.
    locate_infos=False leaves infos without a line (a text report that does not list them spares placing them)."""
    from ..repo.batch import each

    select_rules(select, ignore)
    return each(_check_one, connectors, tuple(select), tuple(ignore), run_scripts, locate_infos)


REFUSED_FAMILIES = ("microsoft", "swagger", "cross-file", "limits")  # what paconn or Microsoft's validation refuses


def refusals(connector) -> list[Finding]:
    """The errors `check` reports on a loaded YAML source that paconn or Microsoft would refuse (the rules of
    REFUSED_FAMILIES; the script's and the fixtures' rules need a run of their own): what `build` counts."""
    rules = [r for r in all_rules().values() if r.family in REFUSED_FAMILIES and r.severity == ERROR]
    return [f for f in run(loaded_source(connector), rules) if f.severity == ERROR]

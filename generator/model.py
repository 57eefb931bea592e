"""The connector model every command works on.

The YAML source is kept as its positioned tree (``Map``/``Seq``) so that any finding can point at a
line; these dataclasses name what the commands need to reach without walking the tree themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .source.yamlfile import Map

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


@dataclass(frozen=True)
class Operation:
    id: str
    method: str  # lower case, as Swagger writes it
    path: str  # relative to base_path, as in the YAML
    node: Map

    @property
    def is_trigger(self) -> bool:
        return "trigger" in self.node

    def parameter_items(self, shared: dict | None = None) -> list[tuple[str, dict]]:
        """(name, node) of each parameter declared on the operation, in either form the source allows:
        a map of name -> parameter, or a list (Swagger's order kept; `{ref: Name}` items are resolved in
        shared, the source's top-level parameters, when given, else left out)."""
        declared = self.node.get("parameters") or {}
        if isinstance(declared, list):
            items = [(shared or {}).get(p["ref"]) if isinstance(p, dict) and set(p) == {"ref"} else p for p in declared]
            return [(p["name"], p) for p in items if isinstance(p, dict) and "name" in p]
        return list(declared.items())

    @property
    def path_parameters(self) -> list[str]:
        import re

        return re.findall(r"\{([^}]+)\}", self.path)


@dataclass
class Connector:
    file: Path  # the YAML source
    shown: str  # how findings name the file (relative to where the user ran the command)
    node: Map  # the whole positioned source
    locales: list[str]
    operations: dict[str, Operation] = field(default_factory=dict)
    named: Path | None = None  # the source as the user named it, links not followed: the repo it sits in

    @property
    def folder(self) -> Path:
        return self.file.parent

    @property
    def source_locale(self) -> str:
        return self.locales[0]

    @property
    def info(self) -> Map:
        return self.node["connector"]

    @property
    def connection(self) -> Map:
        return self.node.get("connection") or Map((0, 0))

    @property
    def schemas(self) -> Map:
        return self.node.get("schemas") or Map((0, 0))

    @property
    def script(self) -> Map | None:
        return self.node.get("script")

    def script_operations(self) -> list[str]:
        """Operations the generated script handles, in source order."""
        script = self.script or {}
        wanted = set()
        for behaviour in script.values():
            if isinstance(behaviour, dict):  # `file: script.csx` names a hand-written script, not a behaviour
                wanted.update(behaviour.keys())
        return [op for op in self.operations if op in wanted]

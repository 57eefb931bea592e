"""A plain connector folder (apiDefinition.swagger.json + apiProperties.json, as `paconn download`
writes it) read into the shape the reference page walks, so `ppconnector docs` documents connectors
that do not come from YAML too.  The Swagger is turned back into the YAML's vocabulary key by key
(x-ms-summary -> summary, $ref -> ref, ...); its strings are the one language the folder has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Finding, InputError
from ..check.walk import obj
from ..model import HTTP_METHODS, Operation

DEFINITION, PROPERTIES = "apiDefinition.swagger.json", "apiProperties.json"


@dataclass
class FolderConnector:
    """What the reference page needs, in the YAML model's names (duck-typed like model.Connector)."""

    file: Path  # the definition file
    shown: str
    locales: list[str]
    info: dict
    connection: dict
    schemas: dict
    operations: dict[str, Operation] = field(default_factory=dict)

    @property
    def source_locale(self) -> str:
        return self.locales[0]


def is_folder(path: Path) -> bool:
    return path.is_dir() and (path / DEFINITION).is_file()


_RENAMED = {"x-ms-summary": "summary", "x-ms-visibility": "visibility", "x-ms-trigger": "trigger"}


def _node(value: Any) -> Any:
    """A Swagger schema or parameter in the YAML's words."""
    if isinstance(value, list):
        return [_node(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict = {}
    for key, v in value.items():
        if key == "$ref" and isinstance(v, str) and v.startswith("#/definitions/"):
            out["ref"] = v.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        elif key in _RENAMED:
            out[_RENAMED[key]] = v
        elif key == "properties" and isinstance(v, dict):
            out["properties"] = {name: _node(p) for name, p in v.items()}
        elif key in ("items", "additionalProperties", "schema"):
            out[key] = _node(v)
        else:
            out[key] = v
    return out


def _resolve(definition: dict, value: Any, section: str) -> Any:
    """A `$ref` to #/parameters/... or #/responses/... replaced by what it names."""
    if isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"].startswith(f"#/{section}/"):
        return obj(definition.get(section)).get(value["$ref"].rsplit("/", 1)[-1], {})
    return value


def _require_swagger2(doc) -> None:
    """A page is written from a definition of Swagger 2.0's shape; anything else is refused, each place named."""
    from ..check.swagger2 import schema_file, structure_errors
    from ..emit.sourcemap import split_pointer

    if schema_file() is None:  # openapi-spec-validator (which ships the schema) is not installed
        return
    problems = []
    for pointer, message in structure_errors(doc.value):
        line, column = doc.position(split_pointer(pointer)) or (None, None)
        problems.append(Finding("swagger-schema", ERROR, f"not Swagger 2.0: {message}", doc.shown, line, column))
    if problems:
        raise InputError(problems)


def load_folder(folder: Path, shown: str) -> FolderConnector:
    from ..source.jsonfile import read_json

    doc = read_json(folder / DEFINITION, f"{shown}/{DEFINITION}")
    definition = doc.value
    properties: dict = {}
    if (folder / PROPERTIES).is_file():
        properties = obj(read_json(folder / PROPERTIES, f"{shown}/{PROPERTIES}").value)
    if not isinstance(definition, dict) or not isinstance(definition.get("paths", {}), dict):
        line, column = doc.position(["paths"]) or (1, 1) if isinstance(definition, dict) else (1, 1)
        raise InputError(Finding("input", ERROR, "not a Swagger 2.0 definition (no paths object)", doc.shown, line, column))
    _require_swagger2(doc)
    info = obj(definition.get("info"))
    connection = {}
    for name, p in obj(obj(properties.get("properties")).get("connectionParameters")).items():
        if not isinstance(p, dict):
            continue
        ui = obj(p.get("uiDefinition"))
        connection[name] = {"type": p.get("type", ""), "display_name": ui.get("displayName", name),
                            "description": ui.get("description", ""),
                            "required": str(obj(ui.get("constraints")).get("required", "")).lower() == "true"}
    c = FolderConnector(file=folder / DEFINITION, shown=shown, locales=["en"],
                        info={"title": info.get("title", folder.name), "description": info.get("description", "")},
                        connection={"parameters": connection},
                        schemas={name: _node(s) for name, s in obj(definition.get("definitions")).items()})
    for path, item in obj(definition.get("paths")).items():
        if not isinstance(item, dict):
            continue
        notification = item.get("x-ms-notification-content")
        for method, op in item.items():
            if method not in HTTP_METHODS or not isinstance(op, dict):
                continue
            # An operation's name is its summary (an x-ms-summary there is a mistake some connectors make).
            node = _node({k: v for k, v in op.items() if k not in ("parameters", "responses", "x-ms-summary")})
            params: dict = {}
            for p in op.get("parameters") if isinstance(op.get("parameters"), list) else []:
                p = _resolve(definition, p, "parameters")
                if not isinstance(p, dict):
                    continue
                if p.get("in") == "body":
                    node["body"] = _node(obj(p.get("schema")))
                else:
                    params[p.get("name", "")] = _node(p)
            node["parameters"] = params
            node["responses"] = {str(code): _node(_resolve(definition, r, "responses"))
                                 for code, r in obj(op.get("responses")).items()}
            if "trigger" in node and isinstance(notification, dict):
                node["notification"] = _node(notification)
            op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
            op_id = op_id or f"{method.upper()} {path}"
            c.operations[op_id] = Operation(op_id, method, path, node)
    return c

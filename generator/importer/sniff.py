"""What a file given to `import` (or by mistake to `check`/`build`) is: an OpenAPI 3 document, a Swagger 2.0
definition, a Postman collection, or a connector source; and reading one, YAML or JSON, with positions.

Only the top-level keys decide: `openapi: 3.x`, `swagger: "2.0"`, a Postman `info.schema` (or v1's
`requests` + `order`), a source's `connector`/`operations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Finding, InputError
from ..diagnostics import display_path

OPENAPI, SWAGGER, POSTMAN, POSTMAN_V1, SOURCE = "openapi", "swagger", "postman", "postman-v1", "source"


def kind_of(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("openapi"), str):
        return OPENAPI
    if value.get("swagger") is not None and "paths" in value:
        return SWAGGER
    info = value.get("info")
    if isinstance(info, dict) and ("postman.com/json/collection" in str(info.get("schema", "")) or "item" in value and "_postman_id" in info):
        return POSTMAN
    if isinstance(value.get("requests"), list) and "order" in value:
        return POSTMAN_V1
    if "connector" in value or "operations" in value or "locales" in value:
        return SOURCE
    return None


def describe(value: Any) -> str:
    """The file in a few words, as a user would name it: "an OpenAPI 3.0.3 document"."""
    kind = kind_of(value)
    if kind == OPENAPI:
        return f"an OpenAPI {value['openapi']} document"
    if kind == SWAGGER:
        return f"a Swagger {value.get('swagger')} definition"
    if kind == POSTMAN:
        schema = str((value.get("info") or {}).get("schema", ""))
        version = next((v for v in ("v2.1", "v2.0") if f"/{v}" in schema), "v2")
        return f"a Postman collection ({version})"
    if kind == POSTMAN_V1:
        return "a Postman collection (v1)"
    return "a connector source" if kind == SOURCE else "not a connector source"


def foreign_source(value: Any, shown: str) -> Finding | None:
    """For commands that take a YAML source: one line saying what the file is instead and what to run."""
    kind = kind_of(value)
    if kind in (OPENAPI, SWAGGER, POSTMAN, POSTMAN_V1):
        import shlex

        return Finding("input", ERROR, f"this is {describe(value)}, not a connector source; run `ppconnector import {shlex.quote(shown)}` "
                       "to make a connector source from it", shown, 1, 1)
    return None


@dataclass
class Document:
    """A YAML or JSON file read into plain values, knowing the line:column of each (for findings)."""

    path: Path
    shown: str
    value: Any
    findings: list[Finding] = field(default_factory=list)  # what had to be normalized to read it
    _json: Any = None  # a JsonDocument: positions are found by parsing again, only when a finding needs one

    def position(self, parts: tuple | list) -> tuple[int | None, int | None]:
        if self._json is not None:
            return self._json.position(list(parts)) or (None, None)
        from ..source.yamlfile import key_position

        return key_position(self.value, list(parts)) or (None, None)  # the key's line: where a reader looks

    def finding(self, rule: str, severity: str, message: str, parts: tuple | list) -> Finding:
        line, column = self.position(parts)
        return Finding(rule, severity, message, self.shown, line, column, pointer=pointer(parts))


def pointer(parts: tuple | list) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def read_document(path: Path) -> Document:
    """A JSON file (the first character is `{`) or a YAML file; InputError with the place when unusable."""
    from ..source.yamlfile import read_limited

    shown = display_path(path)
    head = read_limited(path, "file", shown)[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")) or path.suffix.lower() == ".json":
        from ..source.jsonfile import read_json

        doc = read_json(path, shown)
        return Document(path, shown, doc.value, list(doc.findings), doc)
    from ..source.yamlfile import load

    return Document(path, shown, load(path, shown))


def refuse_unknown(doc: Document) -> str:
    """The kind of a document `import` converts, or InputError saying what it is not."""
    kind = kind_of(doc.value)
    if kind in (OPENAPI, SWAGGER, POSTMAN):
        return kind
    if kind == POSTMAN_V1:
        message = "this is a Postman collection v1; export it from Postman as Collection v2.1 and import that"
    elif kind == SOURCE:
        message = "this is already a connector source: build it with `ppconnector build`"
    else:
        message = ("expected an OpenAPI 3 document (openapi: 3.x), a Swagger 2.0 definition (swagger: \"2.0\"), "
                   "a Postman collection (v2.0 or v2.1) or a connector folder")
    raise InputError(Finding("input", ERROR, message, doc.shown, 1, 1))

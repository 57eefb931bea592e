"""What `import` is given -> a Folder (Swagger 2.0 definition + apiProperties + files beside), converting
where it is not already a connector folder. The folder pipeline (idiom.py, write.py) then writes the source.

- a connector folder (apiDefinition.swagger.json + apiProperties.json): read as it is (read.py);
- an OpenAPI 3.0/3.1 document (a file, or a folder's apiDefinition.swagger.json): openapi3.py, then fit.py;
- a Swagger 2.0 file, or a folder without apiProperties.json: the connection made from securityDefinitions
  (connection.py), then fit.py;
- a Postman collection v2.0/v2.1: postman.py (saved examples become fixtures), then fit.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, Finding, InputError
from ..emit import settings as names
from . import connection, fit, sniff
from .losses import KINDS
from .read import Folder, read_beside, read_folder

Json = dict[str, Any]


def convert_path(path: Path) -> Folder:
    if not path.exists():
        from ..source.loader import display_path

        raise InputError(Finding("input", ERROR, "nothing there: expected a connector folder (apiDefinition.swagger.json, apiProperties.json), "
                                 "an OpenAPI 3 or Swagger 2.0 file, or a Postman collection", display_path(path)))
    if path.is_dir():
        definition = path / names.DEFINITION
        if not definition.is_file():
            return read_folder(path)  # says what is missing
        has_properties = (path / names.PROPERTIES).is_file()
        if has_properties and b'"openapi"' not in definition.read_bytes():
            return read_folder(path)  # a connector folder (paconn download): imported exactly, or refused with the reason
        try:
            doc = sniff.read_document(definition)
        except InputError:
            return read_folder(path)  # the folder reader says what is wrong, in its words
        kind = sniff.kind_of(doc.value)
        if kind == sniff.SWAGGER and has_properties or kind not in (sniff.OPENAPI, sniff.SWAGGER):
            return read_folder(path)
        folder = convert_document(doc, kind)
        folder.path = path
        if has_properties:  # the folder's own connection wins over one made from the definition
            from ..source.jsonfile import read_json

            props = read_json(path / names.PROPERTIES)
            if not isinstance(props.value, dict) or not isinstance(props.value.get("properties"), dict):
                raise InputError(Finding("import-unsupported", ERROR, 'expected apiProperties: "properties" is missing or not an object', props.shown, 1, 1))
            folder.properties = props.value
            folder.findings.extend(props.findings)
        return read_beside(folder)
    doc = sniff.read_document(path)
    return convert_document(doc, sniff.refuse_unknown(doc))


def convert_document(doc: sniff.Document, kind: str) -> Folder:
    findings = list(doc.findings)

    def note(rule: str, message: str, parts: tuple) -> None:
        k = KINDS[rule]
        findings.append(doc.finding(k.id, k.severity, message, parts))

    beside: dict[str, bytes] = {}
    if kind == sniff.OPENAPI:
        from . import openapi3

        definition, props, lost = openapi3.convert(doc)
        findings.extend(lost)
    elif kind == sniff.SWAGGER:
        definition, props = swagger_file(doc, note)
    else:
        from . import postman

        definition, props, lost, beside = postman.convert(doc)
        findings.extend(lost)
    definition = plain(definition)
    _refuse_broken_address(doc, kind, definition)
    fit.fit(definition, note if kind != sniff.POSTMAN else _postman_note(doc, findings, definition))
    _oauth_client(props, note if kind != sniff.POSTMAN else _postman_note(doc, findings, definition))
    findings.sort(key=lambda f: (f.line is None, f.line or 0, f.column or 0))
    return Folder(doc.path, definition, plain(props), findings=findings, converted_from=sniff.describe(doc.value), beside=beside)


_ADDRESS_PARTS = {sniff.OPENAPI: ("servers", 0, "url"), sniff.SWAGGER: ("host",), sniff.POSTMAN: ("item",)}


def _refuse_broken_address(doc: sniff.Document, kind: str, definition: Json) -> None:
    """A host or base path holding a space or a control character (a line break above all) is no address the
    platform calls, and written into the YAML it would put text of the document's choosing on a line of its own."""
    for key in ("host", "basePath"):
        value = definition.get(key)
        if isinstance(value, str) and any(c.isspace() or ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in value):
            raise InputError(doc.finding("import-unsupported", ERROR, f"the API's {'host' if key == 'host' else 'base path'} "
                                         f"{value!r} holds a space or a control character: expected a host name and a path",
                                         _ADDRESS_PARTS[kind]))


def _oauth_client(props: Json, note) -> None:
    for name, parameter in (props.get("properties", {}).get("connectionParameters") or {}).items():
        settings = parameter.get("oAuthSettings") if isinstance(parameter, dict) else None
        if isinstance(settings, dict) and not settings.get("clientId"):
            note("import-fill-in", f"the OAuth app's client id is not in the document: set connection.parameters.{name}.oauth.client_id "
                 "(deploy takes the secret from $PPCONNECTOR_CLIENT_SECRET)", ())


def _postman_note(doc: sniff.Document, findings: list[Finding], definition: Json):
    """A fit finding on a converted collection names the request (the definition's path is not the file's)."""
    def note(rule: str, message: str, parts: tuple) -> None:
        k = KINDS[rule]
        findings.append(Finding(k.id, k.severity, message, doc.shown, pointer=sniff.pointer(parts)))
    return note


def swagger_file(doc: sniff.Document, note) -> tuple[Json, Json]:
    """A Swagger 2.0 definition without apiProperties: the connection from its securityDefinitions."""
    value = doc.value
    if str(value.get("swagger")) != "2.0":
        raise InputError(doc.finding("import-unsupported", ERROR, f'"swagger" is {value.get("swagger")!r}; only Swagger 2.0 is a connector definition', ("swagger",)))
    if not isinstance(value.get("paths"), dict):
        raise InputError(doc.finding("import-unsupported", ERROR, 'expected a Swagger 2.0 definition: "paths" is missing or not an object', ("paths",)))
    definition = plain(value)
    definition["swagger"] = "2.0"
    info = definition.get("info")
    if isinstance(info, dict) and "version" in info and not isinstance(info["version"], str):
        info["version"] = str(info["version"])  # YAML reads `version: 1.0` as a number
    schemes = definition.get("securityDefinitions") if isinstance(definition.get("securityDefinitions"), dict) else {}
    chosen = connection.chosen_scheme(schemes, definition.get("security"))
    for name in schemes:
        if chosen is not None and name != chosen:
            note("import-security", f'security scheme "{name}" is not the connection\'s: a connection signs in one way ({chosen})',
                 ("securityDefinitions", name))
    return definition, connection.api_properties(connection.connection_parameters(schemes.get(chosen) if chosen else None))


def plain(value: Any) -> Any:
    """Plain dicts and lists (a YAML document's values know their positions; the definition need not)."""
    return json.loads(json.dumps(value))

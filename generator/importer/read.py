"""A connector folder as paconn download leaves it -> its JSON values, script and icon, with findings.

Reading is separate from writing (idiom.py, write.py): this module knows files and their faults, not YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, WARNING, Finding, InputError
from ..emit import settings as names
from ..source.jsonfile import JsonDocument, read_json
from ..source.loader import display_path


@dataclass
class Folder:
    path: Path
    definition: dict
    properties: dict
    script: bytes | None = None  # script.csx as UTF-8 bytes (re-encoded when it was not)
    icon: Path | None = None
    findings: list[Finding] = field(default_factory=list)  # what had to be normalized to read it
    converted_from: str = ""  # "an OpenAPI 3.0.3 document", ... when the definition was made by a conversion
    beside: dict[str, bytes] = field(default_factory=dict)  # more files to write beside the YAML (fixtures/...)

    @property
    def name(self) -> str:
        return self.path.name


def read_folder(path: Path) -> Folder:
    """Read the two JSON files (and script.csx, icon.png when present); InputError when they are unusable."""
    shown = display_path(path)
    if not path.is_dir():
        what = "a file" if path.exists() else "nothing"
        raise InputError(Finding("input", ERROR, f"expected a connector folder (apiDefinition.swagger.json, apiProperties.json), found {what}", shown))
    docs: dict[str, JsonDocument] = {}
    missing = [n for n in (names.DEFINITION, names.PROPERTIES) if not (path / n).is_file()]
    if missing:
        raise InputError(Finding("input", ERROR, f"not a connector folder: {' and '.join(missing)} missing", shown))
    for file in (names.DEFINITION, names.PROPERTIES, names.SCRIPT, names.ICON):
        _refuse_link_out(path, file)
    findings: list[Finding] = []
    for file in (names.DEFINITION, names.PROPERTIES):
        docs[file] = read_json(path / file, display_path(path / file))
        findings.extend(docs[file].findings)
    definition, props = docs[names.DEFINITION], docs[names.PROPERTIES]
    _expect_object(definition, "paths", "a Swagger 2.0 definition")
    _expect_object(props, "properties", "apiProperties")
    if definition.value.get("swagger") != "2.0":
        raise InputError(Finding("import-unsupported", ERROR, f'"swagger" is {definition.value.get("swagger")!r}; only Swagger 2.0 is a connector definition',
                                 definition.shown, *(definition.position(["swagger"]) or (None, None))))
    _expect_text_operation_ids(definition)
    return read_beside(Folder(path, definition.value, props.value, findings=findings))


def read_beside(folder: Folder) -> Folder:
    """script.csx and icon.png of a connector folder, when it has them."""
    path, findings = folder.path, folder.findings
    for file in (names.SCRIPT, names.ICON):
        _refuse_link_out(path, file)
    script = path / names.SCRIPT
    if script.is_file():
        data = script.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            data = data.decode("cp1252", errors="replace").encode("utf-8")
            line = script.read_bytes()[: e.start].count(b"\n") + 1
            findings.append(Finding("import-encoding", WARNING, "script.csx is not UTF-8; read as Windows-1252 and written as UTF-8",
                                    display_path(script), line))
        folder.script = data
    icon = path / names.ICON
    if icon.is_file():
        folder.icon = icon
    return folder


def _refuse_link_out(folder: Path, name: str) -> None:
    """A downloaded folder is untrusted: a link from it to a file elsewhere (a key, a password file) is
    never read, so never copied into the repo."""
    link = folder / name
    if not link.is_symlink():
        return
    target, root = link.resolve(), folder.resolve()
    if root not in target.parents:
        raise InputError(Finding("import-link", ERROR, f"{name} is a link to a file outside the connector folder; refused "
                                 "(copy the file into the folder if it belongs to the connector)", display_path(link)))


def _expect_text_operation_ids(doc: JsonDocument) -> None:
    for route, item in doc.value["paths"].items():
        for method, op in item.items() if isinstance(item, dict) else ():
            if isinstance(op, dict) and "operationId" in op and not isinstance(op["operationId"], str):
                line, col = doc.position(["paths", route, method, "operationId"]) or (None, None)
                raise InputError(Finding("import-unsupported", ERROR, f"operationId of {method.upper()} {route} is "
                                         f"{type(op['operationId']).__name__}; an operationId is text", doc.shown, line, col))


def _expect_object(doc: JsonDocument, key: str, what: str) -> None:
    value: Any = doc.value
    if not isinstance(value, dict):
        raise InputError(Finding("import-unsupported", ERROR, f"expected {what} (a JSON object) at the top", doc.shown, 1, 1))
    if not isinstance(value.get(key), dict):
        line, col = doc.position([key]) or (1, 1)
        raise InputError(Finding("import-unsupported", ERROR, f'expected {what}: "{key}" is missing or not an object', doc.shown, line, col))

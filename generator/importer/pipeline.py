"""One import: folder -> (YAML text, files beside it, findings). Shared by `import` and `import --verify`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import INFO, Finding
from ..emit.properties import properties
from ..emit.swagger import definition
from ..model import Connector, Operation
from ..source.loader import display_path
from . import idiom, write
from .read import Folder, read_folder


@dataclass
class Imported:
    folder: Folder
    yaml: str
    beside: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes, written next to the YAML
    notes: Counter = field(default_factory=Counter)

    def findings(self, shown: str) -> list[Finding]:
        """What was normalized while reading, then what needed an escape hatch, each once with a count."""
        out = list(self.folder.findings)
        for what, count in sorted(self.notes.items()):
            out.append(Finding("import-idiom", INFO, f"{what}: {count}", shown))
        return out


def in_memory(tree: dict) -> Connector:
    """The tree as the model the emitters take, without a file: to fit the layout before writing."""
    c = Connector(file=Path("imported.yaml").resolve(), shown="imported.yaml", node=tree, locales=list(tree.get("locales", ["en"])))
    for op_id, node in tree["operations"].items():
        method, _, path = node["request"].partition(" ")
        c.operations[op_id] = Operation(op_id, method.lower(), path.strip(), node)
    return c


def schema_reference(out: Path) -> str:
    """Where the `$schema` comment of a source written to out points: the editor schema `ppconnector build` keeps
    at the repository root (../.ppconnector/connector.schema.json from the single-connector layout's connector/)."""
    import os

    from ..layout import out_root
    from ..repo.config import editor_schema_path

    folder = out.absolute().parent
    return Path(os.path.relpath(editor_schema_path(folder, out_root(folder)), folder)).as_posix()


def header(folder: Folder, out: Path) -> str:
    schema = schema_reference(out)
    if folder.converted_from:
        return (f"# yaml-language-server: $schema={schema}\n#\n"
                f"# Imported by `ppconnector import` from {folder.converted_from}:\n#   {folder.name}\n"
                "# through Swagger 2.0 (what Power Platform takes); what it could not carry over was reported then (see\n"
                "# docs/import.md). Edit this file, then run `ppconnector build` and `ppconnector check`.\n")
    return (f"# yaml-language-server: $schema={schema}\n#\n"
            f"# Imported from the connector folder \"{folder.name}\" by `ppconnector import`: building this file gives back\n"
            "# its apiDefinition.swagger.json and apiProperties.json. Keys named extra, key_order, raw and layout keep what\n"
            "# the sugar has no word for (see docs/import.md).\n")


def import_path(path: Path, out: Path) -> Imported:
    """A connector folder, an OpenAPI 3 document, a Swagger 2.0 file or a Postman collection (or a folder
    holding only a definition) -> the YAML source and what goes beside it."""
    from .convert import convert_path

    folder = convert_path(path)
    return import_folder(path, out, folder)


def import_folder(path: Path, out: Path, folder: Folder | None = None) -> Imported:
    folder = folder or read_folder(path)
    tree, notes = idiom.source_tree(folder.definition, folder.properties, script=folder.script is not None, icon=folder.icon is not None)
    if folder.script is not None:
        tree.get("script", {}).pop("file", None)  # no file to read while fitting; the real build reads it
        if not tree.get("script"):
            tree.pop("script", None)
    draft = in_memory(tree)
    idiom.fit_layout(tree, folder.definition, folder.properties, definition(draft, "en"), properties(draft, "en"))
    if folder.script is not None:
        tree["script"] = {"file": "script.csx"}
        if "layout" in tree:  # the layout stays last: hints after what they shape
            tree["layout"] = tree.pop("layout")
    beside: dict[str, bytes] = {}
    if folder.script is not None:
        beside["script.csx"] = folder.script
    if folder.icon is not None:
        beside["icon.png"] = folder.icon.read_bytes()
    beside.update(folder.beside)
    return Imported(folder, write.dump(tree, header(folder, out)), beside, notes)


def default_output(path: Path) -> Path:
    import re

    # The folder's own name (docs/import.md), with what a file name should not hold (spaces, quotes) as "-";
    # a file's name without its extensions (petstore.openapi.yaml -> petstore).
    name = path.resolve().name
    if not path.is_dir():
        name = re.sub(r"(\.(openapi|swagger|postman_collection|collection|api))?\.(ya?ml|json)$", "", name, flags=re.I)
    name = re.sub(r"[^A-Za-z0-9._]+", "-", name).strip("-.") or "connector"
    from ..filenames import windows_reserved

    if windows_reserved(name):  # a folder named "aux": "aux.yaml" could not be checked out on Windows
        name = f"{name}-connector"
    return Path("connector") / f"{name}.yaml"


__all__ = ["Imported", "import_folder", "import_path", "default_output", "display_path"]

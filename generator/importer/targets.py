"""What an import writes, and where: one folder's source (`import_one`), or with `import --all ROOT` every
connector folder below ROOT gets its YAML source beside its files, in place (`import_tree`).

Each folder is imported, the source loaded back and built, and the build compared with the folder's files
as JSON values (key order included), as `import --verify` does.  Only a folder that round-trips is
written: its source, and its deployable files in the build's own bytes (the same values, formatted as
`build` writes them, and without stackOwner, which the source keeps for `package`), so that `build --check`
at ROOT passes.  A folder that does not round-trip is listed with why and left exactly as it was.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError

IMPORTED, DIFFERENT = "imported", "different"


@dataclass
class TreeImport:
    """What `import --all` made of one connector folder: imported (files to write) or why not."""

    status: str  # IMPORTED, DIFFERENT, or (from the Outcome) refused / internal error
    message: str = ""
    files: dict[Path, bytes] = field(default_factory=dict)
    source: Path | None = None  # the YAML source among the files


def import_one(folder: Path, out: Path | None = None, force: bool = False):
    """The files `import PATH` writes (the YAML source, its script and icon beside it) for a connector folder, an
    OpenAPI 3 document, a Swagger 2.0 file, a Postman collection or a solution zip, and what the import noticed;
    refused, naming both, when the target folder already holds another source."""
    from ..diagnostics import ERROR, Finding, InputError
    from ..repo.discover import sources_in
    from .pipeline import default_output, display_path, import_path

    if not folder.exists():
        raise InputError(Finding("input", ERROR, "no such file or folder", str(folder)))
    target = out or default_output(folder)
    if folder.suffix.lower() == ".zip" and folder.is_file():  # a solution zip: the connector inside it (docs/solution.md)
        from ..solution.unpack import unpacked

        with unpacked(folder, display_path(folder)) as inside:
            imported = import_path(inside, target)
    else:
        imported = import_path(folder, target)  # what is wrong with the folder (or file) first
    others = [p for p in sources_in(target.parent) if p.resolve() != target.resolve()]
    if others:
        raise InputError(Finding("input", ERROR, f"{display_path(target.parent)} already holds the connector source "
                                 f"{display_path(others[0])}: a second source there would write the same files; name another "
                                 f"place with -o (e.g. -o {display_path(Path(folder.resolve().name) / target.name)})", display_path(target)))
    files = {target: imported.yaml.encode("utf-8")}
    files.update({target.parent / name: data for name, data in imported.beside.items()})
    existing = [p for p in files if p.exists() and p.read_bytes() != files[p]]
    if existing and not force:
        raise InputError([Finding("usage", ERROR, "exists and differs from what the import writes; use --force to replace it",
                                  display_path(p)) for p in existing])
    return target, imported, files


def _import(ref) -> tuple[TreeImport, list[Finding]]:
    import json

    from ..build import build, select_locales
    from ..emit.properties import properties
    from ..source.loader import load_connector
    from .pipeline import default_output, import_folder
    from .verify import first_difference

    from ..source.loader import display_path

    folder = ref.path
    target = folder / default_output(folder).name
    if target.exists():
        raise InputError(Finding("input", ERROR, "exists, and is no connector source: the import would replace it", display_path(target)))
    imported = import_folder(folder, target)
    files = {target: imported.yaml.encode("utf-8")}
    files.update({folder / name: data for name, data in imported.beside.items()})
    with tempfile.TemporaryDirectory(prefix="ppconnector-import-") as tmp:
        scratch = Path(tmp) / folder.name
        scratch.mkdir()
        for path, data in files.items():
            (scratch / path.name).write_bytes(data)
        try:
            connector, _ = load_connector(scratch / target.name)
        except InputError as e:  # name the file where it will be written, not the scratch copy
            raise InputError([_moved(f, scratch, folder) for f in e.findings]) from None
        built: dict[Path, bytes] = {}
        for loc in select_locales(connector, "all"):
            built.update(build(connector, loc, scratch).files)
    # apiProperties as `package` writes it: build leaves stackOwner out, the source keeps it for certification
    pairs = (("apiDefinition.swagger.json", imported.folder.definition, json.loads(built[scratch / "apiDefinition.swagger.json"])),
             ("apiProperties.json", imported.folder.properties, properties(connector, connector.source_locale)))
    for name, original, again in pairs:
        where = first_difference(original, again)
        if where is not None:
            return TreeImport(DIFFERENT, f"{name} differs at {where}"), []
    for path, data in built.items():
        files[folder / path.relative_to(scratch)] = data
    return TreeImport(IMPORTED, "", files, target), []


def _moved(finding, scratch: Path, folder: Path):
    import dataclasses

    from ..source.loader import display_path

    if finding.file and Path(finding.file).resolve().is_relative_to(scratch.resolve()):
        name = Path(finding.file).resolve().relative_to(scratch.resolve())
        return dataclasses.replace(finding, file=display_path(folder / name))
    return finding


def import_tree(roots: list[Path]) -> list:
    """Every connector folder without a source below roots, imported across the cores: an Outcome each, valued
    a TreeImport.  Nothing is written: the caller writes the files of the imported ones, all at once."""
    from ..layout import DEFINITION, LEGACY_FOLDER
    from ..repo.batch import each
    from ..repo.discover import discover
    from ..repo.resolve import ConnectorRef
    from ..source.loader import display_path

    missing = [r for r in roots if not r.exists()]
    if missing:
        raise InputError([Finding("input", ERROR, "no such file or folder", str(r)) for r in missing])
    folders = [f for root in roots for f in discover(root) if f.is_dir() and (f / DEFINITION).is_file()]
    if not folders:
        raise InputError(Finding("input", ERROR, f"no connector folder (with {DEFINITION}) without a source below "
                                 f"{', '.join(map(str, roots))}"))
    outcomes = each(_import, [ConnectorRef(f, display_path(f)) for f in folders])
    for o in outcomes:
        # A folder named connector/ builds into its parent (the single-connector layout): imported in place, its
        # source would claim the parent's files, and the parent's own source the same ones.
        if o.ok and o.value.status == IMPORTED and o.connector.path.name == LEGACY_FOLDER:
            o.value = TreeImport("refused", f"a folder named {LEGACY_FOLDER}/ builds into its parent folder; import it with "
                                 f"`ppconnector import {o.connector.shown} -o FOLDER/NAME.yaml`")
    return outcomes

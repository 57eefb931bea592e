"""`import --all ROOT`: every connector folder below ROOT gets its YAML source beside its files, in place.

Each folder is imported, the source loaded back and built, and the build compared with the folder's files
as JSON values (key order included), as `import --verify` does.  Only a folder that round-trips is
written: its source, and its deployable files in the build's own bytes (the same values, formatted as
`build` writes them, and without stackOwner, which the source keeps for `package`), so that `build --check`
at ROOT passes.  A folder that does not round-trip is listed
with why and left exactly as it was.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from ..diagnostics import InputError, crash_site
from .batch import count, run_all

Imported = tuple[str, str, dict]  # status ("imported" or why not), message, final path -> bytes
IMPORTED = "imported"


def import_job(folder: str) -> Imported:
    try:
        return _import(Path(folder))
    except InputError as e:
        return "refused", "; ".join(str(f) for f in e.findings[:3]), {}
    except Exception as e:  # noqa: BLE001 - one folder's bug must not stop the others
        return "internal error", f"{type(e).__name__}: {e}{crash_site(e)} (a bug in ppconnector)", {}


def _import(folder: Path) -> Imported:
    from ..build import build, select_locales
    from ..importer.pipeline import default_output, import_folder
    from ..importer.verify import first_difference
    from ..source.loader import load_connector

    target = folder / default_output(folder).name
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
    import json

    from ..emit.properties import properties

    # apiProperties as `package` writes it: build leaves stackOwner out, the source keeps it for certification
    pairs = (("apiDefinition.swagger.json", imported.folder.definition, json.loads(built[scratch / "apiDefinition.swagger.json"])),
             ("apiProperties.json", imported.folder.properties, properties(connector, connector.source_locale)))
    for name, original, again in pairs:
        where = first_difference(original, again)
        if where is not None:
            return "different", f"{name} differs at {where}", {}
    for path, data in built.items():
        files[folder / path.relative_to(scratch)] = data
    return IMPORTED, "", files


def _moved(finding, scratch: Path, folder: Path):
    import dataclasses

    from ..source.loader import display_path

    if finding.file and Path(finding.file).resolve().is_relative_to(scratch.resolve()):
        name = Path(finding.file).resolve().relative_to(scratch.resolve())
        return dataclasses.replace(finding, file=display_path(folder / name))
    return finding


def import_all(roots: list[Path]) -> None:
    from ..emit.files import write_all
    from ..source.loader import display_path
    from .discover import DEFINITION, discover

    folders = [str(f) for root in roots for f in discover(root) if f.is_dir() and (f / DEFINITION).is_file()]
    if not folders:
        click.echo(f"no connector folder (with {DEFINITION}) without a source below {', '.join(map(str, roots))}", err=True)
        sys.exit(2)
    results = run_all(import_job, folders, label=str)
    files: dict[Path, bytes] = {}
    failed = []
    for folder, (status, message, made) in zip(folders, results):
        if status == IMPORTED:
            files.update(made)
        else:
            failed.append(folder)
            click.echo(f"{display_path(Path(folder))}: {status}: {message}")
    write_all(files)
    click.echo(f"{count(len(folders), 'connector folder')}: {len(folders) - len(failed)} imported, {len(failed)} left as they were")
    bugs = any(status == "internal error" for status, _, _ in results)
    sys.exit(3 if bugs else 1 if failed else 0)

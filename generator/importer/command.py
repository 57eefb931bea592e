"""`ppconnector import`: a connector folder (paconn download) -> an idiomatic YAML source."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("import")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The YAML to write (default: connector/<folder or file name>.yaml); script.csx, icon.png and fixtures/ go beside it.")
@click.option("--force", is_flag=True, help="Replace files that already exist where the import writes.")
@click.option("--verify", is_flag=True, help="Write nothing: import, build and compare each folder; a line per folder and a tally.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output of --verify.")
@click.option("--all", "all_", is_flag=True, help="Every connector folder below each FOLDER, in place: its YAML source beside its "
              "files, written only where the round trip is exact; the others are listed with why (exit 1).")
def import_(folders: tuple[Path, ...], out: Path | None, force: bool, verify: bool, fmt: str, all_: bool) -> None:
    """Import a connector folder (apiDefinition.swagger.json, apiProperties.json, script.csx), an OpenAPI 3.0/3.1
    document, a Swagger 2.0 file, a Postman collection (v2.0, v2.1) or the connector of a solution zip as a
    YAML source."""
    from ..diagnostics import ERROR, Finding, InputError

    if all_:
        from ..repo.imports import import_all

        import_all(list(folders))

    if verify:
        from .verify import CRASHED, IDENTICAL, report_json, tally_line, verify_all

        results = verify_all(list(folders))
        if fmt == "json":
            click.echo(report_json(results))
        else:
            for r in results:
                click.echo(r.line())
            click.echo(tally_line(results))
        if any(r.status == CRASHED for r in results):
            sys.exit(3)  # our bug, said on that folder's line; the other folders were still verified
        sys.exit(0 if all(r.status == IDENTICAL for r in results) else 1)
    if len(folders) != 1:
        raise InputError(Finding("usage", ERROR, f"import writes one connector at a time ({len(folders)} folders given); --verify takes many"))
    from ..emit.files import write_all
    from .pipeline import default_output, display_path, import_path

    folder = folders[0]
    target = out or default_output(folder)
    if folder.suffix.lower() == ".zip" and folder.is_file():  # a solution zip: the connector inside it (docs/solution.md)
        from ..solution.unpack import unpacked

        with unpacked(folder, display_path(folder)) as inside:
            imported = import_path(inside, target)
    else:
        imported = import_path(folder, target)
    files = {target: imported.yaml.encode("utf-8")}
    files.update({target.parent / name: data for name, data in imported.beside.items()})
    existing = [p for p in files if p.exists() and p.read_bytes() != files[p]]
    if existing and not force:
        raise InputError([Finding("usage", ERROR, "exists and differs from what the import writes; use --force to replace it", display_path(p)) for p in existing])
    for finding in imported.findings(display_path(folder)):
        click.echo(str(finding), err=True)
    write_all(files)
    click.echo(f"{display_path(target)} written" + (f" with {', '.join(imported.beside)} beside it" if imported.beside else ""))


commands = [import_]

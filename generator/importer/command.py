"""`ppconnector import`: a connector folder (paconn download) -> an idiomatic YAML source."""

from __future__ import annotations

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
    from ..commandline import echo, echo_findings, exit_with, usage
    from ..emit.files import write_all
    from ..source.loader import display_path

    if all_:
        from ..render import text
        from .targets import IMPORTED, import_tree

        from ..build.connectors import editor_schemas
        from ..repo.resolve import ConnectorRef

        outcomes = import_tree(list(folders))
        done = [o.value for o in outcomes if o.ok and o.value.status == IMPORTED]
        files = {path: data for made in done for path, data in made.files.items()}
        schema = editor_schemas([ConnectorRef(made.source, str(made.source)) for made in done])  # where their $schema comments point
        write_all({**files, **schema})
        echo(text.tree_imported(outcomes), nl=False)
        imported = sum(o.ok and o.value.status == IMPORTED for o in outcomes)
        exit_with(3 if any(o.code == 3 for o in outcomes) else 1 if imported < len(outcomes) else 0)
        return
    if verify:
        from .verify import CRASHED, IDENTICAL, report_json, tally_line, verify_all

        results = verify_all(list(folders))
        echo(report_json(results) if fmt == "json" else "".join(f"{r.line()}\n" for r in results) + tally_line(results))
        if any(r.status == CRASHED for r in results):
            exit_with(3)  # our bug, said on that folder's line; the other folders were still verified
        exit_with(0 if all(r.status == IDENTICAL for r in results) else 1)
        return
    if len(folders) != 1:
        raise usage(f"import writes one connector at a time ({len(folders)} folders given); --verify takes many")
    from .targets import import_one

    target, imported, files = import_one(folders[0], out, force)
    write_all(files)
    echo_findings(imported.findings(display_path(folders[0])))
    echo(f"{display_path(target)} written" + (f" with {', '.join(imported.beside)} beside it" if imported.beside else ""))


commands = [import_]

"""`ppconnector package`: the folder a certification pull request to microsoft/PowerPlatformConnectors
holds, for one locale: apiDefinition.swagger.json, apiProperties.json, script.csx, icon.png, readme.md."""

from __future__ import annotations

from pathlib import Path

import click

commands: list[click.Command] = []

README = "readme.md"


def package_files(connector, locale: str, out: Path) -> dict[Path, bytes]:
    """The certification folder's files (the script and icon only when the connector has them)."""
    from ..build import build
    from ..emit import settings as names
    from ..emit.files import json_bytes
    from ..emit.properties import properties
    from .readme import render

    wanted = (names.DEFINITION, names.SCRIPT, names.ICON)
    built = build(connector, locale, out).files
    files = {out / path.name: data for path, data in built.items() if path.name in wanted}
    files[out / names.PROPERTIES] = json_bytes(properties(connector, locale))  # with stackOwner, which certification needs
    files[out / README] = render(connector, locale).encode("utf-8")
    return dict(sorted(files.items()))


def _others(out: Path, files: dict[Path, bytes]) -> list[str]:
    """Entries of out that are not the certification folder's: packaging would leave them beside it."""
    if not out.is_dir():
        return []
    ours = {p.name for p in files}
    return sorted(p.name for p in out.iterdir() if p.name not in ours)


@click.command()
@click.argument("source", required=False)
@click.option("--locale", default=None, help="Locale to package (default: the source locale, English).")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The certification folder to write (with --partner-center: the zip).")
@click.option("--partner-center", is_flag=True, help="Write the Partner Center package zip instead: intro.md and a package of the "
              "connector's and a sample flow's solutions (docs/package.md).")
def package(source: str | None, locale: str | None, out: Path, partner_center: bool) -> None:
    """Write the certification folder of one locale: the deployable files and a readme.md in Microsoft's
    template, generated from the YAML. All files are written, or none."""
    from ..cli import _echo_findings, _source
    from ..build import select_locales
    from ..diagnostics import ERROR, Finding, InputError
    from ..emit.files import write_all
    from ..source.loader import display_path, load_connector

    connector, warnings = load_connector(_source(source))
    _echo_findings([w for w in warnings if w.rule != "missing-translation"])
    [loc] = select_locales(connector, locale or connector.source_locale)
    if partner_center:
        from ..solution.command import write_partner_center

        write_partner_center(connector, loc, out)
        return
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise InputError(Finding("usage", ERROR, "--out must be a folder", display_path(out)))
    files = package_files(connector, loc, out)
    others = _others(out, files)
    if others:  # a certification folder holds exactly these files: never mix in a stale build or settings.json
        raise InputError(Finding("usage", ERROR, f"{display_path(out)} holds other files ({', '.join(others)}); "
                                 "give an empty or new folder, or one written by `ppconnector package`", display_path(out)))
    changed = write_all(files)
    click.echo(f"{display_path(out)}: certification folder ({loc}), {len(changed)} of {len(files)} files written")


commands.append(package)

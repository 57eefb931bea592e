"""`ppconnector package`: the folder a certification pull request to microsoft/PowerPlatformConnectors
holds, for one locale: apiDefinition.swagger.json, apiProperties.json, script.csx, icon.png, readme.md."""

from __future__ import annotations

from pathlib import Path

import click

commands: list[click.Command] = []


@click.command()
@click.argument("source", required=False)
@click.option("--locale", default=None, help="Locale to package (default: the source locale, English).")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The certification folder to write (with --partner-center: the zip).")
@click.option("--partner-center", is_flag=True, help="Write the Partner Center package zip instead: intro.md and a package of the "
              "connector's and a sample flow's solutions (docs/package.md).")
def package(source: str | None, locale: str | None, out: Path, partner_center: bool) -> None:
    """Write the certification folder of one locale: the deployable files and a readme.md in Microsoft's
    template, generated from the YAML. All files are written, or none."""
    from ..commandline import echo, echo_findings
    from ..emit.files import write_all
    from ..repo.resolve import resolve_one
    from ..source.loader import display_path
    from .folder import certification_folder

    ref = resolve_one(source, what="package")
    if partner_center:
        from ..build import select_locales
        from ..repo.resolve import require_sources
        from ..solution.command import write_partner_center
        from ..source.loader import load_connector

        require_sources([ref], "package --partner-center")
        connector, warnings = load_connector(ref.path)
        echo_findings([w for w in warnings if w.rule != "missing-translation"])
        [loc] = select_locales(connector, locale or connector.source_locale)
        write_partner_center(connector, loc, out)
        return
    made = certification_folder(ref, locale, out)
    changed = write_all(made.files)
    echo_findings(made.findings)
    echo(f"{display_path(made.out)}: certification folder ({made.locale}), {len(changed)} of {len(made.files)} files written")


commands.append(package)

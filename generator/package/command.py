"""`ppconnector package`: the folder a certification pull request to microsoft/PowerPlatformConnectors
holds, for one locale: apiDefinition.swagger.json, apiProperties.json, script.csx, icon.png, readme.md."""

from __future__ import annotations

from pathlib import Path

import click

commands: list[click.Command] = []


@click.command()
@click.argument("source", required=False)
@click.option("--locale", default=None, help="Locale to package (default: the source locale, English).")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="The certification folder to write.")
def package(source: str | None, locale: str | None, out: Path) -> None:
    """Write the certification folder of one locale: the deployable files and a readme.md in Microsoft's
    template, generated from the YAML. All files are written, or none."""
    from ..commandline import echo, echo_findings
    from ..emit.files import write_all
    from ..repo.resolve import resolve_one
    from ..source.loader import display_path
    from .folder import certification_folder

    made = certification_folder(resolve_one(source, what="package"), locale, out)
    changed = write_all(made.files)
    echo_findings(made.findings)
    echo(f"{display_path(made.out)}: certification folder ({made.locale}), {len(changed)} of {len(made.files)} files written")


commands.append(package)

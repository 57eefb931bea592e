"""`ppconnector docs`: write the connector's reference page per locale (docs/reference/<locale>.md)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--locale", default="all", show_default=True, help="Locale to write, or all.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for the pages (default: docs/reference/ in the repo root, or in the connector folder).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 naming each page that is stale.")
def docs(sources: tuple[str, ...], locale: str, out: Path | None, check: bool) -> None:
    """Write the connector's reference page per locale in Markdown (Microsoft's layout).

    SOURCE is a YAML source or a plain connector folder holding apiDefinition.swagger.json and
    apiProperties.json (its page goes to FOLDER/docs/reference/en.md); by default every connector with a
    source below this folder, or the one this folder is in.
    """
    from ..commandline import exit_with, one_unusable, write_outcomes
    from ..repo.resolve import resolve
    from .pages import reference_pages

    outcomes = reference_pages(resolve(sources, folders=False), locale, out)
    one_unusable(outcomes)
    exit_with(write_outcomes(outcomes, check, "docs", ("reference page", "pages")))


commands = [docs]

"""`ppconnector docs`: write the reference page of the connector per locale (docs/reference/<locale>.md)."""

from __future__ import annotations

from pathlib import Path

import click

commands: list[click.Command] = []


def pages(connector, locale: str, out: Path) -> dict[Path, bytes]:
    from ..build import select_locales
    from .reference import render

    return {out / f"{loc}.md": render(connector, loc).encode("utf-8") for loc in select_locales(connector, locale)}


def default_folder(connector) -> Path:
    from ..build import default_out

    return default_out(connector) / "docs" / "reference"


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--locale", default="all", show_default=True, help="Locale to write, or all.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for the pages (default: docs/reference/ in the repo root, or in the connector folder).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 naming each page that is stale.")
def docs(sources: tuple[str, ...], locale: str, out: Path | None, check: bool) -> None:
    """Write the connector's reference page per locale in Markdown (Microsoft's layout).

    SOURCE is the YAML source (default: the one *.yaml in connector/) or a plain connector folder
    holding apiDefinition.swagger.json and apiProperties.json (its page goes to FOLDER/docs/reference/en.md).
    A folder holding several sources writes every connector's pages (into its folder's docs/reference/).
    """
    from ..repo.discover import many, single

    units = many(sources, folders=False)
    if units is not None:
        if out is not None:
            raise click.UsageError("--out takes one connector; these paths name several")
        from ..repo.files import docs_job, make_many

        make_many(docs_job, units, locale, check, "docs", ("reference page", "pages"))
    source = single(sources, folders=False)
    from ..cli import _echo_findings, _source, _write_or_check
    from ..source.loader import display_path, load_connector

    from ..build import default_out, refuse_links_out
    from .folder import is_folder, load_folder

    if source and is_folder(Path(source)):  # a plain connector folder: one page, in its one language
        connector = load_folder(Path(source), display_path(Path(source)))
        root = Path(source)
        folder = root / "docs" / "reference"
    else:
        connector, warnings = load_connector(_source(source))
        _echo_findings([w for w in warnings if w.rule != "missing-translation"])
        root, folder = default_out(connector), default_folder(connector)
    files = pages(connector, locale, (out or folder).absolute())
    refuse_links_out(out or root, files)  # a linked docs/ folder is not followed out of the repo
    _write_or_check(files, check, "docs", ("reference page", "pages"))


commands.append(docs)

"""`ppconnector build`: every connector named (or found here) -> its deployable files, written all at once."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--locale", default="all", show_default=True, help="Locale to build, or all.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output root (default: the source's folder; the repo root for connector/).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 naming each generated file that is stale.")
def build(sources: tuple[str, ...], locale: str, out: Path | None, check: bool) -> None:
    """Build apiDefinition, apiProperties, script and settings from YAML sources (every connector below
    a folder given, or below this one; inside a connector's folder, that connector)."""
    from ..commandline import exit_with, one_unusable, write_outcomes
    from ..repo.resolve import resolve
    from .connectors import build_connectors, editor_schemas

    # --check compares and writes nothing: CI's staleness gate stays as fast as it was (`check` is its own step)
    outcomes = build_connectors(resolve(sources, folders=False), locale, out, count_errors=not check)
    one_unusable(outcomes)
    exit_with(write_outcomes(outcomes, check, "build", ("generated file", "files"),
                             extra=editor_schemas([o.connector for o in outcomes]) if out is None else {}))


commands = [build]

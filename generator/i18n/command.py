"""`ppconnector i18n`: export catalogs for translators, import them back, show what is translated."""

from __future__ import annotations

from pathlib import Path

import click

commands: list[click.Command] = []


@click.group()
def i18n() -> None:
    """Translation workflow: PO/XLIFF catalogs, their import, and what is translated or stale."""


commands.append(i18n)


@i18n.command()
@click.argument("source", required=False)
@click.option("--locale", required=True, help="The locale to translate into (not the source locale).")
@click.option("--format", "fmt", type=click.Choice(["po", "xliff"]), default="po", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: standard output).")
def export(source: str | None, locale: str, fmt: str, output: Path | None) -> None:
    """Write every display string with its translation as a PO or XLIFF 1.2 catalog."""
    from ..commandline import echo, echo_bytes, echo_findings
    from ..emit.files import write_all
    from ..repo.resolve import resolve_one
    from .workflow import export_catalog

    exported = export_catalog(resolve_one(source, what="i18n export"), locale, fmt, output)
    if output is not None:
        write_all({output.resolve(): exported.data})
    echo_findings(exported.findings)
    if output is None:
        echo_bytes(exported.data)
        return
    echo(f"{output}: {exported.strings} strings for {locale}, {exported.todo} to translate or review", err=True)


@i18n.command("import")
@click.argument("catalog", type=click.Path(path_type=Path))
@click.argument("source", required=False)
@click.option("--dry-run", is_flag=True, help="Check the catalog and say what would change; write nothing.")
def import_(catalog: Path, source: str | None, dry_run: bool) -> None:
    """Write a translated PO or XLIFF catalog back into the YAML source (nothing else in it changes)."""
    from ..commandline import echo, echo_findings
    from ..emit.files import write_all
    from ..render import text
    from ..repo.resolve import resolve_one
    from .workflow import import_catalog, source_lock

    ref = resolve_one(source, what="i18n import")
    with source_lock(ref, dry_run):
        imported = import_catalog(ref, catalog)
        if imported.files and not dry_run:
            write_all(imported.files)
    echo_findings(imported.findings)
    echo(text.catalog_imported(imported, dry_run))


@i18n.command("mark-current")
@click.argument("source", required=False)
@click.option("--locale", required=True, help="The translated locale.")
@click.option("--stale", "include_stale", is_flag=True, help="Also accept stale translations (reviewed: still right for the new source text).")
@click.option("--id", "ids", multiple=True, help="Only this string id (repeatable).")
def mark_current_command(source: str | None, locale: str, include_stale: bool, ids: tuple[str, ...]) -> None:
    """Record that existing translations are current: write the source text's hash beside each."""
    from ..commandline import echo, echo_findings
    from ..emit.files import write_all
    from ..repo.resolve import resolve_one
    from .workflow import mark_translations_current, source_lock

    ref = resolve_one(source, what="i18n mark-current")
    with source_lock(ref):
        marked = mark_translations_current(ref, locale, include_stale, ids)
        write_all(marked.files)
    echo_findings(marked.findings)
    echo(f"{marked.connector} ({locale}): " + (f"{len(marked.ids)} translations marked current" if marked.files else "nothing to mark"))


@i18n.command()
@click.argument("sources", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="List the ids in each category.")
def status(sources: tuple[str, ...], fmt: str, verbose: bool) -> None:
    """Per locale: translated, missing, stale, unverified and over-length display strings (of every
    connector below a folder given, or of the one this folder is in)."""
    from ..commandline import echo, echo_findings, exit_with, one_unusable
    from ..render import json, text
    from ..repo.batch import exit_code
    from ..repo.resolve import resolve
    from .workflow import translation_status

    outcomes = translation_status(resolve(sources, folders=False))
    one_unusable(outcomes)
    echo_findings([f for o in outcomes for f in o.findings])
    echo(json.status(outcomes) if fmt == "json" else text.status(outcomes, verbose), nl=fmt == "json")
    if len(outcomes) > 1:
        echo(text.connectors_line(outcomes), err=True, nl=False)
    exit_with(exit_code([o.code for o in outcomes]))

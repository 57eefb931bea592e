"""`ppconnector i18n`: export catalogs for translators, import them back, show what is translated."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

commands: list[click.Command] = []


def _load(source: str | None):
    from ..cli import _echo_findings, _source
    from ..source.loader import load_connector

    connector, warnings = load_connector(_source(source))
    # The loader's missing-translation warnings are what `i18n status` counts: not repeated here.
    _echo_findings([w for w in warnings if w.rule != "missing-translation"])
    return connector


def _yaml_bytes(path: Path, text: str) -> bytes:
    """The edited YAML as bytes, keeping a byte-order mark the file had."""
    bom = b"\xef\xbb\xbf" if path.read_bytes().startswith(b"\xef\xbb\xbf") else b""
    return bom + text.encode("utf-8")


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
    from . import po, xliff
    from .catalog import build_catalog

    c = _load(source)
    cat = build_catalog(c, locale)
    data = po.write(cat) if fmt == "po" else xliff.write(cat)
    if output is not None:
        from .catalog import check_output

        check_output(output, c.file)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from ..emit.files import write_all

    write_all({output.resolve(): data})
    todo = sum(1 for e in cat.entries if not e.target or e.needs_review)
    click.echo(f"{output}: {len(cat.entries)} strings for {locale}, {todo} to translate or review", err=True)


@i18n.command("import")
@click.argument("catalog", type=click.Path(path_type=Path))
@click.argument("source", required=False)
@click.option("--dry-run", is_flag=True, help="Check the catalog and say what would change; write nothing.")
def import_(catalog: Path, source: str | None, dry_run: bool) -> None:
    """Write a translated PO or XLIFF catalog back into the YAML source (nothing else in it changes)."""
    with _source_lock(source, dry_run):
        _import(catalog, source, dry_run)


def _source_lock(source: str | None, dry_run: bool = False):
    """The source's folder locked from before the YAML is read until it is written: two imports (cs and de)
    at once each apply their change to what the other wrote, not to the text both read at the start."""
    import contextlib

    from ..cli import _source
    from ..emit.files import output_lock

    folder = _source(source).resolve().parent
    if dry_run or not folder.is_dir():  # a source that is not there is the loader's to report
        return contextlib.nullcontext()
    return output_lock(folder)


def _import(catalog: Path, source: str | None, dry_run: bool) -> None:
    from ..cli import _echo_findings
    from ..emit.files import write_all
    from .merge import merge, read_catalog

    c = _load(source)
    cat = read_catalog(catalog)
    outcome = merge(c, cat, str(catalog))
    _echo_findings(outcome.warnings)
    from ..diagnostics import counted

    imported = counted(len(outcome.imported), "translation")
    parts = [f"would import {imported}" if dry_run else f"{imported} imported"]
    if outcome.confirmed:
        parts.append(f"{len(outcome.confirmed)} confirmed as current (source hash recorded)")
    parts.append(f"{outcome.unchanged} already current")
    if outcome.held:
        parts.append(f"{len(outcome.held)} marked fuzzy/needs review left as they were")
    if outcome.untranslated:
        parts.append(f"{outcome.untranslated} untranslated")
    summary = f"{c.shown} ({outcome.locale}): " + ", ".join(parts)
    if outcome.new_text is None:
        click.echo(summary + "; nothing to change")
        return
    if dry_run:
        click.echo(summary + " (dry run: nothing written)")
        return
    write_all({c.file: _yaml_bytes(c.file, outcome.new_text)})
    # Hashes alone do not change what a build writes; new texts do.
    click.echo(summary + ("; run `ppconnector build` and `ppconnector docs` to rebuild" if outcome.imported else ""))


@i18n.command("mark-current")
@click.argument("source", required=False)
@click.option("--locale", required=True, help="The translated locale.")
@click.option("--stale", "include_stale", is_flag=True, help="Also accept stale translations (reviewed: still right for the new source text).")
@click.option("--id", "ids", multiple=True, help="Only this string id (repeatable).")
def mark_current_command(source: str | None, locale: str, include_stale: bool, ids: tuple[str, ...]) -> None:
    """Record that existing translations are current: write the source text's hash beside each."""
    from ..emit.files import write_all
    from .merge import mark_current

    with _source_lock(source):
        c = _load(source)
        marked, new_text = mark_current(c, locale, include_stale, ids)
        if new_text is None:
            click.echo(f"{c.shown} ({locale}): nothing to mark")
            return
        write_all({c.file: _yaml_bytes(c.file, new_text)})
    click.echo(f"{c.shown} ({locale}): {len(marked)} translations marked current")


@i18n.command()
@click.argument("sources", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="List the ids in each category.")
def status(sources: tuple[str, ...], fmt: str, verbose: bool) -> None:
    """Per locale: translated, missing, stale, unverified and over-length display strings (of every
    connector below a folder given)."""
    from ..repo.discover import many, single

    units = many(sources, folders=False)
    if units is not None:
        from ..repo.batch import report_many

        argv = ["i18n", "status", "--format", fmt, *(["-v"] if verbose else [])]
        report_many({u: [*argv, u] for u in units}, as_json=fmt == "json")
    source = single(sources, folders=False)
    from .strings import STATES
    from .strings import status as locale_status

    c = _load(source)
    rows = locale_status(c)
    categories = list(STATES) + ["over_length"]
    if fmt == "json":
        doc = {"source": c.shown, "source_locale": c.source_locale, "strings": rows[0].total if rows else 0,
               "locales": {r.locale: {**{k: r.count(k) for k in categories}, "ids": {k: r.ids[k] for k in categories if k != "translated"}}
                           for r in rows}}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    total = rows[0].total if rows else 0
    click.echo(f"{c.shown}: {total} display strings, source locale {c.source_locale}")
    header = ["locale", "translated", "missing", "stale", "unverified", "over-length"]
    click.echo("  ".join(f"{h:>11}" if i else f"{h:<6}" for i, h in enumerate(header)))
    for r in rows:
        cells = [r.locale] + [str(r.count(k)) if not (r.locale == c.source_locale and k in ("missing", "stale", "unverified")) else "-" for k in categories]
        click.echo("  ".join(f"{v:>11}" if i else f"{v:<6}" for i, v in enumerate(cells)))
    if verbose:
        for r in rows:
            for k in categories[1:]:
                for sid in r.ids[k]:
                    click.echo(f"{r.locale} {k.replace('_', '-')}: {sid}")

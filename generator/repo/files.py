"""`build` and `docs` over many connectors: every connector's files made in the pool, then one check that
no two connectors write the same file, then one atomic write (or, with --check, one list of stale files)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import InputError
from .batch import exit_code, run_all

Made = tuple[int, dict, list[str]]  # exit code, path -> bytes, messages


def _guarded(make, unit: str, *args) -> Made:
    from ..diagnostics import crash_site

    try:
        files, messages = make(Path(unit), *args)
        return 0, files, messages
    except InputError as e:
        return 2, {}, [str(f) for f in e.findings]
    except Exception as e:  # noqa: BLE001 - one connector's bug must not hide the others' results
        return 3, {}, [f"{unit}: internal error: {type(e).__name__}: {e}{crash_site(e)}; this is a bug in ppconnector"]


def _build(source: Path, locale: str) -> tuple[dict, list[str]]:
    from ..build import build, default_out, refuse_links_out, select_locales
    from ..source.loader import load_connector

    connector, warnings = load_connector(source)
    files: dict[Path, bytes] = {}
    root = default_out(connector)
    for loc in select_locales(connector, locale):
        files.update(build(connector, loc, root).files)
    refuse_links_out(root, files)  # as a single build: never through a link to outside the connector's folder
    return files, [str(w) for w in warnings]


def _docs(source: Path, locale: str) -> tuple[dict, list[str]]:
    from ..build import default_out, refuse_links_out
    from ..docs.command import default_folder, pages
    from ..source.loader import load_connector

    connector, warnings = load_connector(source)
    shown = [str(w) for w in warnings if w.rule != "missing-translation"]
    files = pages(connector, locale, default_folder(connector).resolve())
    refuse_links_out(default_out(connector), files)
    return files, shown


def build_job(args: tuple[str, str]) -> Made:
    return _guarded(_build, *args)


def docs_job(args: tuple[str, str]) -> Made:
    return _guarded(_docs, *args)


def clashes(units: list[str]) -> list[str]:
    """A line for each folder that two sources would write their files into."""
    from ..build import out_root
    from ..source.loader import display_path

    roots: dict[Path, list[str]] = {}
    for unit in units:
        roots.setdefault(out_root(Path(unit).resolve().parent), []).append(unit)
    return [f"{display_path(root)}: error: {' and '.join(group)} would all write their files here; keep one connector "
            "source per folder [input]" for root, group in roots.items() if len(group) > 1]


def make_many(job, units: list[str], locale: str, check: bool, command: str, nouns: tuple[str, str]) -> None:
    """Run job for every connector; exit with one code for all of them."""
    from ..cli import _write_or_check

    clash = clashes(units)
    for line in clash:
        click.echo(line, err=True)
    if clash:
        sys.exit(2)  # before anything is made, let alone written
    results = run_all(job, [(u, locale) for u in units], label=lambda a: a[0])
    codes = [code for code, _, _ in results]
    for _, _, messages in results:
        for m in messages:
            click.echo(m, err=True)
    files = {path: data for _, made, _ in results for path, data in made.items()}
    failed = sum(code != 0 for code in codes)
    if failed and not check:
        click.echo(f"nothing written: {failed} of {len(units)} connectors have errors", err=True)
        sys.exit(exit_code(codes))
    try:
        _write_or_check(files, check, command, nouns)
    except SystemExit as e:
        codes.append(e.code if isinstance(e.code, int) else 1)
    click.echo(f"{len(units)} connectors" + (f", {failed} with errors" if failed else ""))
    sys.exit(exit_code(codes))

"""The reference pages of connectors: one Markdown page per locale, in docs/reference/ of each connector."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError

REFERENCE = Path("docs") / "reference"


def pages(connector, locale: str, out: Path) -> dict[Path, bytes]:
    from ..build import select_locales
    from .reference import render

    return {out / f"{loc}.md": render(connector, loc).encode("utf-8") for loc in select_locales(connector, locale)}


def default_folder(connector) -> Path:
    from ..build import default_out

    return default_out(connector) / REFERENCE


def connector_pages(ref, locale: str = "all", out: Path | None = None) -> tuple:
    """One connector's pages: a YAML source's in every locale (or one), a plain folder's in its one language."""
    from ..build import default_out, refuse_links_out
    from ..source.loader import load_connector
    from .folder import load_folder

    if not ref.is_source:
        connector, warnings, root = load_folder(ref.path, ref.shown), [], ref.path
        folder = root / REFERENCE
    else:
        connector, warnings = load_connector(ref.path)
        root, folder = default_out(connector), default_folder(connector)
    files = pages(connector, locale, (out or folder).absolute())
    refuse_links_out(out or root, files)  # a linked docs/ folder is not followed out of the repo
    # The loader's missing-translation warnings are what `i18n status` counts: not repeated on every page.
    from ..build.connectors import Made

    return Made(files), [w for w in warnings if w.rule != "missing-translation"]


def reference_pages(connectors: list, locale: str = "all", out: Path | None = None) -> list:
    """Every connector's pages (an Outcome each; the value is a build.Made), made across the cores; nothing is
    written."""
    from ..repo.batch import each

    if out is not None and len(connectors) > 1:
        raise InputError(Finding("usage", ERROR, f"--out takes one connector; these paths name {len(connectors)}"))
    return each(connector_pages, connectors, locale, out)

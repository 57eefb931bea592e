"""The translation workflow as library functions: what `ppconnector i18n` does, returning data.

Each takes connectors from `repo.resolve` and prints nothing; the catalogs and YAML edits they return are
written by the caller (`emit.files.write_all`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Finding


def _load(ref):
    from ..repo.resolve import require_sources
    from ..source.loader import load_connector

    require_sources([ref], "i18n")
    connector, warnings = load_connector(ref.path)
    # The loader's missing-translation warnings are what `i18n status` counts: not repeated here.
    return connector, [w for w in warnings if w.rule != "missing-translation"]


def yaml_bytes(path: Path, text: str) -> bytes:
    """The edited YAML as bytes, keeping a byte-order mark the file had."""
    bom = b"\xef\xbb\xbf" if path.read_bytes().startswith(b"\xef\xbb\xbf") else b""
    return bom + text.encode("utf-8")


@dataclass
class Status:
    """Per locale of one connector: its display strings by state (translated, missing, stale, unverified) and
    the over-length ones."""

    source: str
    source_locale: str
    strings: int
    rows: list  # i18n.strings.LocaleStatus, one per locale


def _status_one(ref) -> tuple[Status, list[Finding]]:
    from .strings import status

    c, warnings = _load(ref)
    rows = status(c)
    return Status(c.shown, c.source_locale, rows[0].total if rows else 0, rows), warnings


def translation_status(connectors: list) -> list:
    """Every connector's Status (an Outcome each), across the cores."""
    from ..repo.batch import each
    from ..repo.resolve import require_sources

    return each(_status_one, require_sources(connectors, "i18n status"))


@dataclass
class Exported:
    data: bytes
    strings: int
    todo: int  # untranslated or marked for review
    findings: list[Finding] = field(default_factory=list)


def export_catalog(ref, locale: str, fmt: str = "po", output: Path | None = None) -> Exported:
    """Every display string of the connector with its translation into locale, as a PO or XLIFF 1.2 catalog.
    output: where it is to be written; refused (InputError) when that is the source or any file but a catalog."""
    from . import po, xliff
    from .catalog import build_catalog
    from .merge import check_output

    c, warnings = _load(ref)
    if output is not None:
        check_output(output, c.file)
    cat = build_catalog(c, locale)
    data = po.write(cat) if fmt == "po" else xliff.write(cat)
    todo = sum(1 for e in cat.entries if not e.target or e.needs_review)
    return Exported(data, len(cat.entries), todo, warnings)


def source_lock(ref, dry_run: bool = False):
    """The source's folder locked from before the YAML is read until it is written (`with source_lock(ref):` around
    import_catalog or mark_translations_current and the write): two imports (cs and de) at once each apply their
    change to what the other wrote, not to the text both read at the start."""
    import contextlib

    from ..emit.files import output_lock

    folder = ref.path.absolute().parent
    if dry_run or not folder.is_dir():  # a source that is not there is the loader's to report
        return contextlib.nullcontext()
    return output_lock(folder)


@dataclass
class Imported:
    connector: str  # as shown
    outcome: object  # i18n.merge.Outcome: what the catalog changes
    files: dict[Path, bytes]  # the edited YAML source, when anything changes
    findings: list[Finding] = field(default_factory=list)


def import_catalog(ref, catalog: Path) -> Imported:
    """A translated catalog merged into the connector's YAML source (nothing else in it changes)."""
    from .merge import merge, read_catalog

    c, warnings = _load(ref)
    cat = read_catalog(catalog)
    outcome = merge(c, cat, str(catalog))
    files = {c.file: yaml_bytes(c.file, outcome.new_text)} if outcome.new_text is not None else {}
    return Imported(c.shown, outcome, files, warnings + list(outcome.warnings))


@dataclass
class Marked:
    connector: str
    ids: list[str]
    files: dict[Path, bytes]
    findings: list[Finding] = field(default_factory=list)


def mark_translations_current(ref, locale: str, include_stale: bool = False, ids: tuple[str, ...] = ()) -> Marked:
    """Record that existing translations are current: the source text's hash beside each."""
    from .merge import mark_current

    c, warnings = _load(ref)
    marked, new_text = mark_current(c, locale, include_stale, ids)
    return Marked(c.shown, marked, {c.file: yaml_bytes(c.file, new_text)} if new_text is not None else {}, warnings)

"""Bring a translated catalog back into the YAML source, or record that translations are current.

Everything is checked before anything is written: the catalog must be for this connector and locale,
complete (its entry count matches its header), name only known ids once each, and carry the source
text each id has now.  Then the changed strings are spliced into the YAML (``yamledit``) and written
atomically.  Each imported translation records ``<locale>@``: the hash of the source text it was made
from, so a later change of the source marks it stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, WARNING, Finding, InputError, Suggestions
from ..model import Connector
from ..source.yamlfile import read_text
from .catalog import PO, XLIFF, Catalog, check_locale, connector_title
from .strings import MISSING, STALE, UNVERIFIED, DisplayString, extract, text_hash
from .yamledit import Updates, edit_texts


@dataclass
class Outcome:
    locale: str
    imported: list[str] = field(default_factory=list)  # ids whose text changed
    confirmed: list[str] = field(default_factory=list)  # ids whose text stood and whose hash was recorded
    unchanged: int = 0
    untranslated: int = 0
    held: list[str] = field(default_factory=list)  # fuzzy / needs review: left as they were
    warnings: list[Finding] = field(default_factory=list)
    new_text: str | None = None  # the YAML after the import (None: nothing to change)


def detect_format(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return XLIFF if head == b"<" else PO


def read_catalog(path: Path) -> Catalog:
    from . import po, xliff

    shown = str(path)
    text = read_text(path, "catalog")  # refuses missing, binary, huge, non-UTF-8, empty files
    data = text.encode("utf-8")
    return xliff.read(data, shown) if detect_format(data) == XLIFF else po.read(text, shown)


def merge(c: Connector, cat: Catalog, shown: str) -> Outcome:
    """What importing cat into c changes; raises InputError (nothing written) on any problem."""
    file_name = Path(c.file).name
    title = connector_title(c)
    if cat.source_file != file_name or cat.connector != title:
        raise InputError(Finding("catalog-connector", ERROR,
                                 f'this catalog is for the connector "{cat.connector}" ({cat.source_file}), '
                                 f'not "{title}" ({file_name}); refused', shown, 1))
    if cat.source_locale != c.source_locale:
        raise InputError(Finding("catalog-locale", ERROR, f'the catalog translates from "{cat.source_locale}", but the source locale of {file_name} is "{c.source_locale}"', shown, 1))
    try:
        check_locale(c, cat.locale)
    except InputError as e:
        raise InputError([Finding("catalog-locale", ERROR, f"the catalog's target locale: {f.message}", shown, 1) for f in e.findings]) from None
    if cat.declared is not None and cat.declared != len(cat.entries):
        raise InputError(Finding("catalog-truncated", ERROR,
                                 f"the catalog says it has {cat.declared} entries but holds {len(cat.entries)}: "
                                 "truncated or cut by hand? Export it again", shown, 1))

    strings = {ds.id: ds for ds in extract(c)}
    suggest = Suggestions(strings)
    problems: list[Finding] = []
    seen: dict[str, int | None] = {}
    out = Outcome(cat.locale)
    updates: Updates = {}
    locale, source_locale = cat.locale, c.source_locale
    for e in cat.entries:
        if e.id in seen:
            problems.append(Finding("catalog-duplicate", ERROR, f'id "{e.id}" appears twice (first at line {seen[e.id]})', shown, e.line))
            continue
        seen[e.id] = e.line
        if e.plural:
            problems.append(Finding("catalog-plural", ERROR, f'"{e.id}": a plural entry; connector display strings have no plural '
                                    "forms, so translate it as one text (msgstr, not msgstr[N])", shown, e.line))
            continue
        ds = strings.get(e.id)
        if ds is None:
            problems.append(Finding("catalog-unknown-id", ERROR, f'unknown id "{e.id}": {file_name} has no such display string{suggest(e.id)}', shown, e.line))
            continue
        current = ds.source_text(source_locale)
        if e.source != current:
            problems.append(Finding("catalog-source-changed", ERROR,
                                    f'"{e.id}": the catalog translates {e.source!r}, but the {source_locale} text is now {current!r}; '
                                    "export the catalog again and translate the new text", shown, e.line))
            continue
        if not e.target:
            out.untranslated += 1
            continue
        if e.needs_review:
            out.held.append(e.id)
            continue
        if len(e.target) > ds.limit:
            out.warnings.append(Finding("translation-too-long", WARNING, f'"{e.id}": the {locale} text has {len(e.target)} characters; the limit is {ds.limit}', shown, e.line))
        change = _changes(ds, locale, e.target, current)
        if change:
            updates[ds.path] = change
            (out.imported if locale in change else out.confirmed).append(e.id)
        else:
            out.unchanged += 1
    if problems:
        raise InputError(problems)
    if updates:
        out.new_text = edit_texts(read_text(c.file, "YAML file"), c.shown, source_locale, updates)
    return out


def _changes(ds: DisplayString, locale: str, target: str, source: str) -> dict[str, str]:
    change = {}
    if ds.texts.get(locale) != target:
        change[locale] = target
    if ds.hashes.get(locale) != text_hash(source):
        change[f"{locale}@"] = text_hash(source)
    return change


def mark_current(c: Connector, locale: str, include_stale: bool, ids: tuple[str, ...] = ()) -> tuple[list[str], str | None]:
    """Record the current source hash for existing translations (unverified ones, and stale with include_stale)."""
    check_locale(c, locale)
    strings = extract(c)
    known = {ds.id for ds in strings}
    unknown = [i for i in ids if i not in known]
    if unknown:
        suggest = Suggestions(known)
        raise InputError([Finding("usage", ERROR, f'unknown id "{i}"{suggest(i)}', c.shown) for i in unknown])
    wanted = {UNVERIFIED, STALE} if include_stale else {UNVERIFIED}
    updates: Updates = {}
    marked = []
    for ds in strings:
        if ids and ds.id not in ids:
            continue
        state = ds.state(locale, c.source_locale)
        if state == MISSING or state not in wanted:
            continue
        updates[ds.path] = {f"{locale}@": text_hash(ds.source_text(c.source_locale))}
        marked.append(ds.id)
    if not updates:
        return marked, None
    return marked, edit_texts(read_text(c.file, "YAML file"), c.shown, c.source_locale, updates)


def check_output(output: Path, source: Path) -> None:
    """Refuse to write a catalog over anything but a catalog: the YAML source (by any name or link), another
    source, or any other file.  Nothing there, an empty file, a stream (-o /dev/stdout) and a PO or XLIFF
    catalog may be replaced."""
    import stat

    try:
        st = output.stat()
    except OSError:
        return  # nothing there (a folder that is missing is the writer's to report)
    if not stat.S_ISREG(st.st_mode) or st.st_size == 0:
        return  # a stream, or a folder: the writer refuses a folder with its own message
    shown = str(output)
    try:
        same = output.samefile(source)
    except OSError:
        same = False
    if same:
        raise InputError(Finding("usage", ERROR, "this is the connector's YAML source: a catalog written here would replace "
                                 "it; write the catalog to a file of its own (e.g. -o cs.po)", shown))
    if not _is_catalog(output, st.st_size):
        raise InputError(Finding("usage", ERROR, "exists and is not a PO or XLIFF catalog; refusing to replace it with one "
                                 "(delete it first, or write the catalog to another file)", shown))


def _is_catalog(path: Path, size: int) -> bool:
    if size > 64 * 1024 * 1024:
        return False
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    if detect_format(data) == XLIFF:
        import defusedxml
        from defusedxml import ElementTree as DET

        try:
            root = DET.fromstring(data, forbid_dtd=True)
        except (defusedxml.DefusedXmlException, SyntaxError, ValueError, LookupError):
            return False
        return root.tag.rsplit("}", 1)[-1] == "xliff"
    from .po import _entries

    try:
        return bool(_entries(text, str(path)))
    except InputError:
        return False

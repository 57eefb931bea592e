"""gettext PO catalogs (written and read with polib).

Each entry: ``msgctxt`` = the string's id, ``msgid`` = the source text, ``msgstr`` = the translation
("" when untranslated), ``#.`` = where it shows and its length limit, ``#:`` = its line in the YAML,
flags ``fuzzy`` when the source changed since translation and ``max-length:N`` (read by Weblate).
"""

from __future__ import annotations

import re

from ..diagnostics import ERROR, Finding, InputError
from .catalog import TOOL, Catalog, Entry, entry_count

H_SOURCE, H_CONNECTOR, H_SOURCE_LOCALE, H_ENTRIES = (
    "X-Ppconnector-Source", "X-Ppconnector-Connector", "X-Ppconnector-Source-Locale", "X-Ppconnector-Entries")


def write(cat: Catalog) -> bytes:
    import polib

    po = polib.POFile(wrapwidth=0)  # no wrapping: one line per text and per note line (msgcat --no-wrap)
    po.header = (f"Translations of the {cat.connector} connector ({cat.source_file}) into {cat.locale}.\n"
                 f"Written by `{TOOL} i18n export`; bring them back with `{TOOL} i18n import FILE`.\n"
                 "Keep msgctxt (the string's id) and msgid (the source text) as they are.")
    po.metadata = {
        "Project-Id-Version": cat.connector,
        "Language": cat.locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": TOOL,
        H_SOURCE: cat.source_file,
        H_CONNECTOR: cat.connector,
        H_SOURCE_LOCALE: cat.source_locale,
        H_ENTRIES: str(len(cat.entries)),
    }
    for e in cat.entries:
        flags = (["fuzzy"] if e.needs_review else []) + ([f"max-length:{e.limit}"] if e.limit else [])
        po.append(polib.POEntry(msgctxt=e.id, msgid=e.source, msgstr=e.target, comment=e.note,
                                occurrences=[(cat.source_file, str(e.line))] if e.line else [], flags=flags))
    return str(po).encode("utf-8")


_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+(?=\")")
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


class _Entry:
    def __init__(self, line: int):
        self.line, self.fields, self.flags, self.current = line, {}, [], ""


def _string(text: str, start: int, shown: str, line: int) -> str:
    """The PO string literal that starts at text[start] (a quote) and ends the line, unescaped."""
    out, i = [], start + 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            if text[i + 1:].strip():
                raise _syntax(shown, f"unexpected text after the string: {text[i + 1:].strip()[:20]!r}", line, i + 2)
            return "".join(out)
        if ch == "\\":
            escape = text[i + 1:i + 2]
            if escape not in _ESCAPES:
                raise _syntax(shown, f"invalid escape \\{escape} in a string (known: \\n \\t \\r \\\" \\\\)", line, i + 1)
            out.append(_ESCAPES[escape])
            i += 2
            continue
        out.append(ch)
        i += 1
    raise _syntax(shown, "unterminated string: it has no closing quote on its line (truncated or damaged?)", line, start + 1)


def _syntax(shown: str, message: str, line: int, column: int | None = None) -> InputError:
    return InputError(Finding("catalog-syntax", ERROR, f"not a valid PO file: {message}", shown, line, column))


def _entries(text: str, shown: str) -> list[_Entry]:
    """Every entry of a PO file, strictly: a string must end on its line, escapes must be gettext's.  Lines
    end at \\n only (a U+2028 or U+0085 inside a translation is text).  Obsolete (#~) entries are skipped."""
    entries: list[_Entry] = []
    entry: _Entry | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.removesuffix("\r")
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if not stripped.strip() or stripped.startswith("#~"):
            entry = None if not stripped.strip() else entry
            continue
        if stripped.startswith("#"):
            if entry is None or entry.fields:  # comments open an entry
                entry = _Entry(number)
                entries.append(entry)
            if stripped.startswith("#,"):
                entry.flags += [f.strip() for f in stripped[2:].split(",")]
            continue
        m = _KEYWORD.match(stripped)
        if m:
            keyword = m.group(1)
            if entry is None or (keyword in ("msgctxt", "msgid") and "msgid" in entry.fields) or keyword in entry.fields:
                entry = _Entry(number)
                entries.append(entry)
            entry.fields[keyword] = _string(line, indent + m.end(), shown, number)
            entry.current = keyword
        elif stripped.startswith('"') and entry is not None and entry.current:
            entry.fields[entry.current] += _string(line, indent, shown, number)
        else:
            raise _syntax(shown, f"expected msgctxt, msgid, msgstr, a quoted string or a # comment, found {stripped[:20]!r}", number, indent + 1)
    for e in entries:
        if e.fields and "msgid" not in e.fields:
            raise _syntax(shown, "an entry without msgid", e.line)
    return [e for e in entries if e.fields]


def _metadata(header: str) -> dict[str, str]:
    meta = {}
    for line in header.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    return meta


def read(text: str, shown: str) -> Catalog:
    """A catalog read strictly (polib would cut an unterminated string short, keep an invalid escape as it
    is, split a line at U+2028, and check duplicates in quadratic time); duplicate ids are merge's finding."""
    entries = _entries(text, shown)
    header = next((e for e in entries if e.fields["msgid"] == "" and "msgctxt" not in e.fields), None)
    meta = _metadata(header.fields.get("msgstr", "")) if header is not None else {}
    missing = [h for h in (H_SOURCE, H_CONNECTOR, H_SOURCE_LOCALE, H_ENTRIES, "Language") if not meta.get(h)]
    if missing:
        raise InputError(Finding("catalog-header", ERROR, f"not a {TOOL} catalog: the header has no {', '.join(missing)} (export one with `{TOOL} i18n export`)", shown, 1))
    cat = Catalog(meta[H_SOURCE], meta[H_CONNECTOR], meta[H_SOURCE_LOCALE], meta["Language"],
                  declared=entry_count(meta[H_ENTRIES], shown, H_ENTRIES, header.line))
    for e in entries:
        if e is header:
            continue
        plural = "msgid_plural" in e.fields or any(k.startswith("msgstr[") for k in e.fields)
        cat.entries.append(Entry(id=e.fields.get("msgctxt", ""), source=e.fields["msgid"], target=e.fields.get("msgstr", ""),
                                 needs_review="fuzzy" in e.flags, line=e.line, plural=plural))
    return cat

"""gettext PO catalogs (written and read with polib).

Each entry: ``msgctxt`` = the string's id, ``msgid`` = the source text, ``msgstr`` = the translation
("" when untranslated), ``#.`` = where it shows and its length limit, ``#:`` = its line in the YAML,
flags ``fuzzy`` when the source changed since translation and ``max-length:N`` (read by Weblate).
"""

from __future__ import annotations

import re

from ..diagnostics import ERROR, Finding, InputError
from .catalog import TOOL, Catalog, Entry

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


def read(text: str, shown: str) -> Catalog:
    import polib

    try:
        po = polib.pofile(text, check_for_duplicates=True)
    except (OSError, ValueError) as e:
        message = str(e)
        m = re.search(r"\(line (\d+)\)", message)
        line = int(m.group(1)) if m else None
        if "duplicate" in message.lower():
            message = f"not a usable PO catalog: {message}"
        else:
            message = f"not a valid PO file (truncated or damaged?): {message}"
        raise InputError(Finding("catalog-syntax", ERROR, message, shown, line)) from None
    meta = po.metadata
    missing = [h for h in (H_SOURCE, H_CONNECTOR, H_SOURCE_LOCALE, H_ENTRIES, "Language") if not meta.get(h)]
    if missing:
        raise InputError(Finding("catalog-header", ERROR, f"not a {TOOL} catalog: the header has no {', '.join(missing)} (export one with `{TOOL} i18n export`)", shown, 1))
    declared = meta[H_ENTRIES]
    cat = Catalog(meta[H_SOURCE], meta[H_CONNECTOR], meta[H_SOURCE_LOCALE], meta["Language"],
                  declared=int(declared) if declared.isdigit() else -1)
    for entry in po:
        if entry.obsolete:
            continue
        cat.entries.append(Entry(id=entry.msgctxt or "", source=entry.msgid, target=entry.msgstr,
                                 needs_review="fuzzy" in entry.flags, line=entry.linenum))
    return cat

"""What a translation catalog holds, whatever its format (PO or XLIFF 1.2), and how it is built from a
connector and checked against one on the way back.

A catalog names its connector (the YAML file name and the connector's source-locale title) and says how
many entries it has, so `import` refuses a catalog for another connector and a truncated one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError
from ..model import Connector
from ..source.yamlfile import position_of
from .strings import MISSING, STALE, UNVERIFIED, DisplayString, extract

PO, XLIFF = "po", "xliff"
FORMATS = (PO, XLIFF)
TOOL = "ppconnector"


@dataclass
class Entry:
    id: str
    source: str
    target: str  # "" when untranslated
    needs_review: bool = False  # PO fuzzy / XLIFF state needs-review-*: the source changed since
    note: str = ""
    limit: int | None = None
    line: int | None = None  # of the string in the YAML (export) or of the entry in the catalog (import)
    plural: bool = False  # a plural entry (PO msgid_plural, an XLIFF plural group): display strings have none


@dataclass
class Catalog:
    source_file: str  # the YAML file name the catalog was exported from
    connector: str  # the connector's title in the source locale
    source_locale: str
    locale: str
    entries: list[Entry] = field(default_factory=list)
    declared: int | None = None  # the entry count the catalog says it has


def entry_count(text: str, shown: str, where: str, line: int | None = 1) -> int:
    """The entry count a catalog's header declares: ASCII digits, as export writes them (not a superscript
    ², not a number longer than any catalog), or the catalog is refused as damaged."""
    if re.fullmatch(r"[0-9]{1,9}", text):
        return int(text)
    from ..diagnostics import printable

    shown_text = printable(text if len(text) <= 20 else text[:17] + "...")
    raise InputError(Finding("catalog-header", ERROR, f'{where} is "{shown_text}": expected the number of entries the catalog '
                             f"holds, as `{TOOL} i18n export` writes it; export the catalog again", shown, line))


def connector_title(c: Connector) -> str:
    title = c.info["title"]
    return title.get(c.source_locale, "") if isinstance(title, dict) else title


def check_locale(c: Connector, locale: str) -> None:
    from ..diagnostics import did_you_mean

    if locale not in c.locales:
        raise InputError(Finding("usage", ERROR, f'locale "{locale}" is not one of {", ".join(c.locales)}{did_you_mean(locale, c.locales)}', c.shown))
    if locale == c.source_locale:
        raise InputError(Finding("usage", ERROR, f'"{locale}" is the source locale (the first of locales:); translations go into {", ".join(c.locales[1:]) or "another locale"}', c.shown))


def _comment(ds: DisplayString, state: str) -> str:
    lines = [ds.note, f"At most {ds.limit} characters."]
    if state == STALE:
        lines.append("The source text changed since this was translated: review the translation.")
    elif state == UNVERIFIED:
        lines.append("Not known which source text this was translated from: please check it.")
    return "\n".join(lines)


def build_catalog(c: Connector, locale: str, strings: list[DisplayString] | None = None) -> Catalog:
    check_locale(c, locale)
    strings = extract(c) if strings is None else strings
    cat = Catalog(Path(c.file).name, connector_title(c), c.source_locale, locale)
    for ds in strings:
        source = ds.source_text(c.source_locale)
        if not source:
            continue  # nothing to translate (the loader reports an empty source text)
        state = ds.state(locale, c.source_locale)
        line = (position_of(c.node, ds.path) or (None, None))[0]
        cat.entries.append(Entry(ds.id, source, "" if state == MISSING else ds.texts[locale], state == STALE,
                                 _comment(ds, state), ds.limit, line))
    cat.declared = len(cat.entries)
    return cat


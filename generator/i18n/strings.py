"""Every display string of a connector: a stable id, where it shows in the designer, its length limit,
its text per locale, and whether each translation is current.

Ids follow the YAML without its structural noise (``properties``, ``items``, ``body``, ``schema``):

    connector.title                                   connection.username.display_name
    sms_send.summary                                  sms_send.parameters.messages.to.summary
    schemas.Currency.currency_name_short.summary      sms_send.responses.200.data.total_price.description
    send_voice.parameters.messages.voice.enum.female  sms_inbound_automation.trigger_hint
    sms_inbound_automation.notification.body.summary

A body property shares ``<op>.parameters.`` with the query/path/header parameters (the designer shows
them together); where two places would give the same id, the later one (in source order) keeps its
full YAML path instead (``operations.<op>.body.properties....``), so ids never collide.

Freshness: a text map may hold ``<locale>@``: the first 8 hex digits of the SHA-256 of the source-locale
text (UTF-8) that translation was made from.  A translation is
  translated  - its hash matches the current source text,
  stale       - its hash differs (the source text changed since),
  unverified  - it has no hash (written by hand, or before the workflow existed),
  missing     - there is no text for the locale (plain text strings are source-locale only).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..model import Connector
from ..source.loader import TEXT_KEYS, _is_text_position

TRANSLATED, STALE, UNVERIFIED, MISSING = "translated", "stale", "unverified", "missing"
STATES = (TRANSLATED, MISSING, STALE, UNVERIFIED)

# Length limits, in characters.  Microsoft publishes title <= 30, connector description 30..500 and
# summaries (operation summary, x-ms-summary) <= 80; the rest are this toolkit's choice: labels and
# dropdown entries as long as a summary, every description and hint at most 500 like the connector's.
LIMITS = {"title": 80, "summary": 80, "display_name": 80, "description": 500, "tooltip": 500, "trigger_hint": 500}
CONNECTOR_TITLE_LIMIT = 30


def text_hash(text: str) -> str:
    """The short hash recorded as ``<locale>@``: 8 hex digits of SHA-256 of the source text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass
class DisplayString:
    id: str
    path: tuple  # YAML path of the text value (a plain string or a locale map)
    key: str  # summary, description, title, display_name, tooltip, trigger_hint
    note: str  # where it shows in the designer
    limit: int  # characters
    texts: dict[str, str] = field(default_factory=dict)  # locale -> text
    hashes: dict[str, str] = field(default_factory=dict)  # locale -> recorded hash of the source text
    plain: bool = False  # written as plain text (source locale only)
    legacy_id: str | None = None  # the id before items of a list were named by their name (0.2.0): catalogs may hold it

    def source_text(self, source_locale: str) -> str:
        return self.texts.get(source_locale, "")

    def state(self, locale: str, source_locale: str) -> str:
        if locale == source_locale:
            return TRANSLATED
        if locale not in self.texts:
            return MISSING
        recorded = self.hashes.get(locale)
        if recorded is None:
            return UNVERIFIED
        return TRANSLATED if recorded == text_hash(self.source_text(source_locale)) else STALE

    def too_long(self, locale: str) -> bool:
        return len(self.texts.get(locale, "")) > self.limit


def _get(root: Any, path: tuple) -> Any:
    node = root
    for step in path:
        node = node[step]
    return node


def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-"):
                continue  # the escape hatch is copied as it is: nothing to translate
            if key in ("default", "example") or (key == "labels" and not path):
                continue  # values, not source structure; `labels:` holds a page's words per locale already
            sub = path + (key,)
            if key in TEXT_KEYS and _is_text_position(sub) and isinstance(value, (str, dict)):
                yield sub, value
            elif isinstance(value, (dict, list)):
                yield from _walk(value, sub)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


def _dots(parts: tuple | list) -> str:
    return ".".join(str(p) for p in parts)


def _schema_tail(root: Any, base: tuple, rest: tuple) -> list[str]:
    """Id parts for rest (relative to the schema at base), dropping `properties`/`items` noise."""
    out: list[str] = []
    i = 0
    while i < len(rest):
        step = rest[i]
        if step == "properties" and i + 2 < len(rest):
            out.append(str(rest[i + 1]))
            i += 2
        elif step == "items" and i + 1 < len(rest):
            i += 1
        elif step == "enum" and i + 1 < len(rest) and isinstance(rest[i + 1], int):
            item = _get(root, base + rest[: i + 2])
            value = item.get("value") if isinstance(item, dict) else item
            out += ["enum", str(value).lower() if isinstance(value, bool) else str(value)]
            i += 2
            if i < len(rest) and rest[i] == "display_name":
                i += 1
        else:
            out.append(str(step))
            i += 1
    return out


def _item(root: Any, path: tuple, by_position: bool) -> str:
    """A list item's part of an id: its name when it has one (a parameter, a tag), so the id survives a reorder
    and says which; its position otherwise (and in the ids catalogs held before 0.2.0, by_position)."""
    item = _get(root, path)
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) and name and not by_position else str(path[-1])


def string_id(root: Any, path: tuple, by_position: bool = False) -> str:
    head = path[0]
    if head == "connector":
        if len(path) > 3 and isinstance(path[2], int):
            return _dots(path[:2] + (_item(root, path[:3], by_position),) + path[3:])
        return _dots(path)
    if head == "connection":
        rest = path[1:]
        if rest[:1] == ("parameters",):
            rest = rest[1:]
        return _dots(("connection",) + rest)
    if head == "schemas" and len(path) > 2:
        return _dots(["schemas", path[1]] + _schema_tail(root, path[:2], path[2:]))
    if head == "operations" and len(path) > 2:
        op, rest = path[1], path[2:]
        base = ("operations", op)
        if rest[0] == "parameters" and len(rest) > 2:
            named = _item(root, base + rest[:2], by_position) if isinstance(rest[1], int) else rest[1]
            return _dots([op, "parameters", named] + _schema_tail(root, base + rest[:2], rest[2:]))
        if rest[0] == "body":
            if len(rest) == 2:
                return _dots([op, "body", rest[1]])
            return _dots([op, "parameters"] + _schema_tail(root, base + ("body",), rest[1:]))
        if rest[0] == "responses" and len(rest) > 2:
            code, tail = rest[1], rest[2:]
            if tail[0] == "schema" and len(tail) > 1:
                if len(tail) == 2:
                    return _dots([op, "responses", code, "schema", tail[1]])
                return _dots([op, "responses", code] + _schema_tail(root, base + rest[:3], tail[1:]))
            return _dots([op, "responses", code] + list(tail))
        if rest[0] == "notification" and len(rest) > 1:
            if rest[1] == "schema" and len(rest) > 2:
                if len(rest) == 3:
                    return _dots([op, "notification", "schema", rest[2]])
                return _dots([op, "notification"] + _schema_tail(root, base + rest[:2], rest[2:]))
            return _dots([op, "notification"] + list(rest[1:]))
        return _dots([op] + list(rest))
    return _dots(path)


def _note(c: Connector, path: tuple, key: str) -> str:
    """Where the string shows, in words a translator can act on."""
    root = c.node
    head = path[0]
    if head == "connector":
        if len(path) > 3 and path[1] == "tags":
            return f'Description of the tag "{_item(root, path[:3], False)}" (Swagger\'s top-level tags)'
        if len(path) > 2:
            return f"{key} at {_dots(path)}"
        return {"title": "Connector name: the connector list and every action card",
                "description": "Connector description: the connector's details page and its reference page"}.get(key, f"Connector {key}")
    if head == "connection":
        field_name = path[2] if len(path) > 3 else path[-2]
        return {"display_name": f'Connection dialog: the label of the "{field_name}" field',
                "description": f'Connection dialog: the help text of the "{field_name}" field',
                "tooltip": f'Connection dialog: the tooltip of the "{field_name}" field'}.get(key, f"Connection dialog: {key}")
    if head == "schemas":
        used = f'shared schema "{path[1]}"'
        what = "dynamic content name" if key in ("summary", "title") else "dynamic content tooltip"
        if "enum" in path:
            return f"Dropdown entry in {used}"
        return f"Outputs of every action using {used}: the {what}"
    if head == "operations":
        op = c.operations.get(path[1])
        kind = "trigger" if op is not None and op.is_trigger else "action"
        label = path[1]
        summary = _get(root, ("operations", path[1])).get("summary")
        if isinstance(summary, dict):
            summary = summary.get(c.source_locale)
        if summary:
            label = f'{label} ("{summary}")'
        rest = path[2:]
        if len(rest) == 1:
            return {"summary": f"The {kind}'s name in the picker and on its card: {label}",
                    "description": f"The {kind}'s description: the (i) tooltip in the picker and on the card of {label}",
                    "trigger_hint": f"Shown while a flow waits for the first event of {label} in a test run"}.get(key, f"{kind} {key} of {label}")
        if "enum" in rest:
            return f"Dropdown entry of a parameter of {label}"
        if rest[0] in ("parameters", "body"):
            return (f"Parameter label on the card of {label}" if key in ("summary", "title")
                    else f"Parameter help text (placeholder and tooltip) on the card of {label}")
        if rest[0] in ("responses", "notification"):
            if len(rest) <= 3 and rest[-1] == "description" and rest[-2] != "schema":
                return f"Response description of {label} (the reference page; not shown in the designer)"
            return (f"Dynamic content name of an output of {label}" if key in ("summary", "title")
                    else f"Dynamic content tooltip of an output of {label}")
    return f"{key} at {_dots(path)}"


def extract(c: Connector) -> list[DisplayString]:
    """Every display string of the connector, in source order, each with a unique id."""
    out: list[DisplayString] = []
    seen: set[str] = set()
    for path, node in _walk(c.node):
        key = path[-1]
        sid = string_id(c.node, path)
        if sid in seen:
            sid = _dots(path)
        seen.add(sid)
        legacy = string_id(c.node, path, by_position=True)
        limit = CONNECTOR_TITLE_LIMIT if path == ("connector", "title") else LIMITS[key]
        ds = DisplayString(id=sid, path=path, key=key, note=_note(c, path, key), limit=limit,
                           legacy_id=legacy if legacy != sid else None)
        if isinstance(node, str):
            ds.texts[c.source_locale] = node
            ds.plain = True
        else:
            for k, v in node.items():
                if not isinstance(v, str):
                    continue
                if k.endswith("@"):
                    ds.hashes[k[:-1]] = v
                else:
                    ds.texts[k] = v
        out.append(ds)
    return out


@dataclass
class LocaleStatus:
    locale: str
    total: int
    ids: dict[str, list[str]]  # state or "over_length" -> ids

    def count(self, what: str) -> int:
        return len(self.ids.get(what, []))


def status(c: Connector, strings: list[DisplayString] | None = None) -> list[LocaleStatus]:
    strings = extract(c) if strings is None else strings
    out = []
    for locale in c.locales:
        ids: dict[str, list[str]] = {s: [] for s in STATES}
        ids["over_length"] = []
        for ds in strings:
            ids[ds.state(locale, c.source_locale)].append(ds.id)
            if ds.too_long(locale):
                ids["over_length"].append(ds.id)
        out.append(LocaleStatus(locale, len(strings), ids))
    return out


def untranslated(c: Connector, locales: list[str], strings: list[DisplayString] | None = None) -> list:
    """One warning per locale with strings untranslated (the count `check`'s translation-missing and
    `i18n status` give), at the locale in `locales:`: what a build says, never a line per string."""
    from ..diagnostics import WARNING, Finding
    from ..source.yamlfile import position_of

    rows = {row.locale: row for row in status(c, strings)}
    found = []
    for locale in locales:
        missing = rows[locale].count(MISSING) if locale != c.source_locale else 0
        if missing:
            line, column = position_of(c.node, ("locales", c.locales.index(locale))) or (None, None)
            found.append(Finding("translation-missing", WARNING,
                                 f"{missing:,} of {rows[locale].total:,} strings untranslated in {locale}: "
                                 f"`ppconnector i18n status -v` lists them", c.shown, line, column))
    return found

"""`ppconnector check` rules of the localization family: missing, stale, unverified and too long
translations.  They need the YAML source (a plain connector folder has one language: no findings) and
point at the line of the display string in the YAML."""

from __future__ import annotations

from typing import Iterable, Iterator

from ..check.registry import Issue, Target, rule
from ..source.yamlfile import key_position, position_of
from .strings import STALE, UNVERIFIED, DisplayString, extract, untranslated

FAMILY = "localization"


def _strings(target: Target) -> list[DisplayString]:
    c = target.connector
    if c is None:
        return []
    cache = getattr(target, "_i18n_strings", None)
    if cache is None or cache[0] is not c:
        cache = (c, extract(c))
        try:
            setattr(target, "_i18n_strings", cache)
        except AttributeError:
            pass
    return cache[1]


def _issue(target: Target, ds: DisplayString, locale: str, message: str, at_key: str | None = None) -> Issue:
    c = target.connector
    pos = None
    if at_key is not None and isinstance(_value(c.node, ds.path), dict) and at_key in _value(c.node, ds.path):
        pos = key_position(c.node, ds.path + (at_key,))
    pos = pos or position_of(c.node, ds.path) or (None, None)
    return Issue(message, file=c.shown, line=pos[0], column=pos[1])


def _value(root, path):
    node = root
    for step in path:
        node = node[step]
    return node


def _by_state(target: Target, state: str) -> Iterator[tuple[DisplayString, str]]:
    c = target.connector
    if c is None:
        return
    for ds in _strings(target):
        for locale in c.locales[1:]:
            if ds.state(locale, c.source_locale) == state:
                yield ds, locale


@rule("translation-missing", "warning", FAMILY,
      "Display strings have no text in a locale the connector declares (that build shows the source text): one finding "
      "per locale with the count, as build says it; `ppconnector i18n status -v` lists them.")
def translation_missing(target: Target) -> Iterable[Issue]:
    if target.connector is None:
        return
    for f in untranslated(target.connector, target.connector.locales, _strings(target)):
        yield Issue(f.message, file=f.file, line=f.line, column=f.column)


@rule("translation-stale", "warning", FAMILY,
      "The source text changed after a translation was made (its <locale>@ hash differs): the translation may be wrong now.")
def translation_stale(target: Target) -> Iterable[Issue]:
    for ds, locale in _by_state(target, STALE):
        yield _issue(target, ds, locale,
                     f'"{ds.id}": the {target.connector.source_locale} text changed since the {locale} translation was made; '
                     f"translate it again (i18n export/import) or confirm it with `ppconnector i18n mark-current --locale {locale} --stale --id {ds.id}`",
                     at_key=f"{locale}@")


@rule("translation-unverified", "info", FAMILY,
      "A translation has no <locale>@ hash, so nobody knows which source text it was made from.")
def translation_unverified(target: Target) -> Iterable[Issue]:
    for ds, locale in _by_state(target, UNVERIFIED):
        yield _issue(target, ds, locale,
                     f'"{ds.id}": the {locale} translation records no source hash; check it and run `ppconnector i18n mark-current --locale {locale}`',
                     at_key=locale)


@rule("translation-too-long", "warning", FAMILY,
      "A display string is longer than its place allows (title 30, summaries 80, descriptions 500 characters).")
def translation_too_long(target: Target) -> Iterable[Issue]:
    c = target.connector
    if c is None:
        return
    for ds in _strings(target):
        for locale in c.locales:
            if ds.too_long(locale):
                yield _issue(target, ds, locale, f'"{ds.id}": the {locale} text has {len(ds.texts[locale])} characters; at most {ds.limit} fit', at_key=locale)

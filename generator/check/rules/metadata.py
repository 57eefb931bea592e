"""Microsoft's Swagger Validator rules of the page's Metadata section."""

from __future__ import annotations

import re
from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import obj
from .common import _RESTRICTED_WORDS, ERROR, MS, WARNING, _builds, _in, _texts, _typed


@rule("ExclusiveMaximumRequiresMaximum", ERROR, MS, "exclusiveMaximum needs maximum.")
def exclusive_maximum(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        if "exclusiveMaximum" in node and "maximum" not in node:
            yield Issue("exclusiveMaximum without maximum", p + "/exclusiveMaximum")


@rule("ExclusiveMinimumRequiresMinimum", ERROR, MS, "exclusiveMinimum needs minimum.")
def exclusive_minimum(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        if "exclusiveMinimum" in node and "minimum" not in node:
            yield Issue("exclusiveMinimum without minimum", p + "/exclusiveMinimum")


@rule("MinimumMustBeLessThanOrEqualToMaximum", ERROR, MS, "minimum/minLength/minItems must not exceed maximum/maxLength/maxItems, and none may be negative.")
def min_max(t: Target) -> Iterable[Issue]:
    num = (int, float)
    for node, p in _typed(t):
        for lo, hi in (("minimum", "maximum"), ("minLength", "maxLength"), ("minItems", "maxItems"), ("minProperties", "maxProperties")):
            a, b = node.get(lo), node.get(hi)
            if isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool) and not isinstance(b, bool) and a > b:
                yield Issue(f"{lo} {a} is greater than {hi} {b}", f"{p}/{lo}")
        for key in ("minLength", "maxLength", "minItems", "maxItems"):
            v = node.get(key)
            if isinstance(v, num) and not isinstance(v, bool) and v < 0:
                yield Issue(f"{key} is negative", f"{p}/{key}")


@rule("PatternShouldBeValidRegularExpression", WARNING, MS, "pattern must be a valid regular expression.")
def pattern_valid(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as e:
                yield Issue(f"pattern {pattern!r} is not a valid regular expression: {e}", p + "/pattern")


@rule("ValueContainsRestrictedWords", WARNING, MS, "Title, description and summaries may not name Power Apps, Power Automate or Logic Apps.")
def restricted_words(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for kind, text, p in _texts(d):
            low = text.lower()
            for word in _RESTRICTED_WORDS:
                if word in low:
                    yield Issue(f'{kind} contains the restricted words "{word}"{_in(loc)}', p)
                    break


@rule("ValueMustEndWithAlphanumeric", WARNING, MS, "The title must end with a letter or digit (not a space, dot or bracket).")
def title_end(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        title = obj(d.get("info")).get("title")
        if isinstance(title, str) and title and not title[-1].isalnum() and not title.endswith("(Independent Publisher)"):
            yield Issue(f'title "{title}" ends with {title[-1]!r}{_in(loc)}', "/info/title")


@rule("FieldLengthExceeded", WARNING, MS, "The title is at most 30 characters (in every locale).")
def title_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        title = obj(d.get("info")).get("title")
        if isinstance(title, str) and len(title) > 30:
            yield Issue(f"title is {len(title)} characters{_in(loc)}; at most 30", "/info/title")


@rule("FieldLengthNotInRange", WARNING, MS, "The description must be 30 to 500 characters (in every locale).")
def description_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        text = obj(d.get("info")).get("description")
        if isinstance(text, str) and not 30 <= len(text) <= 500:
            yield Issue(f"description is {len(text)} characters{_in(loc)}; it must be 30 to 500", "/info/description")

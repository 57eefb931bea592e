"""Microsoft's Swagger Validator rules of the page's Metadata section."""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..registry import Issue, Target, rule
from ..walk import obj, resolve
from .common import _typed_having, ERROR, INFO, MS, WARNING, _RESTRICTED_WORDS, _builds, _in, _ops, _params, _schemas, _texts, not_english

SECTION = "Metadata"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("ExclusiveMaximumRequiresMaximum", ERROR, MS, "exclusiveMaximum needs maximum.")
def exclusive_maximum(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "exclusiveMaximum"):
        if "exclusiveMaximum" in node and "maximum" not in node:
            yield Issue("The 'exclusiveMaximum' keyword can only be specified if the 'maximum' keyword is also specified.", p + "/exclusiveMaximum")


@rule("ExclusiveMinimumRequiresMinimum", ERROR, MS, "exclusiveMinimum needs minimum.")
def exclusive_minimum(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "exclusiveMinimum"):
        if "exclusiveMinimum" in node and "minimum" not in node:
            yield Issue("The 'exclusiveMinimum' keyword can only be specified if the 'minimum' keyword is also specified.", p + "/exclusiveMinimum")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bounds_rule(low: str, high: str) -> None:
    rule_id = f"{low[0].upper()}{low[1:]}ShouldBeLessThanOrEqualTo{high[0].upper()}{high[1:]}"

    @rule(rule_id, ERROR, MS, f"{low} must not exceed {high}.")
    def check(t: Target) -> Iterable[Issue]:
        for node, p in _typed_having(t, low):
            if _number(node.get(low)) and _number(node.get(high)) and node[low] > node[high]:
                yield Issue(f"The '{low}' value should be less than or equal to the '{high}' value. ({node[low]} > {node[high]})", f"{p}/{low}")


def _not_negative_rule(key: str) -> None:
    @rule(f"{key[0].upper()}{key[1:]}MustBeGreaterThanOrEqualToZero", ERROR, MS, f"{key} may not be negative.")
    def check(t: Target) -> Iterable[Issue]:
        for node, p in _typed_having(t, key):
            if _number(node.get(key)) and node[key] < 0:
                yield Issue(f"The '{key}' value must be greater than or equal to zero.", f"{p}/{key}")


# Microsoft names the bound rules of minProperties/maxProperties only for being negative.
for _low, _high in (("minimum", "maximum"), ("minLength", "maxLength"), ("minItems", "maxItems")):
    _bounds_rule(_low, _high)
for _key in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
    _not_negative_rule(_key)


@rule("PatternShouldBeValidRegularExpression", WARNING, MS, "pattern must be a valid regular expression.")
def pattern_valid(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "pattern"):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as e:
                yield Issue(f"The 'pattern' value should be a valid regular expression. ({pattern!r}: {e})", p + "/pattern")


_TITLE_WORDS = re.compile(r"\b(api|connector|copilot studio)\b", re.IGNORECASE)


@rule("ValueContainsRestrictedWords", WARNING, MS, 'The title may not contain "API", "Connector", "Copilot Studio" or a Power Platform product name; description and summaries may not name the products.')
def restricted_words(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for kind, text, p in _texts(d):
            low = text.lower()
            m = _TITLE_WORDS.search(text) if kind == "title" else None
            word = m.group(0) if m else next((w for w in _RESTRICTED_WORDS if w in low), None)
            if word:
                yield Issue(f"The value '{text}' contains at least one of the restricted words: '{word}'.{_in(loc)}", p)


@rule("ValueMustEndWithAlphanumeric", WARNING, MS, "The title must end with a letter or digit (not a space, dot or bracket).")
def title_end(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        title = obj(d.get("info")).get("title")
        if isinstance(title, str) and title and not title[-1].isalnum() and not title.endswith("(Independent Publisher)"):
            yield Issue(f"The 'title' value must end with alphanumeric character. ({title!r}{_in(loc)})", "/info/title")


@rule("FieldLengthExceeded", WARNING, MS, "The title is at most 30 characters (in every locale).")
def title_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        title = obj(d.get("info")).get("title")
        if isinstance(title, str) and len(title) > 30:
            yield Issue(f"The 'title' value goes over the character limit '30' ({len(title)}{_in(loc)})", "/info/title")


@rule("FieldLengthNotInRange", WARNING, MS, "The description must be 30 to 500 characters (in every locale).")
def description_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        text = obj(d.get("info")).get("description")
        if isinstance(text, str) and not 30 <= len(text) <= 500:
            yield Issue(f"The 'description' value must be between '30' and '500' characters. ({len(text)}{_in(loc)})", "/info/description")


@rule("AllowEmptyValueOnlyValidForQueryFormData", ERROR, MS, "allowEmptyValue only on a query or formData parameter.")
def allow_empty_value(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if "allowEmptyValue" in p and p.get("in") not in ("query", "formData"):
                yield Issue("The parameter cannot use the 'allowEmptyValue' keyword as it is not in the 'query' or 'formData' location.",
                            where + "/allowEmptyValue")


@rule("DiscriminatorMustBeARequiredStringProperty", ERROR, MS, "discriminator names a required property of type string.")
def discriminator(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        name = node.get("discriminator")
        if name is None:
            continue
        prop = obj(obj(node.get("properties")).get(name)) if isinstance(name, str) else {}
        if isinstance(prop.get("$ref"), str):
            prop = obj(resolve(t.definition, prop["$ref"]))
        required = node.get("required") if isinstance(node.get("required"), list) else []
        if prop.get("type") != "string" or name not in required:
            yield Issue("The 'discriminator' value must be the name of a required string property.", p + "/discriminator")


@rule("RequiredValueEmpty", ERROR, MS, "A mandatory text (info title and version, a parameter's name) is not empty.")
def required_value_empty(t: Target) -> Iterable[Issue]:
    info = obj(t.definition.get("info"))
    for key in ("title", "version"):
        if isinstance(info.get(key), str) and not info[key].strip():
            yield Issue(f"The '{key}' property must have not empty value.", f"/info/{key}")
    for op in _ops(t):
        for p, where in _params(t, op):
            if isinstance(p.get("name"), str) and not p["name"].strip():
                yield Issue("The 'name' property must have not empty value.", where + "/name")


@rule("ValueMustBeInEnglish", INFO, MS, "Title and description are in English, as certification requires (a heuristic: the platform "
      "decides; here, many letters outside ASCII, or a build or text in another language, whose English style is then not judged).")
def value_in_english(t: Target) -> Iterable[Issue]:
    info = obj(t.definition.get("info"))  # the source locale's build: other locales are translations by design
    why = not_english(t)
    for key in ("title", "description"):
        text = info.get(key)
        letters = [c for c in text if c.isalpha()] if isinstance(text, str) else []
        if letters and sum(not c.isascii() for c in letters) > 0.2 * len(letters):
            yield Issue(f"The '{key}' value must be written in English. (most likely not: many letters outside ASCII)", f"/info/{key}")
            return
    if why and isinstance(info.get("description"), str):
        yield Issue(f"The 'description' value must be written in English. ({why}: certification takes English only; "
                    "the English style rules were not applied)", "/info/description")

"""Microsoft's Swagger Validator rules of the page's Arrays section."""

from __future__ import annotations

from typing import Iterable

from ..registry import Issue, Target, rule
from .common import ERROR, MS, _schemas, _typed

SECTION = "Arrays"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("ArrayHasNoItems", ERROR, MS, "A value of type array must say what its items are.")
def array_has_no_items(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        if node.get("type") == "array" and "items" not in node:
            yield Issue("The array should have items specified.", p)


@rule("RequiredPropertyArrayEmpty", ERROR, MS, "A schema's required list may not be empty: leave it out instead.")
def required_array_empty(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        if node.get("required") == []:
            yield Issue("The 'required' array requires at least one value. If no properties are required in the schema, remove the "
                        "'required' property.", p + "/required")


@rule("SchemesArrayEmpty", ERROR, MS, "schemes must list at least one scheme.")
def schemes_empty(t: Target) -> Iterable[Issue]:
    if t.definition.get("schemes") == []:
        yield Issue("The 'schemes' array requires at least one value.", "/schemes")

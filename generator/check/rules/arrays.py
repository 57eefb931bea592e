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
            yield Issue("type array without items", p)


@rule("RequiredPropertyArrayEmpty", ERROR, MS, "A schema's required list may not be empty: leave it out instead.")
def required_array_empty(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        if node.get("required") == []:
            yield Issue("required is an empty list", p + "/required")


@rule("SchemesArrayEmpty", ERROR, MS, "schemes must list at least one scheme.")
def schemes_empty(t: Target) -> Iterable[Issue]:
    if t.definition.get("schemes") == []:
        yield Issue("schemes is empty", "/schemes")

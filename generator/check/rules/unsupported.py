"""Microsoft's Swagger Validator rules of the page's Not supported section."""

from __future__ import annotations

from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import obj, ptr
from .common import ERROR, MS

SECTION = "Not supported"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("PathItemRefNotSuppored", ERROR, MS, "A path item may not be a $ref (Microsoft's spelling of the rule name).")
def path_item_ref(t: Target) -> Iterable[Issue]:
    for path, item in obj(t.definition.get("paths")).items():
        if isinstance(item, dict) and "$ref" in item:
            yield Issue("The '$ref' property in a path is not supported.", ptr("paths", path, "$ref"))

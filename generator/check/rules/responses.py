"""Microsoft's Swagger Validator rules of the page's Response section."""

from __future__ import annotations

import re
from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import esc
from .common import ERROR, MS, WARNING, _ops, _ref_not_found


@rule("SchemaReferenceNotFound", ERROR, MS, "A schema $ref names a definition that does not exist.")
def schema_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "definitions")


@rule("ResponseReferenceNotFound", ERROR, MS, "A response $ref names an entry of /responses that does not exist.")
def response_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "responses")


@rule("ResponseMustBeDefaultOrHttpStatusCode", ERROR, MS, 'A response key must be "default" or a three-digit HTTP status code.')
def response_code(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        if isinstance(responses, dict):
            for code in responses:
                if code != "default" and not re.fullmatch(r"[1-5]\d\d", str(code)) and not str(code).startswith("x-"):
                    yield Issue(f'response "{code}" is neither "default" nor an HTTP status code', f"{op.pointer}/responses/{esc(code)}")


@rule("DefaultResponseHasSchema", WARNING, MS, "The 'default' response should not have a schema: outputs come from the success response.")
def default_response_has_schema(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        default = responses.get("default") if isinstance(responses, dict) else None
        if isinstance(default, dict) and "schema" in default:
            yield Issue(f"the default response of {op.id or op.path} has a schema", f"{op.pointer}/responses/default/schema")


@rule("SchemeNotSupported", ERROR, MS, "Only http and https are supported (not ws/wss).")
def scheme_not_supported(t: Target) -> Iterable[Issue]:
    for i, s in enumerate(t.definition.get("schemes") or [] if isinstance(t.definition.get("schemes"), list) else []):
        if s not in ("http", "https"):
            yield Issue(f'scheme "{s}" is not supported', f"/schemes/{i}")

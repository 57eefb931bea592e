"""Microsoft's Swagger Validator rules of the page's Parameters section."""

from __future__ import annotations

from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import obj, ptr
from .common import ERROR, MS, WARNING, _aliases, _ops, _params, _ref_not_found
from .operations_dynamic import _mappings, _source_parameter

SECTION = "Parameters"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("ParameterReferenceNotFound", ERROR, MS, "A parameter $ref names an entry of /parameters that does not exist.")
def parameter_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "parameters")


@rule("ParameterReferenceNotValid", ERROR, MS, "A parameter $ref must point into #/parameters/.")
def parameter_reference_not_valid(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for where, base in ((op.item, ptr("paths", op.path)), (op.node, op.pointer)):
            for i, p in enumerate(where.get("parameters") or [] if isinstance(where.get("parameters"), list) else []):
                if isinstance(p, dict) and isinstance(p.get("$ref"), str) and not p["$ref"].startswith("#/parameters/"):
                    yield Issue(f"The parameter reference '{p['$ref']}' is not valid. Parameter references must start with '#/parameters/' and be "
                                "valid JSON Pointers.", f"{base}/parameters/{i}/$ref")


@rule("PathParameterMissingEncoding", WARNING, MS, 'A path parameter should say "x-ms-url-encoding": "single" (or "double") so values with / are encoded predictably.')
def path_parameter_missing_encoding(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "path" and p.get("x-ms-url-encoding") not in ("single", "double"):
                yield Issue(f"Encoding for path parameter '{p.get('name')}' is missing, which might lead to invalid requests. Use "
                            '"x-ms-url-encoding": "single" to ensure the value is URL encoded.', where)


@rule("ParameterListContainsFormDataAndBody", ERROR, MS, "An operation cannot have both a body and formData parameters.")
def form_data_and_body(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        kinds = {str(p.get("in")) for p, _ in _params(t, op)}
        if {"body", "formData"} <= kinds:
            yield Issue("The 'parameters' list defines both a 'body' parameter, and a 'formData' parameter. Only one of these location "
                        f"types can be used in an operation. ({op.method.upper()} {op.path})", op.pointer + "/parameters")


@rule("FileParameterMustBeInFormData", ERROR, MS, "A parameter of type file must be in: formData.")
def file_parameter_form_data(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("type") == "file" and p.get("in") != "formData":
                yield Issue(f"Parameters of type 'file' are not valid in locations other than 'formData'. ('{p.get('name')}' is in "
                            f"{p.get('in')})", where)


@rule("ParameterRefLoopNotAllowed", ERROR, MS, "An entry of /parameters may not be only a $ref to another entry.")
def parameter_ref_loop(t: Target) -> Iterable[Issue]:
    yield from _aliases(t, "parameters", "parameter")


@rule("ResponseRefLoopNotAllowed", ERROR, MS, "An entry of /responses may not be only a $ref to another entry.")
def response_ref_loop(t: Target) -> Iterable[Issue]:
    yield from _aliases(t, "responses", "response")


@rule("QueryParameterEncodingNotSupported", WARNING, MS, "A query parameter need not say x-ms-url-encoding: query values are always single encoded (a warning: Microsoft merged 4 corpus connectors with it).")
def query_parameter_encoding(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "query" and "x-ms-url-encoding" in p:
                yield Issue(f"Encoding for query parameter '{p.get('name')}' is not supported. All query parameters are single encoded by "
                            "default.", where + "/x-ms-url-encoding")


@rule("ParamtersWithSameNameMustHaveSameTypeAndVisibility", ERROR, MS, "A trigger's fetch operation and the subscribe operation its x-ms-notification names give same-named parameters the same type and visibility (Microsoft's spelling).")
def same_name_same_type(t: Target) -> Iterable[Issue]:
    by_id = {op.id: op for op in _ops(t) if op.id}
    for op in _ops(t):
        note = obj(op.node.get("x-ms-notification"))
        other = by_id.get(note.get("operationId")) if isinstance(note.get("operationId"), str) else None
        if other is None:
            continue
        theirs = {str(p.get("name")): p for p, _ in _params(t, other)}
        for p, where in _params(t, op):
            q = theirs.get(str(p.get("name")))
            if q is not None and (p.get("type"), p.get("x-ms-visibility")) != (q.get("type"), q.get("x-ms-visibility")):
                yield Issue("Parameters of the same name in fetch and subscribe operations must be of the same type and visibility. "
                            f"('{p.get('name')}' in {op.id} and {other.id})", where)


# Headers the platform's HTTP client writes itself from the request it sends (connection management and framing):
# a value a parameter gives is overwritten or refused. Our reading: Microsoft does not publish its reserved list.
RESERVED_HEADERS = ("host", "content-length", "connection", "transfer-encoding", "expect", "keep-alive", "upgrade", "te",
                    "trailer", "proxy-connection")


@rule("ReservedParameterIsUsed", WARNING, MS, "A header parameter is not one the platform's HTTP client sets itself (Host, "
      "Content-Length, Connection, Transfer-Encoding, ...).")
def reserved_parameter(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            name = p.get("name")
            if p.get("in") == "header" and isinstance(name, str) and name.strip().lower() in RESERVED_HEADERS:
                yield Issue(f"The parameter '{name}' is reserved and cannot be used in 'header'.", where + "/name")


@rule("SourcePropertyInternal", ERROR, MS, "A dynamic extension on a visible input reads a source parameter that is internal (the user can never set it).")
def source_property_internal(t: Target) -> Iterable[Issue]:
    for _, node, p, source, _, _, ref in _mappings(t):
        theirs = _source_parameter(t, source, ref)
        if theirs and theirs.get("x-ms-visibility") == "internal" and "default" not in theirs and node.get("x-ms-visibility") != "internal":
            yield Issue(f"The parameter reference '{ref}' in the source operation '{source.id}' is internal or one of its parent(s) are "
                        "internal. Either make the property visible or update the parameter reference to a static value.", p)

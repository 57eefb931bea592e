"""Microsoft's Swagger Validator rules of the page's Parameters section."""

from __future__ import annotations

from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import ptr
from .common import ERROR, MS, WARNING, _ops, _params, _ref_not_found


@rule("ParameterReferenceNotFound", ERROR, MS, "A parameter $ref names an entry of /parameters that does not exist.")
def parameter_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "parameters")


@rule("ParameterReferenceNotValid", ERROR, MS, "A parameter $ref must point into #/parameters/.")
def parameter_reference_not_valid(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for where, base in ((op.item, ptr("paths", op.path)), (op.node, op.pointer)):
            for i, p in enumerate(where.get("parameters") or [] if isinstance(where.get("parameters"), list) else []):
                if isinstance(p, dict) and isinstance(p.get("$ref"), str) and not p["$ref"].startswith("#/parameters/"):
                    yield Issue(f'parameter $ref "{p["$ref"]}" must start with #/parameters/', f"{base}/parameters/{i}/$ref")


@rule("PathParameterMissingEncoding", WARNING, MS, 'A path parameter should say "x-ms-url-encoding": "single" (or "double") so values with / are encoded predictably.')
def path_parameter_missing_encoding(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "path" and p.get("x-ms-url-encoding") not in ("single", "double"):
                yield Issue(f'path parameter "{p.get("name")}" has no "x-ms-url-encoding": "single"', where)


@rule("ParameterListContainsFormDataAndBody", ERROR, MS, "An operation cannot have both a body and formData parameters.")
def form_data_and_body(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        kinds = {str(p.get("in")) for p, _ in _params(t, op)}
        if {"body", "formData"} <= kinds:
            yield Issue(f"{op.method.upper()} {op.path} has both body and formData parameters", op.pointer + "/parameters")


@rule("FileParameterMustBeInFormData", ERROR, MS, "A parameter of type file must be in: formData.")
def file_parameter_form_data(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("type") == "file" and p.get("in") != "formData":
                yield Issue(f'parameter "{p.get("name")}" has type file but is in {p.get("in")}', where)

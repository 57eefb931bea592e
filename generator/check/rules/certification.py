"""The certification family: what certification reviewers ask for beyond the validator (our advice: warnings)."""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from ..registry import PROPERTIES, Issue, Target, rule
from ..walk import esc, obj, operations
from .common import CERT, WARNING, _all_dicts, _builds, _in, _ops, _params, _props



@rule("summary-length", WARNING, CERT, "Operation summaries and x-ms-summary are at most 80 characters (in every locale).")
def summary_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for op in operations(d):
            s = op.node.get("summary")
            if isinstance(s, str) and 80 < len(s) <= 120:  # longer: OperationSummaryTooLong
                yield Issue(f"summary is {len(s)} characters{_in(loc)}; at most 80", op.pointer + "/summary")
        for node, p in _all_dicts(d):
            s = node.get("x-ms-summary")
            if isinstance(s, str) and len(s) > 80:
                yield Issue(f"x-ms-summary is {len(s)} characters{_in(loc)}; at most 80", p + "/x-ms-summary")


@rule("operation-summary", WARNING, CERT, "Every operation needs a summary (its name in the designer) and a description.")
def operation_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        missing = [k for k in ("summary", "description") if not op.node.get(k)]
        if missing:
            yield Issue(f"operation {op.id or op.path} has no {' or '.join(missing)}", op.pointer)


@rule("parameter-summary", WARNING, CERT, "Every parameter a user sees needs x-ms-summary (its label in the designer).")
def parameter_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") != "body" and p.get("x-ms-visibility") != "internal" and not p.get("x-ms-summary"):
                yield Issue(f'parameter "{p.get("name")}" has no x-ms-summary', where)
            if p.get("in") == "body":
                yield from _property_summaries(t, p.get("schema"), where + "/schema", "input")


@rule("output-summary", WARNING, CERT, "Every property of a success response needs x-ms-summary (its name in dynamic content).")
def output_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        if isinstance(responses, dict):
            for code, r in responses.items():
                if str(code).startswith("2") and isinstance(r, dict):
                    yield from _property_summaries(t, r.get("schema"), f"{op.pointer}/responses/{esc(code)}/schema", "output")


def _property_summaries(t: Target, schema: Any, pointer: str, what: str) -> Iterator[Issue]:
    for node, p in schemas_in_inline(schema, pointer):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                if (isinstance(sub, dict) and "$ref" not in sub and not sub.get("x-ms-summary") and sub.get("x-ms-visibility") != "internal"
                        and "properties" not in sub and not isinstance(sub.get("items"), dict)):  # containers are not shown
                    yield Issue(f'{what} property "{name}" has no x-ms-summary', f"{p}/properties/{esc(name)}")


def schemas_in_inline(schema: Any, pointer: str) -> Iterator[tuple[dict, str]]:
    from ..walk import schemas_in

    yield from schemas_in(schema, pointer)  # inline schemas only: a $ref'd definition is checked where it is defined


@rule("contact", WARNING, CERT, "info.contact needs name, url and email.")
def contact(t: Target) -> Iterable[Issue]:
    c = obj(t.definition.get("info")).get("contact")
    missing = [k for k in ("name", "url", "email") if not (isinstance(c, dict) and c.get(k))]
    if missing:
        yield Issue(f"info.contact lacks {', '.join(missing)}", "/info/contact" if isinstance(c, dict) else "/info")


@rule("brand-color", WARNING, CERT, "iconBrandColor must be a colour of your own, not the default #007ee5 or white.")
def brand_color(t: Target) -> Iterable[Issue]:
    color = _props(t).get("iconBrandColor")
    if isinstance(color, str) and color.lower() in ("#007ee5", "#ffffff"):
        yield Issue(f"iconBrandColor {color} is the default or white", "/properties/iconBrandColor", file=PROPERTIES)
    elif isinstance(color, str) and not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        yield Issue(f"iconBrandColor {color!r} is not a #rrggbb colour", "/properties/iconBrandColor", file=PROPERTIES)

"""The certification family: what certification reviewers ask for beyond the validator (our advice: warnings)."""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..registry import PROPERTIES, Issue, Target, rule
from ..walk import esc, obj, resolve
from .common import _certification_severity, _cached, _ops_in, CERT, WARNING, _all_dicts, _dicts, _builds, _in, _ops, _params, _props



@rule("summary-length", WARNING, CERT, "Operation summaries and x-ms-summary are at most 80 characters (in every locale).")
def summary_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for op in _ops_in(t, d):
            s = op.node.get("summary")
            if isinstance(s, str) and 80 < len(s) <= 120:  # longer: OperationSummaryTooLong
                yield Issue(f"summary is {len(s)} characters{_in(loc)}; at most 80", op.pointer + "/summary")
        for node, p in (_dicts(t) if d is t.definition else _all_dicts(d)):
            s = node.get("x-ms-summary")
            if isinstance(s, str) and len(s) > 80:
                yield Issue(f"x-ms-summary is {len(s)} characters{_in(loc)}; at most 80", p + "/x-ms-summary")


@rule("operation-summary", WARNING, CERT, "Every operation needs a summary (its name in the designer) and a description.")
def operation_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        missing = [k for k in ("summary", "description") if not op.node.get(k)]
        if missing:
            yield Issue(f"operation {op.id or op.path} has no {' or '.join(missing)}", op.pointer)


# What the designer shows for a field without x-ms-summary: its schema `title`, else its key (Azure/LogicAppsUX,
# libs/logic-apps-shared/src/parsers/lib/common/schemaprocessor.ts: `_getTitle(schema.title || schema['x-ms-summary'],
# key)`; a non-body parameter has no title, so its name).  Only a field that would show its raw key is reported,
# once per operation: a connector with 900 such fields gets one line per operation, not 900.
SHOWN = 8  # names listed in the line; the rest are counted


@rule("parameter-summary", WARNING, CERT,
      "An operation's inputs without x-ms-summary or title show their raw names as labels in the designer (one line per operation).")
def parameter_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.node.get("x-ms-visibility") == "internal":
            continue
        bare: list[tuple[str, str]] = []
        for p, where in _params(t, op):
            if p.get("x-ms-visibility") == "internal":
                continue
            if p.get("in") == "body":
                bare.extend(_bare_fields(t, p.get("schema"), where + "/schema"))
            elif not _label(p):
                bare.append((str(p.get("name")), where))
        if bare:
            yield _one_line(op, bare, "input", ("labels it with its name", "labels them with their names"))


@rule("output-summary", WARNING, CERT,
      "An operation's outputs without x-ms-summary or title show their raw keys in dynamic content (one line per operation).")
def output_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        if op.node.get("x-ms-visibility") == "internal" or not isinstance(responses, dict):
            continue
        bare: list[tuple[str, str]] = []
        for code, r in responses.items():
            if str(code).startswith("2") and isinstance(r, dict):
                bare.extend(_bare_fields(t, r.get("schema"), f"{op.pointer}/responses/{esc(code)}/schema"))
        if bare:
            yield _one_line(op, bare, "output", ("shows its key in dynamic content", "shows their keys in dynamic content"))


def _label(node: dict) -> bool:
    summary, title = node.get("x-ms-summary"), node.get("title")
    return bool(isinstance(summary, str) and summary.strip() or isinstance(title, str) and title.strip())


def _one_line(op, bare: list[tuple[str, str]], what: str, shown: tuple[str, str]) -> Issue:
    names = list(dict.fromkeys(name for name, _ in bare))
    one = len(names) == 1
    more = f" (and {len(names) - SHOWN} more)" if len(names) > SHOWN else ""
    return Issue(f"{len(names)} {what}{' has' if one else 's have'} no x-ms-summary or title, so the designer {shown[0 if one else 1]}: "
                 f"{', '.join(names[:SHOWN])}{more} (operation {op.id or op.path})", bare[0][1])


def _bare_fields(t: Target, schema: Any, pointer: str) -> list[tuple[str, str]]:
    """(key, pointer) of each visible leaf property without a label, $refs followed once per operation (a
    shared definition is what this operation's card shows); containers are not shown as fields."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str):  # a shared definition: the same fields, at the same pointers, for every operation
        memo = _cached(t, "bare-fields", dict)
        if ref not in memo:
            memo[ref] = _walk_bare_fields(t, schema, pointer)
        return memo[ref]
    return _walk_bare_fields(t, schema, pointer)


def _walk_bare_fields(t: Target, schema: Any, pointer: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    stack = [(schema, pointer, 0)]
    while stack:
        node, p, depth = stack.pop()
        if not isinstance(node, dict) or depth > 64:
            continue
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in seen or not ref.startswith("#/"):
                continue
            seen.add(ref)
            stack.append((resolve(t.definition, ref), ref[1:], depth + 1))
            continue
        if node.get("x-ms-visibility") == "internal":
            continue
        deeper = []
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                sub_p = f"{p}/properties/{esc(name)}"
                if not isinstance(sub, dict):
                    continue
                target = resolve(t.definition, sub["$ref"]) if isinstance(sub.get("$ref"), str) else sub
                if isinstance(target, dict) and _is_leaf(target):
                    if target.get("x-ms-visibility") != "internal" and not _label(sub) and not _label(target):
                        out.append((str(name), sub_p))
                else:
                    deeper.append((sub, sub_p, depth + 1))
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                deeper.append((node[key], f"{p}/{key}", depth + 1))
        for key in ("allOf", "anyOf", "oneOf"):
            if isinstance(node.get(key), list):
                deeper.extend((sub, f"{p}/{key}/{i}", depth + 1) for i, sub in enumerate(node[key]))
        stack.extend(reversed(deeper))  # depth first, in the file's order
    return out


def _is_leaf(node: dict) -> bool:
    return "properties" not in node and not isinstance(node.get("items"), dict) and not any(
        isinstance(node.get(k), list) for k in ("allOf", "anyOf", "oneOf"))


@rule("contact", WARNING, CERT, "info.contact needs name, url and email; none at all is an error for a certification target "
      "(stackOwner), as Microsoft's certification CI reports it (\"The 'contact' property is required.\", PR #1095).")
def contact(t: Target) -> Iterable[Issue]:
    c = obj(t.definition.get("info")).get("contact")
    if "contact" not in obj(t.definition.get("info")):
        yield Issue("The 'contact' property is required. (info.contact with name, url and email)", "/info", severity=_certification_severity(t))
        return
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

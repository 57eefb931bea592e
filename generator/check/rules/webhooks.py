"""Microsoft's Swagger Validator rules of the page's Webhooks section (and the webhook rules beside them)."""

from __future__ import annotations

from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import esc, obj
from .common import ERROR, MS, WARNING, _notification_urls, _ops, _params, _schemas

SECTION = "Webhooks"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("NotificationUrlNotString", ERROR, MS, "The x-ms-notification-url property must be a string.")
def notification_url_not_string(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for node, p, _ in _notification_urls(t, op):
            if node.get("type", "string") != "string":
                yield Issue(f"The notification URL property must be of type string. (it is {node.get('type')})", p)


@rule("NotificationUrlNotInternal", ERROR, MS, "The notification URL (or a parent) must be x-ms-visibility: internal; users must not fill it in.")
def notification_url_not_internal(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for node, p, parents in _notification_urls(t, op):
            if not any(n.get("x-ms-visibility") == "internal" for n in [node, *parents]):
                yield Issue("The notification URL property itself or at least one of its parents must be internal.", p)


@rule("NotificationUrlNotRequired", WARNING, MS, "The notification URL should be required all the way up the schema.")
def notification_url_not_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for node, p, parents in _notification_urls(t, op):
            name = p.rsplit("/", 1)[-1]
            parent = parents[-1] if parents else None
            if parent is not None and "properties" in parent and name not in (parent.get("required") or []):
                yield Issue(f"The notification URL property must be required all the way through the schema chain. ('{name}' is not)", p)


@rule("NotificationUrlNotAllowedInThisPosition", ERROR, MS, "x-ms-notification-url belongs in a request body, not on a query, header, path or formData parameter or in a response.")
def notification_url_position(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") != "body" and p.get("x-ms-notification-url") is True:
                yield Issue("The notification URL property is not allowed in this position. It is allowed only in input body.",
                            where + "/x-ms-notification-url")
    responses = {f"{op.pointer}/responses/{esc(c)}/" for op in _ops(t) for c in obj(op.node.get("responses"))}
    for node, p in _schemas(t):
        if node.get("x-ms-notification-url") is True and any(p.startswith(r) for r in responses):
            yield Issue("The notification URL property is not allowed in this position. It is allowed only in input body.",
                        p + "/x-ms-notification-url")

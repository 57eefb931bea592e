"""apiProperties.json compared the way existing connections see it.

The platform reads `"true"`/`"false"` strings as booleans, fills an OAuth `clientId` placeholder with its
registered app, and orders the connection dialog by `tabIndex`: none of these touch an existing connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..check.walk import obj

Add = Callable[..., None]  # add(kind, location, old, new)
UI_TEXT = {"displayName": "summary-changed", "description": "description-changed", "tooltip": "description-changed"}
PLACEHOLDER = re.compile(r"\s*(<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|[^<>]*placeholder[^<>]*|)\s*", re.IGNORECASE)


def canonical(value: Any) -> Any:
    """value as the platform reads it: "true"/"false" strings are booleans."""
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


def compare_properties(old: Any, new: Any, add: Add) -> None:
    o, n = obj(obj(old).get("properties")), obj(obj(new).get("properties"))
    oc, nc = obj(o.get("connectionParameters")), obj(n.get("connectionParameters"))
    for name in sorted(set(oc) | set(nc)):
        where = f"connectionParameters/{name}"
        if name not in nc or name not in oc:
            add("connection-changed", where, _what(oc.get(name)), _what(nc.get(name)))
        else:
            _walk(oc[name], nc[name], where, add)
    for key in sorted((set(o) | set(n)) - {"connectionParameters"}):
        a, b = o.get(key), n.get(key)
        if canonical(a) == canonical(b):
            continue
        if key == "stackOwner" and (a is None or b is None):
            continue  # build leaves it out and package adds it: present on one side only is the folder's form, not a change
        if key == "scriptOperations":
            add("script-changed", key, a, b)
        elif key == "policyTemplateInstances":
            add("policy-changed", key, a, b)
        elif key == "connectionParameterSets":
            add("connection-changed", key, a, b)
        elif key in ("iconBrandColor", "publisher", "stackOwner", "capabilities", "termsOfUse"):
            add("metadata-changed", key, a, b)
        else:
            add("extension-changed", key, a, b)


def _walk(a: Any, b: Any, where: str, add: Add) -> None:
    """One connection parameter, key by key, so a cosmetic edit is told from one that breaks connections."""
    if canonical(a) == canonical(b):
        return
    key = where.rsplit("/", 1)[-1]
    if "/uiDefinition/" in where + "/" and key in UI_TEXT and not isinstance(a, dict) and not isinstance(b, dict):
        add(UI_TEXT[key], where, a, b)
    elif key == "tabIndex" or key == "clientId" and any(isinstance(v, str) and PLACEHOLDER.fullmatch(v) for v in (a, b)):
        add("metadata-changed", where, a, b)
    elif key == "allowedValues" and isinstance(a, list) and isinstance(b, list):
        _allowed_values(a, b, where, add)
    elif key == "scopes" and isinstance(a, list) and isinstance(b, list):
        for scope in [s for s in a if s not in b]:
            add("connection-changed", where, scope, None)
        for scope in [s for s in b if s not in a]:
            add("connection-scope-added", where, None, scope)
    elif isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            _walk(a.get(k), b.get(k), f"{where}/{k}", add)
    else:
        add("connection-changed", where, a, b)


def _allowed_values(a: list, b: list, where: str, add: Add) -> None:
    def by_value(items: list) -> dict:
        return {repr(canonical(i.get("value"))): i for i in items if isinstance(i, dict)}

    old, new = by_value(a), by_value(b)
    for v in sorted(old.keys() - new.keys()):
        add("connection-changed", where, old[v].get("value"), None)
    for v in sorted(new.keys() - old.keys()):
        add("connection-option-added", where, None, new[v].get("value"))
    for v in sorted(old.keys() & new.keys()):
        if old[v].get("text") != new[v].get("text"):
            add("summary-changed", f"{where}/{old[v].get('value')}", old[v].get("text"), new[v].get("text"))


def _what(parameter: Any) -> Any:
    return parameter.get("type", "parameter") if isinstance(parameter, dict) else parameter


# --- policies: what the platform sends in the place of a declared input -------------------------------

POLICY_PLACES = {"setheader": "header", "setqueryparameter": "query"}


def policy_values(properties: Any) -> list[tuple[frozenset | None, str, str, Any]]:
    """(operationIds or None for all, "header" or "query", name, value) for each request header or query
    parameter a policy template sets: a hidden input with a default sends the same thing."""
    out = []
    for policy in obj(obj(properties).get("properties")).get("policyTemplateInstances") or []:
        policy = obj(policy)
        place = POLICY_PLACES.get(str(policy.get("templateId", "")).lower())
        parameters = obj(policy.get("parameters"))
        if place is None or str(parameters.get("x-ms-apimTemplate-policySection", "Request")).lower() != "request":
            continue
        name, value = parameters.get("x-ms-apimTemplateParameter.name"), parameters.get("x-ms-apimTemplateParameter.value")
        ops = parameters.get("x-ms-apimTemplate-operationName")
        if isinstance(name, str):
            out.append((frozenset(o for o in ops if isinstance(o, str)) if isinstance(ops, list) else None, place, name, value))
    return out


# --- where deploy sends the connector --------------------------------------------------------------

DEPLOY_TARGET = {"powerAppsUrl": "deploy.power_apps_url", "flowUrl": "deploy.flow_url", "environment": "deploy.environment",
                 "connectorId": "deploy.connector_id", "connectorIds": "deploy.<locale>.json connectorIds",
                 "powerAppsApiVersion": "powerAppsApiVersion"}


def compare_settings(old: Any, new: Any, add: Add) -> None:
    """paconn's settings (and the recorded connector ids): a change of where deploy sends the connector and its token."""
    o, n = obj(old), obj(new)
    for key, shown in DEPLOY_TARGET.items():
        a, b = o.get(key), n.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):  # connector ids per environment
            for env in sorted(set(a) | set(b), key=str):
                if a.get(env) != b.get(env):
                    add("deploy-target-changed", f"{shown}/{env}", a.get(env), b.get(env))
        else:
            add("deploy-target-changed", shown, a, b)

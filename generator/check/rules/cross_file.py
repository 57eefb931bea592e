"""The cross-file family: apiProperties.json against the definition (auth, policy templates, scriptOperations)."""

from __future__ import annotations

import re
from typing import Iterable

from ..registry import DEFINITION, PROPERTIES, Issue, Target, rule
from ..walk import esc, ptr
from .common import CROSS, ERROR, WARNING, _conn_params, _dicts, _op_ids, _ops, _props

_AUTH_PARAMS = {"basic": {"username", "password"}, "apiKey": {"api_key"}, "oauth2": {"token"}}


@rule("auth-connection-parameters", ERROR, CROSS,
      "The security definition's type needs its connection parameters: basic -> username + password, oauth2 -> token; "
      "apiKey -> api_key (or a key a policy template sends) is a warning: the platform accepts another name (merged connectors have one).")
def auth_connection_parameters(t: Target) -> Iterable[Issue]:
    defs = t.definition.get("securityDefinitions")
    props = _props(t)
    have = {str(n).lower() for n in _conn_params(t)}
    # No connection parameters at all: the platform makes them from securityDefinitions on import.
    if not isinstance(defs, dict) or "connectionParameterSets" in props or not have:
        return
    schemes = [(name, d["type"]) for name, d in defs.items() if isinstance(d, dict) and d.get("type") in _AUTH_PARAMS]
    # A connection has one authentication type: one satisfied scheme is enough (an extra apiKey beside OAuth is unused).
    if not schemes or any(_auth_satisfied(t, kind, have) for _, kind in schemes):
        return
    for name, kind in schemes:
        missing = ", ".join(sorted(_AUTH_PARAMS[kind] - have))
        if kind == "apiKey":
            # No Microsoft page names the parameter, and the platform deployed apiKey connectors whose only
            # parameter is named otherwise with no policy template: the designer's name is advice, not a refusal.
            yield Issue(f'security "{name}" is apiKey: the connector wizard and 518 of 540 public apiKey connectors name its '
                        f'connection parameter api_key; this one has {", ".join(sorted(_conn_params(t)))} and no policy template '
                        "sends it: test that the key reaches the API", ptr("securityDefinitions", name, "type"), severity=WARNING)
            continue
        yield Issue(f'security "{name}" is {kind}, so apiProperties needs the connection parameter(s) {missing}; it has '
                    f'{", ".join(sorted(_conn_params(t)))}', ptr("securityDefinitions", name, "type"))


def _auth_satisfied(t: Target, kind: str, have: set[str]) -> bool:
    if _AUTH_PARAMS[kind] <= have:
        return True
    # An API key named otherwise works when a policy template (setheader, setqueryparameter) sends it.
    instances = _props(t).get("policyTemplateInstances")
    return kind == "apiKey" and "@connectionParameters(" in repr(instances)


@rule("script-operations-exist", ERROR, CROSS, "scriptOperations lists only operationIds of the definition.")
def script_operations_exist(t: Target) -> Iterable[Issue]:
    ops = _props(t).get("scriptOperations")
    if isinstance(ops, list):
        from ...diagnostics import did_you_mean

        for i, name in enumerate(ops):
            if name not in _op_ids(t):
                yield Issue(f'scriptOperations names "{name}", which is no operationId{did_you_mean(str(name), _op_ids(t))}',
                            f"/properties/scriptOperations/{i}", file=PROPERTIES)


@rule("script-operations-without-script", WARNING, CROSS, "scriptOperations is declared but there is no script.csx.")
def script_operations_without_script(t: Target) -> Iterable[Issue]:
    if _props(t).get("scriptOperations") and t.script is None:
        yield Issue("scriptOperations lists operations but the connector has no script", "/properties/scriptOperations", file=PROPERTIES)


@rule("policy-template-operations", ERROR, CROSS, "A policy template's x-ms-apimTemplate-operationName lists only existing operationIds.")
def policy_template_operations(t: Target) -> Iterable[Issue]:
    instances = _props(t).get("policyTemplateInstances")
    if not isinstance(instances, list):
        return
    for i, inst in enumerate(instances):
        params = inst.get("parameters") if isinstance(inst, dict) else None
        names = params.get("x-ms-apimTemplate-operationName") if isinstance(params, dict) else None
        if isinstance(names, str):
            names = [names]
        for j, name in enumerate(names or []):
            if isinstance(name, str) and name.lower() not in {i.lower() for i in _op_ids(t)}:  # the platform ignores case
                yield Issue(f'policy template "{inst.get("templateId")}" names the operation "{name}", which does not exist',
                            f"/properties/policyTemplateInstances/{i}/parameters/x-ms-apimTemplate-operationName/{j}", file=PROPERTIES)


_CONN_REF = re.compile(r"@connectionParameters\(\s*'([^']*)'")
MARK = "@connectionParameters"


@rule("connection-parameter-reference", ERROR, CROSS, "Every @connectionParameters('x') names a connection parameter of apiProperties.")
def connection_parameter_reference(t: Target) -> Iterable[Issue]:
    have = set(_conn_params(t))
    sets = _props(t).get("connectionParameterSets")
    if isinstance(sets, dict):
        for value in sets.get("values") or []:
            if isinstance(value, dict) and isinstance(value.get("parameters"), dict):
                have |= set(value["parameters"])
    known = {str(n).lower() for n in have}  # live connectors differ in letter case only, and work
    for file, strings in ((PROPERTIES, _strings(t.properties, "")), (DEFINITION, _definition_strings(t))):
        for text, p in strings:
            for name in _CONN_REF.findall(text):
                if name.lower() not in known:
                    yield Issue(f"@connectionParameters('{name}') names no connection parameter", p, file=file)


def _strings(node, pointer: str):
    """(string, pointer) of every string in a JSON value that mentions a connection parameter."""
    stack = [(node, pointer)]
    while stack:
        node, p = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, f"{p}/{esc(k)}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{p}/{i}") for i, v in enumerate(node))
        elif isinstance(node, str) and MARK in node:
            yield node, p


def _definition_strings(t: Target):
    """The definition's strings that mention a connection parameter, read from the objects every rule's walk has
    listed already (the objects inside a list are listed there too; only the strings of lists are walked here)."""
    text = t.__dict__.get("definition_text")
    if isinstance(text, str) and MARK not in text and "\\u" not in text:
        return  # a folder's file that never says it (and escapes nothing that could spell it): nothing to walk
    for node, p in _dicts(t):
        for k, v in node.items():
            if isinstance(v, str):
                if MARK in v:
                    yield v, f"{p}/{esc(k)}"
            elif isinstance(v, list):
                stack = [(v, f"{p}/{esc(k)}")]
                while stack:
                    items, where = stack.pop()
                    for i, x in enumerate(items):
                        if isinstance(x, str):
                            if MARK in x:
                                yield x, f"{where}/{i}"
                        elif isinstance(x, list):
                            stack.append((x, f"{where}/{i}"))


@rule("webhook-delete", WARNING, CROSS, "A webhook trigger needs a DELETE operation (internal) that the platform calls to unregister it.")
def webhook_delete(t: Target) -> Iterable[Issue]:
    hooks = [op for op in _ops(t) if op.is_webhook]
    if hooks and not any(op.method == "delete" for op in _ops(t)):
        for op in hooks:
            yield Issue(f"trigger {op.id} registers a webhook but the definition has no DELETE operation to remove it", op.pointer)
    for op in _ops(t):
        if op.method == "delete" and hooks and op.node.get("x-ms-visibility") != "internal" and "webhook" in (op.id or "").lower():
            yield Issue(f"{op.id} removes a webhook: make it x-ms-visibility internal so users do not see it as an action", op.pointer)

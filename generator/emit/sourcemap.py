"""Where in the YAML source a place in the generated definition comes from.

Findings about a generated ``apiDefinition.swagger.json`` (from `check`, fixtures, diff) must point at
the line a person edits.  The emitter translates the source key by key, so the way back is a walk
over the JSON pointer that undoes each translation: ``/paths/~1sms~1send/post/parameters/0/schema/
properties/messages/items/properties/to/x-ms-summary`` -> ``operations/sms_send/body/properties/
messages/items/properties/to/summary``.
"""

from __future__ import annotations

import re
from typing import Any

from .. import agents
from ..model import Connector
from ..source.yamlfile import Pos, position_of

_BACK = {
    "x-ms-summary": "summary",
    "x-ms-visibility": "visibility",
    "x-ms-notification-url": "notification_url",
    "x-ms-url-encoding": "url_encoding",
    "x-ms-dynamic-values": "dynamic_values",
    "x-ms-enum-values": "enum",
    "x-ms-trigger": "trigger",
    "x-ms-trigger-hint": "trigger_hint",
    "$ref": "ref",
}
_AGENTS = {agents.PROTOCOL: "mcp", agents.AI_DATA: "ai_action"}
_INFO = {"title": "title", "description": "description", "version": "version", "contact": "contact"}
_ROOT = {"host": "host", "basePath": "base_path", "schemes": "schemes", "consumes": "consumes",
         "produces": "produces", "x-ms-connector-metadata": "metadata"}


def split_pointer(pointer: str) -> list[str]:
    if not pointer or pointer == "/":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


def source_path(c: Connector, pointer: str) -> tuple:
    """The YAML path (keys and indexes from the top of the source) behind a pointer into the definition."""
    parts = split_pointer(pointer)
    if not parts:
        return ()
    head, rest = parts[0], parts[1:]
    if head == "info":
        return ("connector",) + ((_INFO.get(rest[0], rest[0]),) + tuple(rest[1:]) if rest else ())
    if head in _ROOT:
        return ("connector", _ROOT[head])
    if head == agents.AI_MANIFEST and "ai_manifest" in c.info:
        return ("connector", "ai_manifest") + tuple(agents.MANIFEST_NAMES.get(k, k) for k in rest[:1])
    if head.startswith("x-"):  # root extensions are written in `connector:`
        return ("connector", head) + tuple(rest)
    if head in ("securityDefinitions", "security"):
        return ("connection", "auth")
    if head == "definitions" and rest:
        schema = c.schemas.get(rest[0])
        return ("schemas", rest[0]) + _schema_path(schema, rest[1:])
    if head == "paths" and rest:
        return _path_item(c, rest[0], rest[1:])
    if head in ("responses", "parameters") and rest:  # an imported source's shared ones, kept under the same key
        return (head,) + _shared(c.node.get(head), rest)
    return ()


def source_position(c: Connector, pointer: str) -> Pos | None:
    return position_of(c.node, source_path(c, pointer))


def source_key_position(c: Connector, pointer: str) -> Pos | None:
    """Where a finding about the pointer's place points: the line of its key in the YAML (`contact:`, not the
    first line inside it), or of the nearest enclosing key that exists; the whole definition is `connector:`."""
    return key_line(c.node, source_path(c, pointer) or ("connector",))


def key_line(root: Any, path: tuple) -> Pos | None:
    """The key (or list item) of the deepest step of path that exists in the YAML."""
    return position_of(root, path, key=True)


# The generated files' names for what a YAML source calls otherwise (the README's sugar table, read backwards):
# a finding on a source says what its author wrote.  Longest first, so x-ms-trigger-hint is not read as x-ms-trigger.
VOCABULARY = {
    "x-ms-notification-content": "notification", "x-ms-notification-url": "notification_url", "x-ms-summary": "summary",
    "x-ms-visibility": "visibility", "x-ms-url-encoding": "url_encoding", "x-ms-enum-values": "enum",
    "x-ms-dynamic-values": "dynamic_values", "x-ms-dynamic-schema": "dynamic_schema",
    "x-ms-dynamic-properties": "dynamic_properties", "x-ms-dynamic-list": "dynamic_list", "x-ms-trigger-hint": "trigger_hint",
    "x-ms-trigger": "trigger", "x-ms-connector-metadata": "connector.metadata", "info.contact": "connector.contact",
    "info.title": "connector.title", "info.description": "connector.description", "info.version": "connector.version",
    "iconBrandColor": "connector.brand_color", "stackOwner": "connector.stack_owner", "basePath": "connector.base_path",
    "securityDefinitions": "connection.auth", "connectionParameters": "connection.parameters", "scriptOperations": "script",
    "policyTemplateInstances": "connector.policies", "uiDefinition.displayName": "display_name", "displayName": "display_name",
    "The connector metadata property": "The key", "'Website'": "connector.metadata.website",
    "'Privacy policy'": "connector.metadata.privacy_policy", "'Categories'": "connector.metadata.categories",
    # agent connectors (agents.py): the sugar's words
    "x-ms-agentic-protocol": "mcp", "x-ms-openai-data": "ai_action", "x-ms-openai-manifest": "connector.ai_manifest",
    "humanName": "name", "modelDescription": "model_description", "contactEmail": "contact_email", "legalUrl": "legal_url",
}
_WORD = re.compile("|".join(rf"(?<![\w-]){re.escape(k)}(?![\w-])" for k in sorted(VOCABULARY, key=len, reverse=True)))


def in_source_words(message: str, source_text: str) -> str:
    """message with each generated name the source does not spell itself (an imported source may keep an
    x-ms-… key as it is) replaced by the source's key."""
    return _WORD.sub(lambda m: m.group(0) if m.group(0) in source_text else VOCABULARY[m.group(0)], message)


def _path_item(c: Connector, path: str, rest: list[str]) -> tuple:
    kept = c.node.get("paths") or {}
    if rest and rest[0] in kept.get(path, {}):  # a path-item key the source keeps as it is
        return ("paths", path) + _steps(kept[path], rest)
    ops = [op for op in c.operations.values() if op.path == path]
    if not ops:
        return ()
    if not rest:
        return ("operations", ops[0].id, "request")
    key, rest = rest[0], rest[1:]
    if key == "x-ms-notification-content":
        op = next((o for o in ops if "notification" in o.node), ops[0])
        base = ("operations", op.id, "notification")
        if rest and rest[0] == "schema":
            return base + ("schema",) + _schema_path(op.node["notification"].get("schema"), rest[1:])
        return base + tuple(rest[:1])
    op = next((o for o in ops if o.method == key), None)
    if op is None:
        return ("operations", ops[0].id, "request")
    base = ("operations", op.id)
    if not rest:
        return base
    if "raw" in op.node:  # kept as it is: the pointer goes on inside `raw`
        return base + ("raw",) + _steps(op.node["raw"], rest)
    key, rest = rest[0], rest[1:]
    if key == "parameters" and rest and isinstance(op.node.get("parameters"), list):
        return base + _listed_parameter(op.node["parameters"], rest)
    if key == "parameters" and rest:
        names = list((op.node.get("parameters") or {}))
        index = int(rest[0]) if rest[0].isdigit() else 0
        if index < len(names):
            name = names[index]
            tail = rest[1:]
            if tail and tail[0] in ("name", "in"):
                return base + ("parameters", name)
            param = op.node["parameters"][name]
            if tail and tail[0] == "schema" and isinstance(param, dict) and isinstance(param.get("schema"), dict):
                return base + ("parameters", name, "schema") + _schema_path(param["schema"], tail[1:])  # an imported body
            return base + ("parameters", name) + _schema_path(param, tail)
        if "body" in op.node:
            tail = rest[2:] if len(rest) > 1 and rest[1] == "schema" else []
            return base + ("body",) + _schema_path(op.node["body"], tail)
        return base
    if key == "responses" and rest:
        code = rest[0]
        responses = op.node.get("responses") or {}
        code_key = next((k for k in responses if str(k) == code), code)
        tail = rest[1:]
        if tail and tail[0] == "schema":
            return base + ("responses", code_key, "schema") + _schema_path(responses.get(code_key, {}).get("schema"), tail[1:])
        return base + ("responses", code_key) + tuple(tail[:1])
    if key == "operationId":
        return base
    if key in _AGENTS and _AGENTS[key] in op.node:  # the sugar wrote it; an x- key written as it is keeps its name
        return base + (_AGENTS[key],) + _ai_action_path(rest) if key == agents.AI_DATA else base + (_AGENTS[key],)
    return base + (_BACK.get(key, key),)


def _ai_action_path(rest: list[str]) -> tuple:
    """x-ms-openai-data's openai-enabled is `enabled`, its entry's x-ms-require-user-confirmation `require_confirmation`."""
    if rest[:1] == ["openai-enabled"]:
        return ("enabled",)
    if rest[-1:] == ["x-ms-require-user-confirmation"]:
        return ("require_confirmation",)
    return ()


def _shared(kept: Any, rest: list[str]) -> tuple:
    """A shared response or parameter by name (a response code is a string key), its schema through the sugar."""
    kept = kept if isinstance(kept, dict) else {}
    name, tail = next((k for k in kept if str(k) == rest[0]), rest[0]), rest[1:]
    entry = kept.get(name)
    if tail and tail[0] == "schema" and isinstance(entry, dict):
        return (name, "schema") + _schema_path(entry.get("schema"), tail[1:])
    return (name,) + tuple(tail[:1])


def _steps(node: Any, rest: list[str]) -> tuple:
    """Pointer parts as YAML path steps under a node kept as it is: list indexes as numbers."""
    out: list = []
    for part in rest:
        step: Any = int(part) if isinstance(node, list) and part.isdigit() else part
        out.append(step)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def _listed_parameter(params: list, rest: list[str]) -> tuple:
    """An imported source's parameters are a list in Swagger's order: index i is item i, a `{ref}` or a body."""
    index = int(rest[0]) if rest[0].isdigit() else -1
    if not 0 <= index < len(params):
        return ("parameters",)
    item, tail = params[index], rest[1:]
    if not isinstance(item, dict) or set(item) == {"ref"} or not tail or tail[0] in ("name", "in"):
        return ("parameters", index)
    if tail[0] == "schema" and isinstance(item.get("schema"), dict):
        return ("parameters", index, "schema") + _schema_path(item["schema"], tail[1:])
    return ("parameters", index) + _schema_path(item, tail)


def _schema_path(node: Any, rest: list[str]) -> tuple:
    """Undo the schema sugar along rest, following the YAML node where it exists."""
    out: tuple = ()
    i = 0
    while i < len(rest):
        key = rest[i]
        if key == "properties" and i + 1 < len(rest):
            name = rest[i + 1]
            out += ("properties", name)
            node = (node or {}).get("properties", {}).get(name) if isinstance(node, dict) else None
            i += 2
            continue
        if key == "items":
            out += ("items",)
            node = node.get("items") if isinstance(node, dict) else None
            i += 1
            continue
        if key == "required" and i + 1 < len(rest) and isinstance(node, dict) and not isinstance(node.get("required"), list):
            # A `required: true` on the property itself produced this entry of the parent's list.
            props = list((node.get("properties") or {}))
            required = [p for p in props if isinstance(node["properties"][p], dict) and node["properties"][p].get("required") is True]
            index = int(rest[i + 1]) if rest[i + 1].isdigit() else -1
            if 0 <= index < len(required):
                return out + ("properties", required[index], "required")
            return out + ("properties",)
        return out + (_BACK.get(key, key),) + tuple(rest[i + 1 : i + 2])
    return out

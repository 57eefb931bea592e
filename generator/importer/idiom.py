"""Swagger + apiProperties values -> the YAML source tree a person would write (plain dicts and lists).

Each construct gets the sugar when the sugar says exactly it; otherwise the escape hatch closest to it:
`extra` for keys the sugar has no word for, `key_order` where Swagger's order differs from the emitter's,
a list of parameters where a map cannot keep them, `raw` for an operation nothing else can say.
Every operation, schema, parameter and response is emitted back with the build's own emitter and compared
(key order included) before its idiom is accepted, so the sugar never changes what the connector says.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from .. import agents
from ..emit import properties as emit_properties
from ..emit import swagger as emit
from ..model import HTTP_METHODS, Operation

Json = dict[str, Any]

SCHEMA_TYPES = {"string", "integer", "number", "boolean", "array", "object", "file", "null"}
PARAMETER_TYPES = {"string", "integer", "number", "boolean", "array", "file"}
PARAMETER_IN = {"path", "query", "header", "formData", "body"}
VISIBILITY = {"important", "advanced", "internal", "none"}
OP_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
RESPONSE_CODE = re.compile(r"^([1-5][0-9][0-9]|default)$")
CANONICAL_DEFINITION = ["swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "paths", "definitions",
                        "parameters", "responses", "securityDefinitions", "security", "tags", "x-ms-connector-metadata"]
METADATA = (("Website", "website"), ("Privacy policy", "privacy_policy"), ("Categories", "categories"))


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values, key order included."""
    return json.dumps(a, sort_keys=False) == json.dumps(b, sort_keys=False)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _str(v: Any) -> bool:
    return isinstance(v, str)


def _bool(v: Any) -> bool:
    return isinstance(v, bool)


def _strings(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


# Keys copied under their own name when the value has the type the source schema expects.
_PLAIN = {
    "format": _str, "pattern": _str, "title": _str, "description": _str, "minimum": _number, "maximum": _number,
    "exclusiveMinimum": _bool, "exclusiveMaximum": _bool, "minLength": _int, "maxLength": _int, "minItems": _int,
    "maxItems": _int, "readOnly": _bool,
}
_PARAMETER_PLAIN = {
    "format": _str, "pattern": _str, "title": _str, "description": _str, "minimum": _number, "maximum": _number,
    "minLength": _int, "maxLength": _int, "minItems": _int, "maxItems": _int, "uniqueItems": _bool, "allowEmptyValue": _bool,
    "collectionFormat": lambda v: v in ("csv", "ssv", "tsv", "pipes", "multi"), "required": _bool, "name": _str,
}
_DYNAMIC = {ext: (key, {camel: snake for snake, camel in names.items()}) for key, (ext, names) in emit._DYNAMIC.items()}
_DYNAMIC_ALLOWED = {"dynamic_schema": {"operation", "parameters", "value_path"},
                    "dynamic_properties": {"operation", "parameters", "item_value_path"},
                    "dynamic_list": {"operation", "parameters", "items_path", "item_value_path", "item_title_path",
                                     "item_full_title_path", "browse"}}


def _plain_text(value: Any) -> Any:
    return value  # the imported source has one locale: every display string is plain text


class Idiom:
    def __init__(self, definition: Json):
        self.definition = definition
        defs = definition.get("definitions")
        self.schema_names = set(defs) if isinstance(defs, dict) else set()
        shared = definition.get("parameters")
        self.parameter_names = set(shared) if isinstance(shared, dict) else set()
        self.op_ids: set[str] = set()
        self.notes: Counter = Counter()  # what needed an escape hatch, counted, for the report

    # --- schemas and parameters ------------------------------------------------------------------

    def node(self, s: Json, kind: str = "schema") -> Json:
        """A schema (kind "schema") or a parameter ("parameter", "listed") in the source's words."""
        out: Json = {}
        keys = list(s)
        plain = _PLAIN if kind == "schema" else _PARAMETER_PLAIN
        types = SCHEMA_TYPES if kind == "schema" else PARAMETER_TYPES
        skip: set[str] = set()

        def literal(k: str, v: Any) -> None:
            out.setdefault("extra", {})[k] = v

        for i, (k, v) in enumerate(s.items()):
            if k in skip:
                continue
            following = keys[i + 1] if i + 1 < len(keys) else None
            if k == "in" and kind != "schema" and v in PARAMETER_IN:
                out["in"] = v
            elif k == "$ref" and kind == "schema" and _str(v) and v.startswith("#/definitions/") and v[14:] in self.schema_names and "ref" not in out:
                out["ref"] = v[14:]
            elif k == "x-ms-summary" and _str(v) and "summary" not in out:
                out["summary"] = v
            elif k == "x-ms-visibility" and v in VISIBILITY and "visibility" not in out:
                out["visibility"] = v
            elif k == "x-ms-notification-url" and _bool(v) and kind == "schema":
                out["notification_url"] = v
            elif k == "x-ms-url-encoding" and kind != "schema" and v in ("single", "double"):
                out["url_encoding"] = v
            elif k == "x-ms-dynamic-values" and self._dynamic_values(v) is not None:
                out["dynamic_values"] = self._dynamic_values(v)
            elif k in _DYNAMIC and self._dynamic(k, v) is not None:
                out[_DYNAMIC[k][0]] = self._dynamic(k, v)
            elif k == "enum" and isinstance(v, list) and v and all(isinstance(x, (str, int, float)) for x in v):
                named = s.get("x-ms-enum-values") if following == "x-ms-enum-values" else None
                if _enum_names(v, named):
                    out["enum"] = [{"value": x, "display_name": n["displayName"]} for x, n in zip(v, named)]
                    skip.add("x-ms-enum-values")
                else:
                    out["enum"] = list(v)
            elif k == "items" and isinstance(v, dict):
                out["items"] = self.node(v)
            elif k == "schema" and kind != "schema" and s.get("in") == "body" and isinstance(v, dict):
                out["schema"] = self.node(v)
            elif k == "properties" and kind == "schema" and isinstance(v, dict) and all(isinstance(p, dict) for p in v.values()):
                props = {name: self.node(p) for name, p in v.items()}
                wanted = s.get("required") if following == "required" else None
                if (isinstance(wanted, list) and wanted and all(isinstance(n, str) for n in wanted)
                        and wanted == [n for n in props if n in wanted] and len(set(wanted)) == len(wanted)):
                    for name in wanted:  # `required: true` on each property: the YAML says it where it is read
                        props[name]["required"] = True
                    skip.add("required")
                out["properties"] = props
            elif k == "additionalProperties" and kind == "schema" and isinstance(v, (dict, bool)):
                out[k] = self.node(v) if isinstance(v, dict) else v
            elif k == "required" and kind == "schema" and _strings(v):
                out["required"] = list(v)
            elif k == "type" and v in types:
                out["type"] = v
            elif k in ("default", "example") and (kind == "schema" or k == "default"):
                out[k] = v
            elif k in plain and plain[k](v):
                out[k] = v
            elif k.startswith("x-") and k not in out:
                out[k] = v
            else:
                literal(k, v)
        if _out_keys(out, kind) != keys:
            out["key_order"] = keys
            self.notes["key order kept"] += 1
        if "extra" in out:
            self.notes["keys without sugar (extra)"] += 1
        return out

    def _dynamic_values(self, v: Any) -> Json | None:
        order = ["operationId", "parameters", "value-collection", "value-path", "value-title"]
        if not isinstance(v, dict) or v.get("operationId") not in self.op_ids or "value-path" not in v:
            return None
        if list(v) != [k for k in order if k in v] or not all(_str(v[k]) for k in v if k != "parameters"):
            return None
        if "parameters" in v and not isinstance(v["parameters"], dict):
            return None
        return {("operation" if k == "operationId" else k.replace("-", "_")): value for k, value in v.items()}

    def _dynamic(self, ext: str, v: Any) -> Json | None:
        key, names = _DYNAMIC[ext]
        if not isinstance(v, dict) or not _str(v.get("operationId")):
            return None
        out = {}
        for k, value in v.items():
            name = "operation" if k == "operationId" else names.get(k, k)
            if name not in _DYNAMIC_ALLOWED[key] and not name.startswith("x-"):
                return None
            if name == "operation" and k != "operationId":
                return None
            out[name] = value
        return out

    def parameter(self, p: Any) -> Json | None:
        """A parameter in list form (every key in its place); None when the source cannot say it."""
        if isinstance(p, dict) and list(p) == ["$ref"] and _str(p["$ref"]) and p["$ref"].startswith("#/parameters/"):
            name = p["$ref"][13:]
            return {"ref": name} if name in self.parameter_names else None
        if not isinstance(p, dict) or not _str(p.get("name")) or p.get("in") not in PARAMETER_IN:
            return None
        return self.node(p, "listed")

    # --- operations ------------------------------------------------------------------------------

    def operation(self, path: str, method: str, o: Json, notification: Any) -> tuple[str, Json]:
        op_id = o.get("operationId")
        node = self._operation(path, method, o, notification) if _str(op_id) and OP_ID.match(op_id) else None
        if node is None or not _emits(op_id, method, path, node, o):
            node = {"request": f"{method.upper()} {path}", "raw": o}
            if notification is not None:
                node["notification"] = self.notification(notification)
            self.notes["operations kept as raw Swagger"] += 1
        return op_id, node

    def _operation(self, path: str, method: str, o: Json, notification: Any) -> Json | None:
        summary = o.get("summary")
        if not _str(summary) or not isinstance(o.get("responses"), dict) or not isinstance(o.get("parameters", []), list):
            return None
        if not all(RESPONSE_CODE.match(str(code)) and isinstance(r, dict) for code, r in o["responses"].items()):
            return None
        y: Json = {"request": f"{method.upper()} {path}"}
        extra: Json = {}
        for k, v in o.items():
            if k in ("tags", "consumes", "produces") and _strings(v):
                y[k] = v
            elif k in ("summary", "operationId", "parameters", "responses"):
                continue
            elif k == "description" and _str(v):
                y[k] = v
            elif k == "deprecated" and _bool(v):
                y[k] = v
            elif k == "x-ms-visibility" and v in VISIBILITY:
                y["visibility"] = v
            elif k == "x-ms-trigger" and v in ("single", "batch") and notification is not None:
                y["trigger"] = v
            elif k == "x-ms-trigger-hint" and _str(v):
                y["trigger_hint"] = v
            elif k == agents.PROTOCOL and v in agents.TRANSPORTS:
                y["mcp"] = agents.TRANSPORTS[v]
            elif k == agents.AI_DATA and agents.ai_action_sugar(v, o.get("operationId")) is not None:
                y["ai_action"] = agents.ai_action_sugar(v, o.get("operationId"))
            elif k.startswith("x-"):
                y[k] = v
            else:
                extra[k] = v
        y = _readable_operation(y, summary)
        params = self._parameters(o.get("parameters", []), path)
        if params is None:
            return None
        y.update(params)
        y["responses"] = {str(code): self.response(r) for code, r in o["responses"].items()}
        if notification is not None:
            y["notification"] = self.notification(notification)
        for k in [k for k in y if k.startswith("x-")]:
            y[k] = y.pop(k)  # extensions after the sugar, as the emitter writes them
        if extra:
            y["extra"] = extra
            self.notes["keys without sugar (extra)"] += 1
        emitted = emit._operation(Operation(o.get("operationId", ""), method, path, y), _plain_text)
        if list(emitted) != list(o):
            y["key_order"] = list(o)
            self.notes["key order kept"] += 1
        return y

    def _parameters(self, params: list, path: str) -> Json | None:
        listed = [self.parameter(p) for p in params]
        if any(p is None for p in listed):
            return None
        in_path = set()
        for p in listed:
            target = self.definition["parameters"][p["ref"]] if "ref" in p else p
            if isinstance(target, dict) and target.get("in") == "path":
                in_path.add(target.get("name"))
        if in_path != set(re.findall(r"\{([^}]+)\}", path)):
            return None  # the source insists path and parameters agree; Swagger as it is says what it says
        if not listed:
            return {}
        # A map by name, as a person writes it, where it says exactly the same; the body as `body:` when it is
        # the plain one the emitter writes.
        if all("ref" not in p for p in listed) and len({p["name"] for p in listed}) == len(listed):
            mapped = {p["name"]: {k: v for k, v in p.items() if k != "name"} for p in listed}
            out: Json = {"parameters": mapped}
            last = params[-1]
            if (list(last) == ["name", "in", "required", "schema"] and last["name"] == "body" and last["in"] == "body"
                    and last["required"] is True and "key_order" not in mapped["body"]):
                body = mapped.pop("body")["schema"]
                out = {"parameters": mapped, "body": body} if mapped else {"body": body}
            emitted = [emit._parameter(name, node, _plain_text) for name, node in mapped.items()]
            if "body" in out:
                emitted.append({"name": "body", "in": "body", "required": True, "schema": emit._schema(out["body"], _plain_text)})
            if same(emitted, params):
                for node in mapped.values():
                    node.pop("key_order", None)
                return out
        return {"parameters": listed}

    def _described(self, r: Json) -> Json:
        """A response or notification: description, schema, headers and x- keys as they are; the rest in extra."""
        y: Json = {}
        for k, v in r.items():
            if k == "description" and _str(v):
                y[k] = v
            elif k == "schema" and isinstance(v, dict):
                y[k] = self.node(v)
            elif k == "headers" or k.startswith("x-"):
                y[k] = v
            else:
                y.setdefault("extra", {})[k] = v
        return y

    def response(self, r: Json) -> Json:
        y = self._described(r)
        if not same(emit._response(y, _plain_text), r):
            y["key_order"] = list(r)
            if not same(emit._response(y, _plain_text), r):
                y = {"extra": r, "key_order": list(r)}
        return y

    def notification(self, n: Any) -> Json:
        y = self._described(n)
        if not same(emit._notification(y, _plain_text), n) if "schema" in y else True:
            y["key_order"] = list(n)
        return y

    def shared_schema(self, s: Any) -> Json:
        y = self.node(s) if isinstance(s, dict) else {"extra": s}
        if not same(emit._schema(y, _plain_text), s):
            self.notes["schemas kept as they are"] += 1
            return {"extra": s, "key_order": list(s)}
        return y


def _enum_names(values: list, named: Any) -> bool:
    return (isinstance(named, list) and len(named) == len(values)
            and all(isinstance(n, dict) and list(n) == ["value", "displayName"] and _str(n["displayName"])
                    and type(n["value"]) is type(v) and n["value"] == v for n, v in zip(named, values)))


def _out_keys(y: Json, kind: str) -> list[str]:
    """The Swagger keys the emitter writes for a node, in order (mirrors emit.swagger._keys)."""
    out: list[str] = []
    renamed = {"summary": "x-ms-summary", "visibility": "x-ms-visibility", "notification_url": "x-ms-notification-url",
               "url_encoding": "x-ms-url-encoding", "ref": "$ref", "dynamic_values": "x-ms-dynamic-values",
               **{key: ext for ext, (key, _) in _DYNAMIC.items()}}
    for k, v in y.items():
        if k == "extra":
            out.extend(v)
        elif k == "key_order":
            continue
        elif k == "in":
            if kind == "listed":
                out.append("in")
        elif k == "required":
            if not isinstance(v, bool) or kind != "schema":
                out.append("required")
        elif k == "enum":
            out.append("enum")
            if any(isinstance(x, dict) for x in v):
                out.append("x-ms-enum-values")
        elif k == "properties":
            out.append("properties")
            if any(p.get("required") is True for p in v.values()) and not isinstance(y.get("required"), list):
                out.append("required")
        else:
            out.append(renamed.get(k, k))
    return out


def _readable_operation(y: Json, summary: str) -> Json:
    """request, summary, description first: the order the ClickSend source reads in."""
    head = {"request": y.pop("request"), "summary": summary}
    if "description" in y:
        head["description"] = y.pop("description")
    return {**head, **y}


def _emits(op_id: Any, method: str, path: str, node: Json, original: Json) -> bool:
    return same(emit._operation(Operation(str(op_id), method, path, node), _plain_text), original)


# --- the whole connector -------------------------------------------------------------------------------


def source_tree(definition: Json, props: Json, *, script: bool = False, icon: bool = False) -> tuple[Json, Counter]:
    """The YAML source of a connector (a plain tree, written by write.py) and what needed escape hatches."""
    idiom = Idiom(definition)
    d = definition
    connector: Json = {}
    info = d.get("info") if isinstance(d.get("info"), dict) else {}
    connector["title"] = info.get("title", "") if _str(info.get("title", "")) else ""
    connector["description"] = info.get("description", "") if _str(info.get("description", "")) else ""
    info_extra: Json = {}
    for k, v in info.items():
        if k in ("title", "description") and _str(v):
            continue
        if k == "version" and _str(v):
            connector["version"] = v
        elif k == "contact" and isinstance(v, dict) and set(v) <= {"name", "url", "email"} and all(map(_str, v.values())):
            connector["contact"] = v
        else:
            info_extra[k] = v
    top_extra: Json = {}
    for k, v in d.items():
        if k == "host" and _str(v):
            connector["host"] = v
        elif k == "basePath" and _str(v) and v.startswith("/"):
            connector["base_path"] = v
        elif k == "schemes" and isinstance(v, list) and all(x in ("https", "http") for x in v):
            connector["schemes"] = v
        elif k in ("consumes", "produces") and _strings(v):
            connector[k] = v
    connector.setdefault("host", "")
    # apiProperties: the brand and publisher belong with the connector's identity
    p = props.get("properties", {})
    props_extra: Json = {}
    for k, v in p.items():
        if k == "publisher" and _str(v):
            connector["publisher"] = v
        elif k == "stackOwner" and _str(v):
            connector["stack_owner"] = v
        elif k == "iconBrandColor" and _str(v) and re.fullmatch(r"#[0-9a-fA-F]{6}", v):
            connector["brand_color"] = v
        elif k == "capabilities" and _strings(v):
            connector["capabilities"] = v
    if icon:
        connector["icon"] = "icon.png"
    meta = _metadata(d.get("x-ms-connector-metadata"))
    if meta is not None:
        connector["metadata"] = meta
    if isinstance(d.get("tags"), list) and d["tags"]:
        connector["tags"] = d["tags"]
    for k, v in p.items():
        if k == "policyTemplateInstances" and isinstance(v, list):
            if v:
                connector["policies"] = v
        elif k == "scriptOperations" and _strings(v):
            connector["script_operations"] = v
        elif k in ("connectionParameters", "connectionParameterSets", "publisher", "stackOwner", "iconBrandColor", "capabilities"):
            if k not in ("connectionParameters", "connectionParameterSets") and not _expressed(k, v, connector):
                props_extra[k] = v
            elif k == "connectionParameterSets" and not isinstance(v, dict):
                props_extra[k] = v
        else:
            props_extra[k] = v
    for k, v in d.items():
        if k == agents.AI_MANIFEST and agents.manifest_sugar(v) is not None:
            connector["ai_manifest"] = agents.manifest_sugar(v)
        elif k.startswith("x-") and not (k == "x-ms-connector-metadata" and meta is not None):
            connector[k] = v
        elif k in ("swagger", "paths", "definitions", "parameters", "responses", "securityDefinitions", "security",
                   "tags", "host", "basePath", "schemes", "consumes", "produces", "info"):
            if not _top_expressed(k, v, connector):
                top_extra[k] = v
        elif not k.startswith("x-"):
            top_extra[k] = v
    connection = _connection(d, p, top_extra)
    if info_extra:
        connector["info_extra"] = info_extra
    if top_extra:
        connector["extra"] = top_extra
    if props_extra:
        connector["properties_extra"] = props_extra

    tree: Json = {"locales": ["en"], "connector": connector}
    if connection:
        tree["connection"] = connection

    defs = d.get("definitions") if isinstance(d.get("definitions"), dict) else {}
    shared_params = d.get("parameters") if isinstance(d.get("parameters"), dict) else {}
    shared_responses = d.get("responses") if isinstance(d.get("responses"), dict) else {}
    # operationIds first: dynamic values may name an operation defined further down
    idiom.op_ids = {o.get("operationId") for item in d["paths"].values() if isinstance(item, dict)
                    for m, o in item.items() if m in HTTP_METHODS and isinstance(o, dict)}
    if defs:
        tree["schemas"] = {name: idiom.shared_schema(s) for name, s in defs.items()}
    if shared_params:
        tree["parameters"] = {name: (idiom.parameter(s) or {"name": "", "in": "query", "extra": s, "key_order": list(s)})
                              for name, s in shared_params.items()}
    if shared_responses:
        tree["responses"] = {name: idiom.response(r) if isinstance(r, dict) else {"extra": r} for name, r in shared_responses.items()}
    operations: Json = {}
    path_layout: Json = {}
    path_keys: Json = {}  # path-item keys beside the operations, kept as they are
    for path, item in d["paths"].items():
        item = item if isinstance(item, dict) else {}
        methods = [m for m in item if m in HTTP_METHODS and isinstance(item[m], dict)]
        notification = item.get("x-ms-notification-content") if methods else None
        carrier = next((m for m in methods if "x-ms-trigger" in item[m]), methods[0] if methods else None)
        expected = []
        for m in methods:
            op_id, node = idiom.operation(path, m, item[m], notification if m == carrier else None)
            if notification is not None and m == carrier:
                expected.append("x-ms-notification-content")
            expected.append(m)
            operations[_operation_key(op_id, operations)] = node
        beside = {k: v for k, v in item.items() if k not in expected}
        if beside:
            path_keys[path] = beside
            expected.extend(beside)
            idiom.notes["path-item keys kept as they are"] += 1
        if list(item) != expected or not item:
            path_layout[path] = list(item)
    tree["operations"] = operations
    if path_keys:
        tree["paths"] = path_keys
    if script:
        tree["script"] = {"file": "script.csx"}
    layout: Json = {}
    emitted_order = [*dict.fromkeys(o["request"].partition(" ")[2] for o in operations.values()), *path_keys]
    if list(dict.fromkeys([*emitted_order, *path_layout])) != list(d["paths"]):  # then every path, in order
        layout["paths"] = {path: path_layout.get(path, list(item) if isinstance(item, dict) else []) for path, item in d["paths"].items()}
    elif path_layout:
        layout["paths"] = path_layout
    tree["layout"] = layout  # filled in by fit_layout once the top-level objects are emitted
    return tree, idiom.notes


def _operation_key(op_id: Any, taken: Json) -> str:
    """The operation's key in the source: its operationId, or where that is no name a source can key an
    operation by (Rencore Code's "/api/analyze/post"), that id made one; the operation is then kept `raw`."""
    key = op_id if isinstance(op_id, str) and OP_ID.match(op_id) else re.sub(r"[^A-Za-z0-9_.-]", "_", str(op_id))
    key = key if OP_ID.match(key) else f"_{key}"
    while key in taken and key != op_id:
        key += "_"
    return key


def _expressed(k: str, v: Any, connector: Json) -> bool:
    names = {"publisher": "publisher", "stackOwner": "stack_owner", "iconBrandColor": "brand_color", "capabilities": "capabilities"}
    return connector.get(names[k]) == v


def _top_expressed(k: str, v: Any, connector: Json) -> bool:
    if k == "swagger":
        return v == "2.0"
    if k in ("paths", "info"):
        return True
    if k == "definitions":
        return isinstance(v, dict)
    if k in ("parameters", "responses", "securityDefinitions"):
        return isinstance(v, dict)
    if k == "security":
        return isinstance(v, list)
    if k == "tags":
        return isinstance(v, list)
    names = {"host": "host", "basePath": "base_path", "schemes": "schemes", "consumes": "consumes", "produces": "produces"}
    return connector.get(names[k]) == v


def _metadata(entries: Any) -> Json | None:
    if not isinstance(entries, list) or not entries:
        return None
    out: Json = {}
    position = 0
    for entry in entries:
        if not isinstance(entry, dict) or list(entry) != ["propertyName", "propertyValue"] or not _str(entry["propertyValue"]):
            return None
        names = [name for name, _ in METADATA[position:]]
        if entry["propertyName"] not in names:
            return None
        position += names.index(entry["propertyName"]) + 1
        key = dict(METADATA)[entry["propertyName"]]
        if key == "categories":
            parts = entry["propertyValue"].split(";")
            if not all(parts):
                return None
            out[key] = parts
        else:
            out[key] = entry["propertyValue"]
    return out


def _connection(d: Json, p: Json, top_extra: Json) -> Json:
    out: Json = {}
    schemes = d.get("securityDefinitions")
    security = d.get("security")
    if isinstance(schemes, dict) and schemes:
        if all(isinstance(s, dict) and s.get("type") in ("basic", "apiKey", "oauth2") for s in schemes.values()):
            if schemes == {"basic_auth": {"type": "basic"}} and list(schemes["basic_auth"]) == ["type"]:
                out["auth"] = "basic"
                default_security = [{"basic_auth": []}]
            else:
                out["auth"] = schemes
                default_security = [{name: []} for name in schemes]
        else:
            top_extra["securityDefinitions"] = schemes
            default_security = []
    else:
        default_security = []
    if isinstance(security, list) and security != default_security:
        out["security"] = security
    params = p.get("connectionParameters")
    if isinstance(params, dict) and params:
        out["parameters"] = _connection_parameters(params)
    elif "connectionParameters" in p and params != {}:
        out["parameters"] = {}
    if isinstance(p.get("connectionParameterSets"), dict):
        out["parameter_sets"] = p["connectionParameterSets"]
    return out


_OAUTH_BACK = {camel: snake for snake, camel in emit_properties._OAUTH.items()}


def _connection_parameters(params: Json) -> Json:
    """Each connection parameter in the sugar where it says exactly the same, else as it is (`raw`)."""
    out: Json = {}
    for index, (name, cp) in enumerate(params.items()):
        y = _connection_parameter(cp, index)
        if y is None or not same(_emit_connection_parameter(y, index), cp):
            y = {"raw": cp}
        out[name] = y
    return out


def _connection_parameter(cp: Any, index: int) -> Json | None:
    if not isinstance(cp, dict) or cp.get("type") not in ("string", "securestring", "int", "bool", "oauthSetting", "gatewaySetting"):
        return None
    y: Json = {"type": cp["type"]}
    ui = cp.get("uiDefinition") or {}
    constraints = ui.get("constraints") if isinstance(ui, dict) else None
    if isinstance(constraints, dict):
        if constraints.get("required") in ("true", "false"):
            y["required"] = constraints["required"] == "true"
    if isinstance(ui, dict):
        for key, out_key in (("displayName", "display_name"), ("description", "description"), ("tooltip", "tooltip")):
            if _str(ui.get(key)):
                y[out_key] = ui[key]
    if isinstance(constraints, dict):
        if "clearText" in constraints and _bool(constraints["clearText"]):
            y["clear_text"] = constraints["clearText"]
        if _int(constraints.get("tabIndex")) and constraints["tabIndex"] != index + 2:
            y["tab_index"] = constraints["tabIndex"]
    if isinstance(cp.get("oAuthSettings"), dict):
        settings = cp["oAuthSettings"]
        if any(k in emit_properties._OAUTH for k in settings):
            return None
        y["oauth"] = {_OAUTH_BACK.get(k, k): v for k, v in settings.items()}
    if "defaultValue" in cp:
        y["default"] = cp["defaultValue"]
    return y


def _emit_connection_parameter(y: Json, index: int) -> Json:
    from types import SimpleNamespace

    fake = SimpleNamespace(connection={"parameters": {f"p{i}": {"type": "string"} for i in range(index)} | {"this": y}},
                           info={}, node={}, script=None, source_locale="en")
    return emit_properties.properties(fake, "en")["properties"]["connectionParameters"]["this"]


def fit_layout(tree: Json, definition: Json, props: Json, built_definition: Json, built_properties: Json) -> None:
    """Record the top-level key order and presence where the original's differs from the canonical build."""
    layout = tree["layout"]
    if list(built_definition) != list(definition):
        layout["definition"] = list(definition)
    info = definition.get("info")
    if isinstance(info, dict) and list(built_definition.get("info", {})) != list(info):
        layout["info"] = list(info)
    if list(built_properties.get("properties", {})) != list(props.get("properties", {})):
        layout["properties"] = list(props["properties"])
    if not layout:
        del tree["layout"]

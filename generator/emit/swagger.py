"""Connector model -> Swagger 2.0 ``apiDefinition.swagger.json`` for one locale.

Each YAML node is translated key by key, in source order, so the author's order is the file's order
and the sugar maps to exactly one Swagger construct:

    summary -> x-ms-summary        visibility -> x-ms-visibility     ref: Name -> $ref #/definitions/Name
    required: true (a property) -> the parent's `required` list
    enum: [{value, display_name}] -> enum + x-ms-enum-values
    dynamic_values -> x-ms-dynamic-values   notification_url -> x-ms-notification-url
    mcp: streamable -> x-ms-agentic-protocol   ai_action -> x-ms-openai-data   ai_manifest -> x-ms-openai-manifest
    x-* keys -> copied as they are (the escape hatch)

What an imported connector needs beyond the sugar (see docs/import.md):
    extra: {...}      keys emitted as they are, at the place of `extra` (schemas, parameters) or at the end
    key_order: [...]  the output keys of that node, exactly and in this order (the importer writes it only
                      where Swagger's order differs from the order above)
    raw: {...}        an operation emitted as it is: the escape hatch for what the sugar cannot say
    layout: {definition, info, properties, paths}   the same as key_order for the top-level objects
    paths: {/path: {...}}   path-item keys beside the operations (`parameters`, x-…), as they are
    parameters: [...] a list keeps Swagger's parameter order; {ref: Name} is $ref '#/parameters/Name'
"""

from __future__ import annotations

from typing import Any

from .. import agents, envvars
from ..model import Connector, Operation

Json = dict[str, Any]


class Localizer:
    """Picks each display string's text for one locale (the source locale where a translation is missing)."""

    def __init__(self, connector: Connector, locale: str):
        self.locale = locale
        self.source = connector.source_locale

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict):
            return value.get(self.locale, value.get(self.source))
        return value


def definition(c: Connector, locale: str) -> Json:
    text = Localizer(c, locale)
    info_node = c.info
    info: Json = {"title": text(info_node["title"]), "description": text(info_node["description"]),
                  "version": info_node.get("version", "1.0")}
    if "contact" in info_node:
        info["contact"] = dict(info_node["contact"])
    info.update(info_node.get("info_extra") or {})
    layout = c.node.get("layout") or {}
    info = ordered(info, layout.get("info"))

    doc: Json = {"swagger": "2.0", "info": info, "host": envvars.value(info_node["host"]),
                 "basePath": envvars.value(info_node.get("base_path", "/")), "schemes": list(info_node.get("schemes", ["https"])),
                 "consumes": list(info_node.get("consumes", ["application/json"])),
                 "produces": list(info_node.get("produces", ["application/json"]))}

    paths: Json = {}
    for op in c.operations.values():
        item = paths.setdefault(op.path, {})
        if "notification" in op.node:
            item["x-ms-notification-content"] = _notification(op.node["notification"], text)
        item[op.method] = _operation(op, text)
    for path, keys in (c.node.get("paths") or {}).items():  # path-item keys beside the operations, as they are
        paths.setdefault(path, {}).update(keys)
    if layout.get("paths"):  # path items with their keys in another order, or without operations
        shaped = dict(paths)
        for path, keys in layout["paths"].items():
            shaped[path] = ordered(paths.get(path, {}), keys)
        if set(paths) <= set(layout["paths"]):  # the layout lists every path: in its order
            shaped = {**{path: shaped[path] for path in layout["paths"]}, **shaped}
        paths = shaped
    doc["paths"] = paths
    doc["definitions"] = {name: _schema(node, text) for name, node in c.schemas.items()}
    doc["parameters"] = {name: _listed_parameter(node, text) for name, node in (c.node.get("parameters") or {}).items()}
    doc["responses"] = {name: _response(node, text) for name, node in (c.node.get("responses") or {}).items()}

    auth = c.connection.get("auth", "none")
    if auth == "basic":
        doc["securityDefinitions"] = {"basic_auth": {"type": "basic"}}
        doc["security"] = [{"basic_auth": []}]
    elif isinstance(auth, dict):  # security scheme name -> Swagger security scheme, as it is
        doc["securityDefinitions"] = {name: envvars.resolve(scheme) for name, scheme in auth.items()}
        doc["security"] = [{name: []} for name in auth]
    else:
        doc["securityDefinitions"] = {}
        doc["security"] = []
    if "security" in c.connection:  # requirements other than "every scheme, no scopes"
        doc["security"] = c.connection["security"]
    doc["tags"] = list(info_node.get("tags", []))

    meta = info_node.get("metadata")
    if meta:
        entries = []
        if "website" in meta:
            entries.append({"propertyName": "Website", "propertyValue": meta["website"]})
        if "privacy_policy" in meta:
            entries.append({"propertyName": "Privacy policy", "propertyValue": meta["privacy_policy"]})
        if "categories" in meta:
            entries.append({"propertyName": "Categories", "propertyValue": ";".join(meta["categories"])})
        doc["x-ms-connector-metadata"] = entries
    for key, value in info_node.items():
        if key.startswith("x-"):
            doc[key] = value
        elif key == "ai_manifest":
            doc[agents.AI_MANIFEST] = agents.emit_manifest(value)
    doc.update(info_node.get("extra") or {})
    return ordered(doc, layout.get("definition"))


def ordered(out: Json, keys: Any) -> Json:
    """`out` with exactly the keys listed, in that order (a recorded key_order/layout); `out` when none is."""
    if keys is None:
        return out
    return {key: out[key] for key in keys if key in out}


def _operation(op: Operation, text: Localizer) -> Json:
    node = op.node
    if "raw" in node:
        return node["raw"]
    out: Json = {}
    for key in ("tags",):
        if key in node:
            out[key] = list(node[key])
    out["summary"] = text(node["summary"])
    if "description" in node:
        out["description"] = text(node["description"])
    out["operationId"] = op.id
    if "deprecated" in node:
        out["deprecated"] = node["deprecated"]
    for key in ("consumes", "produces"):
        if key in node:
            out[key] = list(node[key])
    declared = node.get("parameters") or {}
    if isinstance(declared, list):
        params = [_listed_parameter(p, text) for p in declared]
    else:
        params = [_parameter(name, p, text) for name, p in declared.items()]
    if "body" in node:
        params.append({"name": "body", "in": "body", "required": True, "schema": _schema(node["body"], text)})
    out["parameters"] = params
    out["responses"] = {str(code): _response(r, text) for code, r in node["responses"].items()}
    if "visibility" in node:
        out["x-ms-visibility"] = node["visibility"]
    if "trigger" in node:
        out["x-ms-trigger"] = node["trigger"]
    if "trigger_hint" in node:
        out["x-ms-trigger-hint"] = text(node["trigger_hint"])
    if "mcp" in node:
        out[agents.PROTOCOL] = agents.PROTOCOLS[node["mcp"]]
    if "ai_action" in node:
        out[agents.AI_DATA] = agents.emit_ai_action(node["ai_action"], op.id)
    for key, value in node.items():
        if key.startswith("x-"):
            out[key] = value
    out.update(node.get("extra") or {})
    return ordered(out, node.get("key_order"))


def _response(node: Any, text: Localizer) -> Json:
    out: Json = {"description": text(node.get("description", "default"))}
    for key, value in node.items():
        if key == "schema":
            out["schema"] = _schema(value, text)
        elif key == "headers" or key.startswith("x-"):
            out[key] = value
        elif key == "extra":
            out.update(value)
    return ordered(out, node.get("key_order"))


def _notification(node: Any, text: Localizer) -> Json:
    out: Json = {}
    if "description" in node:
        out["description"] = text(node["description"])
    if "schema" in node:  # Microsoft merged notifications without one
        out["schema"] = _schema(node["schema"], text)
    for key, value in node.items():
        if key == "headers" or key.startswith("x-"):
            out[key] = value
    out.update(node.get("extra") or {})
    return ordered(out, node.get("key_order"))


def _parameter(name: str, node: Any, text: Localizer) -> Json:
    out: Json = {"name": name, "in": node["in"]}
    if node["in"] == "path":
        out["required"] = True  # Swagger requires it of path parameters
    out.update(_keys(node, text))
    if node["in"] == "path" and "x-ms-url-encoding" not in out:
        out["x-ms-url-encoding"] = "single"  # Microsoft's PathParameterMissingEncoding rule
    return ordered(out, node.get("key_order"))


def _listed_parameter(node: Any, text: Localizer) -> Json:
    """A parameter of a list (or of the global section): every key in its own place, nothing implied."""
    if set(node) == {"ref"}:
        return {"$ref": f"#/parameters/{node['ref']}"}
    return ordered(_keys(node, text, keep_in=True), node.get("key_order"))


def _schema(node: Any, text: Localizer) -> Json:
    return ordered(_keys(node, text), node.get("key_order"))


_RENAMED = {"summary": "x-ms-summary", "visibility": "x-ms-visibility", "notification_url": "x-ms-notification-url",
            "url_encoding": "x-ms-url-encoding"}
_LOCALIZED = {"summary", "title", "description"}


def _keys(node: Any, text: Localizer, keep_in: bool = False) -> Json:
    """Translate one schema or parameter node, key by key in source order."""
    out: Json = {}
    for key, value in node.items():
        if key == "in":
            if keep_in:
                out["in"] = value
            continue
        if key == "key_order":
            continue
        if key == "extra":
            out.update(value)
        elif key == "required":
            if isinstance(value, bool):
                if "in" in node:  # a parameter's own flag; a property's goes to its parent
                    out["required"] = value
            else:
                out["required"] = list(value)
        elif key in _LOCALIZED:
            out[_RENAMED.get(key, key)] = text(value)
        elif key in _RENAMED:
            out[_RENAMED[key]] = value
        elif key == "ref":
            out["$ref"] = f"#/definitions/{value}"
        elif key == "enum":
            out["enum"] = [v["value"] if isinstance(v, dict) else v for v in value]
            if any(isinstance(v, dict) for v in value):
                out["x-ms-enum-values"] = [
                    {"value": v["value"], "displayName": text(v["display_name"])} if isinstance(v, dict)
                    else {"value": v, "displayName": str(v)}
                    for v in value
                ]
        elif key == "items":
            out["items"] = _schema(value, text)
        elif key == "properties":
            out["properties"] = {name: _schema(p, text) for name, p in value.items()}
            required = [name for name, p in value.items() if p.get("required") is True]
            if required and not isinstance(node.get("required"), list):
                out["required"] = required
        elif key == "additionalProperties" and isinstance(value, dict):
            out[key] = _schema(value, text)
        elif key == "schema" and "in" in node:  # a body parameter's schema
            out["schema"] = _schema(value, text)
        elif key == "dynamic_values":
            out["x-ms-dynamic-values"] = _dynamic_values(value)
        elif key in _DYNAMIC:
            out[_DYNAMIC[key][0]] = _dashed(value, _DYNAMIC[key][1])
        else:
            out[key] = value
    return out


# dynamic_schema / dynamic_properties / dynamic_list: the extension's keys in snake case, `operation` for
# operationId; each key is emitted in the author's order under its Swagger spelling.
_DYNAMIC = {
    "dynamic_schema": ("x-ms-dynamic-schema", {"value_path": "value-path"}),
    "dynamic_properties": ("x-ms-dynamic-properties", {"item_value_path": "itemValuePath"}),
    "dynamic_list": ("x-ms-dynamic-list", {"items_path": "itemsPath", "item_value_path": "itemValuePath",
                                           "item_title_path": "itemTitlePath", "item_full_title_path": "itemFullTitlePath"}),
}


def _dashed(node: Any, names: dict[str, str]) -> Json:
    return {"operationId" if key == "operation" else names.get(key, key): value for key, value in node.items()}


def _dynamic_values(node: Any) -> Json:
    out: Json = {"operationId": node["operation"]}
    if "parameters" in node:
        out["parameters"] = node["parameters"]
    for key in ("value_collection", "value_path", "value_title"):
        if key in node:
            out[key.replace("_", "-")] = node[key]
    return out

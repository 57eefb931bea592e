"""Connector model -> Swagger 2.0 ``apiDefinition.swagger.json`` for one locale.

Each YAML node is translated key by key, in source order, so the author's order is the file's order
and the sugar maps to exactly one Swagger construct:

    summary -> x-ms-summary        visibility -> x-ms-visibility     ref: Name -> $ref #/definitions/Name
    required: true (a property) -> the parent's `required` list
    enum: [{value, display_name}] -> enum + x-ms-enum-values
    dynamic_values -> x-ms-dynamic-values   notification_url -> x-ms-notification-url
    x-* keys -> copied as they are (the escape hatch)
"""

from __future__ import annotations

from typing import Any

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

    doc: Json = {"swagger": "2.0", "info": info, "host": info_node["host"],
                 "basePath": info_node.get("base_path", "/"), "schemes": list(info_node.get("schemes", ["https"])),
                 "consumes": list(info_node.get("consumes", ["application/json"])),
                 "produces": list(info_node.get("produces", ["application/json"]))}

    paths: Json = {}
    for op in c.operations.values():
        item = paths.setdefault(op.path, {})
        if "notification" in op.node:
            item["x-ms-notification-content"] = _notification(op.node["notification"], text)
        item[op.method] = _operation(op, text)
    doc["paths"] = paths
    doc["definitions"] = {name: _schema(node, text) for name, node in c.schemas.items()}
    doc["parameters"] = {}
    doc["responses"] = {}

    auth = c.connection.get("auth", "none")
    if auth == "basic":
        doc["securityDefinitions"] = {"basic_auth": {"type": "basic"}}
        doc["security"] = [{"basic_auth": []}]
    else:
        doc["securityDefinitions"] = {}
        doc["security"] = []
    doc["tags"] = []

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
    return doc


def _operation(op: Operation, text: Localizer) -> Json:
    node = op.node
    out: Json = {}
    for key in ("tags",):
        if key in node:
            out[key] = list(node[key])
    out["summary"] = text(node["summary"])
    if "description" in node:
        out["description"] = text(node["description"])
    out["operationId"] = op.id
    if node.get("deprecated"):
        out["deprecated"] = True
    for key in ("consumes", "produces"):
        if key in node:
            out[key] = list(node[key])
    params = [_parameter(name, p, text) for name, p in (node.get("parameters") or {}).items()]
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
    for key, value in node.items():
        if key.startswith("x-"):
            out[key] = value
    return out


def _response(node: Any, text: Localizer) -> Json:
    out: Json = {"description": text(node.get("description", "default"))}
    for key, value in node.items():
        if key == "schema":
            out["schema"] = _schema(value, text)
        elif key == "headers" or key.startswith("x-"):
            out[key] = value
    return out


def _notification(node: Any, text: Localizer) -> Json:
    out: Json = {}
    if "description" in node:
        out["description"] = text(node["description"])
    out["schema"] = _schema(node["schema"], text)
    return out


def _parameter(name: str, node: Any, text: Localizer) -> Json:
    out: Json = {"name": name, "in": node["in"]}
    if node["in"] == "path":
        out["required"] = True  # Swagger requires it of path parameters
    out.update(_keys(node, text))
    if node["in"] == "path" and "x-ms-url-encoding" not in out:
        out["x-ms-url-encoding"] = "single"  # Microsoft's PathParameterMissingEncoding rule
    return out


def _schema(node: Any, text: Localizer) -> Json:
    return _keys(node, text)


_RENAMED = {"summary": "x-ms-summary", "visibility": "x-ms-visibility", "notification_url": "x-ms-notification-url",
            "url_encoding": "x-ms-url-encoding"}
_LOCALIZED = {"summary", "title", "description"}


def _keys(node: Any, text: Localizer) -> Json:
    """Translate one schema or parameter node, key by key in source order."""
    out: Json = {}
    for key, value in node.items():
        if key == "in":
            continue
        if key == "required":
            if isinstance(value, bool):
                if value and "in" in node:  # a parameter's own flag; a property's goes to its parent
                    out["required"] = True
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
        elif key == "dynamic_values":
            out["x-ms-dynamic-values"] = _dynamic_values(value)
        else:
            out[key] = value
    return out


def _dynamic_values(node: Any) -> Json:
    out: Json = {"operationId": node["operation"]}
    if "parameters" in node:
        out["parameters"] = node["parameters"]
    for key in ("value_collection", "value_path", "value_title"):
        if key in node:
            out[key.replace("_", "-")] = node[key]
    return out

"""Connector model -> ``apiProperties.json`` for one locale: connection parameters, brand, script routing."""

from __future__ import annotations

from ..model import Connector
from .swagger import Json, Localizer


def properties(c: Connector, locale: str) -> Json:
    text = Localizer(c, locale)
    info = c.info
    params: Json = {}
    for index, (name, node) in enumerate((c.connection.get("parameters") or {}).items()):
        ui: Json = {}
        for key, out_key in (("display_name", "displayName"), ("description", "description"), ("tooltip", "tooltip")):
            if key in node:
                ui[out_key] = text(node[key])
        constraints: Json = {"tabIndex": node.get("tab_index", index + 2)}
        if "clear_text" in node:
            constraints["clearText"] = node["clear_text"]
        # The schema wants these as the strings "true"/"false", not booleans.
        constraints["required"] = "true" if node.get("required") else "false"
        ui["constraints"] = constraints
        param: Json = {"type": node["type"], "uiDefinition": ui}
        if "default" in node:
            param["defaultValue"] = node["default"]
        params[name] = param

    props: Json = {"connectionParameters": params, "iconBrandColor": info.get("brand_color", "#007ee5"),
                   "capabilities": list(info.get("capabilities", []))}
    if "publisher" in info:
        props["publisher"] = info["publisher"]
    if "stack_owner" in info:
        props["stackOwner"] = info["stack_owner"]
    if c.script:
        props["scriptOperations"] = c.script_operations()
    props["policyTemplateInstances"] = []
    return {"properties": props}

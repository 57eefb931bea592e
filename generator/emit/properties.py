"""Connector model -> ``apiProperties.json`` for one locale: connection parameters, brand, script routing."""

from __future__ import annotations

from .. import envvars
from ..model import Connector
from .swagger import Json, Localizer, ordered


def properties(c: Connector, locale: str) -> Json:
    text = Localizer(c, locale)
    info = c.info
    params: Json = {}
    for index, (name, node) in enumerate((c.connection.get("parameters") or {}).items()):
        if "raw" in node:  # the escape hatch: a parameter the sugar cannot say, as it is
            params[name] = envvars.resolve(node["raw"])
            continue
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
        param: Json = {"type": node["type"]}
        if "oauth" in node:
            param["oAuthSettings"] = {_OAUTH.get(key, key): envvars.resolve(value) for key, value in node["oauth"].items()}
        if "oauth" not in node or len(ui) > 1:  # an OAuth connection usually has no form of its own
            param["uiDefinition"] = ui
        if "default" in node:
            param["defaultValue"] = envvars.resolve(node["default"])
        params[name] = param

    props: Json = {"connectionParameters": params, "iconBrandColor": info.get("brand_color", "#007ee5"),
                   "capabilities": list(info.get("capabilities", []))}
    if "publisher" in info:
        props["publisher"] = info["publisher"]
    if "stack_owner" in info:
        props["stackOwner"] = info["stack_owner"]
    if "parameter_sets" in c.connection:
        props["connectionParameterSets"] = envvars.resolve(c.connection["parameter_sets"])
    if "script_operations" in info:  # kept as listed (a hand-written script names its own operations)
        props["scriptOperations"] = list(info["script_operations"])
    elif c.script:
        props["scriptOperations"] = c.script_operations()
    props["policyTemplateInstances"] = envvars.resolve(list(info.get("policies", [])))
    props.update(info.get("properties_extra") or {})
    return {"properties": ordered(props, (c.node.get("layout") or {}).get("properties"))}


_OAUTH = {"identity_provider": "identityProvider", "client_id": "clientId", "redirect_mode": "redirectMode",
          "redirect_url": "redirectUrl", "custom_parameters": "customParameters"}

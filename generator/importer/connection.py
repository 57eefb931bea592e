"""Swagger 2.0 securityDefinitions -> apiProperties: the connection parameters the platform pairs with each
kind of scheme, named as Microsoft's connectors name them (basic -> username + password, apiKey -> api_key,
oauth2 -> token; ../shared/reference/research/powerplatform-connector-format.md section 3.1 counts them).

A connection has one way to sign in, so one scheme is chosen: the first of the document's `security`
requirement, else the first defined. The caller reports the others.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

BRAND_COLOR = "#007ee5"  # the maker portal's default for a custom connector

# "Bearer " before the key: Swagger 2.0 has no bearer scheme, so the key is an apiKey in the Authorization header
# and a setheader policy adds the prefix, as Microsoft's Calendly and cioplenu connectors do
# (PowerPlatformConnectors: certified-connectors/Calendly/apiProperties.json).
BEARER_POLICY = {
    "templateId": "setheader",
    "title": "Send the API key as a bearer token",
    "parameters": {
        "x-ms-apimTemplateParameter.name": "Authorization",
        "x-ms-apimTemplateParameter.value": "Bearer @connectionParameters('api_key')",
        "x-ms-apimTemplateParameter.existsAction": "override",
        "x-ms-apimTemplate-policySection": "Request",
    },
}


def chosen_scheme(security_definitions: Json, security: Any) -> str | None:
    """The scheme the connection signs in with: the first named by the top-level requirement, else the first."""
    names = [n for n, s in security_definitions.items() if isinstance(s, dict) and s.get("type") in ("basic", "apiKey", "oauth2")]
    if isinstance(security, list):
        for requirement in security:
            for name in requirement if isinstance(requirement, dict) else ():
                if name in names:
                    return name
    return names[0] if names else None


def _parameter(index: int, kind: str, display: str, description: str | None, required: bool = True, clear_text: bool | None = None) -> Json:
    """One connection parameter exactly as `ppconnector build` emits its sugar, so the import writes the sugar."""
    ui: Json = {"displayName": display}
    if description:
        ui["description"] = description
    constraints: Json = {"tabIndex": index + 2}
    if clear_text is not None:
        constraints["clearText"] = clear_text
    constraints["required"] = "true" if required else "false"
    ui["constraints"] = constraints
    return {"type": kind, "uiDefinition": ui}


def connection_parameters(scheme: Json | None, bearer: bool = False) -> Json:
    """apiProperties' connectionParameters for one Swagger 2.0 security scheme (None: no authentication)."""
    if scheme is None:
        return {}
    kind = scheme.get("type")
    about = scheme.get("description") if isinstance(scheme.get("description"), str) and scheme.get("description") else None
    if kind == "basic":
        return {"username": _parameter(0, "securestring", "Username", about, clear_text=True),
                "password": _parameter(1, "securestring", "Password", None, clear_text=False)}
    if kind == "apiKey":
        where = "bearer token" if bearer else f"{scheme.get('in', 'header')} {scheme.get('name', '')}".strip()
        return {"api_key": _parameter(0, "securestring", "API Key", about or f"The API key (sent as the {where}).", clear_text=False)}
    if kind == "oauth2":
        settings: Json = {"identityProvider": "oauth2", "clientId": "", "scopes": list(scheme.get("scopes") or {}),
                          "redirectMode": "Global", "properties": {"IsFirstParty": "False"}}
        custom: Json = {}
        if scheme.get("authorizationUrl"):
            custom["authorizationUrl"] = {"value": scheme["authorizationUrl"]}
        if scheme.get("tokenUrl"):
            custom["tokenUrl"] = {"value": scheme["tokenUrl"]}
            custom["refreshUrl"] = {"value": scheme.get("x-refreshUrl") or scheme["tokenUrl"]}
        if custom:
            settings["customParameters"] = custom
        return {"token": {"type": "oauthSetting", "oAuthSettings": settings}}
    return {}


def api_properties(parameters: Json, policies: list | None = None) -> Json:
    """apiProperties.json of an imported connector, in the key order `ppconnector build` writes."""
    return {"properties": {"connectionParameters": parameters, "iconBrandColor": BRAND_COLOR, "capabilities": [],
                           "policyTemplateInstances": list(policies or [])}}

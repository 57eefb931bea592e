"""paconn's ``settings.json`` for one build: the file names it deploys and where it deploys them."""

from __future__ import annotations

from ..model import Connector
from .swagger import Json

DEFINITION = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"
SCRIPT = "script.csx"
ICON = "icon.png"
SETTINGS = "settings.json"


def settings(c: Connector, locale: str) -> Json:
    deploy = c.node.get("deploy") or {}
    out: Json = {}
    ids = deploy.get("connector_id")
    if isinstance(ids, str):  # every locale is its own connector: a plain id is the source locale's
        ids = {c.source_locale: ids}
    if ids and locale in ids:
        out["connectorId"] = ids[locale]
    if "environment" in deploy:
        out["environment"] = deploy["environment"]
    out["apiProperties"] = PROPERTIES
    out["apiDefinition"] = DEFINITION
    if c.info.get("icon"):
        out["icon"] = ICON
    if c.script:
        out["script"] = SCRIPT
    out["powerAppsUrl"] = deploy.get("power_apps_url", "https://api.powerapps.com")
    out["powerAppsApiVersion"] = "2016-11-01"
    out["flowUrl"] = deploy.get("flow_url", "https://api.flow.microsoft.com")
    out["flowApiVersion"] = "2016-11-01"
    return out

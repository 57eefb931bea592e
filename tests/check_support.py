"""A minimal connector that passes every rule of the check engine's own families, and helpers to break it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

OWN_FAMILIES = ("swagger", "microsoft", "certification", "cross-file", "limits", "localization", "readme", "solution", "agents")
OWN_SCRIPT_RULES = ("script-class", "script-execute-async", "script-size", "script-httpclient", "script-operation-id")

SCRIPT = """public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        if (this.Context.OperationId == "ListItems")
        {
            return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
        }
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
    }
}
"""


# Descriptions that say more than their label (description-says-more).
_DESCRIPTIONS = {"Name": "What the item is called.", "Kind": "Which kind of item it is.",
                 "Item ID": "The identifier the service gave the item."}


def _leaf(summary: str, type_: str = "string") -> dict:
    return {"type": type_, "x-ms-summary": summary, "description": _DESCRIPTIONS[summary]}


DEFINITION = {
    "swagger": "2.0",
    "info": {"title": "Example Mail", "description": "Sends and lists messages of the Example service for flows.",
             "version": "1.0", "contact": {"name": "Support", "url": "https://example.com/help", "email": "help@example.com"}},
    "host": "api.example.com",
    "basePath": "/v1",
    "schemes": ["https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "paths": {
        "/items": {
            "get": {
                "operationId": "ListItems", "summary": "List items", "description": "Lists the items.",
                "parameters": [{"name": "limit", "in": "query", "type": "integer", "default": 10, "required": False,
                                "x-ms-summary": "Limit", "description": "How many."}],
                "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Items"}}},
            },
            "post": {
                "operationId": "CreateItem", "summary": "Create an item", "description": "Creates an item.",
                "parameters": [{"name": "body", "in": "body", "required": True, "schema": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": _leaf("Name"), "kind": {**_leaf("Kind"), "enum": ["a", "b"],
                                   "x-ms-enum-values": [{"value": "a", "displayName": "A"}, {"value": "b", "displayName": "B"}],
                                   "x-ms-dynamic-values": {"operationId": "ListItems", "parameters": {"limit": 5},
                                                           "value-collection": "items", "value-path": "id", "value-title": "name"}}}}}],
                "responses": {"200": {"description": "OK", "schema": {"type": "object", "properties": {"id": _leaf("Item ID")}}},
                              "default": {"description": "Error"}},
            },
        },
        "/items/{id}": {
            "delete": {
                "operationId": "DeleteItem", "summary": "Delete an item", "description": "Deletes an item.",
                "parameters": [{"name": "id", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "single",
                                "x-ms-summary": "Item ID", "description": "The item."}],
                "responses": {"200": {"description": "OK"}},
            },
        },
        "/hooks": {
            "x-ms-notification-content": {"description": "Item", "schema": {"type": "object", "properties": {"id": _leaf("Item ID")}}},
            "post": {
                "operationId": "OnNewItem", "summary": "When an item is created", "description": "Triggers on a new item.",
                "x-ms-trigger": "single",
                "parameters": [{"name": "body", "in": "body", "required": True, "schema": {
                    "type": "object", "required": ["url"],
                    "properties": {"url": {"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal",
                                           "x-ms-summary": "URL", "description": "Callback."}}}}],
                "responses": {"201": {"description": "Created"}},
            },
        },
        "/hooks/{hookId}": {
            "delete": {
                "operationId": "DeleteHook", "summary": "Delete a hook", "description": "Removes a webhook.",
                "x-ms-visibility": "internal",
                "parameters": [{"name": "hookId", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "single",
                                "x-ms-summary": "Hook ID", "description": "The hook."}],
                "responses": {"200": {"description": "OK"}},
            },
        },
    },
    "definitions": {"Items": {"type": "object", "properties": {"items": {"type": "array", "items": {
        "type": "object", "properties": {"id": _leaf("Item ID"), "name": _leaf("Name")}}}}}},
    "securityDefinitions": {"basic": {"type": "basic"}},
    "security": [{"basic": []}],
    "x-ms-connector-metadata": [{"propertyName": "Website", "propertyValue": "https://example.com"},
                                {"propertyName": "Privacy policy", "propertyValue": "https://example.com/privacy"},
                                {"propertyName": "Categories", "propertyValue": "Communication;Productivity"}],
}

PROPERTIES = {"properties": {
    "connectionParameters": {
        "username": {"type": "securestring", "uiDefinition": {"displayName": "Username", "description": "Your user name",
                                                              "constraints": {"required": "true"}}},
        "password": {"type": "securestring", "uiDefinition": {"displayName": "Password", "description": "Your password",
                                                              "constraints": {"required": "true"}}},
        "region": {"type": "string", "uiDefinition": {"displayName": "Region", "description": "Your region",
                                                      "constraints": {"required": "false"}}}},
    "iconBrandColor": "#0095ff",
    "capabilities": [],
    "publisher": "Example",
    "scriptOperations": ["ListItems"],
    "policyTemplateInstances": [{"templateId": "dynamichosturl", "title": "Region",
                                 "parameters": {"x-ms-apimTemplateParameter.urlTemplate": "https://@connectionParameters('region').example.com",
                                                "x-ms-apimTemplate-operationName": ["ListItems"]}}],
}}


def parts() -> tuple[dict, dict, str]:
    return copy.deepcopy(DEFINITION), copy.deepcopy(PROPERTIES), SCRIPT


def write_folder(folder: Path, definition: dict, properties: dict, script: str | None = SCRIPT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition, indent=2), encoding="utf-8")
    (folder / "apiProperties.json").write_text(json.dumps(properties, indent=2), encoding="utf-8")
    if script is not None:
        (folder / "script.csx").write_text(script, encoding="utf-8")
    return folder


def target(definition: dict, properties: dict, script: str | None = SCRIPT, builds: dict | None = None):
    from ppconnector.check.engine import Loaded
    from ppconnector.check.registry import Target

    files = {"definition": "apiDefinition.swagger.json", "properties": "apiProperties.json", "script": "script.csx"}
    return Loaded(Target(definition, properties, script, None, None, files, builds or {}, None))


def own_rules():
    from ppconnector.check.registry import all_rules

    return [r for r in all_rules().values() if r.function.__module__.startswith("ppconnector.check.rules.")]


def findings(definition: dict, properties: dict, script: str | None = SCRIPT, builds: dict | None = None):
    from ppconnector.check.engine import run

    return run(target(definition, properties, script, builds), own_rules())

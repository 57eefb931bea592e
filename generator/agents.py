"""Agent connectors: a connector operation that fronts an MCP server, and connector actions enabled for Copilot
(AI actions, formerly AI plugins). What marks each in a Swagger definition, where Microsoft documents it, and the
YAML sugar that writes it.

MCP. Copilot Studio takes a custom connector whose one operation carries `x-ms-agentic-protocol:
mcp-streamable-1.0` as an MCP server: every tool the server lists becomes a tool of the agent, with the name,
description, inputs and outputs the server gives (MCP_DOC, "Create a custom MCP connector" and its schema
sample: a Swagger 2.0 definition, one `post` operation with the extension and a `200` response). Its
"Supported transports" say Streamable HTTP is the one to use and that Copilot Studio no longer supports the
SSE transport (`mcp-sse-1.0`, as in the custom-connectors/MCP-SSE sample of microsoft/PowerPlatformConnectors)
after August 2025. The tools themselves live on the server, so what the definition decides for an agent is the
endpoint (host, basePath, path), the connection (auth), the transport and the operation's summary and
description.

AI actions. A certified connector's actions can be offered to Microsoft 365 Copilot and Copilot Studio agents
(AI_ACTION_DOC, "Create a connector AI action (preview)", which says such a connector must be certified). The
published connectors of microsoft/PowerPlatformConnectors that do it (13 of the 300-connector corpus, listed in
docs/agents.md) carry `x-ms-openai-data: {"openai-enabled": true, "operations": [{"operationId": <the
operation's own id>, "x-ms-require-user-confirmation": <bool>}]}` on an operation and
`x-ms-openai-manifest: {humanName, modelDescription, contactEmail, legalUrl}` at the definition's root.

The YAML sugar (each maps to exactly one extension; an `x-…` key written as it is stays the escape hatch):

    mcp: streamable                           (operation) x-ms-agentic-protocol: mcp-streamable-1.0
    mcp: sse                                  (operation) x-ms-agentic-protocol: mcp-sse-1.0
    ai_action: {enabled, require_confirmation} (operation) x-ms-openai-data
    ai_manifest: {name, model_description, contact_email, legal_url} (connector) x-ms-openai-manifest
"""

from __future__ import annotations

from typing import Any

MCP_DOC = "https://learn.microsoft.com/en-us/microsoft-copilot-studio/agent-extend-action-mcp"
AI_ACTION_DOC = "https://learn.microsoft.com/en-us/connectors/create-a-connector-ai-plugin"

PROTOCOL = "x-ms-agentic-protocol"
AI_DATA = "x-ms-openai-data"
AI_MANIFEST = "x-ms-openai-manifest"

STREAMABLE, SSE = "mcp-streamable-1.0", "mcp-sse-1.0"
PROTOCOLS = {"streamable": STREAMABLE, "sse": SSE}  # the YAML's word -> the extension's value
TRANSPORTS = {value: word for word, value in PROTOCOLS.items()}

MANIFEST_KEYS = {"name": "humanName", "model_description": "modelDescription", "contact_email": "contactEmail",
                 "legal_url": "legalUrl"}
MANIFEST_NAMES = {swagger: yaml for yaml, swagger in MANIFEST_KEYS.items()}


# --- reading a Swagger definition ------------------------------------------------------------------------


def mcp_protocol(operation: Any) -> str | None:
    """The operation's x-ms-agentic-protocol when it has one (any value: check judges unknown ones)."""
    value = operation.get(PROTOCOL) if isinstance(operation, dict) else None
    return value if isinstance(value, str) else None


def is_mcp(operation: Any) -> bool:
    return mcp_protocol(operation) is not None


def ai_enabled(operation: Any) -> bool:
    """The operation is offered to Copilot as an AI action (`x-ms-openai-data` with `openai-enabled: true`)."""
    data = operation.get(AI_DATA) if isinstance(operation, dict) else None
    return isinstance(data, dict) and data.get("openai-enabled") is True


def require_confirmation(operation: Any) -> bool | None:
    """x-ms-require-user-confirmation of the operation's own entry in x-ms-openai-data (None when it has none)."""
    data = operation.get(AI_DATA) if isinstance(operation, dict) else None
    entries = data.get("operations") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("operationId") == operation.get("operationId"):
            value = entry.get("x-ms-require-user-confirmation")
            return value if isinstance(value, bool) else None
    return None


def agent_facing(operation: Any) -> bool:
    """An agent reads this operation's summary and description to decide when to call it."""
    return is_mcp(operation) or ai_enabled(operation)


# --- the YAML sugar -----------------------------------------------------------------------------------------


def emit_ai_action(node: Any, operation_id: str) -> dict:
    """`ai_action: {enabled, require_confirmation}` -> x-ms-openai-data naming the operation itself."""
    out: dict = {"openai-enabled": node["enabled"]}
    if "require_confirmation" in node:
        out["operations"] = [{"operationId": operation_id, "x-ms-require-user-confirmation": node["require_confirmation"]}]
    return out


def emit_manifest(node: Any) -> dict:
    return {MANIFEST_KEYS[key]: value for key, value in node.items()}


def ai_action_sugar(value: Any, operation_id: Any) -> dict | None:
    """The `ai_action` that emits exactly this x-ms-openai-data, else None (the importer keeps the key as it is)."""
    if not isinstance(value, dict) or not isinstance(value.get("openai-enabled"), bool):
        return None
    if list(value) == ["openai-enabled"]:
        return {"enabled": value["openai-enabled"]}
    entries = value.get("operations")
    if list(value) != ["openai-enabled", "operations"] or not isinstance(entries, list) or len(entries) != 1:
        return None
    entry = entries[0]
    if (not isinstance(entry, dict) or list(entry) != ["operationId", "x-ms-require-user-confirmation"]
            or entry["operationId"] != operation_id or not isinstance(entry["x-ms-require-user-confirmation"], bool)):
        return None
    return {"enabled": value["openai-enabled"], "require_confirmation": entry["x-ms-require-user-confirmation"]}


def manifest_sugar(value: Any) -> dict | None:
    """The `ai_manifest` that emits exactly this x-ms-openai-manifest, else None."""
    if not isinstance(value, dict) or not value or not set(value) <= set(MANIFEST_NAMES):
        return None
    if not all(isinstance(v, str) for v in value.values()):
        return None
    return {MANIFEST_NAMES[key]: v for key, v in value.items()}


def source_view(node: Any, operation_id: str) -> dict:
    """The agent extensions of an operation of the YAML model (the sugar, `x-` keys, or a `raw` operation) as Swagger
    writes them, so the readers above work on a source's operations too."""
    node = node if isinstance(node, dict) else {}
    swagger = node["raw"] if isinstance(node.get("raw"), dict) else node
    out: dict = {"operationId": operation_id}
    if node.get("mcp") in PROTOCOLS:
        out[PROTOCOL] = PROTOCOLS[node["mcp"]]
    elif PROTOCOL in swagger:
        out[PROTOCOL] = swagger[PROTOCOL]
    if isinstance(node.get("ai_action"), dict) and "enabled" in node["ai_action"]:
        out[AI_DATA] = emit_ai_action(node["ai_action"], operation_id)
    elif AI_DATA in swagger:
        out[AI_DATA] = swagger[AI_DATA]
    return out

"""Agent connectors: an operation that fronts an MCP server for Copilot Studio, and actions offered to Copilot as AI
actions (generator/agents.py says what marks each and where Microsoft documents it; docs/agents.md has the rules'
sources and what they found on the public connectors).

The extensions themselves are in ppconnector's definition schema (`ms-definition-schema`): x-ms-agentic-protocol
on an operation, x-ms-openai-data on an operation, x-ms-openai-manifest at the root. These rules check what the
schema cannot: the transport Copilot Studio takes, the request the transport makes, the operation an AI action's
data names, and the confirmation Copilot asks before an action with side effects.
"""

from __future__ import annotations

from typing import Iterable

from ... import agents
from ...diagnostics import did_you_mean
from ..registry import Issue, Target, rule
from ..walk import esc, obj
from .common import WARNING, _ops

AGENTS = "agents"
SECTION = AGENTS
CONFIRMATION_DOC = "https://learn.microsoft.com/en-us/microsoft-365-copilot/extensibility/api-plugin-confirmation-prompts"


def _say(t: Target, yaml: str, swagger: str) -> str:
    """The fix in the user's words: the YAML's key on a YAML source, the extension on a folder."""
    return yaml if t.connector is not None else swagger


@rule("mcp-transport-sse", WARNING, AGENTS,
      "An MCP operation on the SSE transport (mcp-sse-1.0): Copilot Studio no longer supports SSE for MCP after August "
      f"2025; use mcp-streamable-1.0 and a Streamable HTTP server ({agents.MCP_DOC}, Supported transports).")
def mcp_transport_sse(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if agents.mcp_protocol(op.node) == agents.SSE:
            fix = _say(t, "mcp: streamable", "x-ms-agentic-protocol: mcp-streamable-1.0")
            yield Issue(f"{op.id} uses the SSE transport (mcp-sse-1.0), which Copilot Studio no longer supports since "
                        f"August 2025; serve Streamable HTTP and declare {fix}", op.pointer + "/" + agents.PROTOCOL)


@rule("mcp-protocol-unknown", WARNING, AGENTS,
      "x-ms-agentic-protocol with a value Copilot Studio does not document: agents do not see the operation as an MCP "
      f"server ({agents.MCP_DOC}: mcp-streamable-1.0).")
def mcp_protocol_unknown(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if agents.PROTOCOL not in op.node:
            continue
        value = op.node[agents.PROTOCOL]
        if value not in agents.TRANSPORTS:
            hint = did_you_mean(value, list(agents.TRANSPORTS)) if isinstance(value, str) else ""
            yield Issue(f"x-ms-agentic-protocol is {value!r}{hint}; Copilot Studio documents mcp-streamable-1.0",
                        op.pointer + "/" + agents.PROTOCOL)


@rule("mcp-operation-method", WARNING, AGENTS,
      "An MCP operation that is not a POST: the Streamable HTTP transport sends each JSON-RPC message as an HTTP POST, "
      f"and Microsoft's MCP connector sample is a post operation ({agents.MCP_DOC}).")
def mcp_operation_method(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if agents.is_mcp(op.node) and op.method != "post":
            yield Issue(f"{op.id} is the MCP server but a {op.method.upper()}; MCP clients POST their messages to the "
                        "server's endpoint", op.pointer + "/" + agents.PROTOCOL)


@rule("ai-action-operation-id", WARNING, AGENTS,
      "x-ms-openai-data names an operation other than the one it sits on; the AI actions Microsoft merged name their own "
      f"operation, two typos aside ({agents.AI_ACTION_DOC}; docs/agents.md).")
def ai_action_operation_id(t: Target) -> Iterable[Issue]:
    ids = {op.id for op in _ops(t) if op.id}
    for op in _ops(t):
        entries = obj(op.node.get(agents.AI_DATA)).get("operations")
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            named = obj(entry).get("operationId")
            if isinstance(named, str) and named != op.id:
                unknown = "" if named in ids else " (no operation has that id)"
                yield Issue(f"x-ms-openai-data of {op.id} names {named!r}{unknown}, not the operation it sits on",
                            f"{op.pointer}/{esc(agents.AI_DATA)}/operations/{i}/operationId")


@rule("ai-action-confirmation", WARNING, AGENTS,
      "An AI action with side effects (not a GET) that Copilot calls without asking the user "
      "(x-ms-require-user-confirmation false); Microsoft asks that actions with side effects keep the user in control "
      f"({CONFIRMATION_DOC}), and every such AI action it merged asks.")
def ai_action_confirmation(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if agents.ai_enabled(op.node) and op.method not in ("get", "head") and agents.require_confirmation(op.node) is False:
            entries = obj(op.node.get(agents.AI_DATA)).get("operations") or []
            index = next(i for i, e in enumerate(entries) if obj(e).get("operationId") == op.id)
            fix = _say(t, "require_confirmation", "x-ms-require-user-confirmation")
            yield Issue(f"{op.id} is a {op.method.upper()} that Copilot may call without asking the user; set {fix} to true",
                        f"{op.pointer}/{esc(agents.AI_DATA)}/operations/{index}/x-ms-require-user-confirmation")

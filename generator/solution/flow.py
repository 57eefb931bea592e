"""A small sample flow that uses the connector, in a solution of its own: Partner Center wants one beside the
connector's solution (Microsoft's scripts/ConnectorPackageValidator.ps1 requires a solution whose
customizations.xml has both a Connector and Workflows, with both folders).

The flow is a manual (button) trigger and one action of the connector, in the shape of the real export's
Workflows/<name>-<GUID>.json (KarolFilipKozlowski/Power-Automate---Konektor-api.nbp.pl); its workflow element
copies that export's <Workflow>, except that the sample is imported turned off (StateCode 0) so that an
import never runs it before its connection is set."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from .layout import (CONNECTOR_COMPONENT, WORKFLOW_COMPONENT, Plan, _finish, connector_entries, customizations_xml,
                     solution_xml, stable_guid)

SCHEMA = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#"


def sample_operation(definition: dict) -> tuple[str, dict] | None:
    """The action the sample calls: the first visible, non-trigger operation with the fewest required
    parameters (their defaults filled in)."""
    best = None
    for path, item in (definition.get("paths") or {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or method.startswith("x-") or method == "parameters":
                continue
            if "x-ms-trigger" in op or op.get("x-ms-visibility") == "internal" or op.get("deprecated") or not op.get("operationId"):
                continue
            required = [p for p in op.get("parameters") or [] if isinstance(p, dict) and p.get("required") and p.get("in") != "body"]
            if best is None or len(required) < best[0]:
                values = {p["name"]: p.get("default", "") for p in required if "name" in p}
                best = (len(required), op["operationId"], values)
    return (best[1], best[2]) if best else None


def workflow_json(p: Plan, operation: str, parameters: dict) -> dict:
    action = "Call_" + "".join(ch if ch.isalnum() else "_" for ch in operation)
    return {"properties": {
        "connectionReferences": {p.api_name: {
            "runtimeSource": "embedded",
            "connection": {"connectionReferenceLogicalName": p.reference_name},
            "api": {"name": p.api_name, "logicalName": p.connector_name}}},
        "definition": {
            "$schema": SCHEMA, "contentVersion": "1.0.0.0",
            "parameters": {"$connections": {"defaultValue": {}, "type": "Object"},
                           "$authentication": {"defaultValue": {}, "type": "SecureObject"}},
            "triggers": {"manual": {"type": "Request", "kind": "Button",
                                    "inputs": {"schema": {"type": "object", "properties": {}, "required": []}}}},
            "actions": {action: {"runAfter": {}, "type": "OpenApiConnection", "inputs": {
                "host": {"connectionName": p.api_name, "operationId": operation, "apiId": ""},
                "parameters": parameters, "authentication": "@parameters('$authentication')"}}}}},
        "schemaVersion": "1.0.0.0"}


def _workflow_element(workflow_id: str, name: str, file: str) -> str:
    fields = [("JsonFileName", file), ("Type", "1"), ("Subprocess", "0"), ("Category", "5"), ("Mode", "0"), ("Scope", "4"),
              ("OnDemand", "0"), ("TriggerOnCreate", "0"), ("TriggerOnDelete", "0"), ("AsyncAutodelete", "0"),
              ("SyncWorkflowLogOnFailure", "0"), ("StateCode", "0"), ("StatusCode", "1"), ("RunAs", "1"), ("IsTransacted", "1"),
              ("IntroducedVersion", "1.0"), ("IsCustomizable", "1"), ("BusinessProcessType", "0"),
              ("IsCustomProcessingStepAllowedForOtherPublishers", "1"), ("PrimaryEntity", "none")]
    return (f"    <Workflow WorkflowId=\"{{{workflow_id}}}\" Name={quoteattr(name)}>\n"
            + "".join(f"      <{k}>{escape(v)}</{k}>\n" for k, v in fields)
            + f"      <LocalizedNames>\n        <LocalizedName languagecode=\"1033\" description={quoteattr(name)} />\n"
              "      </LocalizedNames>\n    </Workflow>\n")


def flow_solution(p: Plan, definition: dict, definition_bytes: bytes, properties: dict, icon: bytes | None,
                  script: bytes | None) -> tuple[str, dict[str, bytes]]:
    """(unique name, entries) of the sample flow's solution: the connector, its connection reference, one flow."""
    from ..emit.files import json_bytes

    chosen = sample_operation(definition)
    if chosen is None:
        from ..diagnostics import ERROR, Finding, InputError

        raise InputError(Finding("usage", ERROR, "the connector has no action a sample flow could call (every operation is "
                                 "a trigger or internal): Partner Center needs a flow that uses the connector"))
    operation, parameters = chosen
    unique = f"{p.unique_name}SampleFlow"
    name = f"{p.connector_display_name} sample flow"
    workflow_id = stable_guid("workflow", p.connector_name)
    file = f"/Workflows/{''.join(ch for ch in name if ch.isalnum())}-{workflow_id.upper()}.json"
    entries, columns = connector_entries(p, definition_bytes, properties, icon, script)
    entries[file.lstrip("/")] = json_bytes(workflow_json(p, operation, parameters))
    entries["customizations.xml"] = customizations_xml(p, columns, _workflow_element(workflow_id, name, file))
    roots = [f'<RootComponent type="{WORKFLOW_COMPONENT}" id="{{{workflow_id}}}" behavior="0" />',
             f'<RootComponent type="{CONNECTOR_COMPONENT}" id="{{{p.connector_id}}}" schemaName={quoteattr(p.connector_name)} behavior="0" />']
    entries["solution.xml"] = solution_xml(p, unique, name, roots)
    return unique, _finish(entries)


def sample_flow_json(entries: dict[str, bytes]) -> dict:
    """The flow of a sample solution's entries (for tests and import)."""
    [name] = [n for n in entries if n.startswith("Workflows/")]
    return json.loads(entries[name])

"""Every kind of change `ppconnector diff` reports: its stable id, severity, message, when it is reported
and what a flow that works today experiences after the change (`ppconnector diff --explain KIND`).

Messages follow the wording of Microsoft's connector change validator (the verdict certification
reviewers see) where it has one; the rest follow the same style.
"""

from __future__ import annotations

from dataclasses import dataclass

BREAKING = "breaking"
WARNING = "warning"
NON_BREAKING = "non-breaking"
DISPLAY = "display-only"
SEVERITIES = (BREAKING, WARNING, NON_BREAKING, DISPLAY)  # most severe first
RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Kind:
    id: str
    severity: str
    message: str
    doc: str
    flow: str  # what an existing flow (or connection) experiences


_KINDS = [
    # --- breaking -----------------------------------------------------------------------------
    Kind("operation-removed", BREAKING, "The operation has been deleted. This change breaks existing flows.",
         "An operationId present in OLD is missing in NEW (flows store the operationId).",
         "Every run of a flow that uses the action fails (the action is not found), and the designer shows it as broken."),
    Kind("operation-id-changed", BREAKING, "The operation has been deleted. This change breaks existing flows. (its operationId was changed)",
         "The same method and path carry a different operationId: for existing flows the action is gone.",
         "Flows store the operationId, so for them the action is gone: runs fail until the action is re-added in each flow."),
    Kind("operation-request-changed", BREAKING, "The HTTP method or path of the operation has been changed. Existing flows will call the new request.",
         "Same operationId, different method or path (Microsoft's certification rules call a changed operation path breaking).",
         "Flows keep the action but their runs call another endpoint, built for other requests: version the operation instead "
         "(a new operationId, the old one deprecated)."),
    Kind("operation-hidden", BREAKING, "The operation has been hidden. This change breaks the designer for existing flows.",
         "The operation's x-ms-visibility became internal.",
         "Runs keep working, but the designer no longer shows the action: a flow that uses it cannot be edited normally."),
    Kind("required-input-added", BREAKING, "The required input field has been added. Existing flows will not send this new field.",
         "A new required parameter or required body property without a default.",
         "Existing flows do not send the field: the designer marks them invalid and the API may reject their calls."),
    Kind("input-became-required", BREAKING, "The input field has been made required. Existing flows may not send this field.",
         "An optional parameter or body property without a default became required.",
         "Flows that left the field empty are invalid in the designer and their calls may be rejected."),
    Kind("input-removed", BREAKING, "The input field has been deleted. Existing flows will continue to send this field.",
         "A parameter or body property was removed (or renamed, or moved to another location).",
         "Flows that set the field still send it; the API ignores or rejects it, and the designer shows an unknown input."),
    Kind("input-renamed", BREAKING, "The input field has been renamed. Existing flows will continue to send it under its old name.",
         "A parameter or body property was renamed in letter case only (`userId` -> `UserId`).",
         "Flows store the wire name: they keep sending the old spelling, which a case-sensitive API ignores, and the designer shows the field as new and empty."),
    Kind("input-type-changed", BREAKING, "The type has been changed for the input field. Existing flows will continue to send the field with the old type.",
         "The type of a parameter or body property changed.",
         "Flows keep sending values of the old type; the platform or the API may reject them."),
    Kind("input-format-changed", BREAKING, "The type format has been changed for the input field. Existing flows will continue to send the field with the old format.",
         "The format of a parameter or body property changed (other than an integer or number widening).",
         "Flows keep sending values in the old format; values the new format does not accept are rejected."),
    Kind("input-enum-value-removed", BREAKING, "An enum value has been removed from the input field. Existing flows may have this value chosen and will continue to send it.",
         "A value was removed from an input's enum (a case-only change counts as removed and added).",
         "Flows that chose the value keep sending it; the API may reject it, and the designer shows it as invalid."),
    Kind("input-enum-introduced", BREAKING, "The list of enum values has been added to the input field. Existing flows may use values outside of this list.",
         "A free input got an enum.",
         "Flows that typed a value outside the list keep sending it; it may be rejected, and the designer shows it as invalid."),
    Kind("output-removed", BREAKING, "The output field has been deleted. Existing flows may be broken if they are using this field and actual payload has been changed.",
         "A response property (dynamic content) was removed.",
         "Flows that use the field as dynamic content show it as missing in the designer, and expressions on it get null at run time."),
    Kind("output-type-changed", BREAKING, "The type has been changed for the output field. Existing flows may be broken if they are using this field.",
         "The type of a response property changed (a `$ref` that loops on itself counts as a type).",
         "Expressions and conditions written for the old type fail or compare differently at run time."),
    Kind("output-format-changed", BREAKING, "The type format has been changed for the output field. Existing flows may be broken if they are using this field.",
         "The format of a response property changed (other than an integer or number widening).",
         "Expressions that parse the old format (a date, a number size) may fail at run time."),
    Kind("success-response-removed", BREAKING, "The success response has been deleted. Existing flows may be broken if they are using its output.",
         "A 2xx response (or default, when there is no 2xx) was removed and no other success response carries the same schema.",
         "The action's outputs disappear from dynamic content: flows that use them are broken in the designer and get null at run time."),
    Kind("dynamic-schema-changed", BREAKING, "The dynamic schema has been changed. Existing flows may be broken if they are using its fields.",
         "x-ms-dynamic-schema or x-ms-dynamic-properties of an input or output changed.",
         "The fields the designer fetched for existing flows may no longer exist or mean the same."),
    Kind("trigger-kind-changed", BREAKING, "The trigger kind has been changed. Existing flows using this trigger will stop working.",
         "x-ms-trigger was added, removed or changed (an action became a trigger, single became batch, ...), or x-ms-trigger-metadata changed.",
         "Flows that start with the trigger stop firing or receive items in a different shape; they must be re-saved or rebuilt."),
    Kind("notification-schema-changed", BREAKING, "The notification schema of the trigger has been changed. Existing flows may be broken if they are using this field.",
         "A field of x-ms-notification-content was removed or its type or format changed.",
         "Trigger outputs that flows use as dynamic content disappear or change type: expressions on them get null or fail."),
    Kind("connection-changed", BREAKING, "The connection parameters have been changed. Existing connections may stop working.",
         "A connection parameter was added, removed or changed (apiProperties), or the security definitions changed.",
         "Existing connections were made with the old parameters: they may fail to authenticate until users re-create them."),
    # --- warning ------------------------------------------------------------------------------
    Kind("dropdown-changed", WARNING, "The dropdown source of the input field has been changed. Existing flows may hold values the new source does not list.",
         "x-ms-dynamic-values or x-ms-dynamic-list changed (operation, parameters, value-path, value-collection).",
         "Runs send the stored value as before; when someone edits the flow, the dropdown may not list that value."),
    Kind("default-changed", WARNING, "The default value of the input field has been changed. Existing flows that relied on the old default will send the new one.",
         "The default of a parameter or body property changed.",
         "Flows that never set the field now send the new default, which may change what the call does."),
    Kind("visibility-lowered", WARNING, "The visibility has been lowered. Users may no longer see this in the designer.",
         "x-ms-visibility moved towards advanced/internal (an operation to advanced, an input or output to advanced or internal).",
         "Runs are unchanged; in the designer the action or field is behind 'Show advanced options' or hidden."),
    Kind("operation-deprecated", WARNING, "The operation has been deprecated. Existing flows keep working, but users are told to move away from it.",
         "deprecated: true was set on an operation.",
         "Runs are unchanged; the designer marks the action deprecated and hides it from new flows."),
    Kind("host-changed", WARNING, "The host, base path or schemes have been changed. Existing connections will call the new address.",
         "host, basePath or schemes changed.",
         "Every action of every flow calls the new address from its next run."),
    Kind("constraint-changed", WARNING, "A validation constraint of the input field has been changed. Existing flows may send values the new constraint rejects.",
         "pattern, minimum/maximum, lengths, collectionFormat, x-ms-url-encoding or another schema keyword of an input changed.",
         "Flows send the same values; the platform may now reject some of them or encode them differently."),
    Kind("media-type-changed", WARNING, "The consumes or produces media types have been changed. Existing flows may send or receive a different content type.",
         "The Swagger `consumes` or `produces` list of the connector or an operation changed.",
         "Flows send the same fields, but the body may be encoded differently (JSON, form, multipart), or the response read as another type."),
    Kind("script-changed", WARNING, "The operations handled by custom code have been changed. The operation's request or response may now be transformed differently.",
         "scriptOperations in apiProperties changed.",
         "The next run of an affected action goes through (or no longer goes through) script.csx."),
    Kind("policy-changed", WARNING, "The policy templates have been changed. Requests or responses may now be transformed differently.",
         "policyTemplateInstances in apiProperties changed.",
         "Requests or responses of the affected actions are rewritten differently from the next run."),
    Kind("extension-changed", WARNING, "An extension the platform reads has been changed. Review its effect on existing flows.",
         "Any other x-ms-* or unrecognised key of an operation, parameter or apiProperties changed.",
         "It depends on the extension: read the change and acknowledge it when flows are not affected."),
    Kind("properties-unreadable", WARNING, "apiProperties.json could not be read. The connection, custom code and policies were not compared.",
         "OLD's or NEW's apiProperties.json is not valid JSON; the definition is still compared.",
         "Unknown: a connector whose apiProperties.json is unreadable cannot be deployed; fix the file and run diff again."),
    # --- non-breaking -------------------------------------------------------------------------
    Kind("operation-added", NON_BREAKING, "The operation has been added.", "A new operationId.",
         "Nothing changes for existing flows; the action is available to new ones."),
    Kind("optional-input-added", NON_BREAKING, "The optional input field has been added.",
         "A new optional parameter or body property, or a required one with a default (the platform sends the default).",
         "Existing flows do not send the field (or the platform sends its default), as before."),
    Kind("input-became-optional", NON_BREAKING, "The input field has been made optional.",
         "A required parameter or body property became optional, or got a default.",
         "Existing flows keep sending the field; nothing changes for them."),
    Kind("input-enum-value-added", NON_BREAKING, "An enum value has been added to the input field.", "An input's enum got a new value.",
         "Existing flows keep their chosen value; the new one is offered in the designer."),
    Kind("input-enum-removed", NON_BREAKING, "The list of enum values has been removed from the input field.",
         "An input's enum was dropped (the input is free now).", "Existing flows keep sending their value, which is still accepted."),
    Kind("output-added", NON_BREAKING, "The output field has been added.", "A new response or notification property.",
         "Existing flows are unchanged; the field appears in dynamic content when someone edits the flow."),
    Kind("output-changed", NON_BREAKING, "The output field's values have been changed.", "An output's enum, constraints or other schema keywords changed.",
         "The field is still there with its type; only its described values changed."),
    Kind("format-widened", NON_BREAKING, "The type format has been widened. Every value existing flows send or read still fits.",
         "An integer's format went int32 -> int64 (or a number's float -> double), or was added to or dropped from an integer or number that had none.",
         "Nothing: inputs accept every value they accepted before, and outputs are still numbers that expressions read the same way."),
    Kind("response-added", NON_BREAKING, "The response has been added.", "A new response status code.",
         "Nothing for existing flows."),
    Kind("success-response-moved", NON_BREAKING, "The success response has moved to another status code. Existing flows read the same outputs.",
         "A success response moved between `default` and a 2xx code (or between 2xx codes); its schema is compared at the new code.",
         "Nothing: a flow reads an action's outputs, not its status code; any change to the schema itself is reported on its own."),
    Kind("error-response-removed", NON_BREAKING, "The error response has been deleted.", "A non-success response status code was removed (default counts as one beside a 2xx response).",
         "Runs that fail still fail; only the documented error shape is gone."),
    Kind("connection-option-added", NON_BREAKING, "A value has been added to a connection parameter's allowed values.",
         "A connection parameter's constraints.allowedValues got a new value.",
         "Existing connections keep their value; new connections can choose the added one."),
    Kind("visibility-raised", NON_BREAKING, "The visibility has been raised. Users now see this more prominently.",
         "x-ms-visibility moved towards important/none.", "Runs are unchanged; the designer shows the action or field more prominently."),
    Kind("operation-undeprecated", NON_BREAKING, "The operation is no longer deprecated.", "deprecated: true was removed.",
         "Runs are unchanged; the designer offers the action to new flows again."),
    # --- display-only -------------------------------------------------------------------------
    Kind("summary-changed", DISPLAY, "A display name has been changed.",
         "summary, x-ms-summary, title, an enum value's or a connection parameter's display name (translations included).",
         "Runs are unchanged; the designer shows the new name."),
    Kind("description-changed", DISPLAY, "A description has been changed.",
         "description, tooltip, x-ms-trigger-hint or a response description (translations included).",
         "Runs are unchanged; the designer shows the new text."),
    Kind("example-changed", DISPLAY, "An example value has been changed.", "example, x-example, x-ms-test-value.",
         "Nothing: examples are documentation."),
    Kind("metadata-changed", DISPLAY, "The connector's metadata has been changed.",
         "info (version, contact), x-ms-connector-metadata, tags, brand colour, publisher, capabilities, a connection "
         "parameter's tabIndex, an OAuth clientId placeholder (`<clientId>`; the platform uses its registered app).",
         "Nothing for runs: it is shown in the connector's listing or the connection dialog only."),
]

KINDS: dict[str, Kind] = {k.id: k for k in _KINDS}

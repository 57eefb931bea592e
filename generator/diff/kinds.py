"""Every kind of change `ppconnector diff` reports: its stable id, severity, message and one doc line.

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


_KINDS = [
    # --- breaking -----------------------------------------------------------------------------
    Kind("operation-removed", BREAKING, "The operation has been deleted. This change breaks existing flows.",
         "An operationId present in OLD is missing in NEW (flows store the operationId)."),
    Kind("operation-id-changed", BREAKING, "The operation has been deleted. This change breaks existing flows. (its operationId was changed)",
         "The same method and path carry a different operationId: for existing flows the action is gone."),
    Kind("operation-hidden", BREAKING, "The operation has been hidden. This change breaks the designer for existing flows.",
         "The operation's x-ms-visibility became internal."),
    Kind("required-input-added", BREAKING, "The required input field has been added. Existing flows will not send this new field.",
         "A new required parameter or required body property without a default."),
    Kind("input-became-required", BREAKING, "The input field has been made required. Existing flows may not send this field.",
         "An optional parameter or body property became required."),
    Kind("input-removed", BREAKING, "The input field has been deleted. Existing flows will continue to send this field.",
         "A parameter or body property was removed (or renamed, or moved to another location)."),
    Kind("input-type-changed", BREAKING, "The type has been changed for the input field. Existing flows will continue to send the field with the old type.",
         "The type of a parameter or body property changed."),
    Kind("input-format-changed", BREAKING, "The type format has been changed for the input field. Existing flows will continue to send the field with the old format.",
         "The format of a parameter or body property changed."),
    Kind("input-enum-value-removed", BREAKING, "An enum value has been removed from the input field. Existing flows may have this value chosen and will continue to send it.",
         "A value was removed from an input's enum."),
    Kind("input-enum-introduced", BREAKING, "The list of enum values has been added to the input field. Existing flows may use values outside of this list.",
         "A free input got an enum."),
    Kind("output-removed", BREAKING, "The output field has been deleted. Existing flows may be broken if they are using this field and actual payload has been changed.",
         "A response property (dynamic content) was removed."),
    Kind("output-type-changed", BREAKING, "The type has been changed for the output field. Existing flows may be broken if they are using this field.",
         "The type of a response property changed."),
    Kind("output-format-changed", BREAKING, "The type format has been changed for the output field. Existing flows may be broken if they are using this field.",
         "The format of a response property changed."),
    Kind("success-response-removed", BREAKING, "The success response has been deleted. Existing flows may be broken if they are using its output.",
         "A 2xx (or default) response of an operation was removed."),
    Kind("dynamic-schema-changed", BREAKING, "The dynamic schema has been changed. Existing flows may be broken if they are using its fields.",
         "x-ms-dynamic-schema or x-ms-dynamic-properties of an input or output changed."),
    Kind("trigger-kind-changed", BREAKING, "The trigger kind has been changed. Existing flows using this trigger will stop working.",
         "x-ms-trigger was added, removed or changed (an action became a trigger, single became batch, ...), or x-ms-trigger-metadata changed."),
    Kind("notification-schema-changed", BREAKING, "The notification schema of the trigger has been changed. Existing flows may be broken if they are using this field.",
         "A field of x-ms-notification-content was removed or its type or format changed."),
    Kind("connection-changed", BREAKING, "The connection parameters have been changed. Existing connections may stop working.",
         "A connection parameter was added, removed or changed (apiProperties), or the security definitions changed."),
    # --- warning ------------------------------------------------------------------------------
    Kind("dropdown-changed", WARNING, "The dropdown source of the input field has been changed. Existing flows may hold values the new source does not list.",
         "x-ms-dynamic-values or x-ms-dynamic-list changed (operation, parameters, value-path, value-collection)."),
    Kind("default-changed", WARNING, "The default value of the input field has been changed. Existing flows that relied on the old default will send the new one.",
         "The default of a parameter or body property changed."),
    Kind("visibility-lowered", WARNING, "The visibility has been lowered. Users may no longer see this in the designer.",
         "x-ms-visibility moved towards advanced/internal (an operation to advanced, an input or output to advanced or internal)."),
    Kind("operation-deprecated", WARNING, "The operation has been deprecated. Existing flows keep working, but users are told to move away from it.",
         "deprecated: true was set on an operation."),
    Kind("operation-request-changed", WARNING, "The HTTP method or path of the operation has been changed. Existing flows will call the new request.",
         "Same operationId, different method or path."),
    Kind("host-changed", WARNING, "The host, base path or schemes have been changed. Existing connections will call the new address.",
         "host, basePath or schemes changed."),
    Kind("constraint-changed", WARNING, "A validation constraint of the input field has been changed. Existing flows may send values the new constraint rejects.",
         "pattern, minimum/maximum, lengths, collectionFormat, x-ms-url-encoding or another schema keyword of an input changed."),
    Kind("script-changed", WARNING, "The operations handled by custom code have been changed. The operation's request or response may now be transformed differently.",
         "scriptOperations in apiProperties changed."),
    Kind("policy-changed", WARNING, "The policy templates have been changed. Requests or responses may now be transformed differently.",
         "policyTemplateInstances in apiProperties changed."),
    Kind("extension-changed", WARNING, "An extension the platform reads has been changed. Review its effect on existing flows.",
         "Any other x-ms-* or unrecognised key of an operation, parameter or apiProperties changed."),
    # --- non-breaking -------------------------------------------------------------------------
    Kind("operation-added", NON_BREAKING, "The operation has been added.", "A new operationId."),
    Kind("optional-input-added", NON_BREAKING, "The optional input field has been added.", "A new optional parameter or body property, or a required one with a default (the platform sends the default)."),
    Kind("input-became-optional", NON_BREAKING, "The input field has been made optional.", "A required parameter or body property became optional."),
    Kind("input-enum-value-added", NON_BREAKING, "An enum value has been added to the input field.", "An input's enum got a new value."),
    Kind("input-enum-removed", NON_BREAKING, "The list of enum values has been removed from the input field.", "An input's enum was dropped (the input is free now)."),
    Kind("output-added", NON_BREAKING, "The output field has been added.", "A new response or notification property."),
    Kind("output-changed", NON_BREAKING, "The output field's values have been changed.", "An output's enum, constraints or other schema keywords changed."),
    Kind("response-added", NON_BREAKING, "The response has been added.", "A new response status code."),
    Kind("error-response-removed", NON_BREAKING, "The error response has been deleted.", "A non-success response status code was removed."),
    Kind("visibility-raised", NON_BREAKING, "The visibility has been raised. Users now see this more prominently.",
         "x-ms-visibility moved towards important/none."),
    Kind("operation-undeprecated", NON_BREAKING, "The operation is no longer deprecated.", "deprecated: true was removed."),
    # --- display-only -------------------------------------------------------------------------
    Kind("summary-changed", DISPLAY, "A display name has been changed.",
         "summary, x-ms-summary, title, an enum value's or a connection parameter's display name (translations included)."),
    Kind("description-changed", DISPLAY, "A description has been changed.",
         "description, tooltip, x-ms-trigger-hint or a response description (translations included)."),
    Kind("example-changed", DISPLAY, "An example value has been changed.", "example, x-example, x-ms-test-value."),
    Kind("metadata-changed", DISPLAY, "The connector's metadata has been changed.",
         "info (version, contact), x-ms-connector-metadata, tags, brand colour, publisher, capabilities."),
]

KINDS: dict[str, Kind] = {k.id: k for k in _KINDS}

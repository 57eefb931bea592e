"""Every kind of change `ppconnector diff` reports: its stable id, severity, message, when it is reported
and what a flow that works today experiences after the change (`ppconnector diff --explain KIND`).

Each kind states two facts. Its severity is the flow view: `breaking` means a flow that works today fails to
load or run, or silently loses data. `certification` is Microsoft's connector change validator's message where
that validator is known to object to such a change (the verdict certification reviewers see, quoted from its
`##[error]` lines in microsoft/PowerPlatformConnectors pull requests), whether or not a flow breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

BREAKING = "breaking"
WARNING = "warning"
NON_BREAKING = "non-breaking"
DISPLAY = "display-only"
SEVERITIES = (BREAKING, WARNING, NON_BREAKING, DISPLAY)  # most severe first
RANK = {s: i for i, s in enumerate(SEVERITIES)}
CERTIFICATION = "certification"  # --fail-on certification: what breaks flows and what Microsoft's validator flags
RANK[CERTIFICATION] = RANK[BREAKING]
FAIL_ON = (BREAKING, CERTIFICATION, WARNING, NON_BREAKING, DISPLAY, "never")
# changes of the action itself, listed before its fields' changes
OPERATION_LEVEL = ("operation-removed", "operation-id-changed", "operation-request-changed", "operation-path-changed",
                   "operation-hidden", "operation-deprecated", "operation-added", "operation-undeprecated")


# Microsoft's change validator, verbatim from its `##[error]` lines in microsoft/PowerPlatformConnectors pull requests:
CERT_OPERATION_DELETED = "The operation has been deleted. This change breaks existing flows."  # PR 4043, 3470
CERT_OPERATION_HIDDEN = "The operation has been hidden. This change breaks the designer for existing flows."  # PRs listed in docs/diff.md
CERT_PATH_CHANGED = "The path template has been changed for the operation."  # PR 3648
CERT_LOCATION_CHANGED = ("The location has been changed for the parameter. Existing flows will continue to send the "
                         "parameter in the old location.")  # PR 3648
CERT_REQUIRED_ADDED = "The required input field has been added. Existing flows will not send this new field."  # PR 3656
CERT_INPUT_TYPE = ("The type has been changed for the input field. Existing flows will continue to send the field with "
                   "the old type.")  # PRs listed in docs/diff.md
CERT_ENUM_VALUE_REMOVED = ("An enum value has been removed from the input field. Existing flows may have this value chosen "
                           "and will continue to send it.")  # PRs listed in docs/diff.md
CERT_ENUM_ADDED = "The list of enum values has been added to the input field. Existing flows may use values outside of this list."  # PRs listed in docs/diff.md
CERT_OUTPUT_DELETED = ("The output field has been deleted. Existing flows may be broken if they are using this field and "
                       "actual payload has been changed.")  # PR 3656
CERT_OUTPUT_TYPE = ("The type has been changed for the output field. Existing flows may be broken if they are using this "
                    "field and actual payload has been changed.")  # PR 3910, 4168
CERT_OUTPUT_FORMAT = ("The type format has been changed for the output field. Existing flows may be broken if they are "
                      "using this field and actual payload has been changed.")  # PRs listed in docs/diff.md


@dataclass(frozen=True)
class Kind:
    id: str
    severity: str
    message: str
    doc: str
    flow: str  # what an existing flow (or connection) experiences
    certification: str | None = None  # the change validator's message when it objects to every change of this kind
    gate: bool = False  # fails the run whatever --fail-on says (except never) until acknowledged


_KINDS = [
    # --- breaking -----------------------------------------------------------------------------
    Kind("operation-removed", BREAKING, "The operation has been deleted. This change breaks existing flows.",
         "An operationId present in OLD is missing in NEW (flows store the operationId).",
         "Every run of a flow that uses the action fails (the action is not found), and the designer shows it as broken.", certification=CERT_OPERATION_DELETED),
    Kind("operation-id-changed", BREAKING, "The operation has been deleted. This change breaks existing flows. (its operationId was changed)",
         "The same method and path carry a different operationId: for existing flows the action is gone.",
         "Flows store the operationId, so for them the action is gone: runs fail until the action is re-added in each flow.", certification=CERT_OPERATION_DELETED),
    Kind("operation-request-changed", BREAKING, "The HTTP method of the operation has been changed. Existing flows will call the new request.",
         "Same operationId, another HTTP method (GET -> POST, ...).",
         "Flows keep the action but their runs send another kind of request, which the API handles differently or refuses: "
         "version the operation instead (a new operationId, the old one deprecated)."),
    Kind("required-input-added", BREAKING, "The required input field has been added. Existing flows will not send this new field.",
         "A new required parameter or required body property without a default.",
         "Existing flows do not send the field: the designer marks them invalid and the API may reject their calls.", certification=CERT_REQUIRED_ADDED),
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
         "Flows keep sending values of the old type; the platform or the API may reject them.", certification=CERT_INPUT_TYPE),
    Kind("input-format-changed", BREAKING, "The type format has been changed for the input field. Existing flows will continue to send the field with the old format.",
         "The format of a parameter or body property changed (other than an integer or number widening).",
         "Flows keep sending values in the old format; values the new format does not accept are rejected."),
    Kind("input-enum-value-removed", BREAKING, "An enum value has been removed from the input field. Existing flows may have this value chosen and will continue to send it.",
         "A value was removed from an input's enum (a case-only change counts as removed and added).",
         "Flows that chose the value keep sending it; the API may reject it, and the designer shows it as invalid.", certification=CERT_ENUM_VALUE_REMOVED),
    Kind("input-enum-introduced", BREAKING, "The list of enum values has been added to the input field. Existing flows may use values outside of this list.",
         "A free input got an enum.",
         "Flows that typed a value outside the list keep sending it; it may be rejected, and the designer shows it as invalid.", certification=CERT_ENUM_ADDED),
    Kind("output-removed", BREAKING, "The output field has been deleted. Existing flows may be broken if they are using this field and actual payload has been changed.",
         "A response property (dynamic content) was removed.",
         "Flows that use the field as dynamic content show it as missing in the designer, and expressions on it get null at run time.", certification=CERT_OUTPUT_DELETED),
    Kind("output-type-changed", BREAKING, "The type has been changed for the output field. Existing flows may be broken if they are using this field.",
         "The type of a response property changed (a `$ref` that loops on itself counts as a type).",
         "Expressions and conditions written for the old type fail or compare differently at run time.", certification=CERT_OUTPUT_TYPE),
    Kind("output-format-changed", BREAKING, "The type format has been changed for the output field. Existing flows may be broken if they are using this field.",
         "The format of a response property changed to another one (an integer or number widened, or a format dropped, is format-widened).",
         "Expressions that parse the old format (a date, a number size) may fail at run time.", certification=CERT_OUTPUT_FORMAT),
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
    Kind("mcp-server-removed", BREAKING, "The operation is no longer an MCP server. Agents that use it lose its tools.",
         "x-ms-agentic-protocol was removed from an operation (an MCP server deleted outright is operation-removed, with a "
         "detail saying so).",
         "A Copilot Studio agent that added the server finds no MCP server behind the connector: every tool the server "
         "listed disappears from the agent."),
    Kind("ai-action-disabled", BREAKING, "The action is no longer offered to Copilot. Agents that use it lose the action.",
         "x-ms-openai-data's openai-enabled went from true to false, or the extension was removed from an enabled action.",
         "Flows are unchanged; Copilot and the agents that use the connector's AI actions can no longer call this one."),
    # --- warning ------------------------------------------------------------------------------
    Kind("operation-hidden", WARNING, "The operation has been hidden. Existing flows keep running; the designer no longer offers the action.",
         "The operation's x-ms-visibility became internal (Microsoft's documented step before removing an operation).",
         "Runs keep working and saved flows keep the action; only new flows cannot pick it.", certification=CERT_OPERATION_HIDDEN),
    Kind("operation-path-changed", WARNING, "The path of the operation has been changed. Existing flows will call the new path.",
         "Same operationId and method, another URL path (basePath + path: moving a prefix between basePath and the paths is no change).",
         "From their next run, flows send the same inputs to the new path: they keep working when the API serves the request "
         "there (a moved or versioned endpoint); check that it does.", certification=CERT_PATH_CHANGED),
    Kind("internal-operation-changed", WARNING, "An internal operation has been changed. It feeds dropdowns or webhooks, not saved flows.",
         "A change that would break an action, made to an operation with x-ms-visibility internal (a dropdown source, a "
         "webhook's unsubscribe); the report names what the operation feeds and the change it is.",
         "Runs are unchanged: no saved flow calls an internal operation. The dropdowns (or dynamic schemas) it feeds may "
         "fail or list other values the next time someone edits a flow."),
    Kind("input-required-with-default", WARNING, "The input field has been made required with a default. Existing flows that left it empty will send the default.",
         "An optional parameter or body property became required and has a default.",
         "Flows that never set the field now send its default (the platform fills a required input's default), which may "
         "change what the call does."),
    Kind("output-type-corrected", WARNING, "The declared type of the output field has been corrected. Existing flows read the same payload.",
         "An output's type changed between scalar types (string, integer, number, boolean), from no type to one (a change "
         "certification is not known to flag), or from an object without properties to an array.",
         "Dynamic content keeps working: a flow reads the payload the API sends, which a corrected declaration does not "
         "change. Review that the API's payload did not change with it.", certification=CERT_OUTPUT_TYPE),
    Kind("output-placeholder-removed", WARNING, "A placeholder output field has been deleted. The API never returned it.",
         "An output field named or described as a placeholder or sample (property1, additionalProp1, sample, example, "
         "placeholder, dummy, string) was removed.",
         "Nothing for runs: no payload ever held the field, so no flow could read a value from it.", certification=CERT_OUTPUT_DELETED),
    Kind("connection-scope-added", WARNING, "An OAuth scope has been added to the connection. Existing connections keep the consent they were made with.",
         "A scope was added to the connection's OAuth settings (apiProperties oAuthSettings.scopes or the security definition's scopes).",
         "Existing connections keep working with the actions they serve today; an action that needs the new scope may "
         "fail for them until the connection is re-created."),
    Kind("deploy-target-changed", WARNING, "The deploy target has been changed. `deploy` will send the connector, and its token, elsewhere.",
         "deploy.power_apps_url, flow_url, environment or connector_id changed (paconn's powerAppsUrl, flowUrl, "
         "environment, connectorId in settings.json). It fails the run by default, whatever --fail-on says (except never).",
         "Nothing for runs; the next deploy updates another connector or environment, or sends the access token to "
         "another address. Acknowledge it once you have checked the new target.", gate=True),
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
    Kind("mcp-endpoint-moved", WARNING, "The MCP server's endpoint has been changed. Agents will send every MCP message to the new address.",
         "The path (basePath + path) of an operation with x-ms-agentic-protocol changed; a changed host is host-changed, "
         "with a detail naming the MCP server.",
         "From their next message, agents talk to the new endpoint: they keep their tools when the MCP server answers "
         "there, and lose them all when it does not."),
    Kind("mcp-transport-changed", WARNING, "The MCP transport has been changed. Agents will talk to the server another way.",
         "x-ms-agentic-protocol changed value (mcp-sse-1.0 -> mcp-streamable-1.0, ...).",
         "Copilot Studio connects with the new transport: agents keep the server's tools when the server speaks it."),
    Kind("agent-description-changed", WARNING, "A description an agent reads has been changed. Agents may now choose differently when to call it.",
         "The summary or description of an MCP server or an AI action, or x-ms-openai-manifest's humanName or "
         "modelDescription, changed (translations included).",
         "Flows are unchanged. An agent's orchestration picks a tool by its name and description, so it may call the "
         "server or the action for other requests than before, or stop calling it; try the agent's usual requests."),
    Kind("ai-confirmation-changed", WARNING, "Whether Copilot asks the user before the action runs has been changed.",
         "x-ms-require-user-confirmation of an AI action changed.",
         "Flows are unchanged. Copilot now asks the user before it calls the action, or no longer asks: an action with "
         "side effects may run without the user's confirmation."),
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
    Kind("input-type-widened", NON_BREAKING, "The type of the input field has been widened. Every value existing flows send is still accepted.",
         "An input's type went integer -> number, or integer, number or boolean -> string, or lost its type.",
         "Nothing: the values flows send today are values of the new type.", certification=CERT_INPUT_TYPE),
    Kind("output-type-widened", NON_BREAKING, "The type of the output field has been widened. Existing flows read the same values.",
         "An output's type went integer -> number, or lost its type, or a success response dropped a schema that declared "
         "nothing (`schema: {}`).",
         "Nothing: every value is still a number (or still there) for the expressions that read it.", certification=CERT_OUTPUT_TYPE),
    Kind("format-widened", NON_BREAKING, "The type format has been widened. Every value existing flows send or read still fits.",
         "An integer's format went int32 -> int64 (or a number's float -> double), or was added to or dropped from an integer or "
         "number that had none, or an output's format was dropped (`format: byte` on a string).",
         "Nothing: inputs accept every value they accepted before; outputs carry the same values, of the same type, which "
         "expressions read the same way."),
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
    Kind("mcp-server-added", NON_BREAKING, "The operation has become an MCP server.",
         "x-ms-agentic-protocol was added to an existing operation (a new MCP operation is operation-added).",
         "Nothing for existing agents or flows; makers can add the server's tools to an agent."),
    Kind("ai-action-enabled", NON_BREAKING, "The action is now offered to Copilot.",
         "x-ms-openai-data's openai-enabled became true.",
         "Nothing for existing flows; Copilot and agents can call the action."),
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
         "parameter's tabIndex, an OAuth clientId placeholder (`<clientId>`; the platform uses its registered app), a "
         "security definition renamed with the same content.",
         "Nothing for runs: it is shown in the connector's listing or the connection dialog only."),
]

KINDS: dict[str, Kind] = {k.id: k for k in _KINDS}

"""Real before/after pairs for `ppconnector diff`, each with the verdict a reviewer gave it and why.

The corpus (../shared/corpus) holds each connector at its latest version, which is NEW here.  OLD is the
version before, rebuilt by undoing one edit of the kind the history of microsoft/PowerPlatformConnectors
shows (issue 15: 150 consecutive versions of 144 connectors, judged by reading each change).  Each pair is
that edit, applied to the named connector at test time; nothing of the corpus is copied here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from diff_support import operations

NOT_BREAKING, BREAKING = "not breaking", "breaking"


@dataclass(frozen=True)
class Pair:
    connector: str  # under ../shared/corpus; its latest version is NEW
    change: str  # what changed from OLD to NEW
    verdict: str  # the reviewer's: breaking or not breaking
    why: str
    kinds: tuple[str, ...]  # what diff reports, sorted
    old: Callable[[dict, dict], None]  # turns the latest version (NEW) into the one before (OLD), in place


def _op(doc: dict, operation_id: str) -> tuple[dict, dict]:
    """(operation, path item) of an operationId; a missing one fails loudly (the corpus changed)."""
    for _, _, op, item in operations(doc):
        if op["operationId"] == operation_id:
            return op, item
    raise AssertionError(f"no operation {operation_id}")


def _param(doc: dict, operation_id: str, name: str) -> dict:
    op, _ = _op(doc, operation_id)
    return next(p for p in op["parameters"] if isinstance(p, dict) and p.get("name") == name)


def _output(doc: dict, operation_id: str, name: str) -> dict:
    op, _ = _op(doc, operation_id)
    return op["responses"]["200"]["schema"]["properties"][name]


def _connection(props: dict, name: str) -> dict:
    return props["properties"]["connectionParameters"][name]


def _set(target: Callable[[dict, dict], dict], key: str, value) -> Callable[[dict, dict], None]:
    def edit(doc: dict, props: dict) -> None:
        node = target(doc, props)
        assert key in node or value is not None
        node[key] = value
    return edit


def _drop(target: Callable[[dict, dict], dict], key: str) -> Callable[[dict, dict], None]:
    def edit(doc: dict, props: dict) -> None:
        del target(doc, props)[key]
    return edit


def _clear_text_as_string(doc: dict, props: dict) -> None:
    constraints = _connection(props, "api_key")["uiDefinition"]["constraints"]
    assert constraints["clearText"] is False
    constraints["clearText"] = "false"


def _one_region_fewer(doc: dict, props: dict) -> None:
    _connection(props, "region")["uiDefinition"]["constraints"]["allowedValues"].pop()


def _move_response(operation_id: str, old_code: str, new_code: str) -> Callable[[dict, dict], None]:
    def edit(doc: dict, props: dict) -> None:
        responses = _op(doc, operation_id)[0]["responses"]
        assert old_code not in responses
        responses[old_code] = responses.pop(new_code)
    return edit


def _without_param(operation_id: str, name: str) -> Callable[[dict, dict], None]:
    def edit(doc: dict, props: dict) -> None:
        op, _ = _op(doc, operation_id)
        op["parameters"].remove(_param(doc, operation_id, name))
    return edit


def _with_param(operation_id: str, param: dict) -> Callable[[dict, dict], None]:
    def edit(doc: dict, props: dict) -> None:
        _op(doc, operation_id)[0]["parameters"].append(param)
    return edit


def _with_trigger_output(doc: dict, props: dict) -> None:
    _, item = _op(doc, "NewIdeaNotification")
    item["x-ms-notification-content"]["schema"]["properties"]["ideaurl"] = {
        "type": "string", "description": "This is the link to the idea.", "title": "Idea URL"}


def _old_api_key_header(doc: dict, props: dict) -> None:
    assert doc["securityDefinitions"]["API Key"]["name"] == "Ocp-Apim-Subscription-Key"
    doc["securityDefinitions"]["API Key"]["name"] = "X-Api-Key"


def _inlined(operation_id: str, code: str = "200") -> Callable[[dict, dict], None]:
    """The response schema written out inline: every $ref replaced by the schema it names (allOf parts too),
    with the $ref's siblings (a description) laid over it as before."""
    def expand(doc: dict, node):
        if isinstance(node, dict) and "$ref" in node:
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return expand(doc, {**doc["definitions"][node["$ref"].removeprefix("#/definitions/")], **siblings})
        if isinstance(node, dict):
            return {k: expand(doc, v) for k, v in node.items()}
        return [expand(doc, v) for v in node] if isinstance(node, list) else node

    def edit(doc: dict, props: dict) -> None:
        response = _op(doc, operation_id)[0]["responses"][code]
        assert "$ref" in response["schema"]
        response["schema"] = expand(doc, response["schema"])
    return edit


def _with_response(operation_id: str, code: str, response: dict) -> Callable[[dict, dict], None]:
    def edit(doc: dict, props: dict) -> None:
        responses = _op(doc, operation_id)[0]["responses"]
        assert code not in responses
        responses[code] = response
    return edit


def _at_path(old_path: str, new_path: str) -> Callable[[dict, dict], None]:
    def edit(doc: dict, props: dict) -> None:
        assert old_path not in doc["paths"]
        doc["paths"][old_path] = doc["paths"].pop(new_path)
    return edit


def _renamed_output(operation_id: str, old_name: str, new_name: str) -> Callable[[dict, dict], None]:
    def edit(doc: dict, props: dict) -> None:
        outputs = _op(doc, operation_id)[0]["responses"]["200"]["schema"]["properties"]
        outputs[old_name] = outputs.pop(new_name)
    return edit


def _item_output(doc: dict, operation_id: str, array: str, name: str) -> dict:
    return _output(doc, operation_id, array)["items"]["properties"][name]


def _old_enum_values(doc: dict, props: dict) -> None:
    ordering = _param(doc, "ListGifts", "ordering")
    assert ordering["enum"] == ["id", "donor_name", "-id", "-donor_name"]
    ordering["enum"] = ["id", "donorName", "-id", "-donorName"]


# --- issue 29: the false breaking classes, each on the connector whose history shows it -----------------------


def _hidden_header_on_every_operation(doc: dict, props: dict) -> None:
    """smapOne before its setheader policy: the same header as a hidden parameter with a default on each action."""
    [policy] = [p for p in props["properties"]["policyTemplateInstances"] if p["templateId"] == "setheader"]
    props["properties"]["policyTemplateInstances"].remove(policy)
    header = {"name": policy["parameters"]["x-ms-apimTemplateParameter.name"], "in": "header", "required": True, "type": "string",
              "default": policy["parameters"]["x-ms-apimTemplateParameter.value"], "x-ms-visibility": "internal"}
    for _, _, op, _ in operations(doc):
        op.setdefault("parameters", []).append(dict(header))


def _base_path_in_the_paths(doc: dict, props: dict) -> None:
    base = doc["basePath"]
    assert base not in ("", "/")
    doc["paths"] = {base + path: item for path, item in doc["paths"].items()}
    doc["basePath"] = "/"


def _body(doc: dict, operation_id: str) -> dict:
    return next(p for p in _op(doc, operation_id)[0]["parameters"] if p.get("in") == "body")


def _body_property(doc: dict, operation_id: str, name: str) -> dict:
    return _body(doc, operation_id)["schema"]["properties"][name]


def _old_list_output(doc: dict, props: dict) -> None:
    doc["definitions"]["ListApi.ApiList"]["properties"]["description"] = {"type": "string", "description": "The list's description."}


def _one_scope_fewer(doc: dict, props: dict) -> None:
    _connection(props, "token")["oAuthSettings"]["scopes"].remove("create")


def _old_operation_id(doc: dict, props: dict) -> None:
    op, _ = _op(doc, "FetchInbox")
    op["operationId"] = "GetInbox"
    _param(doc, "GetInbox", "lastReceivedId")["format"] = "int32"


# Africa's Talking SMS as it was at commit 956f90e of microsoft/PowerPlatformConnectors (fetched and read for issue 29):
# each trigger's payload declared the fields the callback carries; the current version declares none.
_AFRICAS_TALKING_PAYLOADS = {
    "DlrNotification": {"id": "string", "status": "string", "phoneNumber": "string", "networkCode": "string",
                        "failureReason": "string", "retryCount": "integer"},
    "InboxNotification": {"date": "string", "from": "string", "id": "string", "linkId": "string", "text": "string",
                          "to": "string", "networkCode": "string"},
    "BulkSMSOptOutNotification": {"senderId": "string", "phoneNumber": "string"},
}


def _payloads_declared(doc: dict, props: dict) -> None:
    for operation_id, fields in _AFRICAS_TALKING_PAYLOADS.items():
        content = _op(doc, operation_id)[1]["x-ms-notification-content"]
        assert content["schema"]["properties"] == {}
        content["schema"]["properties"] = {
            name: {"type": t, "description": name, **({"format": "int32"} if t == "integer" else {})} for name, t in fields.items()}


ISSUE_29_PAIRS = [
    Pair("certified-connectors/smapOne", "every action's hidden header x-smapone-custom-source (default power_automate_connector) "
         "replaced by a setheader policy sending the same value", NOT_BREAKING,
         "every request carries the same header and value; flows never set a hidden input", ("policy-changed",),
         _hidden_header_on_every_operation),
    Pair("certified-connectors/smapOne", "basePath / -> /Backend, the prefix taken out of every path", NOT_BREAKING,
         "every action calls the same URL: what is sent is basePath + path", (), _base_path_in_the_paths),
    Pair("certified-connectors/Africa's Talking SMS", "SendSms: enqueue (a boolean) got enum [true, false]", NOT_BREAKING,
         "every value a flow can send is listed", (), _drop(lambda d, p: _body_property(d, "SendSms", "enqueue"), "enum")),
    Pair("certified-connectors/Africa's Talking SMS", "DlrNotification: body parameter Body renamed body; it holds only the "
         "callback URL", NOT_BREAKING, "no flow fills that body: the platform puts the callback URL in it", (),
         _set(lambda d, p: _body(d, "DlrNotification"), "name", "Body")),
    Pair("certified-connectors/Africa's Talking SMS", "SendSms: body parameter made required; it already required message, "
         "phoneNumbers and username", NOT_BREAKING, "every flow that works today sends a body", (),
         _set(lambda d, p: _body(d, "SendSms"), "required", False)),
    Pair("certified-connectors/Blackbaud Raiser's Edge NXT Lists", "ListLists (internal: the List dropdown of AppendIDsToList) "
         "lost its output description", NOT_BREAKING, "no saved flow calls an internal operation; the dropdown may change",
         ("internal-operation-changed",), _old_list_output),
    Pair("certified-connectors/Africa's Talking SMS", 'FetchInbox: username\'s format "" dropped', NOT_BREAKING,
         "an empty format is no format", (), _set(lambda d, p: _param(d, "FetchInbox", "username"), "format", "")),
    Pair("certified-connectors/Africa's Talking SMS", "API-key header ApiKey -> apiKey (letter case only)", NOT_BREAKING,
         "HTTP header names are case-insensitive: existing connections send the same header",
         (), lambda d, p: d["securityDefinitions"]["API Key"].__setitem__("name", "ApiKey")),
    Pair("certified-connectors/Secib", "scope create added to the Azure AD connection", NOT_BREAKING,
         "existing connections keep their consent and the actions they serve", ("connection-scope-added",), _one_scope_fewer),
    Pair("certified-connectors/Africa's Talking SMS", "GetInbox renamed FetchInbox (same request), and lastReceivedId widened "
         "int32 -> int64", BREAKING, "flows store the operationId: for them the action is gone; the field change is folded under it",
         ("operation-id-changed",), _old_operation_id),
    Pair("certified-connectors/Africa's Talking SMS", "real history (956f90e -> today): every trigger payload field removed "
         "(delivery reports, inbox messages, opt-outs)", BREAKING,
         "a flow started by a delivery report that uses Status or Phone number as dynamic content loses them",
         ("notification-schema-changed",) * 15, _payloads_declared),
]

PAIRS = [
    # --- what reviewers judged NOT breaking (diff used to call each one breaking) ---
    Pair("certified-connectors/IA-Connect Session", "output FileSize of GetFileSize: format int32 -> int64", NOT_BREAKING,
         "a wider integer: every value a flow read before still reads the same", ("format-widened",),
         _set(lambda d, p: _output(d, "GetFileSize", "FileSize"), "format", "int32")),
    Pair("certified-connectors/Africa's Talking SMS", "input lastReceivedId of FetchInbox: format int32 -> int64", NOT_BREAKING,
         "every int32 a flow sends is a valid int64", ("format-widened",),
         _set(lambda d, p: _param(d, "FetchInbox", "lastReceivedId"), "format", "int32")),
    Pair("certified-connectors/Almabase", "input page_size of ListGifts: format int32 added to an integer that had none", NOT_BREAKING,
         "the page sizes flows send (1 to 50) are int32s; nothing a flow sends is refused", ("format-widened",),
         _drop(lambda d, p: _param(d, "ListGifts", "page_size"), "format")),
    Pair("certified-connectors/IA-Connect Session", 'connection parameter api_key: "clearText": "false" -> false', NOT_BREAKING,
         "the platform reads the string and the boolean alike: the same connection dialog, the same connections", (),
         _clear_text_as_string),
    Pair("certified-connectors/Encodian", "connection parameter region: a value added to allowedValues", NOT_BREAKING,
         "existing connections keep their region; new ones can choose the new one", ("connection-option-added",),
         _one_region_fewer),
    Pair("certified-connectors/Egnyte", "OAuth clientId: placeholder -> <clientId>", NOT_BREAKING,
         "certified connectors use Microsoft's registered app; the committed value is a placeholder either way", ("metadata-changed",),
         _set(lambda d, p: _connection(p, "token")["oAuthSettings"], "clientId", "placeholder")),
    Pair("certified-connectors/Autenti E-Signature Standard Workflow Connector", "Get_files_info: success response 200 -> default",
         NOT_BREAKING, "the same schema under another code: a flow reads the action's outputs, not its status code",
         ("success-response-moved",), _move_response("Get_files_info", "200", "default")),
    Pair("certified-connectors/Almabase", "ListGifts: success response default -> 200", NOT_BREAKING,
         "the same schema under another code", ("success-response-moved",), _move_response("ListGifts", "default", "200")),
    Pair("certified-connectors/Almabase", "ListGifts: new required input status, with the default completed", NOT_BREAKING,
         "flows that do not set it get the default, which the platform sends", ("optional-input-added",),
         _without_param("ListGifts", "status")),
    Pair("certified-connectors/Almabase", "ListTouchpointTypes: input is_custom made required, with a default", NOT_BREAKING,
         "the platform sends the default for flows that left it empty: they keep running, but now send is_custom=false, "
         "which a reviewer should see (a warning, with that reason)", ("input-required-with-default",),
         _set(lambda d, p: _param(d, "ListTouchpointTypes", "is_custom"), "required", False)),
    Pair("certified-connectors/Azure Machine Learning", "BatchEndpointsList: its inline response schema moved to definitions "
         "(an allOf chain of three $refs)", NOT_BREAKING, "the same outputs, only written once: a flow sees no difference",
         (), _inlined("BatchEndpointsList")),
    Pair("certified-connectors/Polaris PSA", "WebhookSubscriptionsRestAPI: its default response dropped; its 200 stays", NOT_BREAKING,
         "beside a 2xx response, default is the error response: the designer's outputs come from the 200, which is unchanged",
         ("error-response-removed",), _with_response("WebhookSubscriptionsRestAPI", "default", {"description": "default"})),
    # --- what reviewers judged breaking (recall: diff must keep calling each one breaking) ---
    Pair("certified-connectors/Almabase", "ListGifts: query parameter Search renamed to search", BREAKING,
         "flows store the wire name and keep sending Search, which the API does not read", ("input-renamed",),
         _set(lambda d, p: _param(d, "ListGifts", "search"), "name", "Search")),
    Pair("certified-connectors/LeadDesk", "ModifyContact: required query input list_id removed", BREAKING,
         "flows keep sending list_id; the action they were built on no longer has it", ("input-removed",),
         _with_param("ModifyContact", {"name": "list_id", "in": "query", "required": True, "type": "integer",
                                       "format": "int64", "x-ms-summary": "List ID"})),
    Pair("certified-connectors/365Training", "trigger NewIdeaNotification lost its output ideaurl", BREAKING,
         "flows that use Idea URL as dynamic content get nothing", ("notification-schema-changed",), _with_trigger_output),
    Pair("certified-connectors/365Training", "API key header X-Api-Key renamed to Ocp-Apim-Subscription-Key", BREAKING,
         "existing connections send their key where the API no longer looks", ("connection-changed",), _old_api_key_header),
    Pair("certified-connectors/Almabase", "ListGifts: enum values donorName/-donorName renamed to donor_name/-donor_name", BREAKING,
         "flows that chose Order by donorName keep sending a value the API no longer knows",
         ("input-enum-value-added", "input-enum-value-added", "input-enum-value-removed", "input-enum-value-removed"), _old_enum_values),
    Pair("certified-connectors/Almabase", "ListForms: path /v1/forms/ -> /v1/custom_forms/, same operationId", NOT_BREAKING,
         "flows keep the action and send the same inputs to the new path, which the API serves (the connector follows "
         "the API's move); Microsoft's validator flags it (\"The path template has been changed for the operation.\"), so "
         "it is a warning with the certification fact", ("operation-path-changed",),
         _at_path("/v1/forms/", "/v1/custom_forms/")),
    Pair("certified-connectors/IA-Connect Session", "GetFileSize: output fileSize renamed FileSize (letter case only)", BREAKING,
         "flows read body(...)?['fileSize']; the payload now carries FileSize, so the expression gets null",
         ("output-added", "output-removed"), _renamed_output("GetFileSize", "fileSize", "FileSize")),
    Pair("certified-connectors/IA-Connect Session", "GetAgentThreads: ThreadId of each AgentThreads item: string -> integer",
         NOT_BREAKING, "the declaration was corrected to the integer the agent always sent: dynamic content keeps working "
         "on the same payload (issue 29, class 1); the certification view flags an output type change",
         ("output-type-corrected",), _set(lambda d, p: _item_output(d, "GetAgentThreads", "AgentThreads", "ThreadId"), "type", "string")),
]

PAIRS += ISSUE_29_PAIRS

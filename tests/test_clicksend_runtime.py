"""What would fail at runtime in the ClickSend connector, and what users miss (issue 31): each point run for real.

The generated script.csx is compiled with mono and run by the script harness (ClickSend's answers come from the
cases, what the script sends is recorded); the definition checks read the built apiDefinition.swagger.json.
Where a decision rests on ClickSend's published descriptions, the test reads them in ../shared/reference.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, require_shared, run_cli
from ppconnector.emit.script import script
from ppconnector.fixtures.contract import Schemas
from ppconnector.script import cases
from ppconnector.script.compiler import compile_script
from ppconnector.script.runner import Case, run
from ppconnector.source.loader import load_connector

API = "https://rest.clicksend.com/v3"
CALLBACK = "https://prod-00.westeurope.logic.azure.com/workflows/0123/triggers/manual/paths/invoke?api-version=2016-06-01"
OTHER_CALLBACK = "https://prod-11.northeurope.logic.azure.com/workflows/4567/triggers/manual/paths/invoke?api-version=2016-06-01"
AUTH = {"Authorization": "Basic dXNlcjprZXk="}  # made up: user:key; the harness only records it
JSON = {"Content-Type": "application/json"}
INBOUND, RECEIPTS = "sms_inbound_automation", "sms_delivery_receipt_automation"


@pytest.fixture(scope="module")
def connector():
    c, _ = load_connector(ROOT / "connector" / "clicksend.yaml")
    return c


@pytest.fixture(scope="module")
def exe(connector):
    compiled = compile_script(script(connector), "script.csx")
    assert compiled.ok, [str(f) for f in compiled.findings]
    return compiled.exe


@pytest.fixture(scope="module")
def definition():
    return json.loads((ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8"))


def answer(body, status: int = 200, headers: dict | None = None) -> dict:
    return {"status": status, "headers": headers or JSON, "body": body if isinstance(body, str) else json.dumps(body)}


def rule_body(**fields) -> dict:
    return {"dedicated_number": "*", "rule_name": "Power-Automate", "message_search_type": 0, "message_search_term": "*",
            "action": "URL", "action_address": CALLBACK, "enabled": 1, "webhook_type": "json", **fields}


def subscribe(operation: str = INBOUND, upstream: list[dict] | None = None, original: str | None = None, body: dict | None = None) -> Case:
    path = "/automations/sms/inbound" if operation == INBOUND else "/automations/sms/receipts"
    return Case(operation, "POST", API + path, {**JSON, **AUTH}, json.dumps(body or rule_body()), upstream or [],
                original_url=original or cases.PLATFORM_ROOT + path)


def created(rule_id: int = 10, key: str = "inbound_rule_id") -> dict:
    return answer({"http_code": 200, "response_code": "SUCCESS", "response_msg": "Your record has been added.",
                   "data": {key: rule_id, "rule_name": "Power-Automate", "action": "URL", "action_address": CALLBACK}})


def page(items: list[dict], current: int = 1, last: int = 1) -> dict:
    return answer({"http_code": 200, "response_code": "SUCCESS", "response_msg": "Your list of inbound rules.",
                   "data": {"total": len(items), "per_page": 100, "current_page": current, "last_page": last, "data": items}})


DELETED = answer({"http_code": 200, "response_code": "SUCCESS", "response_msg": "Your record has been deleted.", "data": []})


def one(exe: Path, case: Case):
    outcome = run(exe, [case])[0][0]
    assert outcome.exception is None and outcome.timeout_ms is None, (outcome.exception, outcome.logs)
    return outcome


def sent(outcome) -> list[tuple[str, str]]:
    return [(s["method"], s["url"]) for s in outcome.sent]


# --- 1. a subscription the platform cannot delete is never left behind ----------------------------------------

def test_no_rule_id_the_rule_is_found_by_its_callback_url_on_any_page_and_deleted(exe):
    mine = {"sms_inbound_rule_id": 31, "rule_name": "Power-Automate", "action": "URL", "action_address": CALLBACK}
    theirs = {"sms_inbound_rule_id": 30, "rule_name": "Another flow", "action": "URL", "action_address": OTHER_CALLBACK}
    no_id = answer({"http_code": 200, "response_code": "SUCCESS", "response_msg": "Your record has been added.", "data": {"rule_name": "x"}})
    outcome = one(exe, subscribe(upstream=[no_id, page([theirs], 1, 2), page([mine], 2, 2), DELETED]))
    assert outcome.response["status"] == 502 and "Location" not in outcome.response["headers"]
    assert sent(outcome) == [("POST", API + "/automations/sms/inbound"),
                             ("GET", API + "/automations/sms/inbound?limit=100&page=1"),
                             ("GET", API + "/automations/sms/inbound?limit=100&page=2"),
                             ("DELETE", API + "/automations/sms/inbound/31")]  # rule 30 posts to another flow: kept
    assert all(s["headers"].get("Authorization") == AUTH["Authorization"] for s in outcome.sent)  # the connection's credentials
    error = json.loads(outcome.response["body"])
    assert "data.inbound_rule_id" in error["error"] and "/automations/sms/inbound/31) was deleted again" in error["cleanup"]
    assert any("was deleted again" in line["message"] for line in outcome.logs)


def test_no_rule_id_and_none_listed_says_so_and_deletes_nothing(exe):
    outcome = one(exe, subscribe(upstream=[answer("<html>maintenance</html>", headers={"Content-Type": "text/html"}), page([])]))
    assert outcome.response["status"] == 502
    assert [m for m, _ in sent(outcome)] == ["POST", "GET"]
    assert "lists no subscription posting to " + CALLBACK in json.loads(outcome.response["body"])["cleanup"]


def test_no_rule_id_and_the_list_fails_the_error_tells_the_user_to_delete_it(exe):
    no_id = answer({"http_code": 200, "response_code": "SUCCESS", "data": None})
    outcome = one(exe, subscribe(upstream=[no_id, answer({"http_code": 500}, status=500)]))
    assert outcome.response["status"] == 502
    cleanup = json.loads(outcome.response["body"])["cleanup"]
    assert "Listing the subscriptions failed (HTTP 500)" in cleanup and CALLBACK in cleanup


def test_delivery_report_rule_without_id_is_deleted_too(exe):
    mine = {"receipt_rule_id": 6, "rule_name": "Power-Automate", "action": "URL", "action_address": CALLBACK}
    no_id = answer({"http_code": 200, "response_code": "SUCCESS", "data": {"rule_name": "Power-Automate"}})
    body = {"rule_name": "Power-Automate", "match_type": 0, "action": "URL", "action_address": CALLBACK, "enabled": 1, "webhook_type": "json"}
    outcome = one(exe, subscribe(RECEIPTS, [no_id, page([mine]), DELETED], body=body))
    assert outcome.response["status"] == 502
    assert sent(outcome)[-1] == ("DELETE", API + "/automations/sms/receipts/6")


def test_when_no_location_can_be_built_the_rule_is_deleted_by_its_id(connector, tmp_path):
    """A subscription path that is not under the subscribe path must replace it at the end of the platform's URL;
    a URL that does not end with it gives no Location (never a doubled path), and the rule is deleted again."""
    connector.node["script"]["location_header"][INBOUND]["path"] = "/rules/{id}"
    try:
        text = script(connector)
    finally:
        connector.node["script"]["location_header"][INBOUND]["path"] = "/automations/sms/inbound/{id}"
    compiled = compile_script(text, "script.csx")
    assert compiled.ok
    good = one(compiled.exe, subscribe(upstream=[created(10)], original=cases.PLATFORM_ROOT + "/Automations/SMS/Inbound/"))
    assert good.response["status"] == 201 and good.response["headers"]["Location"] == cases.PLATFORM_ROOT + "/rules/10"
    bad = one(compiled.exe, subscribe(upstream=[created(10), DELETED], original=cases.PLATFORM_ROOT + "/other/path"))
    assert bad.response["status"] == 502 and "Location" not in bad.response["headers"]
    assert sent(bad)[-1] == ("DELETE", API + "/rules/10")
    assert "(/rules/10) was deleted again" in json.loads(bad.response["body"])["cleanup"]


def test_each_behaviour_compiles_on_its_own(connector):
    """A connector may declare any one of the script's behaviours: each renders to a script that compiles."""
    behaviours = dict(connector.node["script"])
    try:
        for name in behaviours:
            connector.node["script"] = {name: behaviours[name]}
            compiled = compile_script(script(connector), "script.csx")
            assert compiled.ok, (name, [str(f) for f in compiled.findings])
    finally:
        connector.node["script"] = behaviours


# --- 2. the Location for the URL shapes the platform sends --------------------------------------------------

CONNECTION = "/apim/clicksendsms/shared-clicksendsm-5f3e2b1c-0d7a-4c2f-9e1a-8b6d4c3a2f10"
SHAPES = {
    # The connection runtime URL Microsoft's generated SDK for clicksendsms calls
    # (https://[region].azure-apihub.net/apim/clicksendsms/[connection-id], powerplatform-connector-format.md §4.4)
    "connection runtime": f"https://westeurope.azure-apihub.net{CONNECTION}/automations/sms/inbound",
    # Power Automate's regional connector host, and Logic Apps' (the connection id as the platform names them)
    "power automate": f"https://europe-002.azure-apim.net{CONNECTION}/automations/sms/inbound",
    "logic apps": f"https://logic-apis-westeurope.azure-apim.net{CONNECTION}/automations/sms/inbound",
    "trailing slash": f"https://europe-002.azure-apim.net{CONNECTION}/automations/sms/inbound/",
    "query": f"https://europe-002.azure-apim.net{CONNECTION}/automations/sms/inbound?api-version=2016-06-01",
    "base path kept": f"https://europe-002.azure-apim.net{CONNECTION}/v3/automations/sms/inbound",
    "letter case": f"https://europe-002.azure-apim.net{CONNECTION}/Automations/SMS/Inbound",
    "escaped segment": "https://europe-002.azure-apim.net/apim/click%20send/conn%201/automations/sms/inbound",
    "escaped unreserved": "https://europe-002.azure-apim.net/apim/clicksend/conn%2D1/automations/sms/inbound",
    "port": f"https://gateway.example.com:8443{CONNECTION}/automations/sms/inbound",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_location_is_the_platforms_own_url_plus_the_rule_for_every_shape(exe, definition, shape):
    url = SHAPES[shape]
    outcome = one(exe, subscribe(upstream=[created(42)], original=url))
    assert outcome.response["status"] == 201
    location = outcome.response["headers"]["Location"]
    expected = url.split("?")[0].rstrip("/") + "/42"
    # The same URL (RFC 3986 6.2.2.2: an escaped unreserved character such as %2D is the character itself).
    assert location == re.sub(r"%2D", "-", expected)
    # The DELETE the platform sends there reaches the delete operation: the path after the connection matches it.
    assert delete_operation_for(definition, location) == "delete_sms_inbound_automation"


def delete_operation_for(definition: dict, url: str) -> str | None:
    """The DELETE operation whose path template ends the URL's path (letter case as the platform routes it)."""
    path = re.sub(r"^https://[^/]+", "", url).split("?")[0]
    for template, item in definition["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if "delete" in item and re.search(pattern, path, re.IGNORECASE):
            return item["delete"]["operationId"]
    return None


# --- 3. an update of the certified connector keeps its flows' unsubscribe working -----------------------------

def test_unsubscribe_urls_of_the_certified_connector_reach_a_delete_operation(definition, connector):
    """The certified connector subscribes at /ms-flow/automations/sms/inbound (Microsoft's generated SDKs for
    clicksendsms); the unsubscribe URLs its flows hold are that path plus the rule id, or the documented rule
    path. Each must match a DELETE of this definition, sent on unchanged to ClickSend at that same path."""
    for held in (f"https://europe-002.azure-apim.net{CONNECTION}/ms-flow/automations/sms/inbound/77",
                 f"https://europe-002.azure-apim.net{CONNECTION}/automations/sms/inbound/77"):
        op_id = delete_operation_for(definition, held)
        assert op_id is not None, held
        op = connector.operations[op_id]
        assert held.endswith(op.path.replace("{inbound_rule_id}", "77"))
        assert op.node.get("visibility") == "internal"
    # Codeless: the compatibility DELETE is not rewritten by the script, so it goes to ClickSend's /ms-flow/ path.
    assert "delete_sms_inbound_automation_ms_flow" not in connector.script_operations()
    assert definition["paths"]["/ms-flow/automations/sms/inbound/{inbound_rule_id}"]["delete"]["operationId"] == \
        "delete_sms_inbound_automation_ms_flow"


# --- 4. Get contacts in a list: both documented shapes give the same outputs ---------------------------------

def contacts_case(body, status: int = 200) -> Case:
    return Case("view_list_contacts", "GET", API + "/lists/428/contacts?limit=100", dict(AUTH), None, [answer(body, status)],
                original_url=cases.PLATFORM_ROOT + "/lists/428/contacts?limit=100")


def test_a_plain_contacts_array_becomes_the_documented_page(exe, definition):
    contact = {"contact_id": 552786, "list_id": 428, "phone_number": "+16783270696", "first_name": "John", "last_name": "Doe"}
    envelope = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Here's your list of contacts."}
    flat = one(exe, contacts_case({**envelope, "data": [contact, contact]}))
    body = json.loads(flat.response["body"])
    assert body["data"]["data"] == [contact, contact] and body["data"]["total"] == 2 and body["data"]["last_page"] == 1
    assert {k: body[k] for k in envelope} == envelope
    schema = definition["paths"]["/lists/{list_id}/contacts"]["get"]["responses"]["200"]["schema"]
    assert list(Schemas(definition).errors(schema, body)) == []  # the contract check's reading (nulls are empty)
    empty = json.loads(one(exe, contacts_case({**envelope, "data": []})).response["body"])
    assert empty["data"]["total"] == 0 and empty["data"]["data"] == [] and empty["data"]["from"] is None
    paged = {**envelope, "data": {"total": 1, "per_page": 15, "current_page": 1, "last_page": 1, "data": [contact]}}
    assert json.loads(one(exe, contacts_case(paged)).response["body"]) == paged  # the documented shape passes unchanged
    failed = one(exe, contacts_case({"http_code": 404, "response_code": "NOT_FOUND"}, status=404))
    assert failed.response["status"] == 404


def test_both_shapes_are_in_the_sources(definition):
    research = require_shared("reference", "research", "clicksend-api.md").read_text(encoding="utf-8")
    assert "current W page: flat `data: []`" in research and "S1/S3: paginator (`data.data[]`)" in research
    examples = json.loads(require_shared("reference", "clicksend", "v6-examples.json").read_text(encoding="utf-8"))
    assert isinstance(examples["GET /v3/lists/{list_id}/contacts"]["response_example"]["data"]["data"], list)


# --- 5. required flags settled from the sources ---------------------------------------------------------------

def body_schema(definition: dict, path: str, method: str = "post") -> dict:
    params = definition["paths"][path][method]["parameters"]
    schema = next(p["schema"] for p in params if p["in"] == "body")
    while "$ref" in schema:
        schema = definition["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_required_flags_follow_the_examples_and_the_certified_connector(definition):
    voice = body_schema(definition, "/voice/send")["properties"]["messages"]["items"]
    assert {"custom_string", "country"} <= set(voice["properties"]) and not {"custom_string", "country"} & set(voice["required"])
    fax = body_schema(definition, "/fax/send")["properties"]["messages"]["items"]
    assert "from" not in fax["properties"]
    for path in ("/post/letters/send", "/post/postcards/send"):
        recipient = body_schema(definition, path)["properties"]["recipients"]["items"]
        assert "address_line_2" in recipient["properties"] and "address_line_2" not in recipient["required"]
    # The evidence that won: S1's own voice request example sends neither field, S3's letter example sends an
    # empty line 2, S3's fax example sends no sender.
    v6 = json.loads(require_shared("reference", "clicksend", "v6-examples.json").read_text(encoding="utf-8"))
    voice_example = v6["POST /v3/voice/send"]["request_schema_example"]["messages"][0]
    assert not {"custom_string", "country"} & set(voice_example)
    classic = json.loads(require_shared("reference", "clicksend", "apisguru-examples.json").read_text(encoding="utf-8"))
    assert all("from" not in m for m in classic["POST /fax/send"]["request"]["messages"])
    research = require_shared("reference", "research", "clicksend-api.md").read_text(encoding="utf-8")
    assert "W table says yes, S2 no" in research  # letter address_line_2: one table against the API description


def test_each_decision_says_its_sources_in_the_yaml():
    text = (ROOT / "connector" / "clicksend.yaml").read_text(encoding="utf-8")
    for said in ("S2's FaxMessage has it optional", "S1's own request example sends neither",
                 "only the developers.clicksend.com letters table", "Microsoft's generated SDK"):
        assert said in text, said


# --- 6. descriptions that no longer invite a failure ------------------------------------------------------------

def test_mms_sender_is_a_clicksend_number_and_sms_keeps_alphanumeric(definition):
    mms = body_schema(definition, "/mms/send")["properties"]["messages"]["items"]["properties"]["from"]
    sms = body_schema(definition, "/sms/send")["properties"]["messages"]["items"]["properties"]["from"]
    assert "refuses an alphanumeric sender" in mms["description"] and "alphanumeric name of up to 11" not in mms["description"]
    assert "alphanumeric name of up to 11 characters" in sms["description"]


def test_voice_description_names_every_single_voice_language_clicksend_lists(definition):
    spec = require_shared("reference", "clicksend", "clicksend-java-v2.api.openapi.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(spec)["paths"]["/v3/voice/send"]["post"]["description"]
    rows = re.findall(r"\|\s*([a-z]{2}-[a-z]{2}(?:-[a-z]+)?)\s*\|\s*([^|]+?)\s*\|", table)
    single = {lang: voice for lang, voice in rows if "/" not in voice}
    assert single.get("pt-pt") == "male" and len(single) >= 5
    voice = body_schema(definition, "/voice/send")["properties"]["messages"]["items"]["properties"]["voice"]
    for lang, only in single.items():
        assert lang in voice["description"], lang
    assert "for pt-pt choose male" in voice["description"] and voice["default"] == "female"


# --- 7. subscribe answers what Microsoft's webhook documentation asks ---------------------------------------

def test_subscribe_answers_201_with_the_location_and_the_definition_declares_it(exe, definition):
    for op, key, path in ((INBOUND, "inbound_rule_id", "/automations/sms/inbound"), (RECEIPTS, "receipt_rule_id", "/automations/sms/receipts")):
        outcome = one(exe, subscribe(op, [created(5, key)]))
        assert outcome.response["status"] == 201
        assert outcome.response["headers"]["Location"] == f"{cases.PLATFORM_ROOT}{path}/5"
        assert json.loads(outcome.response["body"])["data"][key] == 5  # ClickSend's body passes through
        assert "201" in definition["paths"][path]["post"]["responses"]
    refused = one(exe, subscribe(upstream=[answer({"http_code": 401, "response_code": "UNAUTHORIZED"}, status=401)]))
    assert refused.response["status"] == 401 and "Location" not in refused.response["headers"]


# --- 8. the delivery-report trigger ----------------------------------------------------------------------------

def test_delivery_report_trigger_creates_the_documented_rule_and_reads_the_documented_receipt(definition):
    item = definition["paths"]["/automations/sms/receipts"]
    op = item["post"]
    assert op["x-ms-trigger"] == "single" and op["operationId"] == RECEIPTS
    body = body_schema(definition, "/automations/sms/receipts")
    spec = yaml.safe_load(require_shared("reference", "clicksend", "clicksend-java-v2.api.openapi.yaml").read_text(encoding="utf-8"))
    documented = spec["components"]["schemas"]
    assert set(documented["create_sms_delivery_receipt_rule_request"]["properties"]) <= set(body["properties"])
    assert body["properties"]["action_address"]["x-ms-notification-url"] is True
    receipt = set(documented["sms_receipt"]["properties"])
    outputs = set(item["x-ms-notification-content"]["schema"]["properties"])
    assert outputs == receipt
    assert definition["paths"]["/automations/sms/receipts/{receipt_rule_id}"]["delete"]["operationId"] == "delete_sms_delivery_receipt_automation"


# --- 9. sender dropdown and sending to a contact list -----------------------------------------------------------

def test_senders_are_a_dropdown_of_the_accounts_dedicated_numbers(definition):
    numbers = yaml.safe_load((ROOT / "connector" / "fixtures" / "get_dedicated_numbers" / "success.yaml").read_text(encoding="utf-8"))
    listed = numbers["response"]["body"]["data"]["data"]
    for path in ("/sms/send", "/mms/send", "/sms/send-to-list"):
        prop = body_schema(definition, path)["properties"]["messages"]["items"]["properties"]["from"]
        dropdown = prop["x-ms-dynamic-values"]
        assert dropdown["operationId"] == "get_dedicated_numbers" and dropdown["value-collection"] == "data/data"
        assert all(n[dropdown["value-path"]] for n in listed)
        assert "from" not in body_schema(definition, path)["properties"]["messages"]["items"].get("required", [])


def test_send_to_a_contact_list_goes_to_clicksends_send_endpoint_with_the_list(exe, definition):
    items = body_schema(definition, "/sms/send-to-list")["properties"]["messages"]["items"]
    assert set(items["required"]) == {"list_id", "body"}
    assert items["properties"]["list_id"]["x-ms-dynamic-values"]["operationId"] == "get_contact_lists"
    request = {"messages": [{"list_id": 428, "body": "Hello", "from": "+61411111111"}]}
    case = Case("sms_send_to_list", "POST", API + "/sms/send-to-list", {**JSON, **AUTH}, json.dumps(request),
                [answer({"http_code": 200, "response_code": "SUCCESS", "data": {"total_count": 3, "messages": []}})],
                original_url=cases.PLATFORM_ROOT + "/sms/send-to-list")
    outcome = one(exe, case)
    assert sent(outcome) == [("POST", API + "/sms/send")]
    assert json.loads(outcome.sent[0]["body"]) == request and outcome.sent[0]["headers"]["Authorization"] == AUTH["Authorization"]
    assert outcome.response["status"] == 200 and json.loads(outcome.response["body"])["data"]["total_count"] == 3


# --- 10. a trigger for "any message" needs no input ---------------------------------------------------------

def test_every_required_trigger_input_has_a_default(definition):
    for path in ("/automations/sms/inbound", "/automations/sms/receipts"):
        body = body_schema(definition, path)
        needed = [name for name in body["required"] if "default" not in body["properties"][name]
                  and not body["properties"][name].get("x-ms-notification-url")]
        assert needed == [], path
    inbound = body_schema(definition, "/automations/sms/inbound")["properties"]
    assert inbound["message_search_type"]["default"] == 0 and inbound["dedicated_number"]["default"] == "*"


# --- 11. dynamic content without twins, and whole lists by default ---------------------------------------------

def resolved(schema: dict, definition: dict) -> dict:
    while "$ref" in schema:
        schema = definition["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def visible(prop: dict, definition: dict) -> bool:
    return "internal" not in (prop.get("x-ms-visibility"), resolved(prop, definition).get("x-ms-visibility"))


def outputs(schema: dict, definition: dict) -> frozenset:
    """The (key, x-ms-summary) of every output a flow can pick below schema."""
    schema = resolved(schema, definition)
    if schema.get("type") == "array":
        return outputs(schema.get("items", {}), definition)
    found = set()
    for name, prop in schema.get("properties", {}).items():
        if visible(prop, definition):
            found.add((name, prop.get("x-ms-summary") or resolved(prop, definition).get("x-ms-summary")))
            found |= {(f"{name}.{k}", s) for k, s in outputs(prop, definition)}
    return frozenset(found)


def twins(schema: dict, definition: dict, at: str = "") -> list[str]:
    """Sibling objects a flow sees with the very same outputs (the same block offered twice)."""
    schema = resolved(schema, definition)
    if schema.get("type") == "array":
        return twins(schema.get("items", {}), definition, at + "[]")
    seen, found = {}, []
    for name, prop in schema.get("properties", {}).items():
        if not visible(prop, definition):
            continue
        below = outputs(prop, definition)
        if below and below in seen:
            found.append(f"{at}.{name} = {at}.{seen[below]}")
        seen.setdefault(below, name)
        found += twins(prop, definition, f"{at}.{name}")
    return found


def test_no_block_of_outputs_is_offered_twice(definition):
    found = {}
    for item in definition["paths"].values():
        for op in item.values():
            schema = (op.get("responses", {}).get("200") or {}).get("schema") if isinstance(op, dict) else None
            if schema and twins(schema, definition):
                found[op["operationId"]] = twins(schema, definition)
    assert found == {}
    # Both spellings stay declared, so that flows using the classic `currency` keep their values.
    sms = resolved(definition["paths"]["/sms/send"]["post"]["responses"]["200"]["schema"], definition)
    assert {"_currency", "currency"} <= set(resolved(sms["properties"]["data"], definition)["properties"])


def test_list_actions_ask_for_a_full_page(definition):
    for path in ("/lists", "/lists/{list_id}/contacts", "/search/contacts-lists"):
        limit = next(p for p in definition["paths"][path]["get"]["parameters"] if p["name"] == "limit")
        assert limit["default"] == limit["maximum"] == 100


# --- the constraint: nothing that breaks flows, against the main this work started from ------------------------

BASE = "be68d30"  # main when issue 31's second pass began


def test_diff_from_main_shows_nothing_that_breaks_flows():
    if subprocess.run(["git", "cat-file", "-e", BASE + "^{commit}"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip(f"this clone does not hold commit {BASE} (a shallow clone)")
    result = run_cli("diff", f"git:{BASE}", "--format", "json", cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    changes = report["changes"] if isinstance(report, dict) else report
    assert changes, "diff found no change at all: the comparison did not happen"

    def breaks(change: dict) -> bool:
        if "breaks_flows" in change:  # diff's own verdict: does a flow that works today stop working or lose data
            return bool(change["breaks_flows"])
        said = str(change.get("severity", "")).lower()
        return "break" in said and "non-break" not in said

    assert [c for c in changes if breaks(c)] == []  # none, acknowledged or not
    assert report.get("summary", {}).get("breaks_flows", 0) == 0

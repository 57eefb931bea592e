"""The generated ClickSend script, compiled with mono and run against the trigger's subscribe fixture."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import ROOT, run_cli
from script_support import SUBSCRIBE_REQUEST, SUBSCRIBE_RESPONSE_BODY, subscribe_fixture, write_fixture

from ppconnector.emit.script import script
from ppconnector.script import cases
from ppconnector.script.harness import from_connector, run_fixtures
from ppconnector.script.runner import run
from ppconnector.source.loader import load_connector

OP = "sms_inbound_automation"
# The connector's own URL (Context.OriginalRequestUri), never the service's: the platform's DELETE must go
# through the connection. The harness gives the two different hosts, so using the wrong one fails here.
LOCATION = cases.PLATFORM_ROOT + "/automations/sms/inbound/10"
SUBSCRIBE_REQUEST_CALLBACK = SUBSCRIBE_REQUEST["body"]["action_address"]


def _report(repo: Path, operations: list[str] | None = None):
    """The script run on the fixtures of the trigger (or of the given operations)."""
    connector, _ = load_connector(repo / "connector" / "clicksend.yaml")
    src = from_connector(connector)
    src.operations = operations or [OP]
    return run_fixtures(src)


def test_committed_script_is_what_the_yaml_generates_and_compiles(tmp_path):
    connector, _ = load_connector(ROOT / "connector" / "clicksend.yaml")
    assert (ROOT / "script.csx").read_text(encoding="utf-8") == script(connector)
    result = run_cli("script", "compile", str(ROOT / "script.csx"))
    assert result.returncode == 0, result.stderr
    assert "compiled" in result.stdout


def test_subscribe_fixture_gets_the_location_header_of_the_delete_operation(project_copy):
    write_fixture(project_copy / "connector", OP, "subscribe", subscribe_fixture(SUBSCRIBE_RESPONSE_BODY))
    connector, _ = load_connector(project_copy / "connector" / "clicksend.yaml")
    src = from_connector(connector)
    fixtures, problems = cases.find_fixtures(src.folder, [OP])
    assert not problems and len(fixtures) == 1
    case = cases.to_case(fixtures[0], src.api)
    report = run_fixtures(src)
    outcomes, _ = run(report.compiled.exe, [case])
    outcome = outcomes[0]
    assert outcome.exception is None
    assert outcome.response["status"] == 201  # Microsoft's webhook docs: 201 Created with the Location
    assert outcome.response["headers"]["Location"] == LOCATION
    # The delete operation of the YAML is what the header points at.
    delete = connector.operations["delete_sms_inbound_automation"]
    assert LOCATION.endswith(delete.path.replace("{inbound_rule_id}", "10"))
    assert "rest.clicksend.com" not in outcome.response["headers"]["Location"]
    # The body is passed through unchanged, and the request went upstream unchanged.
    assert json.loads(outcome.response["body"]) == SUBSCRIBE_RESPONSE_BODY
    assert outcome.sent[0]["url"] == "https://rest.clicksend.com/v3/automations/sms/inbound"
    assert json.loads(outcome.sent[0]["body"]) == fixtures[0].node["request"]["body"]


def test_the_repos_subscribe_fixtures_get_the_right_location_header():
    """Both triggers' subscribe fixtures in connector/fixtures, run through the generated script: 201 and the
    Location of the delete operation, on the connector's URL."""
    connector, _ = load_connector(ROOT / "connector" / "clicksend.yaml")
    src = from_connector(connector)
    triggers = {OP: ("inbound_rule_id", "delete_sms_inbound_automation"),
                "sms_delivery_receipt_automation": ("receipt_rule_id", "delete_sms_delivery_receipt_automation")}
    found, problems = cases.find_fixtures(src.folder, list(triggers))
    subscribes = [fx for fx in found if fx.file.stem.startswith("subscribe")
                  and triggers[fx.operation_id][0] in fx.node["response"]["body"]["data"]]
    assert {fx.operation_id for fx in subscribes} == set(triggers) and not problems
    report = run_fixtures(src)
    outcomes, _ = run(report.compiled.exe, [cases.to_case(fx, src.api) for fx in subscribes])
    for fx, outcome in zip(subscribes, outcomes):
        key, delete = triggers[fx.operation_id]
        rule_id = fx.node["response"]["body"]["data"][key]
        assert outcome.exception is None, (fx.shown, outcome.exception)
        assert outcome.response["status"] == 201
        path = connector.operations[delete].path.replace("{" + key + "}", str(rule_id))
        assert outcome.response["headers"]["Location"] == cases.PLATFORM_ROOT + path, fx.shown
    assert not [f for f in report.findings if f.severity == "error"], [str(f) for f in report.findings]


def test_script_test_command_passes_a_fixture_with_script_expectations(project_copy):
    expect = {"response": {"status": 201, "headers": {"Location": LOCATION}, "body": SUBSCRIBE_RESPONSE_BODY},
              "sent": [{"method": "POST", "path": "/v3/automations/sms/inbound"}]}
    write_fixture(project_copy / "connector", OP, "subscribe", subscribe_fixture(SUBSCRIBE_RESPONSE_BODY, expect))
    result = run_cli("script", "test", cwd=project_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.search(r"(\d+) of (\d+) fixtures passed", result.stdout)
    assert passed and passed.group(1) == passed.group(2), result.stdout


def test_body_without_the_id_gives_a_clear_error_response_not_an_exception(project_copy):
    """(The search for the rule it may have created is tests/test_clicksend_runtime.py's.) Here ClickSend answers
    every further request with the same body, so the list of rules cannot be read: the error says so."""
    body = {k: v for k, v in SUBSCRIBE_RESPONSE_BODY.items() if k != "data"} | {"data": {"rule_name": "My Rule 10"}}
    write_fixture(project_copy / "connector", OP, "no-id", subscribe_fixture(body))
    connector, _ = load_connector(project_copy / "connector" / "clicksend.yaml")
    src = from_connector(connector)
    src.operations = [OP]
    fixtures, _ = cases.find_fixtures(src.folder, [OP])
    report = run_fixtures(src)
    outcome = run(report.compiled.exe, [cases.to_case(fixtures[0], src.api)])[0][0]
    assert outcome.exception is None
    assert outcome.response["status"] == 502
    assert "Location" not in outcome.response["headers"]
    error = json.loads(outcome.response["body"])
    assert "data.inbound_rule_id" in error["error"]
    assert "Listing the subscriptions failed" in error["cleanup"] and SUBSCRIBE_REQUEST_CALLBACK in error["cleanup"]
    assert json.loads(error["response"]) == body  # what the service said, for the flow's run history
    assert any("data.inbound_rule_id" in line["message"] for line in outcome.logs)
    # Without expectations, the fixture fails: the script did not return the service's status.
    assert any("returned status 502, expected 200" in f.message for f in report.findings)


def test_non_json_and_error_responses_pass_through(project_copy):
    write_fixture(project_copy / "connector", OP, "unauthorized", subscribe_fixture(
        {"http_code": 401, "response_code": "UNAUTHORIZED", "response_msg": "Invalid credentials."}, status=401))
    write_fixture(project_copy / "connector", OP, "not-json", {
        "source": "made up for the test: a maintenance page instead of JSON",
        "request": {"method": "POST", "path": "/v3/automations/sms/inbound", "body": "{}"},
        "response": {"status": 200, "body": "<html>maintenance</html>"},
        "script": {"response": {"status": 502, "body_contains": "data.inbound_rule_id"}},
    })
    report = _report(project_copy)
    assert report.cases == 2
    assert report.passed == 2, [str(f) for f in report.findings]


def test_wrong_expectation_is_reported_at_the_fixture_line(project_copy):
    expect = {"response": {"headers": {"Location": cases.PLATFORM_ROOT + "/automations/sms/inbound/11"}}}
    path = write_fixture(project_copy / "connector", OP, "subscribe", subscribe_fixture(SUBSCRIBE_RESPONSE_BODY, expect))
    result = run_cli("script", "test", cwd=project_copy)
    assert result.returncode == 1
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Location:" in text)
    assert re.search(rf"subscribe\.yaml:{line}:\d+: error: .*Location: {re.escape(LOCATION)}, expected .*/11 \[script-test\]", result.stderr), result.stderr


HOSTILE = 'Quote " back\\slash {{braces}} {0} */ /* // Příliš žluťoučký kůň 😀 \t tab'


def test_hostile_strings_in_the_yaml_still_compile_and_reach_csharp_unchanged(project_copy):
    source = project_copy / "connector" / "clicksend.yaml"
    text = source.read_text(encoding="utf-8")
    hostile_yaml = json.dumps(HOSTILE, ensure_ascii=False)
    # Display strings everywhere a person writes text, and the script's own values.
    for old in ("  title: {en: ClickSend SMS, cs: ClickSend SMS, cs@: f9bcf544}",
                "summary: {en: When an SMS is received, cs: Při přijetí SMS, cs@: d36699ea}"):
        assert old in text
        text = text.replace(old, old.split(":")[0] + f": {{en: {hostile_yaml}, cs: {hostile_yaml}}}", 1)
    id_from = "data." + HOSTILE
    assert "      id_from: data.inbound_rule_id" in text
    text = text.replace("      id_from: data.inbound_rule_id", f"      id_from: {json.dumps(id_from, ensure_ascii=False)}", 1)
    path = '/automations/sms/inbound/{id}?note="č😀*/\\{{'
    assert "      path: /automations/sms/inbound/{id}" in text
    text = text.replace("      path: /automations/sms/inbound/{id}", f"      path: {json.dumps(path, ensure_ascii=False)}", 1)
    hostile_name = source.with_name('click"send {{č}} 😀 *.yaml')
    hostile_name.write_text(text, encoding="utf-8")
    source.unlink()

    connector, _ = load_connector(hostile_name)
    generated = script(connector)
    assert "😀" not in generated and "č" not in generated  # non-ASCII reaches C# as \u escapes
    write_fixture(project_copy / "connector", OP, "subscribe", subscribe_fixture(SUBSCRIBE_RESPONSE_BODY))
    report = run_fixtures(from_connector(connector))
    assert report.compiled.ok, [str(f) for f in report.findings]
    fixtures, _ = cases.find_fixtures(connector.folder, [OP])
    outcome = run(report.compiled.exe, [cases.to_case(fixtures[0], from_connector(connector).api)])[0][0]
    # The id path is not in the body, so the error response quotes it: the C# literal held the exact text.
    assert outcome.exception is None and outcome.response["status"] == 502
    assert id_from in json.loads(outcome.response["body"])["error"]
    build = run_cli("build", str(hostile_name), "--out", str(project_copy / "out"), cwd=project_copy)
    assert build.returncode == 0, build.stderr
    compiled = run_cli("script", "compile", str(project_copy / "out" / "script.csx"), str(project_copy / "out" / "dist" / "cs" / "script.csx"))
    assert compiled.returncode == 0, compiled.stderr


def test_script_operations_in_api_properties_match_the_script(project_copy):
    connector, _ = load_connector(project_copy / "connector" / "clicksend.yaml")
    props = json.loads((project_copy / "apiProperties.json").read_text())
    generated = script(connector)
    cased = re.findall(r'case "([^"]+)":', generated)
    assert props["properties"]["scriptOperations"] == connector.script_operations()  # in source order
    assert sorted(cased) == sorted(connector.script_operations())  # the switch groups them by behaviour
    assert set(cased) == {OP, "sms_delivery_receipt_automation", "view_list_contacts", "sms_send_to_list"}


def test_a_hand_written_script_file_is_copied_byte_for_byte_and_compiles(project_copy):
    hand = b"\xef\xbb\xbf// hand-written\r\n" + (
        "public class Script : ScriptBase\r\n{\r\n    public override async Task<HttpResponseMessage> ExecuteAsync()\r\n"
        "    {\r\n        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);\r\n    }\r\n}\r\n"
    ).encode()
    (project_copy / "connector" / "hand.csx").write_bytes(hand)
    connector, _ = load_connector(project_copy / "connector" / "clicksend.yaml")
    connector.node["script"] = {"file": "hand.csx"}  # the YAML form proposed for the schema: script: {file: hand.csx}
    text = script(connector)
    assert text.encode("utf-8") == hand
    from ppconnector.script.compiler import compile_script

    assert compile_script(text, "hand.csx").ok


def test_notification_fixtures_are_not_run_through_the_script(project_copy):
    write_fixture(project_copy / "connector", OP, "subscribe", subscribe_fixture(SUBSCRIBE_RESPONSE_BODY, {"response": {"status": 201}}))
    write_fixture(project_copy / "connector", OP, "inbound-sms", {
        "kind": "notification", "source": "ClickSend inbound SMS webhook (json)",
        "request": {"method": "POST", "path": "/flow-callback", "body": {"message_id": "1", "body": "hi"}},
    })
    report = _report(project_copy)
    assert (report.cases, report.passed) == (1, 1), [str(f) for f in report.findings]
    assert not report.findings

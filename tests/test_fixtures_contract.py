"""The contract family of `ppconnector check`: the recorded fixtures in connector/fixtures held against
the definition, and mutated fixtures giving the right finding at the right line."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from fixtures_support import findings, fixed_copy, position
from ppconnector.fixtures.contract import operations
from ppconnector.fixtures.load import find_fixtures
from ppconnector.fixtures.rules import is_error, is_send_action

FIXTURES = ROOT / "connector" / "fixtures"


def _definition() -> dict:
    return json.loads((ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8"))


def _edit(file: Path, change) -> None:
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(doc)
    file.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")


def _shown(file: Path) -> str:
    return os.path.relpath(file)


def _at(result, rule: str, file: Path):
    return [f for f in result if f.rule == rule and f.file == _shown(file)]


@pytest.fixture
def fixed(project_copy: Path) -> Path:
    """A project copy with the definition fixes the fixtures call for (a no-op once the lead applied them)."""
    return fixed_copy(project_copy)


def test_every_operation_has_a_successful_fixture():
    fixtures, broken = find_fixtures(FIXTURES)
    assert broken == []
    ops = operations(_definition())
    for op_id in ops:
        mine = [fx for fx in fixtures if fx.operation == op_id and fx.kind == "exchange"]
        assert any(fx.node["response"]["status"] == 200 and not is_error(fx) for fx in mine), op_id


def test_send_actions_and_list_operations_have_the_errors_users_meet():
    fixtures, _ = find_fixtures(FIXTURES)
    ops = operations(_definition())
    statuses = {}
    for fx in fixtures:
        if fx.kind == "exchange":
            statuses.setdefault(fx.operation, set()).add(fx.node["response"]["status"])
    sends = [op for op in ops.values() if is_send_action(op)]
    assert {op.id for op in sends} == {"sms_send", "sms_send_to_list", "send_mms", "send_voice", "send_fax", "send_letter", "send_postcard"}
    for op in sends:
        assert {400, 401, 429} <= statuses[op.id], op.id
        assert any(is_error(fx) and fx.node["response"]["status"] == 200 for fx in fixtures if fx.operation == op.id), op.id
    for op_id in ("delete_list", "view_list_contacts", "create_list_contact", "delete_list_contact"):
        assert {401, 404, 429} <= statuses[op_id], op_id
    for op_id in ("create_list", "get_contact_lists", "search_contact_list"):
        assert {401, 429} <= statuses[op_id], op_id


def test_trigger_has_subscribe_delete_and_notification_fixtures():
    fixtures, _ = find_fixtures(FIXTURES)
    kinds = {(fx.operation, fx.kind) for fx in fixtures}
    assert ("sms_inbound_automation", "exchange") in kinds
    assert ("sms_inbound_automation", "notification") in kinds
    assert ("delete_sms_inbound_automation", "exchange") in kinds


def test_every_fixture_says_where_it_comes_from_and_holds_no_credential():
    fixtures, _ = find_fixtures(FIXTURES)
    for fx in fixtures:
        assert str(fx.node["source"]).strip()
        text = fx.file.read_text(encoding="utf-8")
        assert not re.search(r"(?im)^\s*(authorization|cookie|x-api-key)\s*:", text), fx.file
        assert not re.search(r"(?i)\bbasic\s+[a-z0-9+/=]{8,}", text), fx.file
        assert "D83DED51-9E35-4D42-9BB9-0E34B7CA85AE" not in text  # ClickSend's documented test API key


def test_discrepancies_keep_a_fixture_of_each_variant():
    # §5 of the research: the classic and the current docs disagree; both answers are kept
    for op in ("sms_send", "send_mms", "send_voice", "create_list", "get_contact_lists", "view_list_contacts", "create_list_contact"):
        assert (FIXTURES / op / "success.yaml").exists() and (FIXTURES / op / "success-v6.yaml").exists(), op
    classic = yaml.safe_load((FIXTURES / "sms_send" / "success.yaml").read_text(encoding="utf-8"))
    current = yaml.safe_load((FIXTURES / "sms_send" / "success-v6.yaml").read_text(encoding="utf-8"))
    assert "currency" in classic["response"]["body"]["data"] and "_currency" in current["response"]["body"]["data"]
    assert isinstance(classic["response"]["body"]["data"]["messages"][0]["message_price"], float)
    assert isinstance(current["response"]["body"]["data"]["messages"][0]["message_price"], str)


def test_fixtures_check_clean_against_the_fixed_definition(fixed: Path):
    result = findings(fixed)
    assert [str(f) for f in result if f.severity != "info"] == []
    # Every field the fixtures show is declared (issue 17); test_undocumented_output_is_information adds one.
    assert [str(f) for f in result if f.rule == "contract-undocumented-output"] == []


def test_without_the_error_responses_every_error_fixture_is_an_undeclared_status(project_copy: Path):
    from fixtures_support import remove_error_responses
    from ppconnector.source.yamlfile import loads

    source = project_copy / "connector" / "clicksend.yaml"
    source.write_text(remove_error_responses(source.read_text(encoding="utf-8")), encoding="utf-8")
    root = loads(source.read_text(encoding="utf-8"))
    # (A trigger's 201 is the script's answer to the platform, not an error response.)
    assert all(set(op["responses"]) - {"201"} == {"200"} for op in root["operations"].values())
    result = findings(source)
    errors = [f for f in result if f.severity == "error"]
    fixtures, _ = find_fixtures(project_copy / "connector" / "fixtures")
    expected = sorted(_shown(fx.file) for fx in fixtures if fx.kind == "exchange" and fx.node["response"]["status"] >= 400)
    assert sorted(f.file for f in errors) == expected
    assert {f.rule for f in errors} == {"contract-response-status"}


def test_wrong_type_in_the_response_is_found_at_its_line(fixed: Path):
    file = fixed.parent / "fixtures" / "sms_send" / "success-v6.yaml"
    _edit(file, lambda d: d["response"]["body"]["data"].__setitem__("total_count", "two"))
    found = _at(findings(fixed), "contract-response-schema", file)
    assert len(found) == 1
    assert (found[0].line, found[0].column) == position(file, "response", "body", "data", "total_count")
    assert "data.total_count is string 'two', the schema says integer" in found[0].message


def test_wrong_type_in_a_nested_array_item_is_found(fixed: Path):
    file = fixed.parent / "fixtures" / "get_contact_lists" / "success.yaml"
    _edit(file, lambda d: d["response"]["body"]["data"]["data"][1].__setitem__("list_id", [429]))
    found = _at(findings(fixed), "contract-response-schema", file)
    assert [(f.line, f.column) for f in found] == [position(file, "response", "body", "data", "data", 1, "list_id")]
    assert "data.data.1.list_id is array" in found[0].message


def test_missing_required_request_field_is_found_at_its_line(fixed: Path):
    file = fixed.parent / "fixtures" / "sms_send" / "success-v6.yaml"
    _edit(file, lambda d: d["request"]["body"]["messages"][0].pop("to"))
    found = _at(findings(fixed), "contract-request", file)
    assert len(found) == 1
    assert (found[0].line, found[0].column) == position(file, "request", "body", "messages", 0)
    assert "'to' is required but missing" in found[0].message


def test_missing_required_query_parameter_and_undeclared_one(fixed: Path):
    file = fixed.parent / "fixtures" / "search_contact_list" / "success.yaml"
    _edit(file, lambda d: d["request"].__setitem__("query", {"query": "Gorne"}))
    found = _at(findings(fixed), "contract-request", file)
    messages = sorted(f.message for f in found)
    assert any("required query parameter 'q' is missing" in m for m in messages)
    assert any("query parameter 'query' is sent but the operation does not declare it" in m for m in messages)


def test_request_value_outside_its_enum_and_path_of_wrong_type(fixed: Path):
    upload = fixed.parent / "fixtures" / "upload_media" / "success.yaml"
    _edit(upload, lambda d: d["request"]["query"].__setitem__("convert", "pdf"))
    delete = fixed.parent / "fixtures" / "delete_list" / "success.yaml"
    _edit(delete, lambda d: d["request"].__setitem__("path", "/v3/lists/my-list"))
    result = findings(fixed)
    up = _at(result, "contract-request", upload)
    assert len(up) == 1 and "'pdf' is not one of" in up[0].message
    assert (up[0].line, up[0].column) == position(upload, "request", "query", "convert")
    de = _at(result, "contract-request", delete)
    assert len(de) == 1 and "path parameter 'list_id'" in de[0].message and "the schema says integer" in de[0].message


def test_body_field_the_definition_does_not_declare(fixed: Path):
    file = fixed.parent / "fixtures" / "create_list" / "success.yaml"
    _edit(file, lambda d: d["request"]["body"].__setitem__("list_colour", "blue"))
    found = _at(findings(fixed), "contract-request", file)
    assert len(found) == 1 and "body.list_colour is sent but the body schema does not declare it" in found[0].message
    from ppconnector.source.yamlfile import key_position, load

    assert (found[0].line, found[0].column) == key_position(load(file), ("request", "body", "list_colour"))


def test_wrong_method_and_path(fixed: Path):
    file = fixed.parent / "fixtures" / "create_list" / "success.yaml"
    _edit(file, lambda d: d["request"].update(method="PUT", path="/v3/list"))
    found = _at(findings(fixed), "contract-request", file)
    assert any("method PUT but the operation is POST /lists" in f.message for f in found)
    assert any("does not match /v3/lists" in f.message and (f.line, f.column) == position(file, "request", "path") for f in found)


def test_undeclared_status_is_found_at_its_line(fixed: Path):
    file = fixed.parent / "fixtures" / "create_list" / "unauthorized-401.yaml"
    _edit(file, lambda d: d["response"].__setitem__("status", 418))
    found = _at(findings(fixed), "contract-response-status", file)
    assert len(found) == 1
    assert (found[0].line, found[0].column) == position(file, "response", "status")
    assert "status 418 is not declared" in found[0].message


def test_credential_left_in_a_header_is_an_error_at_its_line(fixed: Path):
    file = fixed.parent / "fixtures" / "send_fax" / "success.yaml"
    _edit(file, lambda d: d["request"]["headers"].__setitem__("Authorization", "Basic YWxpY2U6c2VjcmV0LWtleQ=="))
    found = _at(findings(fixed), "contract-credential", file)
    assert len(found) == 1 and found[0].severity == "error"
    from ppconnector.source.yamlfile import key_position, load

    assert (found[0].line, found[0].column) == key_position(load(file), ("request", "headers", "Authorization"))


def test_api_key_from_the_environment_anywhere_is_an_error(fixed: Path, monkeypatch):
    monkeypatch.setenv("CLICKSEND_USERNAME", "alice")
    monkeypatch.setenv("CLICKSEND_API_KEY", "6A1F0C2E-1111-4E2B-9C3D-ABCDEF012345")
    file = fixed.parent / "fixtures" / "sms_send" / "success.yaml"
    _edit(file, lambda d: d["request"]["body"]["messages"][0].__setitem__("custom_string", "key 6A1F0C2E-1111-4E2B-9C3D-ABCDEF012345"))
    found = _at(findings(fixed), "contract-credential", file)
    assert len(found) == 1
    assert (found[0].line, found[0].column) == position(file, "request", "body", "messages", 0, "custom_string")


def test_a_basic_token_is_a_credential_and_a_field_name_is_not(fixed: Path):
    """A field named api_key or password holds a credential only if its value is one (issue 21 item 5:
    `record` writes `api_key: <redacted>` and must not then fail its own check)."""
    file = fixed.parent / "fixtures" / "create_list" / "success.yaml"
    _edit(file, lambda d: (d["response"]["body"]["data"].__setitem__("note", "use Basic dXNlcjpwYXNzd29yZA=="),
                           d["response"]["body"].__setitem__("api_key", "<redacted>"),
                           d["response"]["body"].__setitem__("password", "")))
    found = _at(findings(fixed), "contract-credential", file)
    assert len(found) == 1 and found[0].line == position(file, "response", "body", "data", "note")[0]


def test_the_api_key_in_any_encoding_is_a_credential(fixed: Path, monkeypatch):
    import base64

    monkeypatch.setenv("CLICKSEND_USERNAME", "alice@example.com")
    monkeypatch.setenv("CLICKSEND_API_KEY", "K3y+/=Secret&42")
    file = fixed.parent / "fixtures" / "create_list" / "success.yaml"
    encodings = ["k3y+/=secret&42", "K3y%2B%2F%3DSecret%2642", "K3y%2b%2f%3dSecret%2642", "K3y%252B%252F%253DSecret%252642",
                 base64.b64encode(b"K3y+/=Secret&42").decode(), base64.b64encode(b"alice@example.com:K3y+/=Secret&42").decode()]
    _edit(file, lambda d: d["response"]["body"]["data"].update({f"note{i}": f"x {e} y" for i, e in enumerate(encodings)}))
    found = _at(findings(fixed), "contract-credential", file)
    assert sorted(f.line for f in found) == sorted(position(file, "response", "body", "data", f"note{i}")[0] for i in range(len(encodings)))


def test_notification_payload_is_validated(fixed: Path):
    file = fixed.parent / "fixtures" / "sms_inbound_automation" / "notification.yaml"
    _edit(file, lambda d: d["request"]["body"].__setitem__("timestamp", {"unix": 1}))
    found = _at(findings(fixed), "contract-response-schema", file)
    assert len(found) == 1 and "notification body.timestamp is object" in found[0].message
    assert (found[0].line, found[0].column) == position(file, "request", "body", "timestamp")


def test_undocumented_output_is_information(fixed: Path):
    file = fixed.parent / "fixtures" / "create_list" / "success.yaml"
    _edit(file, lambda d: d["response"]["body"]["data"].__setitem__("list_colour", "blue"))
    found = _at(findings(fixed), "contract-undocumented-output", file)
    assert [f.severity for f in found] == ["info"] and "data.list_colour" in found[0].message


def test_coverage_operation_without_fixture_and_send_without_error(fixed: Path):
    root = fixed.parent / "fixtures"
    shutil.rmtree(root / "get_countries")
    for name in ("bad-request-400", "unauthorized-401", "throttled-429", "invalid-recipient"):
        (root / "send_fax" / f"{name}.yaml").unlink()
    found = [f for f in findings(fixed) if f.rule == "contract-coverage"]
    assert sorted(f.message.split(" has ")[0] for f in found) == ["operation get_countries", "send action send_fax"]
    assert all(f.severity == "warning" and f.line for f in found)


def test_expected_discrepancy_that_no_longer_occurs_is_reported(fixed: Path):
    file = fixed.parent / "fixtures" / "sms_send" / "success-v6.yaml"
    _edit(file, lambda d: d["response"]["body"]["data"]["messages"][0].__setitem__("date", 1721099039))
    found = _at(findings(fixed), "contract-expectation", file)
    assert len(found) == 1 and found[0].severity == "warning"
    assert (found[0].line, found[0].column) == position(file, "expect", 0)


def test_unknown_operation_and_unknown_key(fixed: Path):
    root = fixed.parent / "fixtures"
    (root / "sms_sned").mkdir()
    shutil.copy(root / "sms_send" / "success.yaml", root / "sms_sned" / "x.yaml")
    _edit(root / "sms_sned" / "x.yaml", lambda d: d.__setitem__("operation", "sms_sned"))
    _edit(root / "create_list" / "success.yaml", lambda d: d.__setitem__("responce", {}))
    result = [f for f in findings(fixed) if f.rule == "contract-fixture"]
    assert any('no operation "sms_sned"' in f.message and 'did you mean "sms_send"' in f.message for f in result)
    assert any('unknown key "responce"' in f.message and 'did you mean "response"' in f.message for f in result)


def test_family_is_silent_without_a_fixtures_folder(fixed: Path):
    shutil.rmtree(fixed.parent / "fixtures")
    assert findings(fixed) == []


def test_plain_connector_folder_with_fixtures(fixed: Path, tmp_path: Path):
    from conftest import run_cli

    out = tmp_path / "built"
    r = run_cli("build", str(fixed), "--out", str(out), "--locale", "en")
    assert r.returncode == 0, r.stderr
    shutil.copytree(fixed.parent / "fixtures", out / "fixtures")
    result = findings(out)
    assert [str(f) for f in result if f.severity != "info"] == []
    _edit(out / "fixtures" / "delete_list" / "throttled-429.yaml", lambda d: d["response"].__setitem__("status", 503))
    assert [f.rule for f in findings(out) if f.severity == "error"] == ["contract-response-status"]


def test_rules_are_registered_in_the_contract_family():
    from ppconnector.check.registry import all_rules

    family = {r.id: r for r in all_rules().values() if r.family == "contract"}
    assert {"contract-request", "contract-response-status", "contract-response-schema", "contract-undocumented-output",
            "contract-coverage", "contract-credential"} <= set(family)
    assert family["contract-credential"].severity == "error" and family["contract-undocumented-output"].severity == "info"

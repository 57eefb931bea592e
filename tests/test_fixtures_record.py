"""`ppconnector record` against a fake ClickSend on 127.0.0.1: the request Power Automate would send,
a fixture that checks clean, and no credential anywhere in the file or the output."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from fixtures_support import FakeClickSend, findings, fixed_copy

USER, KEY = "alice.smith", "9C2B7E41-5D3A-4F60-8E1B-2A7C4D9E0F13"
TOKEN = base64.b64encode(f"{USER}:{KEY}".encode()).decode()

SMS_OK = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Messages queued for delivery.",
          "data": {"total_price": 0.0792, "total_count": 1, "queued_count": 1,
                   "messages": [{"direction": "out", "date": 1721099039, "to": "+61411111111", "body": "Hello",
                                 "from": "+61411111111", "message_id": "4E9B0A3F-7A4D-4C2E-9B4E-3C5C2A1D0F11",
                                 "message_parts": 1, "message_price": "0.0792", "status": "SUCCESS",
                                 "_api_username": USER, "user_id": 1, "subaccount_id": 1}],
                   "_currency": {"currency_name_short": "AUD", "currency_prefix_d": "$", "currency_prefix_c": "c",
                                 "currency_name_long": "Australian Dollars"}}}


@pytest.fixture
def project(project_copy: Path, monkeypatch) -> Path:
    fixed_copy(project_copy)
    monkeypatch.setenv("CLICKSEND_USERNAME", USER)
    monkeypatch.setenv("CLICKSEND_API_KEY", KEY)
    return project_copy


def _no_secret(*texts: str) -> None:
    for text in texts:
        assert KEY not in text and TOKEN not in text and USER not in text


def test_record_sms_send_writes_a_clean_fixture_without_credentials(project: Path):
    with FakeClickSend(USER, KEY) as fake:
        fake.routes[("POST", "/v3/sms/send")] = (200, {"x-ratelimit-remaining": "5999"}, SMS_OK)
        r = run_cli("record", "sms_send", "--param", "messages.0.to=+61411111111", "--param", "messages.0.body=Hello",
                    "--base-url", fake.url, "--case", "recorded", cwd=project)
    assert r.returncode == 0, r.stderr
    # what Power Automate sends: the path under the base path, basic auth, the JSON body
    got = fake.received[0]
    assert (got["method"], got["path"]) == ("POST", "/v3/sms/send")
    assert got["headers"]["Authorization"] == f"Basic {TOKEN}"
    assert json.loads(got["body"]) == {"messages": [{"to": "+61411111111", "body": "Hello"}]}
    file = project / "connector" / "fixtures" / "sms_send" / "recorded.yaml"
    text = file.read_text(encoding="utf-8")
    _no_secret(text, r.stdout, r.stderr)
    assert "laravel_session" not in text  # the cookie the fake sets is not recorded
    doc = yaml.safe_load(text)
    assert doc["request"] == {"method": "POST", "path": "/v3/sms/send", "query": {},
                              "headers": {"Content-Type": "application/json"},
                              "body": {"messages": [{"to": "+61411111111", "body": "Hello"}]}}
    assert doc["response"]["status"] == 200 and doc["response"]["headers"]["x-ratelimit-remaining"] == "5999"
    assert doc["source"].startswith("live recording, ")
    mine = [f for f in findings(project / "connector" / "clicksend.yaml") if f.file and f.file.endswith("sms_send/recorded.yaml")]
    assert [f for f in mine if f.severity != "info"] == []


def test_record_fills_internal_defaults_and_path_parameters(project: Path):
    created = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Your record has been added.",
               "data": {"inbound_rule_id": 7, "dedicated_number": "*", "rule_name": "Flow", "message_search_type": 0,
                        "message_search_term": "", "action": "URL", "action_address": "https://example.com/cb",
                        "enabled": 1, "webhook_type": "json"}}
    with FakeClickSend(USER, KEY) as fake:
        fake.routes[("POST", "/v3/automations/sms/inbound")] = (200, {}, created)
        fake.routes[("DELETE", "/v3/automations/sms/inbound/7")] = (200, {}, {"http_code": 200, "response_code": "SUCCESS",
                                                                             "response_msg": "Your record has been deleted.", "data": []})
        r1 = run_cli("record", "sms_inbound_automation", "--param", "dedicated_number=*", "--param", "rule_name=Flow",
                     "--param", "message_search_type=0", "--param", "message_search_term=",
                     "--param", "action_address=https://example.com/cb", "--base-url", fake.url, cwd=project)
        r2 = run_cli("record", "delete_sms_inbound_automation", "--param", "inbound_rule_id=7", "--base-url", fake.url, cwd=project)
    assert r1.returncode == 0, r1.stderr
    assert r2.returncode == 0, r2.stderr
    sent = json.loads(fake.received[0]["body"])
    assert sent["action"] == "URL" and sent["webhook_type"] == "json" and sent["enabled"] == 1 and sent["message_search_type"] == 0
    assert fake.received[1]["path"] == "/v3/automations/sms/inbound/7"
    folder = project / "connector" / "fixtures"
    assert (folder / "sms_inbound_automation" / "recorded-200.yaml").exists()
    assert (folder / "delete_sms_inbound_automation" / "recorded-200.yaml").exists()
    bad = [f for f in findings(project / "connector" / "clicksend.yaml") if f.severity != "info"]
    assert bad == []


def test_record_a_rejected_key_gives_a_401_fixture_without_the_key(project: Path, monkeypatch):
    monkeypatch.setenv("CLICKSEND_API_KEY", "WRONG-KEY-0000-1111")
    with FakeClickSend(USER, KEY) as fake:
        r = run_cli("record", "get_contact_lists", "--param", "page=1", "--param", "limit=15", "--base-url", fake.url,
                    "--case", "wrong-key", cwd=project)
    assert r.returncode == 0, r.stderr
    assert fake.received[0]["path"] == "/v3/lists?page=1&limit=15"
    text = (project / "connector" / "fixtures" / "get_contact_lists" / "wrong-key.yaml").read_text(encoding="utf-8")
    assert "WRONG-KEY-0000-1111" not in text and "WRONG-KEY-0000-1111" not in r.stdout + r.stderr
    assert yaml.safe_load(text)["response"]["status"] == 401


def test_record_without_credentials_is_refused(project: Path, monkeypatch):
    monkeypatch.delenv("CLICKSEND_API_KEY")
    r = run_cli("record", "get_countries", "--base-url", "http://127.0.0.1:9/v3", cwd=project)
    assert r.returncode == 2
    assert "set CLICKSEND_API_KEY" in r.stderr and "Traceback" not in r.stderr


def test_record_unknown_operation_and_parameter(project: Path):
    r = run_cli("record", "sms_sned", cwd=project)
    assert r.returncode == 2 and 'did you mean "sms_send"' in r.stderr
    r = run_cli("record", "delete_list", "--param", "lst_id=4", cwd=project)
    assert r.returncode == 2 and 'did you mean "list_id"' in r.stderr
    r = run_cli("record", "delete_list", cwd=project)
    assert r.returncode == 2 and "needs --param list_id=VALUE" in r.stderr
    r = run_cli("record", "create_list_contact", "--param", "list_id=four", cwd=project)
    assert r.returncode == 2 and "'four' is not a valid integer" in r.stderr


def test_record_unreachable_server_writes_nothing(project: Path):
    before = sorted(p.name for p in (project / "connector" / "fixtures" / "get_countries").iterdir())
    r = run_cli("record", "get_countries", "--base-url", "http://127.0.0.1:9/v3", cwd=project)
    assert r.returncode == 2 and "could not reach http://127.0.0.1:9/v3/countries" in r.stderr
    assert sorted(p.name for p in (project / "connector" / "fixtures" / "get_countries").iterdir()) == before


def test_record_refuses_to_overwrite_a_named_case(project: Path):
    with FakeClickSend(USER, KEY) as fake:
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "success", cwd=project)
    assert r.returncode == 2 and "exists; choose another --case or pass --force" in r.stderr
    assert fake.received == []

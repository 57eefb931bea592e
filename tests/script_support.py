"""Helpers for the script harness tests: fixtures written as files, scripts compiled and run for real."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from ppconnector.script.compiler import compile_script
from ppconnector.script.runner import Case, run

SUBSCRIBE_REQUEST = {
    "method": "POST",
    "path": "/v3/automations/sms/inbound",
    "headers": {"Content-Type": "application/json"},
    "body": {
        "dedicated_number": "*", "rule_name": "Power Automate flow", "message_search_type": 0, "message_search_term": "",
        "action": "URL", "action_address": "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/run",
        "enabled": 1, "webhook_type": "json",
    },
}

# ClickSend's documented create response (clicksend-java-v2 openapi.yaml, POST /automations/sms/inbound 200).
SUBSCRIBE_RESPONSE_BODY = {
    "http_code": 200, "response_code": "SUCCESS", "response_msg": "Your record has been added.",
    "data": {
        "inbound_rule_id": 10, "dedicated_number": "+61298441484", "rule_name": "My Rule 10", "message_search_type": 3,
        "message_search_term": "My Search Term", "action": "CREATE_CONTACT_PLUS_EMAIL", "action_address": "430",
        "body": "Hello, World!", "enabled": 1, "webhook_type": "json",
    },
}


def write_fixture(connector_folder: Path, operation: str, name: str, data: dict) -> Path:
    """Write a fixture into a scratch connector folder; the operation's copied fixtures are removed first,
    so a test sees only the fixtures it wrote."""
    folder = connector_folder / "fixtures" / operation
    if folder.is_dir() and not (folder / ".written-by-test").exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".written-by-test").touch()
    path = folder / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"operation": operation, **data}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def subscribe_fixture(response_body: dict, script: dict | None = None, status: int = 200) -> dict:
    data = {
        "source": "ClickSend clicksend-java-v2 api/openapi.yaml, POST /automations/sms/inbound 200 example",
        "request": SUBSCRIBE_REQUEST,
        "response": {"status": status, "headers": {"Content-Type": "application/json"}, "body": response_body},
    }
    if script is not None:
        data["script"] = script
    return data


def compile_ok(text: str, shown: str = "script.csx"):
    compiled = compile_script(text, shown)
    assert compiled.ok, "\n".join(str(f) for f in compiled.findings)
    return compiled


def run_one(text: str, operation: str = "op", method: str = "GET", url: str = "https://api.example.com/v1/things",
            body: str | None = None, upstream: list[dict] | None = None, headers: dict | None = None):
    """Compile text and run it on one request; the upstream answers (default: 200 with {"ok": true})."""
    compiled = compile_ok(text)
    upstream = upstream or [{"status": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"ok": True})}]
    outcomes, _ = run(compiled.exe, [Case(operation, method, url, headers or {}, body, upstream)])
    return outcomes[0]


def wrap(body: str, members: str = "") -> str:
    """A minimal script whose ExecuteAsync is body."""
    return (
        "public class Script : ScriptBase\n{\n"
        "    public override async Task<HttpResponseMessage> ExecuteAsync()\n    {\n"
        f"{body}\n"
        "    }\n"
        f"{members}\n"
        "}\n"
    )


__all__ = ["compile_ok", "run_one", "subscribe_fixture", "write_fixture", "wrap", "SUBSCRIBE_REQUEST", "SUBSCRIBE_RESPONSE_BODY"]

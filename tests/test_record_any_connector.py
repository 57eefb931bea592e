"""`record` on connectors other than ClickSend: each signs in as its own definition says, the request carries
what its policy templates set, and no credential of any shape reaches the fixture (docs/fixtures.md)."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest
import yaml
from conftest import run_cli

from ppconnector.fixtures import fake as fakes
from ppconnector.fixtures.auth import env_name

KEY = "Zq9-K3y+/=Secret&77"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXRva2Vu"


def connector(folder: Path, security: dict, parameters: dict, policies: list | None = None, operations: dict | None = None,
              sets: list | None = None, base_path: str = "/v1") -> Path:
    """A plain connector folder (apiDefinition.swagger.json, apiProperties.json) with the given auth."""
    folder.mkdir(parents=True, exist_ok=True)
    ops = operations or {
        "/things/{id}": {"get": {"operationId": "GetThing", "parameters": [
            {"name": "id", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "single"},
            {"name": "X-Client", "in": "header", "required": True, "type": "string", "default": "flow", "x-ms-visibility": "internal"}],
            "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {
                "id": {"type": "string"}, "echo": {"type": "string"}}}}}}},
        "/things": {"post": {"operationId": "CreateThing", "parameters": [
            {"name": "body", "in": "body", "required": True, "schema": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "kind": {"type": "string", "default": "plain", "x-ms-visibility": "internal"},
                "source": {"type": "string"}}}}],
            "responses": {"201": {"description": "made", "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}},
    }
    definition = {"swagger": "2.0", "info": {"title": "Things", "version": "1.0", "description": "Things for tests."},
                  "host": "api.things.example", "basePath": base_path, "schemes": ["https"],
                  "consumes": ["application/json"], "produces": ["application/json"], "paths": ops,
                  "securityDefinitions": security, "security": [{name: []} for name in security]}
    props = {"properties": {"connectionParameters": parameters, "iconBrandColor": "#007ee5", "publisher": "Tests",
                            "policyTemplateInstances": policies or []}}
    if sets is not None:
        props["properties"]["connectionParameterSets"] = {"uiDefinition": {"displayName": "Sign in with"}, "values": sets}
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition, indent=2), encoding="utf-8")
    (folder / "apiProperties.json").write_text(json.dumps(props, indent=2), encoding="utf-8")
    return folder


SECURE = {"type": "securestring", "uiDefinition": {"displayName": "API Key", "constraints": {"required": "true"}}}
API_KEY_HEADER = ({"key": {"type": "apiKey", "in": "header", "name": "X-Things-Key"}}, {"api_key": SECURE})
API_KEY_QUERY = ({"key": {"type": "apiKey", "in": "query", "name": "apikey"}}, {"api_key": SECURE})
BASIC = ({"basic": {"type": "basic"}}, {"username": {"type": "securestring"}, "password": {"type": "securestring"}})
OAUTH = ({"oauth2": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://login.things.example/authorize",
                     "tokenUrl": "https://login.things.example/token", "scopes": {}}},
         {"token": {"type": "oauthSetting", "oAuthSettings": {"identityProvider": "oauth2", "clientId": "abc", "scopes": [],
                                                             "redirectUrl": "https://global.consent.azure-apim.net/redirect"}}})


class Echo(fakes.FakeService):
    """A service that accepts every request and answers with what it received (credentials included: the
    redaction must take them out), as a badly behaved API would."""

    def __init__(self, extra: dict | None = None):
        def answer(method: str, path: str):
            got = self.received[-1]
            return (201 if method == "POST" else 200), {"X-Echo-Auth": got["headers"].get("Authorization", "")}, {
                "id": path.split("?")[0].rsplit("/", 1)[-1], "echo": json.dumps({"path": path, "headers": got["headers"]}),
                **(extra or {})}
        super().__init__(lambda got: None, answer)


def _written(folder: Path, operation: str) -> tuple[Path, str]:
    files = sorted((folder / "fixtures" / operation).glob("*.yaml"))
    assert len(files) == 1, files
    return files[0], files[0].read_text(encoding="utf-8")


def _clean(text: str, *secrets: str) -> None:
    for secret in secrets:
        for form in (secret, base64.b64encode(secret.encode()).decode().rstrip("="), secret.replace("+", "%2B")):
            assert form not in text, form


def test_env_names_follow_the_parameter_names():
    assert env_name("api_key") == "PPCONNECTOR_API_KEY"
    assert env_name("username") == "PPCONNECTOR_USERNAME"
    assert env_name("token:clientId") == "PPCONNECTOR_TOKEN_CLIENTID"
    assert env_name("instance-url") == "PPCONNECTOR_INSTANCE_URL"


@pytest.mark.parametrize("shape, place", [(API_KEY_HEADER, "header"), (API_KEY_QUERY, "query")], ids=["header", "query"])
def test_an_api_key_goes_where_the_definition_says_under_its_name(tmp_path, monkeypatch, shape, place):
    folder = connector(tmp_path / "things", *shape)
    monkeypatch.setenv("PPCONNECTOR_API_KEY", KEY)
    with Echo() as service:
        r = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=42", "--base-url", service.url + "/v1", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    got = service.received[0]
    if place == "header":
        assert got["headers"]["X-Things-Key"] == KEY and "Authorization" not in got["headers"]
    else:
        assert "apikey=Zq9-K3y%2B%2F%3DSecret%2677" in got["path"]
    assert got["headers"]["X-Client"] == "flow"  # the internal header parameter, with its default
    file, text = _written(folder, "GetThing")
    _clean(text + r.stdout + r.stderr, KEY)
    fixture = yaml.safe_load(text)
    assert fixture["request"]["headers"] == {"X-Client": "flow"} and fixture["request"]["query"] == {}
    check = run_cli("check", str(folder), "--select", "contract-credential", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_basic_auth_from_username_and_password(tmp_path, monkeypatch):
    folder = connector(tmp_path / "things", *BASIC)
    monkeypatch.setenv("PPCONNECTOR_USERNAME", "alice@things.example")
    monkeypatch.setenv("PPCONNECTOR_PASSWORD", KEY)
    with Echo() as service:
        r = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=1", "--base-url", service.url + "/v1", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert service.received[0]["headers"]["Authorization"] == "Basic " + base64.b64encode(f"alice@things.example:{KEY}".encode()).decode()
    _clean(_written(folder, "GetThing")[1], KEY, f"alice@things.example:{KEY}", "alice@things.example")


def test_oauth_takes_a_bearer_token_from_the_environment_or_a_command(tmp_path, monkeypatch):
    folder = connector(tmp_path / "things", *OAUTH)
    monkeypatch.setenv("PPCONNECTOR_TOKEN", TOKEN)
    with Echo() as service:
        r = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=1", "--base-url", service.url + "/v1", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert service.received[0]["headers"]["Authorization"] == "Bearer " + TOKEN
    _clean(_written(folder, "GetThing")[1], TOKEN)
    monkeypatch.delenv("PPCONNECTOR_TOKEN")
    monkeypatch.setenv("PPCONNECTOR_TOKEN_COMMAND", f"{sys.executable} -c \"print('{TOKEN}')\"")
    with Echo() as service:
        r = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=2", "--case", "by-command",
                    "--base-url", service.url + "/v1", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert service.received[0]["headers"]["Authorization"] == "Bearer " + TOKEN
    # a command that fails says so, and never what it printed (it may be a secret)
    monkeypatch.setenv("PPCONNECTOR_TOKEN_COMMAND", f"{sys.executable} -c \"import sys; print('{TOKEN}', file=sys.stderr); sys.exit(3)\"")
    r = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=3", "--base-url", "http://127.0.0.1:9/v1", cwd=tmp_path)
    assert r.returncode == 2 and "PPCONNECTOR_TOKEN_COMMAND" in r.stderr and "exited with 3" in r.stderr and TOKEN not in r.stderr


def test_a_token_command_that_hangs_is_stopped_with_everything_it_started(tmp_path, monkeypatch):
    """A sign-in helper that starts a process of its own and never ends: stopped at the deadline, whole
    (subprocess.run stopped only the helper, and its child lived on)."""
    import os
    import time

    from ppconnector.diagnostics import InputError
    from ppconnector.fixtures import auth

    pid_file = tmp_path / "child.pid"
    monkeypatch.setattr(auth, "TOKEN_COMMAND_TIMEOUT", 1)
    started = time.monotonic()
    with pytest.raises(InputError) as refused:
        auth.token_from_command(f"sh -c 'sleep 300 & echo $! > {pid_file}; sleep 300'", "PPCONNECTOR_TOKEN_COMMAND")
    assert time.monotonic() - started < 30
    assert "did not finish within 1 seconds; stopped it and everything it started" in str(refused.value)
    child = int(pid_file.read_text())
    for _ in range(50):
        try:
            os.kill(child, 0)
            if "Z" in Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[:1]:
                break  # killed, waiting for init to reap it
        except (ProcessLookupError, FileNotFoundError):
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the token command's child {child} outlived it")


def test_missing_credentials_are_named_by_their_variables(tmp_path, monkeypatch):
    for name in ("PPCONNECTOR_USERNAME", "PPCONNECTOR_PASSWORD", "CLICKSEND_USERNAME", "CLICKSEND_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    folder = connector(tmp_path / "things", *BASIC)
    r = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=1", cwd=tmp_path)
    assert r.returncode == 2 and "PPCONNECTOR_USERNAME" in r.stderr and "PPCONNECTOR_PASSWORD" in r.stderr
    assert "CLICKSEND" not in r.stderr  # ClickSend's old names only for ClickSend's host


def test_a_parameter_set_is_picked_by_name(tmp_path, monkeypatch):
    sets = [{"name": "oauth", "uiDefinition": {"displayName": "OAuth"}, "parameters": OAUTH[1]},
            {"name": "basic", "uiDefinition": {"displayName": "Basic"}, "parameters": BASIC[1]}]
    folder = connector(tmp_path / "things", {**BASIC[0], **OAUTH[0]}, {}, sets=sets)
    monkeypatch.setenv("PPCONNECTOR_TOKEN", TOKEN)
    monkeypatch.setenv("PPCONNECTOR_USERNAME", "alice")
    monkeypatch.setenv("PPCONNECTOR_PASSWORD", KEY)
    with Echo() as service:
        first = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=1", "--case", "oauth",
                        "--base-url", service.url + "/v1", cwd=tmp_path)
        second = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=1", "--case", "basic",
                         "--parameter-set", "basic", "--base-url", service.url + "/v1", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "parameter set 'oauth'" in first.stderr
    assert service.received[0]["headers"]["Authorization"] == "Bearer " + TOKEN
    assert service.received[1]["headers"]["Authorization"].startswith("Basic ")
    wrong = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=1", "--parameter-set", "saml", cwd=tmp_path)
    assert wrong.returncode == 2 and "oauth, basic" in wrong.stderr


POLICIES = [
    {"templateId": "setheader", "title": "Token header", "parameters": {
        "x-ms-apimTemplateParameter.name": "Authorization", "x-ms-apimTemplateParameter.value": "Token @connectionParameters('api_key')",
        "x-ms-apimTemplateParameter.existsAction": "override", "x-ms-apimTemplate-policySection": "Request"}},
    {"templateId": "setQueryParameter", "title": "Version", "parameters": {
        "x-ms-apimTemplateParameter.name": "api-version", "x-ms-apimTemplateParameter.value": "2024-01-01",
        "x-ms-apimTemplateParameter.existsAction": "override"}},
    {"templateId": "dynamichosturl", "title": "Tenant host", "parameters": {
        "x-ms-apimTemplateParameter.urlTemplate": "https://@connectionParameters('tenant').things.example/v1"}},
    {"templateId": "routerequesttoendpoint", "title": "Old path", "parameters": {
        "x-ms-apimTemplate-operationName": ["GetThing"], "x-ms-apimTemplateParameter.newPath": "/legacy/things/{id}",
        "x-ms-apimTemplateParameter.httpMethod": "@Request.OriginalHTTPMethod"}},
    {"templateId": "SetProperty", "title": "Source", "parameters": {
        "x-ms-apimTemplate-operationName": ["CreateThing"], "x-ms-apimTemplateParameter.newPropertyParentPathTemplate": "@body()",
        "x-ms-apimTemplateParameter.newPropertySubPathTemplate": "source",
        "x-ms-apimTemplateParameter.propertyValuePathTemplate": "flow {@body().name}", "x-ms-apimTemplate-policySection": "Request"}},
    {"templateId": "pollingtrigger", "title": "Poll", "type": "PollingTrigger", "parameters": {
        "x-ms-apimTemplateParameter.triggerConfig": {}, "x-ms-apimTemplateParameter.triggerDataPath": "@triggerBody()"}},
    {"templateId": "setheader", "title": "Unknown expression", "parameters": {
        "x-ms-apimTemplateParameter.name": "X-Day", "x-ms-apimTemplateParameter.value": "@utcNow()",
        "x-ms-apimTemplate-policySection": "Request"}},
]


def test_policy_templates_shape_the_request_and_the_rest_are_named(tmp_path, monkeypatch):
    folder = connector(tmp_path / "things", API_KEY_HEADER[0], {**API_KEY_HEADER[1], "tenant": {"type": "string"}}, POLICIES)
    monkeypatch.setenv("PPCONNECTOR_API_KEY", KEY)
    monkeypatch.setenv("PPCONNECTOR_TENANT", "acme-corp")
    with Echo() as service:
        get = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=7", "--base-url", service.url + "/v1", cwd=tmp_path)
        create = run_cli("record", "CreateThing", "--source", str(folder), "--param", "name=Box", "--base-url", service.url + "/v1",
                         cwd=tmp_path)
    assert get.returncode == 0 and create.returncode == 0, get.stderr + create.stderr
    first, second = service.received
    assert first["headers"]["Authorization"] == "Token " + KEY and first["headers"]["X-Things-Key"] == KEY
    assert first["path"].startswith("/v1/legacy/things/7?") and "api-version=2024-01-01" in first["path"]
    assert json.loads(second["body"]) == {"name": "Box", "kind": "plain", "source": "flow Box"}
    assert "policy applied: dynamichosturl 'Tenant host': host URL https://<connection>.things.example/v1" in get.stderr
    assert "policy not applied: pollingtrigger 'Poll'" in get.stderr
    assert "policy not applied: setheader 'Unknown expression'" in get.stderr and "@utcNow()" in get.stderr
    fixture = yaml.safe_load(_written(folder, "GetThing")[1])
    assert fixture["request"]["path"] == "/v1/things/7" and fixture["request"]["query"] == {}  # as the flow makes it
    text = _written(folder, "GetThing")[1] + _written(folder, "CreateThing")[1]
    _clean(text, KEY, "acme-corp")  # the tenant a policy put into the host is redacted like a key


def test_a_policy_without_its_connection_value_asks_for_it(tmp_path, monkeypatch):
    folder = connector(tmp_path / "things", API_KEY_HEADER[0], {**API_KEY_HEADER[1], "tenant": {"type": "string"}}, POLICIES)
    monkeypatch.setenv("PPCONNECTOR_API_KEY", KEY)
    monkeypatch.delenv("PPCONNECTOR_TENANT", raising=False)
    r = run_cli("record", "GetThing", "--source", str(folder), "--param", "id=7", "--base-url", "http://127.0.0.1:9/v1", cwd=tmp_path)
    assert r.returncode == 2 and "set PPCONNECTOR_TENANT" in r.stderr


def test_fake_answers_from_the_schema_and_checks_the_signature(tmp_path, monkeypatch):
    folder = connector(tmp_path / "things", *API_KEY_QUERY, policies=POLICIES[:2])
    r = run_cli("record", "CreateThing", "--source", str(folder), "--param", "name=Box", "--fake", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    fixture = yaml.safe_load(_written(folder, "CreateThing")[1])
    assert fixture["response"] == {"status": 201, "headers": {"Content-Type": "application/json"}, "body": {"id": "example"}}
    assert "made from the operation's response schema" in fixture["source"]
    assert run_cli("check", str(folder), "--select", "contract", cwd=tmp_path).returncode == 0
    # the fake's check, on a request signed the wrong way
    from ppconnector.fixtures.auth import connection

    definition = json.loads((folder / "apiDefinition.swagger.json").read_text())
    props = json.loads((folder / "apiProperties.json").read_text())
    conn = connection(definition, props, made_up=True)
    check = fakes.checker(fakes.expectations(definition, props, "CreateThing", conn))
    wrong = check(fakes.Received("POST", "/v1/things", {"api-version": "2024-01-01"}, {"Authorization": "Token x"}, b"{}"))
    assert "query parameter apikey is missing" in wrong
    right = check(fakes.Received("POST", "/v1/things", {"apikey": conn.values["api_key"], "api-version": "2024-01-01"},
                                 {"Authorization": "Token " + conn.values["api_key"]}, b"{}"))
    assert right is None


def test_a_body_field_named_headers_is_data_not_a_credential_header(tmp_path):
    """An API describing an HTTP exchange in its answer (Schiphol Airport's) has a field "headers" holding
    "Set-Cookie": only the fixture's own request and response headers are held to the credential rule."""
    folder = connector(tmp_path / "things", *API_KEY_HEADER)
    (folder / "fixtures" / "GetThing").mkdir(parents=True)
    (folder / "fixtures" / "GetThing" / "wrapped.yaml").write_text(yaml.safe_dump({
        "operation": "GetThing", "source": "a test",
        "request": {"method": "GET", "path": "/v1/things/1", "headers": {"X-Client": "flow"}},
        "response": {"status": 200, "headers": {"Set-Cookie": "session=1"},
                     "body": {"id": "1", "echo": "x", "headers": {"Set-Cookie": "example"}}}}), encoding="utf-8")
    r = run_cli("check", str(folder), "--select", "contract-credential", "--format", "json", cwd=tmp_path)
    found = [f["message"] for f in json.loads(r.stdout)["findings"]]
    assert found == ["header 'Set-Cookie' holds a credential; remove it from the fixture"], found

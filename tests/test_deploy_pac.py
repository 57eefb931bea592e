"""`ppconnector deploy --tool pac` against tests/pac_standin.py, which checks every argument against pac's
published reference (the real pac is a NuGet .NET tool these machines cannot install; docs/deploy.md)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest
from solution_support import APP_ID, CONTOSO, ENVIRONMENT, SECRET, STANDIN, cli, make_connector, pac_env


def _state(path):
    return json.loads(path.read_text()) if path.exists() else None


def _secret_forms() -> set[str]:
    return {SECRET, json.dumps(SECRET)[1:-1], json.dumps(SECRET, ensure_ascii=False)[1:-1], shlex.quote(SECRET),
            SECRET.replace("&", "&amp;").replace('"', "&quot;")}


def _assert_secret_nowhere(texts: list[str], folder) -> None:
    for form in _secret_forms():
        for text in texts:
            assert form not in text
        for path in folder.rglob("*"):
            if path.is_file():
                assert form.encode() not in path.read_bytes(), path


def test_create_then_update_as_a_service_principal_into_the_solution(tmp_path):
    source = make_connector(tmp_path / "contoso")
    state = tmp_path / "pac-state.json"
    created = cli("deploy", "create", str(source), "--tool", "pac", cwd=source.parent, env=pac_env(state))
    assert created.returncode == 0, created.stderr
    record = json.loads((source.parent / "deploy.en.pac.json").read_text())
    [(env, guid)] = record["connectorIds"].items()
    assert env == ENVIRONMENT and guid in _state(state)["connectors"]
    updated = cli("deploy", "update", str(source), "--tool", "pac", cwd=source.parent, env=pac_env(state))
    assert updated.returncode == 0, updated.stderr
    s = _state(state)
    connector = s["connectors"][guid]
    assert connector["solution"] == "ContosoConnectors" and connector["updates"] == 1 and connector["environment"] == ENVIRONMENT
    assert connector["definition"]["host"] == '@environmentVariables("cr8a1_ApiHost")'
    assert s["profiles"] == {}  # every auth profile deleted after its run
    auth = [c for c in s["calls"] if c[:2] == ["auth", "create"]]
    assert len(auth) == 2 and all(c[c.index("--applicationId") + 1] == APP_ID and "--clientSecret" in c for c in auth)
    assert [c[:2] for c in s["calls"]] == [["auth", "create"], ["connector", "create"], ["auth", "delete"],
                                           ["auth", "create"], ["connector", "update"], ["auth", "delete"]]
    update = s["calls"][4]
    assert update[update.index("--connector-id") + 1] == guid and update[update.index("--solution-unique-name") + 1] == "ContosoConnectors"
    _assert_secret_nowhere([created.stdout, created.stderr, updated.stdout, updated.stderr], tmp_path)
    assert '"$PPCONNECTOR_PAC_CLIENT_SECRET"' in created.stderr


def test_dry_run_prints_the_three_pac_commands_and_runs_nothing(tmp_path):
    source = make_connector(tmp_path / "contoso")
    state = tmp_path / "pac-state.json"
    result = cli("deploy", "create", str(source), "--tool", "pac", "--dry-run", cwd=source.parent, env=pac_env(state))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert [shlex.split(line)[1:3] for line in lines] == [["auth", "create"], ["connector", "create"], ["auth", "delete"]]
    assert "--solution-unique-name ContosoConnectors" in lines[1] and '--clientSecret "$PPCONNECTOR_PAC_CLIENT_SECRET"' in lines[0]
    assert not state.exists()
    _assert_secret_nowhere([result.stdout, result.stderr], tmp_path)


@pytest.mark.parametrize("change, env_change, expected", [
    (None, {"PPCONNECTOR_PAC_CLIENT_SECRET": ""}, "$PPCONNECTOR_PAC_CLIENT_SECRET"),
    (("environment: " + ENVIRONMENT, "environment: Default-" + ENVIRONMENT), {}, "neither a GUID nor a Dataverse https URL"),
    (("environment: " + ENVIRONMENT, "environment: https://token-catcher.example"), {}, "neither a GUID nor a Dataverse https URL"),
    (("environment: " + ENVIRONMENT, "environment: https://contoso.crm.dynamics.com.token-catcher.example"), {},
     "neither a GUID nor a Dataverse https URL"),
    (("        clientSecret: {environment_variable: cr8a1_ClientSecret, secret: true, display_name: Contoso client secret}\n", ""),
     {}, "pac has no option for the client secret"),
    (("  unique_name: ContosoConnectors\n", ""), {}, None),  # the default unique name is used: not a refusal
])
def test_pac_refusals_run_nothing(tmp_path, change, env_change, expected):
    text = CONTOSO
    if change:
        text = text.replace(*change)
    source = make_connector(tmp_path / "contoso", text)
    state = tmp_path / "pac-state.json"
    result = cli("deploy", "create", str(source), "--tool", "pac", cwd=source.parent, env={**pac_env(state), **env_change})
    if expected is None:
        assert result.returncode == 0, result.stderr
        assert _state(state)["connectors"].popitem()[1]["solution"] == "ContosoOrders"
        return
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert not state.exists()


def test_create_twice_and_update_before_create_are_refused(tmp_path):
    source = make_connector(tmp_path / "contoso")
    state = tmp_path / "pac-state.json"
    early = cli("deploy", "update", str(source), "--tool", "pac", cwd=source.parent, env=pac_env(state))
    assert early.returncode == 2 and "no connector id" in early.stderr and not state.exists()
    assert cli("deploy", "create", str(source), "--tool", "pac", cwd=source.parent, env=pac_env(state)).returncode == 0
    again = cli("deploy", "create", str(source), "--tool", "pac", cwd=source.parent, env=pac_env(state))
    assert again.returncode == 2 and "create would make a second connector" in again.stderr


def test_federated_sign_in_needs_no_secret(tmp_path):
    source = make_connector(tmp_path / "contoso")
    state = tmp_path / "pac-state.json"
    env = {**pac_env(state), "PPCONNECTOR_PAC_CLIENT_SECRET": ""}
    result = cli("deploy", "create", str(source), "--tool", "pac", "--pac-auth", "github", cwd=source.parent, env=env)
    assert result.returncode == 0, result.stderr
    auth = _state(state)["calls"][0]
    assert "--githubFederated" in auth and "--clientSecret" not in auth


def test_paconn_refuses_a_connector_with_environment_variables(tmp_path):
    source = make_connector(tmp_path / "contoso")
    result = cli("deploy", "create", str(source), "--dry-run", cwd=source.parent, env={"PPCONNECTOR_CLIENT_SECRET": "x"})
    assert result.returncode == 2 and "resolves only in a solution connector" in result.stderr and "--tool pac" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["connector", "create", "--api-defintion-file", "x.json"], "Unrecognized command or argument"),
    (["connector", "update", "--connector-id", "shared_contoso-5f123", "--api-definition-file", "x"], "must be a valid Guid"),
    (["auth", "create", "--name", "n" * 31, "--applicationId", APP_ID, "--tenant", "t", "--clientSecret", "s"], "between 1 and 30"),
    (["auth", "create", "--cloud", "Mars"], "is not one of"),
    (["auth", "create", "--applicationId", APP_ID, "--clientSecret", "s"], "requires --tenant"),
    (["connector", "create", "--environment", "Default-x", "--api-definition-file", "x"], "neither a Guid nor an absolute https URL"),
    (["connector", "create", "--environment", ENVIRONMENT, "--api-definition-file", "x"], "No active authentication profile"),
])
def test_the_stand_in_refuses_what_pacs_reference_does_not_allow(tmp_path, args, message):
    result = subprocess.run([sys.executable, str(STANDIN), *args], capture_output=True, text=True, cwd=tmp_path,
                            env={"PAC_STANDIN_STATE": str(tmp_path / "s.json")})
    assert result.returncode == 1 and message in result.stdout, result.stdout


def test_pac_output_that_repeats_the_secret_is_relayed_masked(tmp_path):
    source = make_connector(tmp_path / "contoso")
    state = tmp_path / "pac-state.json"
    result = cli("deploy", "create", str(source), "--tool", "pac", cwd=source.parent,
                 env={**pac_env(state), "PAC_STANDIN_ECHO_SECRET": "1"})
    assert result.returncode == 0, result.stderr
    assert "debug: clientSecret=*** json=\"***\"" in result.stderr
    _assert_secret_nowhere([result.stdout, result.stderr], tmp_path)


def test_a_line_break_in_pacs_record_never_starts_a_workflow_command(tmp_path):
    """pac's record goes through the same guard as paconn's targets (generator/deploy/guard.py)."""
    source = make_connector(tmp_path / "contoso")
    (source.parent / "deploy.en.pac.json").write_text(json.dumps({"connectorIds": {ENVIRONMENT: "3fa85f64-5717\n::error file=b::pwned"}}))
    state = tmp_path / "pac-state.json"
    for args in (("update", str(source), "--tool", "pac"), ("update", str(source), "--print", "pac")):
        result = cli("deploy", *args, cwd=source.parent, env=pac_env(state))
        assert result.returncode == 2, result.stderr
        assert "holds a space, line break or control character" in result.stderr
        assert not any(line.lstrip().startswith("::") for line in (result.stdout + result.stderr).splitlines()), result.stderr
    assert not state.exists()


@pytest.mark.parametrize("env, valid", [
    (ENVIRONMENT, True), ("https://contoso.crm.dynamics.com", True), ("https://contoso.crm4.dynamics.com/", True),
    ("https://contoso.crm.microsoftdynamics.us", True), ("https://contoso.crm.appsplatform.us", True),
    ("https://contoso.crm.dynamics.cn", True), ("http://contoso.crm.dynamics.com", False),
    ("https://token-catcher.example", False), ("https://contoso.crm.dynamics.com.token-catcher.example", False),
    ("https://contoso.crm.dynamics.com@token-catcher.example", False), (ENVIRONMENT + "\n", False),
])
def test_pac_signs_in_only_to_a_guid_or_a_dataverse_url(env, valid):
    """pac authenticates for the environment URL it is given: only Dataverse hosts of Microsoft's clouds
    (learn.microsoft.com/power-apps/developer/data-platform/discovery-service) or an environment id."""
    from ppconnector.deploy.pac import valid_environment

    assert valid_environment(env) is valid

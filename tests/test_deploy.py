"""`ppconnector deploy`: what it refuses (and why), what it prints, and that a refusal runs nothing.

paconn is replaced here by a tripwire that records that it ran: every test in this file must end before
paconn would start.  The real paconn runs in tests/test_deploy_e2e.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, snapshot
from ppconnector.deploy import plan

ENV = "Default-test-env"


@pytest.fixture
def tripwire(tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "paconn-ran"
    exe = tmp_path / "paconn"
    exe.write_text(f'#!/bin/sh\necho "$@" >> "{marker}"\nexit 0\n')
    exe.chmod(0o755)
    return exe, marker


def deploy(*args: str, cwd: Path, paconn: Path, home: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PPCONNECTOR_PACONN": str(paconn), "HOME": str(home), **(extra_env or {})}
    env.pop(plan.SECRET_ENV, None)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def settings_file(tmp_path: Path, **values) -> str:
    path = tmp_path / "target.json"
    path.write_text(json.dumps({"environment": ENV, **values}))
    return str(path)


def write_valid_token(home: Path, expires_in: int = 3600) -> None:
    (home / ".paconn").mkdir(parents=True, exist_ok=True)
    (home / ".paconn" / "accessTokens.json").write_text(json.dumps(
        {"token_type": "Bearer", "access_token": "x", "expires_on": int(time.time()) + expires_in, "oid": "o"}))


def test_stale_generated_files_refuse_the_deploy_and_run_nothing(project_copy, tripwire, tmp_path):
    exe, marker = tripwire
    definition = project_copy / "dist" / "cs" / "apiDefinition.swagger.json"
    definition.write_bytes(definition.read_bytes().replace(b"ClickSend", b"ClickSand", 1))
    write_valid_token(tmp_path)
    before = snapshot(project_copy)
    result = deploy("update", "--settings", settings_file(tmp_path, connectorId="shared_x"), "--locale", "en",
                    cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 1
    assert "dist/cs/apiDefinition.swagger.json: stale; run `ppconnector build`" in result.stderr
    assert not marker.exists()
    assert snapshot(project_copy) == before


def test_update_without_a_connector_id_is_refused(project_copy, tripwire, tmp_path):
    exe, marker = tripwire
    result = deploy("update", "--settings", settings_file(tmp_path), cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 2
    for locale in ("en", "cs"):
        assert f"{locale}: no connector id for environment {ENV}" in result.stderr
    assert "paconn would stop to ask which connector to replace" in result.stderr
    assert not marker.exists()


def test_deploy_without_an_environment_is_refused(project_copy, tripwire, tmp_path):
    exe, marker = tripwire
    result = deploy("create", "--locale", "en", cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 2
    assert "en: no environment: set deploy.environment in the YAML" in result.stderr
    assert not marker.exists()


def test_create_of_a_connector_already_recorded_is_refused(project_copy, tripwire, tmp_path):
    exe, marker = tripwire
    (project_copy / "connector" / "deploy.cs.json").write_text(json.dumps({"connectorIds": {ENV: "shared_cs-1"}}))
    result = deploy("create", "--settings", settings_file(tmp_path), cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 2
    assert "cs: this build is already connector shared_cs-1" in result.stderr
    assert "use `ppconnector deploy update`" in result.stderr
    assert "en: this build" not in result.stderr
    assert not marker.exists()


def test_two_locales_on_one_connector_are_refused(project_copy, tripwire, tmp_path):
    exe, marker = tripwire
    result = deploy("update", "--settings", settings_file(tmp_path, connectorId="shared_one"), cwd=project_copy,
                    paconn=exe, home=tmp_path)
    assert result.returncode == 2
    assert "the en and cs builds resolve to the same connector shared_one" in result.stderr
    # A recorded id for the other locale counts too, even when only one locale is deployed.
    (project_copy / "connector" / "deploy.en.json").write_text(json.dumps({"connectorIds": {ENV: "shared_one"}}))
    result = deploy("update", "--locale", "cs", "--settings", settings_file(tmp_path, connectorId="shared_one"),
                    cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 2 and "same connector shared_one" in result.stderr
    assert not marker.exists()


def test_stack_owner_stays_out_of_the_deployed_files(project_copy, tripwire, tmp_path):
    """paconn fails on stackOwner outside certification ("Could not find member 'stackOwner'"): the YAML's
    connector.stack_owner goes only into `ppconnector package`'s certification folder, never into the build."""
    exe, marker = tripwire
    assert "  stack_owner: " in (project_copy / "connector" / "clicksend.yaml").read_text(encoding="utf-8")
    result = deploy("create", "--dry-run", "--settings", settings_file(tmp_path), cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 0, result.stderr
    for props in (project_copy / "apiProperties.json", project_copy / "dist" / "cs" / "apiProperties.json"):
        assert "stackOwner" not in json.loads(props.read_text(encoding="utf-8"))["properties"]
    assert not marker.exists()


def test_dry_run_prints_the_exact_command_and_writes_nothing(project_copy, tripwire, tmp_path):
    exe, marker = tripwire
    before = snapshot(project_copy)
    result = deploy("create", "--dry-run", "--settings", settings_file(tmp_path), cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 0, result.stderr
    commands = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    cs = project_copy / "dist" / "cs"
    assert commands == [
        f"{exe} create --env {ENV} --api-def {project_copy}/apiDefinition.swagger.json --api-prop {project_copy}/apiProperties.json "
        f"--icon {project_copy}/icon.png --script {project_copy}/script.csx --pau https://api.powerapps.com --pav 2016-11-01",
        f"{exe} create --env {ENV} --api-def {cs}/apiDefinition.swagger.json --api-prop {cs}/apiProperties.json "
        f"--icon {cs}/icon.png --script {cs}/script.csx --pau https://api.powerapps.com --pav 2016-11-01",
    ]
    assert "run in an empty folder" in result.stdout
    assert snapshot(project_copy) == before and not marker.exists()
    # --print paconn is the same output.
    same = deploy("create", "--print", "paconn", "--settings", settings_file(tmp_path), cwd=project_copy, paconn=exe, home=tmp_path)
    assert same.stdout == result.stdout


def test_print_pac_gives_the_pac_commands_for_the_same_build(project_copy, tripwire, tmp_path):
    """--print pac is `deploy --tool pac --dry-run` (tests/test_deploy_pac.py runs it): sign-in, the connector into
    its solution with the GUID pac's own record holds, sign-out; pac takes an environment GUID or URL only."""
    exe, marker = tripwire
    guid_env = "0b0c1d2e-3f40-4152-8364-758697a8b9ca"
    (project_copy / "connector" / "deploy.cs.pac.json").write_text(
        json.dumps({"connectorIds": {guid_env: "3fa85f64-5717-4562-b3fc-2c963f66afa6"}}))
    target = tmp_path / "pac-target.json"
    target.write_text(json.dumps({"environment": guid_env}))
    result = deploy("update", "--locale", "cs", "--print", "pac", "--settings", str(target), cwd=project_copy,
                    paconn=exe, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == (
        f"pac connector update --environment {guid_env} --solution-unique-name ClickSendSMS "
        "--connector-id 3fa85f64-5717-4562-b3fc-2c963f66afa6 "
        f"--api-definition-file {project_copy}/dist/cs/apiDefinition.swagger.json --api-properties-file {project_copy}/dist/cs/apiProperties.json "
        f"--icon-file {project_copy}/dist/cs/icon.png --script-file {project_copy}/dist/cs/script.csx")
    # paconn's environment name and a paconn-style id are refused, not printed: pac would reject both.
    refused = deploy("update", "--locale", "cs", "--print", "pac", "--settings", settings_file(tmp_path, connectorId="shared_clicksend-5f"),
                     cwd=project_copy, paconn=exe, home=tmp_path)
    assert refused.returncode == 2 and "neither a GUID nor a Dataverse https URL" in refused.stderr
    assert not marker.exists()


@pytest.mark.parametrize("token, message", [
    (None, "paconn is not logged in (no token file)"),
    (60, "paconn's token expires in less than 10 minutes"),
])
def test_a_missing_or_expiring_paconn_token_is_refused_before_paconn_runs(project_copy, tripwire, tmp_path, token, message):
    exe, marker = tripwire
    if token is not None:
        write_valid_token(tmp_path, expires_in=token)
    result = deploy("create", "--locale", "en", "--settings", settings_file(tmp_path), cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "docs/deploy.md" in result.stderr
    assert "\n~/.paconn/accessTokens.json: error: " in result.stderr  # as the user would type it, not ../../
    assert "`ppconnector deploy paconn login`" in result.stderr
    assert not marker.exists()


def test_a_broken_settings_file_is_reported_with_its_place(project_copy, tripwire, tmp_path):
    exe, marker = tripwire
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "environment": "x",\n  "connectorId" "y"\n}\n')
    result = deploy("update", "--settings", str(bad), cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 2
    assert "bad.json:3:17: error: not valid JSON: Expecting ':' delimiter" in result.stderr
    assert "Traceback" not in result.stderr and not marker.exists()


# --- the plan, for what the ClickSend YAML cannot express (an OAuth connection) -------------------------

OAUTH_PROPERTIES = {"properties": {"connectionParameters": {"token": {
    "type": "oauthSetting", "oAuthSettings": {"identityProvider": "oauth2", "clientId": "abc", "scopes": []}}}}}


def _target(properties: dict, **settings) -> plan.Target:
    folder = Path("/build")
    files = {"apiDefinition": folder / "apiDefinition.swagger.json", "apiProperties": folder / "apiProperties.json",
             "script": folder / "script.csx"}
    return plan.Target("en", folder, files, properties, {**plan.DEFAULTS, "environment": ENV, **settings})


@pytest.mark.parametrize("action", [plan.CREATE, plan.UPDATE])
def test_an_oauth_connection_without_its_secret_is_refused(action):
    t = _target(OAUTH_PROPERTIES, **({"connectorId": "shared_a"} if action == plan.UPDATE else {}))
    found = plan.refusals(action, [t], [], plan.SECRET_ENV, None, "c.yaml")
    assert [f.message for f in found] == [
        f"en: the connection uses OAuth and ${plan.SECRET_ENV} is not set: paconn would "
        + ("refuse to create it" if action == plan.CREATE else "send the OAuth settings without the client secret")
        + f"; put the client secret in ${plan.SECRET_ENV} (it is never printed)"]
    assert plan.refusals(action, [t], [], plan.SECRET_ENV, "s3cret", "c.yaml") == []


def test_the_secret_is_passed_to_paconn_but_printed_as_the_variable():
    t = _target(OAUTH_PROPERTIES, connectorId="shared_a")
    argv = plan.paconn_argv(plan.UPDATE, t, "paconn", "MY_SECRET", with_secret=True)
    shown = plan.shown_command(argv, "MY_SECRET")
    assert shown.endswith('--secret "$MY_SECRET"') and "s3cret" not in shown
    real = plan.real_argv(argv, "s3cret")
    assert real[real.index("--secret") + 1] == "s3cret"


def test_a_build_that_routes_operations_to_a_missing_script_is_refused_on_update():
    props = {"properties": {"scriptOperations": ["op"]}}
    t = _target(props, connectorId="shared_a")
    del t.files["script"]
    found = plan.refusals(plan.UPDATE, [t], [], plan.SECRET_ENV, None, "c.yaml")
    assert any("paconn update without --script deletes the connector's custom code" in f.message for f in found)


def test_the_connector_workflow_checks_pull_requests_and_deploys_main():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "connector.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]} and "pull_request" in triggers
    pr, dep = workflow["jobs"]["pull-request"], workflow["jobs"]["deploy"]
    assert pr["if"] == "github.event_name == 'pull_request'"
    assert dep["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"

    def runs(job):
        return "\n".join(step.get("run", "") for step in job["steps"])

    def uses(job):
        return [step.get("uses", "").split("@")[0] for step in job["steps"]]

    assert "ppconnector build --check" in runs(pr)
    assert "ppconnector check --format sarif > check.sarif" in runs(pr)
    upload = next(s for s in pr["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "check.sarif" and pr["permissions"]["security-events"] == "write"
    assert "ppconnector diff git:origin/main --format markdown > diff.md" in runs(pr)
    assert "gh pr comment" in runs(pr) and pr["permissions"]["pull-requests"] == "write"
    assert pr["steps"][0]["with"]["fetch-depth"] == 0  # origin/main must be there for the diff
    assert "ppconnector deploy update" in runs(dep) and "ppconnector deploy login" in runs(dep)
    assert "paconn==$PACONN_VERSION" in runs(dep) and "python -m venv" in runs(dep)
    assert "azure/login" in uses(dep) and dep["permissions"]["id-token"] == "write"
    # The deploy job passes the OAuth secret only through the environment variable deploy reads.
    deploy_step = next(s for s in dep["steps"] if s.get("run", "").strip() == "ppconnector deploy update")
    assert list(deploy_step["env"]) == [plan.SECRET_ENV]


def test_check_errors_refuse_the_deploy(project_copy, tripwire, tmp_path, monkeypatch):
    """deploy runs `check` (the library function the check command calls) and stops when it finds an error.
    The check here is a stand-in that always finds one, so the test does not depend on which rules exist; its
    report must reach the user on stderr."""
    from click.testing import CliRunner

    import ppconnector.check.engine as engine
    from ppconnector.cli import main
    from ppconnector.diagnostics import Finding
    from ppconnector.repo.batch import Outcome

    calls = []

    def failing_check(connectors, *args, **kwargs):
        calls.extend(c.path for c in connectors)
        return [Outcome(c, {}, [Finding("stand-in", "error", "stand-in finding", c.shown, 1, 1)]) for c in connectors]

    monkeypatch.setattr(engine, "check_connectors", failing_check)
    exe, marker = tripwire
    write_valid_token(tmp_path)
    monkeypatch.chdir(project_copy)
    monkeypatch.setenv("PPCONNECTOR_PACONN", str(exe))
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(main, ["deploy", "create", "--settings", settings_file(tmp_path)])
    assert result.exit_code == 1
    assert len(calls) == 1 and Path(calls[0]).resolve() == project_copy / "connector" / "clicksend.yaml"
    assert "stand-in finding" in result.stderr and "`ppconnector check` found errors (exit 1)" in result.stderr
    assert result.stdout == "" and not marker.exists()


def test_update_dry_run_of_a_connector_never_deployed_shows_the_create_and_passes(project_copy, tripwire, tmp_path):
    """The shipped workflow's pull-request step, before the first deployment: no deploy: section, no record."""
    exe, marker = tripwire
    before = snapshot(project_copy)
    result = deploy("update", "--dry-run", cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "nothing to update yet (no environment, no recorded connector id)" in result.stderr
    commands = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert len(commands) == 2 and all(f"{exe} create --env '<environment>'" in c and "--script" in c for c in commands)
    assert not marker.exists() and snapshot(project_copy) == before


def test_update_dry_run_with_an_environment_still_needs_the_connector_id(project_copy, tripwire, tmp_path):
    exe, _ = tripwire
    result = deploy("update", "--dry-run", "--settings", settings_file(tmp_path), cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 2 and "no connector id for environment" in result.stderr


def test_paconn_pass_through_runs_the_installed_paconn_with_the_arguments(project_copy, tripwire, tmp_path):
    exe, marker = tripwire
    result = deploy("paconn", "login", "--help", cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert marker.read_text() == "login --help\n"


def test_paconn_pass_through_without_paconn_says_how_to_install_it(project_copy, tmp_path):
    result = deploy("paconn", "login", cwd=project_copy, paconn=tmp_path / "missing", home=tmp_path)
    assert result.returncode == 2 and "paconn not found: run .ci/deploy-setup.sh" in result.stderr


def test_dry_run_needs_no_login_as_docs_deploy_says(project_copy, tripwire, tmp_path):
    exe, marker = tripwire  # no token file in this home: the real run would be refused
    result = deploy("update", "--dry-run", "--settings", settings_file(tmp_path, connectorId="shared_x"), "--locale", "en",
                    cwd=project_copy, paconn=exe, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "paconn is not logged in" not in result.stderr and not marker.exists()
    docs = " ".join((ROOT / "docs" / "deploy.md").read_text(encoding="utf-8").split())
    assert "does not look at the paconn login" in docs and "does all of the above" not in docs

"""The shipped GitHub workflow, hardened: pinned actions, no persisted token, no ${{ }} in scripts, no secrets
or id-token for pull requests, and zizmor (the GitHub Actions security analyser) finds nothing."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "connector.yml"


def _jobs() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment():
    uses = re.findall(r"uses: (\S+)(.*)", WORKFLOW.read_text(encoding="utf-8"))
    assert len(uses) == 6
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), (action, comment)


def test_no_checkout_keeps_the_token_and_no_script_expands_an_expression():
    for job in _jobs().values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            assert "${{" not in step.get("run", ""), step.get("name")


def test_pull_requests_get_no_secrets_and_only_deploy_gets_an_id_token():
    text = WORKFLOW.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert set(workflow[True]) == {"pull_request", "push"}  # YAML 1.1 reads the key `on` as True
    jobs = workflow["jobs"]
    assert "id-token" not in jobs["pull-request"]["permissions"]
    assert jobs["deploy"]["permissions"]["id-token"] == "write"
    assert "secrets." not in yaml.safe_dump(jobs["pull-request"])
    assert workflow["permissions"] == {}


def test_zizmor_finds_nothing_at_any_severity():
    zizmor = shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (the [test] extra installs it; .ci/run runs it)")
    result = subprocess.run([zizmor, "--offline", "--persona=auditor", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr

"""`ppconnector diff` as a user runs it: inputs, outputs, exit codes, acknowledgements, git revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, SOURCE, run_cli
from diff_support import edited_clicksend

from ppconnector.diff.kinds import DISPLAY, KINDS


def _json(result: subprocess.CompletedProcess) -> dict:
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def _folder(tmp: Path, name: str) -> Path:
    """A copy of the generated English ClickSend build (definition + properties) as a plain folder."""
    folder = tmp / name
    folder.mkdir()
    for file in ("apiDefinition.swagger.json", "apiProperties.json"):
        shutil.copy2(ROOT / file, folder / file)
    return folder


def _edit(folder: Path, change) -> None:
    path = folder / "apiDefinition.swagger.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


def _op(doc: dict, operation_id: str) -> dict:
    return next(op for item in doc["paths"].values() for op in item.values() if isinstance(op, dict) and op.get("operationId") == operation_id)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of connector/ whose YAML removes an output field and adds a required input of sms_send."""
    folder = tmp_path / "edited" / "connector"
    shutil.copytree(SOURCE.parent, folder)
    (folder / SOURCE.name).write_text(edited_clicksend(SOURCE), encoding="utf-8")
    return folder / SOURCE.name


def test_english_and_czech_builds_of_clicksend_diff_as_display_only():
    result = run_cli("diff", ".", "dist/cs", "--format", "json")
    report = _json(result)
    assert result.returncode == 0
    assert report["changes"], "the Czech build translates display strings, so there are changes"
    assert {c["severity"] for c in report["changes"]} == {DISPLAY}
    assert report["summary"]["breaking"] == report["summary"]["warning"] == report["summary"]["non-breaking"] == 0


def test_the_yaml_source_and_its_build_have_no_changes(project_copy: Path):
    assert run_cli("build", cwd=project_copy).returncode == 0
    result = run_cli("diff", "connector/clicksend.yaml", ".", cwd=project_copy)
    assert (result.returncode, result.stdout) == (0, "no changes\n")
    result = run_cli("diff", "connector/clicksend.yaml", "dist/cs", "--locale", "cs", cwd=project_copy)
    assert (result.returncode, result.stdout) == (0, "no changes\n")


def test_markdown_is_a_verdict_line_then_a_table_per_severity(sample: Path):
    result = run_cli("diff", str(SOURCE), str(sample), "--format", "markdown")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("**ppconnector diff** :x: breaking changes: 2 breaking")
    assert "### Breaking (2)" in lines
    rows = [line for line in lines if line.startswith("| `")]
    # actions and fields as the designer names them, the operationId and wire location beside them
    assert any("`output-removed` | Send SMS (sms_send) | Carrier (`response/200/data/messages/[]/carrier`)" in r for r in rows)
    assert any("`required-input-added` | Send SMS (sms_send) | Source (`body/messages/[]/source`)" in r for r in rows)
    assert "The output field has been deleted." in result.stdout


def test_json_lists_each_change_with_its_fields_and_a_summary(sample: Path):
    result = run_cli("diff", str(SOURCE), str(sample), "--format", "json")
    report = _json(result)
    assert result.returncode == 1
    assert [(c["kind"], c["operation"], c["location"], c["old"], c["new"]) for c in report["changes"]] == [
        ("required-input-added", "sms_send", "body/messages/[]/source", None, "string"),
        ("output-removed", "sms_send", "response/200/data/messages/[]/carrier", "string", None)]
    for change in report["changes"]:
        assert set(change) == {"severity", "kind", "operation", "operation_summary", "location", "field_summary", "old", "new", "message",
                               "breaks_flows", "certification"}
        assert change["message"] == KINDS[change["kind"]].message
        assert change["breaks_flows"] is True
    # Microsoft's change validator objects to both, in these words (seen in PowerPlatformConnectors pull request 3656)
    assert [c["certification"] for c in report["changes"]] == [
        "The required input field has been added. Existing flows will not send this new field.",
        "The output field has been deleted. Existing flows may be broken if they are using this field and actual payload has been changed."]
    assert report["summary"]["breaking"] == 2 and report["summary"]["failed"] is True
    assert report["summary"]["breaks_flows"] == report["summary"]["certification"] == 2


def test_fail_on_sets_the_severity_that_fails(tmp_path: Path):
    old, new = _folder(tmp_path, "old"), _folder(tmp_path, "new")
    _edit(new, lambda doc: _op(doc, "sms_send").__setitem__("x-ms-visibility", "advanced"))
    assert run_cli("diff", str(old), str(new)).returncode == 0
    assert run_cli("diff", str(old), str(new), "--fail-on", "warning").returncode == 1
    _edit(new, lambda doc: doc["paths"]["/sms/send"].pop("post"))
    assert run_cli("diff", str(old), str(new)).returncode == 1
    assert run_cli("diff", str(old), str(new), "--fail-on", "never").returncode == 0


def test_text_output_names_operation_location_and_values_and_the_certification_view(tmp_path: Path):
    old, new = _folder(tmp_path, "old"), _folder(tmp_path, "new")
    _edit(new, lambda doc: _op(doc, "sms_send").__setitem__("x-ms-visibility", "internal"))
    result = run_cli("diff", str(old / "apiDefinition.swagger.json"), str(new / "apiDefinition.swagger.json"))
    assert result.returncode == 0, "a hidden action keeps running in saved flows: it does not break them"
    assert result.stdout.splitlines() == [
        "warning: Send SMS (sms_send) x-ms-visibility: The operation has been hidden. Existing flows keep running; the designer "
        "no longer offers the action. Microsoft's certification flags it: \"The operation has been hidden. This change breaks "
        "the designer for existing flows.\" [- -> internal] [operation-hidden]",
        "changes to review: 1 warning; Microsoft's certification would flag 1"]
    gated = run_cli("diff", str(old), str(new), "--fail-on", "certification")
    assert gated.returncode == 1, "the certification gate fails on what Microsoft's validator flags"


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def test_diff_of_two_git_revisions_of_a_yaml_source(tmp_path: Path, sample: Path):
    repo = tmp_path / "repo"
    shutil.copytree(SOURCE.parent, repo / "connector")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "v1")
    shutil.copy2(sample, repo / "connector" / SOURCE.name)
    _git(repo, "commit", "-q", "-am", "v2")
    result = run_cli("diff", "git:HEAD~1", "git:HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert [(c["kind"], c["operation"]) for c in _json(result)["changes"]] == [
        ("required-input-added", "sms_send"), ("output-removed", "sms_send")]
    same = run_cli("diff", "git:HEAD", "connector/clicksend.yaml", cwd=repo)
    assert (same.returncode, same.stdout) == (0, "no changes\n")


def test_diff_of_two_git_revisions_without_a_yaml_source_reads_the_committed_json(tmp_path: Path):
    repo = _folder(tmp_path, "repo")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "v1")
    _edit(repo, lambda doc: _op(doc, "sms_send").__setitem__("deprecated", True))
    _git(repo, "commit", "-q", "-am", "v2")
    result = run_cli("diff", "git:HEAD~1", "git:HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert [(c["kind"], c["operation"]) for c in _json(result)["changes"]] == [("operation-deprecated", "sms_send")]


def test_unknown_git_revision_and_no_repository_are_unusable_input(tmp_path: Path):
    repo = _folder(tmp_path, "repo")
    result = run_cli("diff", "git:HEAD", ".", cwd=repo)
    assert result.returncode == 2 and "not inside a git repository" in result.stderr
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "v1")
    result = run_cli("diff", "git:no-such-branch", ".", cwd=repo)
    assert result.returncode == 2 and 'unknown git revision "no-such-branch"' in result.stderr
    assert "Traceback" not in result.stderr


ACK = """acknowledged:
  - kind: output-removed
    operation: sms_send
    location: response/200/data/messages/[]/carrier
    reason: ClickSend stopped returning carrier in 2024; confirmed by the API owner
"""


def test_acknowledged_changes_are_shown_and_do_not_fail(tmp_path: Path, sample: Path):
    work = tmp_path / "work"
    (work / "connector").mkdir(parents=True)
    ack = work / "connector" / "diff-acknowledgements.yaml"
    ack.write_text(ACK, encoding="utf-8")
    result = run_cli("diff", str(SOURCE), str(sample), "--format", "markdown", cwd=work)
    assert result.returncode == 1  # the required input is not acknowledged
    assert "**Acknowledged:** ClickSend stopped returning carrier" in result.stdout
    ack.write_text(ACK + """  - kind: required-input-added
    operation: sms_send
    location: body/messages/[]/*
    reason: the new field is filled by the migration
""", encoding="utf-8")
    result = run_cli("diff", str(SOURCE), str(sample), "--format", "json", cwd=work)
    report = _json(result)
    assert result.returncode == 0
    assert report["summary"]["breaking"] == 0 and report["summary"]["acknowledged"]["breaking"] == 2
    assert all("acknowledged" in c for c in report["changes"])


def test_an_acknowledgement_that_matches_nothing_is_reported(tmp_path: Path):
    ack = tmp_path / "acks.yaml"
    ack.write_text(ACK, encoding="utf-8")
    result = run_cli("diff", str(SOURCE), str(SOURCE), "--acknowledgements", str(ack))
    assert result.returncode == 0
    assert f"{ack}:2:5: warning: acknowledgement of output-removed in sms_send" in result.stderr


def test_a_broken_acknowledgement_file_is_unusable_input_with_its_place(tmp_path: Path):
    ack = tmp_path / "acks.yaml"
    ack.write_text("acknowledged:\n  - kind: output-remove\n    operation: sms_send\n", encoding="utf-8")
    result = run_cli("diff", str(SOURCE), str(SOURCE), "--acknowledgements", str(ack))
    assert result.returncode == 2
    assert f'{ack}:2:11: error: unknown kind "output-remove" (did you mean "output-removed"?)' in result.stderr
    assert "needs a reason" in result.stderr


@pytest.mark.parametrize("name, content, expected", [
    ("missing.json", None, "no such file or folder"),
    ("notes.txt", "hello", "expected a YAML source"),
    ("apiProperties.json", '{"properties": {}}', "not a Swagger 2.0 definition"),
    ("broken.yaml", "locales: [en\n", "YAML syntax"),
    ("empty", "", "connector folder has no apiDefinition.swagger.json and no YAML source"),
])
def test_unusable_input_exits_2_naming_it(tmp_path: Path, name: str, content: str | None, expected: str):
    path = tmp_path / name
    if name == "empty":
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cli("diff", str(path), str(SOURCE))
    assert result.returncode == 2
    assert expected in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr


def test_diff_needs_old():
    result = run_cli("diff")
    assert result.returncode == 2 and "diff needs OLD" in result.stderr


def test_diff_with_one_argument_compares_against_the_working_tree(project_copy):
    """The shipped workflow's `diff git:origin/main`: NEW is the connector/ source here (found from a subfolder too)."""
    (project_copy / "old").mkdir()
    shutil.copy2(project_copy / "apiDefinition.swagger.json", project_copy / "old" / "apiDefinition.swagger.json")
    source = project_copy / "connector" / SOURCE.name
    source.write_text(source.read_text(encoding="utf-8").replace("{en: HTTP Code,", "{en: HTTP Status Code,", 1), encoding="utf-8")
    result = run_cli("diff", "../old/apiDefinition.swagger.json", "--fail-on", "never", cwd=project_copy / "connector")
    assert result.returncode == 0, result.stderr
    assert "HTTP Status Code" in result.stdout


def test_every_kind_is_listed_by_the_command_and_in_the_docs():
    listed = run_cli("diff", "--kinds", "--format", "json")
    assert [k["kind"] for k in json.loads(listed.stdout)] == list(KINDS)
    docs = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"| `{kind.id}` | {kind.severity} |" in docs, kind.id


def test_a_broken_source_at_a_git_revision_is_reported_at_its_place_in_that_revision(tmp_path: Path):
    repo = tmp_path / "repo"
    shutil.copytree(SOURCE.parent, repo / "connector")
    text = SOURCE.read_text(encoding="utf-8").replace("\n  sms_send:\n    request:", "\n  sms_send:\n    reqest:", 1)
    (repo / "connector" / SOURCE.name).write_text(text, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "broken")
    result = run_cli("diff", "git:HEAD", str(SOURCE), cwd=repo)
    assert result.returncode == 2
    assert f"git:HEAD:connector/{SOURCE.name}:" in result.stderr and 'did you mean "request"' in result.stderr
    assert "Traceback" not in result.stderr and "ppconnector-diff-" not in result.stderr


def test_an_unreadable_api_properties_is_a_finding_and_the_definition_is_still_compared(tmp_path: Path):
    old, new = _folder(tmp_path, "old"), _folder(tmp_path, "new")
    (new / "apiProperties.json").write_text('{"properties": {"iconBrandColor" "#000000"}}\n', encoding="utf-8")
    _edit(new, lambda doc: _op(doc, "sms_send").__setitem__("deprecated", True))
    result = run_cli("diff", str(old), str(new), "--format", "json")
    report = _json(result)
    assert result.returncode == 0  # a warning: the run fails with --fail-on warning
    assert [(c["kind"], c["operation"]) for c in report["changes"]] == [("properties-unreadable", None), ("operation-deprecated", "sms_send")]
    unreadable = report["changes"][0]
    assert unreadable["old"] is None and unreadable["new"].startswith(f"{new}/apiProperties.json:1:")
    assert run_cli("diff", str(old), str(new), "--fail-on", "warning").returncode == 1


def test_explain_says_what_a_flow_experiences_and_how_to_acknowledge_it():
    from ppconnector.diff.report import explain

    for kind in KINDS.values():
        text = explain(kind.id)
        assert kind.flow in text and kind.message in text and f"  - kind: {kind.id}\n" in text and "reason:" in text
    result = run_cli("diff", "--explain", "output-removed")
    assert result.returncode == 0 and result.stdout == explain("output-removed")
    result = run_cli("diff", "--explain", "output-remove")
    assert result.returncode == 2 and 'unknown kind "output-remove" (did you mean "output-removed"?)' in result.stderr


def test_the_acknowledgement_explain_prints_is_accepted_as_it_is(tmp_path: Path, sample: Path):
    """Fill in the snippet --explain prints: the run it covers no longer fails."""
    from ppconnector.diff.report import explain

    snippet = explain("required-input-added").split("acknowledged:\n", 1)[1].split("\n\n", 1)[0]
    snippet = snippet.replace("OPERATION_ID", "sms_send").replace("LOCATION", "body/messages/[]/source")
    carrier = "  - kind: output-removed\n    location: response/200/data/messages/[]/carrier\n    reason: confirmed\n"
    ack = tmp_path / "acks.yaml"
    ack.write_text("acknowledged:\n" + snippet + "\n" + carrier, encoding="utf-8")
    result = run_cli("diff", str(SOURCE), str(sample), "--acknowledgements", str(ack))
    assert result.returncode == 0, result.stdout + result.stderr


# --- git trees are input: nothing is written outside the temporary checkout ---------------------------


def _commit_tree(repo: Path, entries: str) -> str:
    """A commit whose tree is built with git mktree, names as given (`..` included): its id."""
    def git(*args: str, stdin: str | None = None) -> str:
        return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, input=stdin).stdout.strip()

    blob = git("hash-object", "-w", "--stdin", stdin="pwned: true\n")
    climbing = git("mktree", stdin=f"100644 blob {blob}\tpwned.yaml\n")
    connector = git("mktree", stdin=entries.format(blob=blob, climbing=climbing))
    root = git("mktree", stdin=f"040000 tree {connector}\tconnector\n")
    return git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit-tree", root, "-m", "crafted", stdin="")


@pytest.mark.parametrize("entries", ["040000 tree {climbing}\t..\n100644 blob {blob}\tclicksend.yaml\n",
                                     "100644 blob {blob}\t.git\n100644 blob {blob}\tclicksend.yaml\n"])
def test_a_revision_whose_tree_climbs_out_is_refused_and_nothing_is_written(tmp_path: Path, entries: str):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    commit = _commit_tree(repo, entries)
    before = set(tmp_path.rglob("*"))
    result = run_cli("diff", f"git:{commit}", str(SOURCE), cwd=repo)
    assert result.returncode == 2, result.stderr
    assert "refused" in result.stderr and "Traceback" not in result.stderr
    assert set(tmp_path.rglob("*")) == before
    assert not list(Path(tempfile.gettempdir()).glob("pwned.yaml"))


def test_the_many_connector_checkout_refuses_a_climbing_path(tmp_path: Path):
    from ppconnector.diagnostics import InputError
    from ppconnector.repo.changed import checkout

    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    commit = _commit_tree(repo, "040000 tree {climbing}\t..\n100644 blob {blob}\tclicksend.yaml\n")
    with pytest.raises(InputError, match="refused"), checkout(commit, "connector", cwd=repo):
        pass
    assert not (tmp_path / "pwned.yaml").exists() and not (repo / "pwned.yaml").exists()


def test_a_source_file_name_with_a_space_diffs_at_a_git_revision(tmp_path: Path, sample: Path):
    repo = tmp_path / "repo"
    shutil.copytree(SOURCE.parent, repo / "connector")
    (repo / "connector" / SOURCE.name).rename(repo / "connector" / "click send.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "one")
    shutil.copy(sample, repo / "connector" / "click send.yaml")
    result = run_cli("diff", "git:HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert {c["kind"] for c in _json(result)["changes"]} == {"required-input-added", "output-removed"}


# --- the deploy target --------------------------------------------------------------------------------


def test_a_changed_deploy_target_fails_until_acknowledged_whatever_fail_on_says(tmp_path: Path):
    folder = tmp_path / "c"
    shutil.copytree(SOURCE.parent, folder)
    source = folder / SOURCE.name
    text = source.read_text(encoding="utf-8")
    moved = tmp_path / "moved" / SOURCE.name
    moved.parent.mkdir()
    shutil.copy(folder / "icon.png", moved.parent / "icon.png")
    moved.write_text(text + "deploy:\n  power_apps_url: http://127.0.0.1:18790\n", encoding="utf-8")
    result = run_cli("diff", str(source), str(moved), "--format", "json", "--fail-on", "display-only")
    report = _json(result)
    assert result.returncode == 1
    assert [(c["kind"], c["location"], c["old"], c["new"]) for c in report["changes"]] == [
        ("deploy-target-changed", "deploy.power_apps_url", "https://api.powerapps.com", "http://127.0.0.1:18790")]
    assert run_cli("diff", str(source), str(moved), "--fail-on", "warning").returncode == 1
    markdown = run_cli("diff", str(source), str(moved), "--format", "markdown").stdout
    assert markdown.splitlines()[2].startswith("### :rotating_light: Deploy target changed"), markdown
    acks = tmp_path / "acks.yaml"
    acks.write_text("acknowledged:\n  - kind: deploy-target-changed\n    reason: the test tenant's endpoint, checked by the owner\n")
    assert run_cli("diff", str(source), str(moved), "--acknowledgements", str(acks)).returncode == 0
    assert run_cli("diff", str(source), str(moved), "--fail-on", "never").returncode == 0

"""Repositories of many connectors: a connector is a folder; commands find every connector below a folder,
run them in one process and give one report and one exit code; import --all, diff git:REV and deploy
--changed-since at a root.  Trees are built in tmp_path from copies of ClickSend's source and of a few
corpus connectors (../shared is only read)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, require_shared, run_cli, snapshot

CORPUS = ("certified-connectors", "AikiDocs"), ("certified-connectors", "Alkymi"), ("certified-connectors", "365Training")
ENV = "Default-00000000-0000-0000-0000-000000000001"


def clicksend(dest: Path, deploy_ids: tuple[str, str] | None = None) -> Path:
    """A copy of ClickSend's source (with its icon and fixtures) as a connector folder of its own."""
    shutil.copytree(ROOT / "connector", dest, ignore=shutil.ignore_patterns("deploy.*.json"))
    source = dest / "clicksend.yaml"
    if deploy_ids:
        text = source.read_text(encoding="utf-8")
        section = f"deploy:\n  environment: {ENV}\n  connector_id: {{en: {deploy_ids[0]}, cs: {deploy_ids[1]}}}\noperations:"
        source.write_text(text.replace("\noperations:", "\n" + section, 1), encoding="utf-8")
    return source


def corpus_copy(dest: Path, *parts: str) -> Path:
    shutil.copytree(require_shared("corpus", *parts), dest / parts[-1])
    return dest / parts[-1]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True)


# --- a connector is a folder ---------------------------------------------------------------------------


def test_a_connector_folder_gets_its_own_files_and_build_check_passes_after_build(tmp_path):
    clicksend(tmp_path / "sms")
    clicksend(tmp_path / "team" / "sms-eu")
    built = run_cli("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    for folder in (tmp_path / "sms", tmp_path / "team" / "sms-eu"):
        assert (folder / "apiDefinition.swagger.json").read_bytes() == (ROOT / "apiDefinition.swagger.json").read_bytes()
        assert (folder / "dist" / "cs" / "apiProperties.json").read_bytes() == (ROOT / "dist" / "cs" / "apiProperties.json").read_bytes()
    assert not (tmp_path / "apiDefinition.swagger.json").exists()
    assert run_cli("build", "--check", cwd=tmp_path).returncode == 0

    edited = tmp_path / "team" / "sms-eu" / "clicksend.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Send SMS", "Send an SMS", 1), encoding="utf-8")
    stale = run_cli("build", "--check", cwd=tmp_path)
    assert stale.returncode == 1
    assert "team/sms-eu/apiDefinition.swagger.json: stale" in stale.stderr
    assert "sms/apiDefinition.swagger.json" not in stale.stderr.replace("team/sms-eu/", "")


def test_two_sources_writing_one_folder_are_an_error_before_anything_is_written(tmp_path):
    source = clicksend(tmp_path / "sms")
    shutil.copy(source, source.with_name("other.yaml"))
    clicksend(tmp_path / "fine")
    before = snapshot(tmp_path)
    together = run_cli("build", cwd=tmp_path)
    assert together.returncode == 2
    assert "sms/clicksend.yaml and sms/other.yaml would all write their files here" in together.stderr
    alone = run_cli("build", "sms/other.yaml", cwd=tmp_path)
    assert alone.returncode == 2
    assert "sms/other.yaml: error: sms/clicksend.yaml writes its files into sms too" in alone.stderr
    assert snapshot(tmp_path) == before
    assert "Traceback" not in together.stderr + alone.stderr


def test_discovery_skips_hidden_folders_virtual_environments_node_modules_and_dist(tmp_path):
    from ppconnector.repo.discover import discover

    clicksend(tmp_path / "sms")
    for skipped in (".git/sms", "node_modules/pkg", "venv", "tools/env2", "sms/dist/cs"):
        (tmp_path / skipped).mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "connector" / "clicksend.yaml", tmp_path / skipped / "clicksend.yaml")
    (tmp_path / "tools" / "env2" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    assert discover(tmp_path) == [tmp_path / "sms" / "clicksend.yaml"]


def test_the_single_connector_repository_still_builds_at_its_root(project_copy):
    before = snapshot(project_copy)
    result = run_cli("build", "--check", cwd=project_copy)
    assert result.returncode == 0 and result.stdout == "11 generated files are up to date\n"
    assert snapshot(project_copy) == before


# --- one process, one report, one exit code --------------------------------------------------------------


def test_check_at_a_root_reports_every_connector_once_with_one_summary_and_sarif(tmp_path):
    clicksend(tmp_path / "sms")
    for parts in CORPUS:
        corpus_copy(tmp_path, *parts)
    text = run_cli("check", cwd=tmp_path)
    assert text.stdout.count("connectors checked") == 1
    assert "4 connectors checked" in text.stdout
    assert "365Training/apiDefinition.swagger.json" in text.stdout
    assert "\r" not in text.stderr  # no progress line when nobody watches a terminal

    sarif = json.loads(run_cli("check", "--format", "sarif", cwd=tmp_path).stdout)
    files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[0]
             for r in sarif["runs"][0]["results"] if r.get("locations")}
    assert {"sms", "AikiDocs", "Alkymi", "365Training"} >= files and len(files) >= 3
    assert len(sarif["runs"]) == 1

    report = json.loads(run_cli("check", "--format", "json", cwd=tmp_path).stdout)
    assert [c["connector"] for c in report["connectors"]] == ["365Training", "AikiDocs", "Alkymi", "sms/clicksend.yaml"]
    assert report["summary"]["total"] == len(report["findings"])


def test_one_unusable_connector_does_not_hide_the_others_and_sets_the_exit_code(tmp_path):
    clicksend(tmp_path / "sms")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "apiDefinition.swagger.json").write_text('{"swagger": "2.0", "paths": [}\n')
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "broken/apiDefinition.swagger.json" in result.stdout
    assert "2 connectors checked" in result.stdout
    assert "Traceback" not in result.stderr


def test_paths_narrow_to_the_connectors_named(tmp_path):
    clicksend(tmp_path / "sms")
    clicksend(tmp_path / "sms-eu")
    for parts in CORPUS[:1]:
        corpus_copy(tmp_path, *parts)
    one = run_cli("check", "sms", cwd=tmp_path)
    assert one.returncode == 0 and "connectors checked" not in one.stdout  # one connector: the report as before
    two = run_cli("check", "sms", "AikiDocs", cwd=tmp_path)
    assert "2 connectors checked" in two.stdout


def test_docs_and_i18n_status_work_on_every_connector_below_a_folder(tmp_path):
    clicksend(tmp_path / "a")
    clicksend(tmp_path / "b")
    assert run_cli("docs", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a" / "docs" / "reference" / "cs.md").read_bytes() == (ROOT / "docs" / "reference" / "cs.md").read_bytes()
    assert run_cli("docs", "--check", cwd=tmp_path).returncode == 0
    status = run_cli("i18n", "status", cwd=tmp_path)
    assert status.returncode == 0
    alone = run_cli("i18n", "status", cwd=ROOT).stdout  # the repo's own source, the one both copies hold
    strings = re.search(r": (\d+ display strings)", alone).group(1)
    assert f"a/clicksend.yaml: {strings}" in status.stdout and f"b/clicksend.yaml: {strings}" in status.stdout
    listed = json.loads(run_cli("i18n", "status", "--format", "json", cwd=tmp_path).stdout)  # one document, not one per connector
    assert [doc["source"] for doc in listed["connectors"]] == ["a/clicksend.yaml", "b/clicksend.yaml"]


# --- import --all ------------------------------------------------------------------------------------------


def test_import_all_writes_sources_only_where_the_round_trip_is_exact_and_build_check_then_passes(tmp_path):
    for parts in CORPUS:
        corpus_copy(tmp_path, *parts)
    odd = tmp_path / "OpenApi3"
    odd.mkdir()
    (odd / "apiDefinition.swagger.json").write_text('{"openapi": "3.0.0", "swagger": "3.0", "paths": {}}\n')
    (odd / "apiProperties.json").write_text('{"properties": {}}\n')
    before_odd = snapshot(odd)
    result = run_cli("import", "--all", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "OpenApi3: refused:" in result.stdout and "only Swagger 2.0" in result.stdout
    assert "4 connector folders: 3 imported, 1 left as they were" in result.stdout
    assert snapshot(odd) == before_odd
    assert (tmp_path / "AikiDocs" / "AikiDocs.yaml").is_file()
    check = run_cli("build", "--check", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    for parts in CORPUS:  # the files keep their values, key order included; only the formatting is build's
        original = require_shared("corpus", *parts) / "apiDefinition.swagger.json"
        rewritten = tmp_path / parts[-1] / "apiDefinition.swagger.json"
        values = [json.dumps(json.loads(p.read_text(encoding="utf-8-sig"))) for p in (original, rewritten)]
        assert values[0] == values[1]


# --- pull requests over many connectors ------------------------------------------------------------------


def _repo_with_three(tmp_path: Path) -> Path:
    clicksend(tmp_path / "sms", ("shared_sms-1", "shared_sms-2"))
    clicksend(tmp_path / "voice", ("shared_voice-1", "shared_voice-2"))
    clicksend(tmp_path / "gone", ("shared_gone-1", "shared_gone-2"))
    git(tmp_path, "init", "-q")
    assert run_cli("build", cwd=tmp_path).returncode == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "three connectors")
    return tmp_path


def test_diff_at_a_root_compares_only_the_connectors_changed_since_the_revision(tmp_path):
    root = _repo_with_three(tmp_path)
    source = root / "sms" / "clicksend.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("request: POST /sms/send", "request: POST /sms/send-now", 1), encoding="utf-8")
    shutil.rmtree(root / "gone")
    clicksend(root / "fresh")
    result = run_cli("diff", "git:HEAD", "--format", "markdown", cwd=root)
    assert result.returncode == 1, result.stderr
    md = result.stdout
    assert "3 connectors changed since `HEAD`" in md
    assert "### sms/clicksend.yaml" in md and "operation-path-changed" in md
    assert "### gone/clicksend.yaml\n\nremoved" in md and "### fresh/clicksend.yaml\n\nadded" in md
    assert "voice" not in md
    assert len(md) <= 65536


def test_the_markdown_of_many_changed_connectors_stays_within_one_comment():
    from ppconnector.diff.compare import Change
    from ppconnector.diff.connectors import Compared
    from ppconnector.render.markdown import diff_changed as markdown
    from ppconnector.repo.changed import CHANGED

    change = Change("output-removed", "Op", "response/200/" + "x" * 80, old={"type": "string", "description": "y" * 100})

    def items(n: int) -> list:
        return [Compared(f"c{i}/c.yaml", f"c{i}", CHANGED, [change] * 60) for i in range(n)]

    md = markdown("origin/main", items(200), "breaking")
    assert len(md) <= 65536
    assert "### c0/c.yaml" in md and "- c199/c.yaml: breaking changes: 60 breaking" in md  # tables first, then one line each
    huge = markdown("origin/main", items(5000), "breaking")
    assert len(huge) <= 65536 and huge.splitlines()[-1].startswith("- and ")


def test_deploy_update_changed_since_deploys_only_changed_connectors_and_stops_at_the_first_failure(tmp_path):
    root = _repo_with_three(tmp_path)
    source = root / "voice" / "clicksend.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Send SMS", "Send an SMS", 1), encoding="utf-8")
    assert run_cli("build", "voice", cwd=root).returncode == 0
    dry = run_cli("deploy", "update", "--changed-since", "HEAD", "--dry-run", cwd=root)
    assert dry.returncode == 0, dry.stderr
    assert "--cid shared_voice-1" in dry.stdout and "--cid shared_voice-2" in dry.stdout
    assert "shared_sms" not in dry.stdout and "shared_gone" not in dry.stdout
    assert "1 connector printed: voice/clicksend.yaml" in dry.stdout

    for name in ("sms", "gone"):  # sms goes stale (refused), gone would follow it
        text = (root / name / "clicksend.yaml").read_text(encoding="utf-8")
        (root / name / "clicksend.yaml").write_text(text.replace("Send SMS", "Send one SMS", 1), encoding="utf-8")
    stopped = run_cli("deploy", "update", "--changed-since", "HEAD", "--dry-run", cwd=root)
    assert stopped.returncode == 1
    assert "stopped: gone/clicksend.yaml failed (exit 1); deployed: none; not deployed: gone/clicksend.yaml, sms/clicksend.yaml, " \
           "voice/clicksend.yaml" in stopped.stderr


def test_the_shipped_workflow_steps_work_unchanged_at_a_root_of_many_connectors(tmp_path):
    root = _repo_with_three(tmp_path)
    git(root, "branch", "-q", "-M", "main")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert run_cli("build", "--check", cwd=root).returncode == 0
    sarif = run_cli("check", "--format", "sarif", cwd=root)
    assert sarif.returncode == 0 and json.loads(sarif.stdout)["version"] == "2.1.0"
    diff = run_cli("diff", "git:origin/main", "--format", "markdown", cwd=root)
    assert diff.returncode == 0 and "0 connectors changed since `origin/main`" in diff.stdout
    dry = run_cli("deploy", "update", "--dry-run", cwd=root)
    assert dry.returncode == 0, dry.stderr
    assert all(f"--cid shared_{name}-1" in dry.stdout for name in ("gone", "sms", "voice"))


@pytest.mark.parametrize("args", [("build", "a", "b", "--out", "x"), ("deploy", "update", "--changed-since", "HEAD", "a")])
def test_options_that_take_one_connector_say_so(tmp_path, args):
    clicksend(tmp_path / "a")
    clicksend(tmp_path / "b")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


# --- which connectors: exclusions, the repository root, narrowing ------------------------------------------


def test_exclude_patterns_leave_folders_out_of_discovery(tmp_path):
    from ppconnector.repo.config import exclusions
    from ppconnector.repo.discover import discover

    git(tmp_path, "init", "-q")
    for folder in ("sms", "tests/golden/one", "vendor/two", "deep/fixtures/three"):
        clicksend(tmp_path / folder)
    (tmp_path / "pyproject.toml").write_text('[tool.ppconnector]\nexclude = ["tests/golden"]\n', encoding="utf-8")
    (tmp_path / ".ppconnectorignore").write_text("# vendored copies\nvendor/\nfixtures\n", encoding="utf-8")
    exclusions.cache_clear()
    assert discover(tmp_path) == [tmp_path / "sms" / "clicksend.yaml"]
    # a folder named on the command line is never left out: it was asked for
    assert discover(tmp_path / "tests" / "golden") == [tmp_path / "tests" / "golden" / "one" / "clicksend.yaml"]
    assert "connectors" not in run_cli("build", "--check", cwd=tmp_path).stdout  # one connector: no batch line


def test_this_repository_builds_and_checks_at_its_root_with_its_test_fixtures_left_out():
    result = run_cli("build", ".", "--check", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "connectors" not in result.stdout  # the one connector, not tests/golden's sources too


def test_a_broken_exclude_setting_is_unusable_input(tmp_path):
    clicksend(tmp_path / "sms")
    (tmp_path / "pyproject.toml").write_text("[tool.ppconnector]\nexclude = \"tests\"\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 2 and "[tool.ppconnector] exclude must be a list of folder patterns" in result.stderr


def test_the_editor_schema_lands_at_the_repository_root_and_imports_point_at_it(tmp_path):
    from ppconnector.source.loader import SCHEMA_FILE

    git(tmp_path, "init", "-q")
    clicksend(tmp_path / "certified" / "sms")
    clicksend(tmp_path / "certified" / "voice")
    assert run_cli("build", cwd=tmp_path / "certified" / "voice").returncode == 0  # from inside one connector
    assert run_cli("build", cwd=tmp_path).returncode == 0  # and at the root: the same one place
    schemas = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("connector.schema.json"))
    assert schemas == [".ppconnector/connector.schema.json"]
    assert (tmp_path / ".ppconnector" / "connector.schema.json").read_bytes() == SCHEMA_FILE.read_bytes()
    downloaded = tmp_path / "certified" / "Acme"
    downloaded.mkdir()
    for name in ("apiDefinition.swagger.json", "apiProperties.json", "script.csx", "icon.png"):
        shutil.copy2(ROOT / name, downloaded / name)
    assert run_cli("import", "--all", "certified/Acme", cwd=tmp_path).returncode == 0
    first = (downloaded / "Acme.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../.ppconnector/connector.schema.json"
    assert (downloaded / "../../.ppconnector/connector.schema.json").resolve().is_file()


def test_a_path_that_does_not_exist_is_said_so(tmp_path):
    for command in (("i18n", "status", "nope"), ("import", "nope"), ("check", "nope"), ("build", "nope")):
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode == 2 and "nope: error: no such file or folder" in result.stderr, (command, result.stderr)


def test_import_never_writes_a_second_source_into_a_folder_that_has_one(project_copy, tmp_path):
    downloaded = tmp_path / "Acme"
    downloaded.mkdir()
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        shutil.copy2(ROOT / name, downloaded / name)
    before = snapshot(project_copy)
    refused = run_cli("import", str(downloaded), cwd=project_copy)
    assert refused.returncode == 2
    assert "connector/Acme.yaml: error: connector already holds the connector source connector/clicksend.yaml" in refused.stderr
    assert "-o" in refused.stderr and snapshot(project_copy) == before
    told = run_cli("import", str(downloaded), "-o", "acme/acme.yaml", cwd=project_copy)
    assert told.returncode == 0, told.stderr
    assert (project_copy / "acme" / "acme.yaml").is_file()


def test_a_connector_folder_at_a_root_of_many_does_not_narrow_the_run(project_copy):
    """connector/ beside other connectors is one of them: a stale connector elsewhere fails CI."""
    clicksend(project_copy / "team" / "voice")
    assert run_cli("build", cwd=project_copy).returncode == 0
    voice = project_copy / "team" / "voice" / "clicksend.yaml"
    voice.write_text(voice.read_text(encoding="utf-8").replace("Send SMS", "Send one SMS", 1), encoding="utf-8")
    stale = run_cli("build", "--check", cwd=project_copy)
    assert stale.returncode == 1 and "team/voice/apiDefinition.swagger.json: stale" in stale.stderr
    checked = run_cli("check", "--format", "json", cwd=project_copy)
    assert [c["connector"] for c in json.loads(checked.stdout)["connectors"]] == ["connector/clicksend.yaml", "team/voice/clicksend.yaml"]
    dry = run_cli("deploy", "update", "--dry-run", cwd=project_copy)
    assert dry.returncode == 1 and "== team/voice/clicksend.yaml" in dry.stderr and "refusing to deploy" in dry.stderr


@pytest.mark.parametrize("name", ["--help", "--", "-v"])
def test_a_connector_folder_named_like_an_option_is_a_connector_like_any(tmp_path, name):
    clicksend(tmp_path / name)
    clicksend(tmp_path / "plain")
    status = run_cli("i18n", "status", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert f"{name}/clicksend.yaml: " in status.stdout and "plain/clicksend.yaml: " in status.stdout
    if shutil.which("mcs"):
        tested = run_cli("script", "test", cwd=tmp_path)
        assert f"{name}/clicksend.yaml" not in tested.stderr.split("failed:")[-1], tested.stderr
        assert tested.stdout.count("fixtures passed") == 2, tested.stdout + tested.stderr


def test_import_all_never_writes_two_sources_that_claim_one_folder(tmp_path):
    """A downloaded folder named connector/ inside another builds into its parent: importing both in place would
    give the parent two sources.  The inner one is listed and left as it was."""
    outer = tmp_path / "Acme"
    for folder in (outer, outer / "connector"):
        folder.mkdir(parents=True)
        for name in ("apiDefinition.swagger.json", "apiProperties.json"):
            shutil.copy2(ROOT / name, folder / name)
    result = run_cli("import", "--all", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "Acme/connector: refused: a folder named connector/ builds into its parent folder" in result.stdout
    from ppconnector.repo.discover import claimants

    assert [p.name for p in claimants(outer / "Acme.yaml")] == ["Acme.yaml"]
    assert run_cli("build", "--check", cwd=tmp_path).returncode == 0


def test_outside_a_repository_a_source_far_above_is_not_the_connector(tmp_path):
    """Without a repository root, a command looks two folders up (connector/fixtures/x finds its connector), not
    further: a stray source in /tmp or a home folder never becomes the connector of a folder far below it."""
    clicksend(tmp_path / "stray")
    shutil.copy(tmp_path / "stray" / "clicksend.yaml", tmp_path / "stray.yaml")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    result = run_cli("check", cwd=deep)
    assert result.returncode == 2 and "no connector here or in a folder above" in result.stderr
    near = run_cli("i18n", "status", cwd=tmp_path / "stray" / "fixtures" / "sms_send")
    assert near.returncode == 0 and "../../clicksend.yaml: " in near.stdout

"""Atomic outputs: every command that writes, writes all its files or none.

Each test makes a command about to change files, then makes the file system fail part way (while staging
the new files, or while swapping them in after some targets were already replaced) and checks that the
project is byte for byte what it was: no half-written file, no file of the new set beside old ones, no
temporary or backup file left.  The same command without the failure is run last, to prove it would have
written (so the test is not passing on a command that writes nothing)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from hostile_support import cli, snapshot

YAML = Path("connector") / "clicksend.yaml"


class Flaky:
    """Replaces a function so that its n-th call raises OSError (a full disk, a lost network share)."""

    def __init__(self, real, fail_on: int, within: Path):
        self.real, self.fail_on, self.calls, self.within = real, fail_on, 0, str(within)

    def __call__(self, *args, **kwargs):
        if isinstance(args[-1], (str, os.PathLike)) and not os.fspath(args[-1]).startswith(self.within):
            return self.real(*args, **kwargs)  # not the project's files (a cache elsewhere): not counted
        self.calls += 1
        if self.calls == self.fail_on:
            raise OSError(28, "No space left on device")
        return self.real(*args, **kwargs)


FAILURES = {
    # os.replace calls in write_all: target1 -> backup, staged1 -> target1, target2 -> backup, ...
    "while-swapping": ("replace", 3),
    "while-swapping-first": ("replace", 2),
    "while-staging": ("fsync", 2),
}


def failures(*names: str) -> list[str]:
    return list(names)


def fail_part_way(monkeypatch, failure: str, within: Path) -> Flaky:
    name, n = FAILURES[failure]
    flaky = Flaky(getattr(os, name), n, within)
    monkeypatch.setattr(os, name, flaky)
    return flaky


def run_failing(repo: Path, monkeypatch, failure: str, *args: str, env: dict | None = None) -> None:
    before = snapshot(repo)
    with monkeypatch.context() as m:
        flaky = fail_part_way(m, failure, repo)
        result = cli(*args, cwd=repo, env=env)
    assert flaky.calls >= flaky.fail_on, "the command never reached the write that was to fail"
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert "No space left on device" in result.output  # the user is told why
    after = snapshot(repo)
    assert after == before, f"a failed `ppconnector {' '.join(args)}` changed: {sorted(set(after) ^ set(before)) or [k for k in after if after[k] != before[k]]}"


def change_display_strings(repo: Path) -> None:
    """An edit that changes every generated file of both locales and every reference page."""
    path = repo / YAML
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: {en: ClickSend SMS, cs: ClickSend SMS,", "title: {en: ClickSend Texts, cs: ClickSend Zprávy,", 1)
    text = text.replace("    name: ClickSend SMS Support\n", "    name: ClickSend Help Desk\n", 1)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("failure", failures(*sorted(FAILURES)))
def test_build_writes_all_or_nothing(project_copy, monkeypatch, failure):
    change_display_strings(project_copy)
    run_failing(project_copy, monkeypatch, failure, "build")
    result = cli("build", cwd=project_copy)
    assert result.exit_code == 0 and re.search(r"\b(\d+) of 11 files written", result.stdout), result.output
    assert int(re.search(r"(\d+) of 11", result.stdout).group(1)) >= 2  # several files: the failure was part way


@pytest.mark.parametrize("failure", failures(*sorted(FAILURES)))
def test_docs_writes_all_or_nothing(project_copy, monkeypatch, failure):
    assert cli("docs", cwd=project_copy).exit_code == 0  # the committed pages, then a change to both
    change_display_strings(project_copy)
    run_failing(project_copy, monkeypatch, failure, "docs")
    result = cli("docs", cwd=project_copy)
    assert result.exit_code == 0 and "2 of 2 pages written" in result.stdout, result.output


def strip_one_hash(repo: Path) -> None:
    path = repo / YAML
    text = path.read_text(encoding="utf-8")
    assert ", cs@: eaa2090d}" in text
    path.write_text(text.replace(", cs@: eaa2090d}", "}", 1), encoding="utf-8")


@pytest.mark.parametrize("failure", failures("while-swapping-first", "while-staging"))
def test_i18n_mark_current_writes_the_source_or_nothing(project_copy, monkeypatch, failure):
    strip_one_hash(project_copy)
    if failure == "while-staging":  # one file: the only fsync is the first
        monkeypatch.setitem(FAILURES, "while-staging", ("fsync", 1))
    run_failing(project_copy, monkeypatch, failure, "i18n", "mark-current", "--locale", "cs")
    result = cli("i18n", "mark-current", "--locale", "cs", cwd=project_copy)
    assert result.exit_code == 0 and "1 translations marked current" in result.stdout, result.output


@pytest.mark.parametrize("failure", failures("while-swapping-first", "while-staging"))
def test_i18n_import_writes_the_source_or_nothing(project_copy, monkeypatch, failure):
    assert cli("i18n", "export", "--locale", "cs", "-o", "cs.po", cwd=project_copy).exit_code == 0
    po = project_copy / "cs.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Odeslat SMS"' in text
    po.write_text(text.replace('msgstr "Odeslat SMS"', 'msgstr "Poslat SMS"', 1), encoding="utf-8")
    if failure == "while-staging":
        monkeypatch.setitem(FAILURES, "while-staging", ("fsync", 1))
    run_failing(project_copy, monkeypatch, failure, "i18n", "import", "cs.po")
    result = cli("i18n", "import", "cs.po", cwd=project_copy)
    assert result.exit_code == 0 and "1 translation imported" in result.stdout, result.output


@pytest.mark.parametrize("failure", failures("while-swapping-first", "while-staging"))
def test_deploy_create_records_the_id_with_its_files_or_nothing(project_copy, tmp_path, monkeypatch, failure):
    """deploy create writes the record of the new connector: all of what it writes, or none of it."""
    paconn = tmp_path / "paconn"
    paconn.write_text('#!/bin/sh\nprintf \'{"connectorId": "shared_new-1"}\' > settings.json\nexit 0\n')
    paconn.chmod(0o755)
    home = tmp_path / "home"
    (home / ".paconn").mkdir(parents=True)
    (home / ".paconn" / "accessTokens.json").write_text(json.dumps(
        {"token_type": "Bearer", "access_token": "x", "expires_on": 4102444800, "oid": "o"}))
    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": "Default-test-env"}))
    env = {"PPCONNECTOR_PACONN": str(paconn), "HOME": str(home)}
    args = ("deploy", "create", "--locale", "en", "--settings", str(settings))
    # The generated files are current, so the new record is the one file written: the first write fails.
    monkeypatch.setitem(FAILURES, failure, (FAILURES[failure][0], 1))
    run_failing(project_copy, monkeypatch, failure, *args, env=env)
    assert not (project_copy / "connector" / "deploy.en.json").exists()
    result = cli(*args, cwd=project_copy, env=env)
    assert result.exit_code == 0, result.output
    assert json.loads((project_copy / "connector" / "deploy.en.json").read_text()) == {"connectorIds": {"Default-test-env": "shared_new-1"}}


def test_a_failed_run_leaves_previous_outputs_intact(project_copy):
    """Input errors stop every writing command before it writes: the outputs of the last good run stay."""
    path = project_copy / YAML
    path.write_text(path.read_text(encoding="utf-8").replace("request: POST /sms/send", "request: POST /sms/{send}", 1),
                    encoding="utf-8")
    before = snapshot(project_copy)
    for args in (("build",), ("docs",), ("i18n", "mark-current", "--locale", "cs")):
        result = cli(*args, cwd=project_copy)
        assert result.exit_code == 2, result.output
        assert 'path parameter "send" of POST /sms/{send} is not declared under parameters' in result.output
        assert snapshot(project_copy) == before

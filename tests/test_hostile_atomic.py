"""Atomic outputs: every command that writes, writes all its files or none.

Each test makes a command about to change files, then makes the file system fail part way (while staging
the new files, or while swapping them in after some targets were already replaced) and checks that the
project is byte for byte what it was: no half-written file, no file of the new set beside old ones, no
temporary or backup file left.  The same command without the failure is run last, to prove it would have
written (so the test is not passing on a command that writes nothing).

Then the harder cases (docs/writes.md): each writing command killed with SIGKILL before each os.replace
leaves every target whole, old or new and never missing, and the next run cleans up; problems of the
environment (full disk, read-only folder, a file or folder in the way) are exit 2 and move nothing; modes
are kept; a second writer into one folder waits."""

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
    # os.replace calls in write_all: staged1 -> target1, staged2 -> target2, ...
    "while-swapping": ("replace", 2),
    "while-swapping-first": ("replace", 1),
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
    assert result.exit_code == 2, result.output  # the environment, not a bug
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


def deploy_create(tmp_path: Path) -> tuple[dict, tuple[str, ...]]:
    """`deploy create` with a stand-in paconn that makes a connector, signed in: its environment and arguments."""
    paconn = tmp_path / "paconn"
    paconn.write_text('#!/bin/sh\nprintf \'{"connectorId": "shared_new-1"}\' > settings.json\nexit 0\n')
    paconn.chmod(0o755)
    home = tmp_path / "home"
    (home / ".paconn").mkdir(parents=True)
    (home / ".paconn" / "accessTokens.json").write_text(json.dumps(
        {"token_type": "Bearer", "access_token": "x", "expires_on": 4102444800, "oid": "o"}))
    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": "Default-test-env"}))
    return {"PPCONNECTOR_PACONN": str(paconn), "HOME": str(home)}, ("deploy", "create", "--locale", "en", "--settings", str(settings))


@pytest.mark.parametrize("failure", failures("while-swapping-first", "while-staging"))
def test_deploy_create_records_the_id_with_its_files_or_nothing(project_copy, tmp_path, monkeypatch, failure):
    """deploy create writes the record of the new connector: all of what it writes, or none of it."""
    env, args = deploy_create(tmp_path)
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


# --- problems of the environment: exit 2 with what to do, and the user's files never moved ---------------


def assert_environment_problem(result, *phrases: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    for phrase in phrases:
        assert phrase in result.output, result.output


def test_a_full_disk_is_exit_2_and_changes_nothing(project_copy, monkeypatch):
    change_display_strings(project_copy)
    before = snapshot(project_copy)
    with monkeypatch.context() as m:
        fail_part_way(m, "while-staging", project_copy)
        result = cli("build", cwd=project_copy)
    assert_environment_problem(result, "No space left on device", "free some space", "nothing was changed")
    assert snapshot(project_copy) == before


def test_dev_full_as_the_output_is_exit_2(project_copy):
    result = cli("i18n", "export", "--locale", "cs", "-o", "/dev/full", cwd=project_copy)
    assert_environment_problem(result, "No space left on device")


def test_a_read_only_out_is_exit_2(project_copy, tmp_path, monkeypatch):
    out = tmp_path / "read-only"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    out.chmod(0o555)
    if os.geteuid() == 0:  # root writes through permission bits: the file system's answer is injected instead
        real_open = os.open

        def read_only_open(path, flags, *args, **kwargs):
            if os.fspath(path).startswith(str(out)) and flags & os.O_CREAT:
                raise OSError(30, "Read-only file system", os.fspath(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", read_only_open)
    try:
        result = cli("build", "--out", str(out), cwd=project_copy)
    finally:
        out.chmod(0o755)
    assert_environment_problem(result, "write somewhere else", "nothing was changed")
    assert sorted(p.name for p in out.rglob("*")) == ["keep.txt"]


def test_dist_being_a_file_is_exit_2_and_it_stays(project_copy):
    import shutil

    shutil.rmtree(project_copy / "dist")
    (project_copy / "dist").write_text("my notes\n")
    change_display_strings(project_copy)
    before = snapshot(project_copy)
    result = cli("build", cwd=project_copy)
    assert_environment_problem(result, "dist", "a file stands where a folder is needed", "nothing was changed")
    assert snapshot(project_copy) == before


def test_an_output_that_is_a_folder_is_exit_2_and_not_moved(project_copy):
    target = project_copy / "apiDefinition.swagger.json"
    target.unlink()
    target.mkdir()
    (target / "inside.txt").write_text("mine")
    before = snapshot(project_copy)
    result = cli("build", cwd=project_copy)
    assert_environment_problem(result, "apiDefinition.swagger.json", "a folder stands where a file is to be written")
    assert snapshot(project_copy) == before


# --- file modes -------------------------------------------------------------------------------------------


def test_outputs_and_the_edited_source_keep_their_mode(project_copy):
    definition, source = project_copy / "apiDefinition.swagger.json", project_copy / YAML
    definition.chmod(0o664)
    source.chmod(0o640)
    change_display_strings(project_copy)
    source.chmod(0o640)
    assert cli("build", cwd=project_copy).exit_code == 0
    strip_one_hash(project_copy)
    assert cli("i18n", "mark-current", "--locale", "cs", cwd=project_copy).exit_code == 0
    assert (definition.stat().st_mode & 0o777, source.stat().st_mode & 0o777) == (0o664, 0o640)
    source.chmod(0o604)
    assert cli("i18n", "export", "--locale", "cs", "-o", "cs.po", cwd=project_copy).exit_code == 0
    po = project_copy / "cs.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Odeslat SMS"', 'msgstr "Poslat SMS"', 1), encoding="utf-8")
    result = cli("i18n", "import", "cs.po", cwd=project_copy)
    assert result.exit_code == 0 and "1 translation imported" in result.stdout, result.output
    assert source.stat().st_mode & 0o777 == 0o604


def test_new_outputs_get_the_umask_mode(project_copy, tmp_path):
    old = os.umask(0o027)
    try:
        result = cli("build", "--out", str(tmp_path / "out"), cwd=project_copy)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    modes = {p.stat().st_mode & 0o777 for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert modes == {0o640}



@pytest.mark.parametrize("link_to", ["real.json", "gone.json"], ids=["to-a-file", "dangling"])
def test_a_failed_write_puts_a_symlinked_target_back_as_the_link_it_was(tmp_path, monkeypatch, link_to):
    """The rollback saved a target's bytes, read through the link: a symlink came back as a plain copy, and a
    dangling one (nothing to read: "new") was deleted.  What stood there before is what stands after."""
    from ppconnector.diagnostics import InputError
    from ppconnector.emit.files import write_all

    (tmp_path / "real.json").write_bytes(b"old\n")
    link, other = tmp_path / "linked.json", tmp_path / "other.json"
    link.symlink_to(link_to)
    other.write_bytes(b"old\n")
    before = snapshot(tmp_path)
    with monkeypatch.context() as m:
        m.setattr(os, "replace", Flaky(os.replace, 2, tmp_path))  # the link is replaced, then other.json fails
        with pytest.raises(InputError):
            write_all({link: b"new\n", other: b"new\n"})
    assert link.is_symlink() and os.readlink(link) == link_to
    assert snapshot(tmp_path) == before



def test_one_target_that_cannot_be_put_back_does_not_stop_the_others(tmp_path, monkeypatch):
    """The third swap fails, then putting back the second fails too: the first is still put back."""
    from ppconnector.diagnostics import InputError
    from ppconnector.emit.files import write_all

    targets = [tmp_path / f"{n}.json" for n in "abc"]
    for t in targets:
        t.write_bytes(b"old\n")
    calls, real = [], os.replace

    def replace(src, dst):
        calls.append(dst)
        if len(calls) in (3, 4):  # c's swap, then b's putting back
            raise OSError(5, "Input/output error")
        return real(src, dst)

    with monkeypatch.context() as m:
        m.setattr(os, "replace", replace)
        with pytest.raises(InputError, match="some files could not be put back"):
            write_all({t: b"new\n" for t in targets})
    assert [t.read_bytes() for t in targets] == [b"old\n", b"new\n", b"old\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json", "c.json"]


# --- one writer per output root ------------------------------------------------------------------------------


def test_a_second_build_into_the_same_out_waits_for_the_first(project_copy, tmp_path):
    import subprocess
    import sys

    from conftest import ROOT
    from ppconnector.emit.files import output_lock
    from hostile_support import timeout

    out = tmp_path / "out"
    out.mkdir()
    with timeout(120):
        with output_lock(out):  # the first build, mid-write
            second = subprocess.Popen([sys.executable, "-m", "ppconnector.cli", "build", "--out", str(out)], cwd=project_copy,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env={**os.environ, "PYTHONPATH": str(ROOT)})
            while "another ppconnector is writing here; waiting" not in (line := second.stderr.readline()):
                assert line, "the second build ended without waiting"
            assert list(out.iterdir()) == []  # it waits before writing anything
        stdout, stderr = second.communicate()
    assert second.returncode == 0, stderr
    assert "10 of 10 files written" in stdout


# --- kill -9 at every write step: each target old or new, never missing ------------------------------------

# The CLI in a child process that SIGKILLs itself just before the n-th call of os.<step> (as
# `strace -e inject=rename:signal=KILL:when=n` would): no Python cleanup runs, as in a power cut.
KILLED_AT = """
import os, signal, sys
step, n = sys.argv[1], int(sys.argv[2])
real, calls = getattr(os, step), [0]
def hooked(*args, **kwargs):
    calls[0] += 1
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
setattr(os, step, hooked)
sys.argv = ["ppconnector", *sys.argv[3:]]
from ppconnector.cli import main
main()
"""

TEMP = re.compile(r"(^|/)\.[^/]+\.[a-z0-9_]{8}\.tmp$")


def killed_at(repo: Path, step: str, n: int, args: tuple[str, ...], env: dict | None = None):
    import subprocess
    import sys

    from conftest import ROOT

    return subprocess.run([sys.executable, "-c", KILLED_AT, step, str(n), *args], cwd=repo, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)})


def restore(repo: Path, state: dict[str, bytes]) -> None:
    for p in [p for p in repo.rglob("*") if p.is_file() and str(p.relative_to(repo)) not in state]:
        p.unlink()
    for name, data in state.items():
        path = repo / name
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def kill_at_every_step(repo: Path, args: tuple[str, ...], env: dict | None = None, is_new=None) -> int:
    """Kill the command before each os.replace and at the first fsync; after each kill every target is
    whole (its old bytes or its new ones, never missing), and running the command again finishes the job
    and leaves no temporary file.  ``is_new(name, bytes)`` accepts a new file whose bytes vary by run (a
    recording's time).  Returns the number of kill points."""
    before = snapshot(repo)
    finished = cli(*args, cwd=repo, env=env)
    assert finished.exit_code in (0, 1), finished.output
    after = snapshot(repo)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert changed, "the command wrote nothing: nothing to crash"
    points = [("fsync", 1)] + [("replace", n) for n in range(1, len(changed) + 2)]
    for step, n in points:
        restore(repo, before)
        child = killed_at(repo, step, n, args, env)
        if step == "replace" and n == len(changed) + 1:
            assert child.returncode in (0, 1), (child.returncode, child.stderr)  # one replace per changed file, no more
            continue
        assert child.returncode == -9, (step, n, child.returncode, child.stderr)
        now = snapshot(repo)
        for name in set(before) | set(after) | set(now):
            if TEMP.search(name):
                continue
            got = now.get(name)
            old_or_new = got in (before.get(name), after.get(name)) or (is_new is not None and got is not None and is_new(name, got))
            assert old_or_new, f"killed before {step} #{n}: {name} is neither old nor new ({'missing' if got is None else 'other bytes'})"
        rerun = cli(*args, cwd=repo, env=env)
        assert rerun.exit_code in (0, 1), rerun.output
        left = [k for k in snapshot(repo) if TEMP.search(k)]
        assert left == [], f"temporary files left after the next run: {left}"
        if is_new is None:
            assert snapshot(repo) == after
    return len(points)


def test_build_killed_at_each_step(project_copy):
    outputs = [p for p in project_copy.rglob("*") if p.is_file() and p.name != "icon.png"
               and (p.parent == project_copy or "dist" in p.relative_to(project_copy).parts)]
    for path in outputs:  # every generated file stale: the build replaces all of them
        path.write_bytes(path.read_bytes() + b"\n")
    assert len(outputs) == 8  # both locales: definition, properties, script, settings
    assert kill_at_every_step(project_copy, ("build",)) == len(outputs) + 2


def test_docs_killed_at_each_step(project_copy):
    assert cli("docs", cwd=project_copy).exit_code == 0
    change_display_strings(project_copy)
    kill_at_every_step(project_copy, ("docs",))


def test_i18n_mark_current_killed_at_each_step(project_copy):
    strip_one_hash(project_copy)
    kill_at_every_step(project_copy, ("i18n", "mark-current", "--locale", "cs"))


def test_i18n_import_killed_at_each_step(project_copy):
    assert cli("i18n", "export", "--locale", "cs", "-o", "cs.po", cwd=project_copy).exit_code == 0
    po = project_copy / "cs.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Odeslat SMS"', 'msgstr "Poslat SMS"', 1), encoding="utf-8")
    kill_at_every_step(project_copy, ("i18n", "import", "cs.po"))


def test_record_killed_at_each_step(project_copy, monkeypatch):
    import yaml

    from fixtures_support import FakeClickSend

    env = {"CLICKSEND_USERNAME": "alice.smith", "CLICKSEND_API_KEY": "9C2B7E41-5D3A-4F60-8E1B-2A7C4D9E0F13"}

    def a_recording(name: str, data: bytes) -> bool:
        doc = yaml.safe_load(data)
        return name.endswith("get_countries/success.yaml") and doc["source"].startswith("live recording") and doc["response"]["status"] == 200

    with FakeClickSend(env["CLICKSEND_USERNAME"], env["CLICKSEND_API_KEY"]) as fake:
        fake.routes[("GET", "/v3/countries")] = (200, {}, {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Countries",
                                                          "data": [{"code": "AU", "value": "Australia"}]})
        kill_at_every_step(project_copy, ("record", "get_countries", "--base-url", fake.url, "--case", "success", "--force"),
                           env, a_recording)


def test_deploy_record_killed_at_each_step(project_copy, tmp_path):
    (project_copy / "connector" / "deploy.en.json").write_text(json.dumps({"connectorIds": {"Other-env": "shared_old-1"}}))
    env, args = deploy_create(tmp_path)
    kill_at_every_step(project_copy, args, env)

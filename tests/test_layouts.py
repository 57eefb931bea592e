"""One way to find "the connector", for every command (docs/repositories.md, "Which connector a command works
on"): from inside a plain connector folder (a paconn download), a folder holding one YAML source, the
single-connector layout's root, its connector/, a subfolder of that and a locale's build, with `.` and with
nothing, every command that takes a connector finds the same one, or says clearly why not.

The commands run in this process (click's runner, the real commands and options) from inside each layout of
one git repository built in tmp_path; the connectors are copies of ClickSend's."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from ppconnector.cli import main

BUILT = ("apiDefinition.swagger.json", "apiProperties.json", "script.csx", "settings.json", "icon.png")
NEEDS_SOURCE = "a connector folder without a YAML source"

# layout -> the folder commands run in (relative to the repository) and the connector they must find
LAYOUTS = {
    "plain folder": ("downloaded", "downloaded"),
    "source folder": ("acme", "acme/clicksend.yaml"),
    "single-connector root": ("single", "single/connector/clicksend.yaml"),
    "its connector/": ("single/connector", "single/connector/clicksend.yaml"),
    "a fixtures subfolder": ("single/connector/fixtures/sms_send", "single/connector/clicksend.yaml"),
    "a locale's build": ("single/dist/cs", "single/connector/clicksend.yaml"),
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("layouts")
    _git(root, "init", "-q")
    shutil.copytree(ROOT / "connector", root / "single" / "connector", ignore=shutil.ignore_patterns("deploy.*.json"))
    shutil.copytree(ROOT / "connector", root / "acme", ignore=shutil.ignore_patterns("deploy.*.json"))
    (root / "downloaded").mkdir()
    for name in BUILT:
        shutil.copy2(ROOT / name, root / "downloaded" / name)
    runner = CliRunner()
    cwd = os.getcwd()
    try:
        os.chdir(root)
        for args in (["build", "single", "acme"], ["docs", "single", "acme", "downloaded"]):
            result = runner.invoke(main, args)
            assert result.exit_code == 0, result.output
    finally:
        os.chdir(cwd)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "layouts")
    return root


def _catalog(repo: Path) -> Path:
    path = repo.parent / "cs.po"
    if not path.exists():
        cwd = os.getcwd()
        try:
            os.chdir(repo / "acme")
            result = CliRunner().invoke(main, ["i18n", "export", "--locale", "cs", "-o", str(path)])
            assert result.exit_code == 0, result.output
        finally:
            os.chdir(cwd)
    return path


# command -> (args, args before the path spelled ".", whether it needs a YAML source, exit codes when found)
def _commands(repo: Path, out: Path) -> dict[str, tuple[list[str], bool, set[int]]]:
    return {
        "build --check": (["build", "--check"], True, {0}),
        "check": (["check"], False, {0}),
        "docs --check": (["docs", "--check"], False, {0}),
        "package": (["package", "--out", str(out)], True, {0}),
        "i18n status": (["i18n", "status"], True, {0}),
        "i18n export": (["i18n", "export", "--locale", "cs"], True, {0}),
        "i18n import": (["i18n", "import", str(_catalog(repo)), "--dry-run"], True, {0}),
        "i18n mark-current": (["i18n", "mark-current", "--locale", "cs"], True, {0}),
        "script compile": (["script", "compile"], False, {0}),
        "script test": (["script", "test"], False, {0, 1}),
        "deploy --dry-run": (["deploy", "update", "--dry-run"], True, {0}),
        "solution": (["solution", "--out", str(out.with_name("solution.zip"))], True, {0}),
        "diff git:HEAD": (["diff", "git:HEAD"], False, {0}),
    }


COMMANDS = ["build --check", "check", "docs --check", "package", "i18n status", "i18n export", "i18n import",
            "i18n mark-current", "script compile", "script test", "deploy --dry-run", "solution", "diff git:HEAD"]


@pytest.mark.parametrize("spelling", ["nothing", "."])
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_finds_the_connector_it_is_run_in(repo, tmp_path, monkeypatch, command, layout, spelling):
    if command.startswith("script") and not shutil.which("mcs"):
        pytest.skip("mono's mcs is not installed (.ci/script-setup.sh installs it)")
    folder, expected = LAYOUTS[layout]
    args, needs_source, codes = _commands(repo, tmp_path / "package")[command]
    monkeypatch.chdir(repo / folder)
    found: list[str] = []
    import ppconnector.repo.resolve as resolve_module

    real = resolve_module.resolve

    def spy(*a, **k):
        refs = real(*a, **k)
        found.extend(os.path.relpath(r.path.absolute(), repo) for r in refs)
        return refs

    monkeypatch.setattr(resolve_module, "resolve", spy)
    result = CliRunner().invoke(main, args + (["."] if spelling == "." else []))
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in output and result.exit_code != 3, output
    assert found == [expected], (found, output)
    if needs_source and layout == "plain folder":
        assert result.exit_code == 2 and NEEDS_SOURCE in output and "ppconnector import" in output, output
    else:
        assert result.exit_code in codes, output


@pytest.mark.parametrize("layout", ["source folder", "its connector/", "a fixtures subfolder"])
def test_record_finds_the_connector_it_is_run_in(repo, tmp_path, monkeypatch, layout):
    """record writes a fixture: into a copy of the layout, so the other tests' connectors stay as they were."""
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    folder, expected = LAYOUTS[layout]
    monkeypatch.chdir(copy / folder)
    case = "from-" + layout.replace(" ", "-").replace("/", "")
    result = CliRunner().invoke(main, ["record", "get_countries", "--fake", "--case", case])
    assert result.exit_code == 0, result.output
    assert (copy / expected).parent.joinpath("fixtures", "get_countries", f"{case}.yaml").is_file()


def test_a_connector_folder_beside_others_is_not_narrowed_to(repo, monkeypatch):
    """At a root of many connectors, a connector/ folder there is one connector among them, not the only one."""
    monkeypatch.chdir(repo)
    import ppconnector.repo.resolve as resolve_module

    found = [os.path.relpath(r.path.absolute(), repo) for r in resolve_module.resolve()]
    assert found == ["acme/clicksend.yaml", "downloaded", "single/connector/clicksend.yaml"]

"""The script family of `ppconnector check`: compile errors and fixtures as findings, and a clear note
when mono is not installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT
from script_support import SUBSCRIBE_RESPONSE_BODY, subscribe_fixture, write_fixture, wrap

from ppconnector.check.registry import SCRIPT, Target, all_rules
from ppconnector.script import cases
from ppconnector.source.loader import load_connector


def _script_rules():
    return {r.id: r for r in all_rules().values() if r.family == "script"}


def _target(repo, script_text=None, run_scripts=True):
    connector, _ = load_connector(repo / "connector" / "clicksend.yaml")
    return Target(
        definition=json.loads((repo / "apiDefinition.swagger.json").read_text()),
        properties=json.loads((repo / "apiProperties.json").read_text()),
        script=script_text if script_text is not None else (repo / "script.csx").read_text(encoding="utf-8"),
        folder=connector.folder, connector=connector, files={SCRIPT: "script.csx"}, run_scripts=run_scripts,
    )


HARNESS_RULES = ("script-not-compiled", "script-namespace", "script-compile", "script-harness-limit", "script-harness", "script-test",
                 "script-not-run")


def _issues(target):
    return {rule_id: list(rule.run(target)) for rule_id, rule in _script_rules().items() if rule_id in HARNESS_RULES}


def test_the_family_registers_its_rules():
    mine = {"script-not-compiled", "script-namespace", "script-compile", "script-harness-limit", "script-harness", "script-test",
            "script-not-run"}
    assert mine <= set(_script_rules())  # beside the static script rules of generator/check/rules.py
    assert all(_script_rules()[r].doc for r in mine)


def test_clicksend_script_with_its_fixture_has_no_findings(project_copy):
    expect = {"response": {"status": 201, "headers": {"Location": cases.PLATFORM_ROOT + "/automations/sms/inbound/10"}}}
    write_fixture(project_copy / "connector", "sms_inbound_automation", "subscribe", subscribe_fixture(SUBSCRIBE_RESPONSE_BODY, expect))
    issues = _issues(_target(project_copy))
    assert all(not found for found in issues.values()), issues


def test_compile_error_is_a_check_issue_on_the_script_line(project_copy):
    broken = wrap('        int count = "three";\n        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);')
    issues = _issues(_target(project_copy, broken))
    [issue] = issues["script-compile"]
    assert issue.file == SCRIPT and issue.line == 5 and "CS0029" in issue.message
    assert not issues["script-test"]  # nothing runs when the script does not compile


def test_failing_fixture_is_a_check_issue_in_the_fixture_file(project_copy):
    body = {"http_code": 200, "data": {}}
    fixture = write_fixture(project_copy / "connector", "sms_inbound_automation", "no-id", subscribe_fixture(body))
    [issue] = _issues(_target(project_copy))["script-test"]
    assert issue.file.endswith(os.path.join("fixtures", "sms_inbound_automation", "no-id.yaml"))
    assert issue.line is not None and "returned status 502" in issue.message
    assert fixture.exists()


def test_plain_check_compiles_the_script_but_never_runs_it(project_copy, tmp_path):
    """Checking a downloaded folder must not run its C# code: plain check compiles (which runs nothing of
    the script) and says the fixtures were not run; `--run-scripts` runs them. mono's runtime is watched
    through a wrapper that logs every start."""
    from ppconnector.script.toolchain import find

    log = tmp_path / "mono-starts.log"
    wrapper = tmp_path / "mono"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{find().mono}" "$@"\n')
    wrapper.chmod(0o755)
    # Isolated, the runtime could not write the log (every folder but its own is read-only there), and a
    # start would go unseen: this test watches starts, test_script_isolation.py the isolation.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PPCONNECTOR_MONO": str(wrapper), "PPCONNECTOR_SCRIPT_ISOLATION": "off"}
    for folder in (project_copy / "connector" / "clicksend.yaml", project_copy):  # the YAML source and the built folder
        if folder == project_copy:
            (project_copy / "fixtures").symlink_to(project_copy / "connector" / "fixtures")
        plain = subprocess.run([sys.executable, "-m", "ppconnector.cli", "check", str(folder), "--select", "script", "--format", "json"],
                               cwd=project_copy, capture_output=True, text=True, env=env, timeout=300)
        found = {f["rule"] for f in json.loads(plain.stdout)["findings"]}
        assert plain.returncode == 0 and "script-not-run" in found and "script-test" not in found, plain.stdout + plain.stderr
        assert not log.exists(), log.read_text()
    run = subprocess.run([sys.executable, "-m", "ppconnector.cli", "check", "--run-scripts", "--select", "script", "--format", "json"],
                         cwd=project_copy, capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0 and "script-not-run" not in {f["rule"] for f in json.loads(run.stdout)["findings"]}, run.stdout + run.stderr
    assert ".exe" in log.read_text()  # the wrapper does see the runtime start when running is asked for


def test_without_mono_check_says_the_script_was_not_compiled_and_how_to_install(tmp_path):
    # A PATH without mono (the interpreter is started by its absolute path), as on a machine without it.
    program = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from ppconnector.check.registry import Target, all_rules, SCRIPT\n"
        "root = Path(sys.argv[1])\n"
        "t = Target(json.loads((root/'apiDefinition.swagger.json').read_text()), json.loads((root/'apiProperties.json').read_text()),\n"
        "           (root/'script.csx').read_text(), root/'connector', None, {SCRIPT: 'script.csx'})\n"
        "mine = ('script-not-compiled', 'script-namespace', 'script-compile', 'script-harness-limit', 'script-harness', 'script-test')\n"
        "out = [(r.id, r.severity, i.severity, i.message) for r in all_rules().values() if r.id in mine for i in r.run(t)]\n"
        "print(json.dumps(out))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPCONNECTOR_")}
    env.update(PATH=str(tmp_path), PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", program, str(ROOT)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [(rule, severity) for rule, severity, _, _ in found] == [("script-not-compiled", "info")]
    message = found[0][3]
    assert "not compiled" in message and "apt-get install" in message and "mono-mcs" in message


def test_script_commands_without_mono_exit_2_with_the_install_hint(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPCONNECTOR_")}
    env.update(PATH=str(tmp_path), PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "ppconnector.cli", "script", "compile", str(ROOT / "script.csx")],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert "mcs" in result.stderr and "apt-get install" in result.stderr and "Traceback" not in result.stderr


def test_ci_setup_installs_exactly_the_packages_the_install_hint_names():
    import re

    from ppconnector.script.toolchain import APT_PACKAGES

    text = (ROOT / ".ci" / "script-setup.sh").read_text(encoding="utf-8")
    listed = re.search(r"PACKAGES=\((.*?)\)", text, re.S).group(1).split()
    assert tuple(listed) == APT_PACKAGES

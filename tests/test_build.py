"""`ppconnector build`: deterministic, honest --check, atomic writes, builds differ only in display strings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, SOURCE, run_cli, snapshot
from ppconnector.diagnostics import InputError
from ppconnector.emit import files as files_module
from ppconnector.emit.files import write_all
from ppconnector.emit.script import cs_string

DISPLAY_KEYS = {"summary", "description", "x-ms-summary", "title", "displayName", "x-ms-trigger-hint"}


def test_check_passes_on_the_committed_outputs():
    result = run_cli("build", "--check")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_same_source_same_bytes(tmp_path):
    for out in ("one", "two"):
        result = run_cli("build", str(SOURCE), "--out", str(tmp_path / out))
        assert result.returncode == 0, result.stderr
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one == two
    assert sorted(one) == sorted(
        f"{prefix}{name}"
        for prefix in ("", "dist/cs/")
        for name in ("apiDefinition.swagger.json", "apiProperties.json", "icon.png", "script.csx", "settings.json")
    )
    for name, data in one.items():
        assert (ROOT / name).read_bytes() == data, f"committed {name} differs from a fresh build"


def test_check_names_stale_files_and_writes_nothing(project_copy):
    stale = project_copy / "dist" / "cs" / "apiProperties.json"
    stale.write_text("{}\n")
    (project_copy / "script.csx").unlink()
    before = snapshot(project_copy)
    result = run_cli("build", "--check", cwd=project_copy)
    assert result.returncode == 1
    assert "dist/cs/apiProperties.json: stale" in result.stderr
    assert "script.csx: stale" in result.stderr
    assert "apiDefinition.swagger.json" not in result.stderr
    assert snapshot(project_copy) == before


def test_build_rewrites_only_what_changed(project_copy):
    (project_copy / "settings.json").write_text("{}\n")
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert "1 of 11 files written" in result.stdout
    assert run_cli("build", "--check", cwd=project_copy).returncode == 0


def test_one_locale(tmp_path):
    result = run_cli("build", str(SOURCE), "--locale", "cs", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "dist/cs/apiDefinition.swagger.json", "dist/cs/apiProperties.json", "dist/cs/icon.png",
        "dist/cs/script.csx", "dist/cs/settings.json",
    ]


def test_unknown_locale_is_a_usage_error(tmp_path):
    result = run_cli("build", str(SOURCE), "--locale", "cz", "--out", str(tmp_path))
    assert result.returncode == 2
    assert 'locale "cz" is not in locales: [en, cs] (did you mean "cs"?); to add it, write locales: [en, cs, cz]' in result.stderr
    assert not any(tmp_path.iterdir())


def strip_display(value, key=None):
    """The document with every display string blanked, to compare builds of two locales."""
    if isinstance(value, dict):
        return {k: ("<text>" if k in DISPLAY_KEYS and isinstance(v, str) else strip_display(v, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_display(v, key) for v in value]
    return value


@pytest.mark.parametrize("name", ["apiDefinition.swagger.json", "apiProperties.json", "settings.json", "script.csx", "icon.png"])
def test_builds_differ_only_in_display_strings(name):
    en, cs = ROOT / name, ROOT / "dist" / "cs" / name
    if name.endswith(".json"):
        a, b = json.loads(en.read_text()), json.loads(cs.read_text())
        assert strip_display(a) == strip_display(b)
        if name == "apiDefinition.swagger.json":
            assert a != b  # and they do differ: the Czech build is translated
    else:
        assert en.read_bytes() == cs.read_bytes()


def test_missing_translation_is_reported_with_its_place(project_copy):
    path = project_copy / "connector" / "clicksend.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.split("\n").index("locales: [en, cs]") + 1
    path.write_text(re.sub(r"summary: \{en: Send SMS, cs: Odeslat SMS, cs@: \w+\}", "summary: Send SMS", text, count=1), encoding="utf-8")
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    strings = json.loads(run_cli("i18n", "status", "--format", "json", cwd=project_copy).stdout)["strings"]
    assert (f"connector/clicksend.yaml:{line}:15: warning: 1 of {strings:,} strings untranslated in cs: "
            "`ppconnector i18n status -v` lists them [translation-missing]") in result.stderr
    cs = json.loads((project_copy / "dist" / "cs" / "apiDefinition.swagger.json").read_text())
    assert cs["paths"]["/sms/send"]["post"]["summary"] == "Send SMS"  # the source text stands in


def test_webhook_gets_its_location_header_script():
    script = (ROOT / "script.csx").read_text()
    assert 'case "sms_inbound_automation":' in script
    assert 'this.Subscribe("data.inbound_rule_id", "/automations/sms/inbound", "/automations/sms/inbound/{id}",' in script
    props = json.loads((ROOT / "apiProperties.json").read_text())["properties"]
    assert "sms_inbound_automation" in props["scriptOperations"] and "sms_delivery_receipt_automation" in props["scriptOperations"]
    definition = json.loads((ROOT / "apiDefinition.swagger.json").read_text())
    delete = definition["paths"]["/automations/sms/inbound/{inbound_rule_id}"]["delete"]
    assert delete["operationId"] == "delete_sms_inbound_automation" and delete["x-ms-visibility"] == "internal"


def test_trigger_is_a_webhook():
    definition = json.loads((ROOT / "apiDefinition.swagger.json").read_text())
    item = definition["paths"]["/automations/sms/inbound"]
    op = item["post"]
    assert op["x-ms-trigger"] == "single"
    body = op["parameters"][0]["schema"]
    callback = body["properties"]["action_address"]
    assert callback["x-ms-notification-url"] is True and callback["x-ms-visibility"] == "internal"
    assert "action_address" in body["required"]
    assert set(item["x-ms-notification-content"]["schema"]["properties"]) >= {"body", "from", "to", "message_id"}


@pytest.mark.parametrize(
    "text, literal",
    [
        ('say "hi"', r'"say \"hi\""'),
        ("C:\\path\\", r'"C:\\path\\"'),
        ("{{ braces }} */", '"{{ braces }} */"'),
        ("Příchozí", r'"P\u0159\u00EDchoz\u00ED"'),
        ("😀", r'"\uD83D\uDE00"'),
        ("line\nbreak", r'"line\u000Abreak"'),
    ],
)
def test_csharp_string_literals(text, literal):
    assert cs_string(text) == literal


def test_writes_are_all_or_nothing(tmp_path, monkeypatch):
    targets = {tmp_path / "a.json": b"new a", tmp_path / "sub" / "b.json": b"new b", tmp_path / "c.json": b"new c"}
    (tmp_path / "a.json").write_bytes(b"old a")
    (tmp_path / "c.json").write_bytes(b"old c")
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # a replaced, then b fails: a is put back
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(files_module.os, "replace", failing_replace)
    with pytest.raises(InputError, match="No space left on device"):
        write_all(targets)
    monkeypatch.setattr(files_module.os, "replace", real_replace)
    assert (tmp_path / "a.json").read_bytes() == b"old a"
    assert (tmp_path / "c.json").read_bytes() == b"old c"
    assert not (tmp_path / "sub" / "b.json").exists()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.json", "c.json"]  # no temp files left


def test_icon_that_is_a_directory(project_copy):
    icon = project_copy / "connector" / "icon.png"
    icon.unlink()
    icon.mkdir()
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 2
    assert 'file "icon.png" not found next to clicksend.yaml' in result.stderr
    assert "Traceback" not in result.stderr


def test_internal_errors_say_so_without_a_traceback(monkeypatch, tmp_path):
    """A bug in the toolkit is reported as one (exit 3, where to report it), never as a traceback."""
    from click.testing import CliRunner

    import ppconnector.build
    from ppconnector.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("emitter exploded")

    monkeypatch.setattr(ppconnector.build, "build", broken)
    result = CliRunner().invoke(main, ["build", str(SOURCE), "--out", str(tmp_path)])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: emitter exploded" in result.output
    assert "This is a bug in ppconnector, not in your input" in result.output
    assert "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


def test_each_locale_deploys_to_its_own_connector(project_copy):
    path = project_copy / "connector" / "clicksend.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "deploy:\n  environment: Default-1234\n  connector_id: {en: shared_clicksend-en, cs: shared_clicksend-cs}\n", encoding="utf-8")
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    en = json.loads((project_copy / "settings.json").read_text(encoding="utf-8"))
    cs = json.loads((project_copy / "dist" / "cs" / "settings.json").read_text(encoding="utf-8"))
    assert (en["connectorId"], cs["connectorId"]) == ("shared_clicksend-en", "shared_clicksend-cs")
    assert en["environment"] == cs["environment"] == "Default-1234"


def test_a_plain_connector_id_is_the_source_locales_only(project_copy):
    path = project_copy / "connector" / "clicksend.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "deploy:\n  connector_id: shared_clicksend-en\n", encoding="utf-8")
    assert run_cli("build", cwd=project_copy).returncode == 0
    assert json.loads((project_copy / "settings.json").read_text(encoding="utf-8"))["connectorId"] == "shared_clicksend-en"
    assert "connectorId" not in json.loads((project_copy / "dist" / "cs" / "settings.json").read_text(encoding="utf-8"))


def test_connector_id_for_an_unknown_locale(project_copy):
    path = project_copy / "connector" / "clicksend.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "deploy:\n  connector_id: {en: a, cz: b}\n", encoding="utf-8")
    line = text.count("\n") + 2  # the second line appended
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 2
    assert f'connector/clicksend.yaml:{line}:25: error: locale "cz" is not in locales [en, cs] (did you mean "cs"?)' in result.stderr


def test_build_ends_with_one_line_when_check_would_report_errors(project_copy):
    """The build is written and the exit code stays 0, but a source paconn or Microsoft would refuse (a scheme in
    host) is said in one last line, with its count and the command that explains it."""
    clean = run_cli("build", cwd=project_copy)
    assert clean.returncode == 0 and "ppconnector check" not in clean.stderr
    source = project_copy / "connector" / "clicksend.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("\n  host: rest.clicksend.com", "\n  host: https://rest.clicksend.com", 1),
                      encoding="utf-8")
    built = run_cli("build", cwd=project_copy)
    assert built.returncode == 0, built.stderr
    errors = [f for f in json.loads(run_cli("check", "--format", "json", cwd=project_copy).stdout)["findings"] if f["severity"] == "error"]
    assert errors
    assert built.stderr.splitlines()[-1] == (f"{len(errors)} error{'s' if len(errors) > 1 else ''} in what was built that paconn or "
                                              "Microsoft would refuse: run `ppconnector check`")


def test_a_reader_that_stops_early_does_not_stop_the_build(project_copy):
    """`ppconnector build 2>&1 | head -1` with hundreds of warnings: every file is written all the same."""
    source = project_copy / "connector" / "clicksend.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("locales: [en, cs]", "locales: [en, cs, de]", 1), encoding="utf-8")
    piped = subprocess.run(f"{sys.executable} -m ppconnector.cli build 2>&1 | head -1", shell=True, cwd=project_copy, capture_output=True,
                           text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) == 1, piped.stderr
    assert run_cli("build", "--check", cwd=project_copy).returncode == 0
    assert (project_copy / "dist" / "de" / "apiDefinition.swagger.json").is_file()

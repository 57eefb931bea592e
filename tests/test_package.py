"""`ppconnector package`: the certification folder of a locale, its generated readme.md, and the readme
rules of `check` (measured on the readmes Microsoft merged)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, require_shared, run_cli, snapshot

from ppconnector.check.engine import load, run
from ppconnector.check.rules.readme import find_readme, missing_sections, unnamed_operations, _visible_summaries
from ppconnector.check.registry import all_rules
from ppconnector.package.readme import render
from ppconnector.package.sections import SECTIONS
from ppconnector.source.loader import load_connector

FOLDER = {"apiDefinition.swagger.json", "apiProperties.json", "script.csx", "icon.png", "readme.md"}


def _clicksend():
    return load_connector(ROOT / "connector" / "clicksend.yaml")[0]


def _readme_findings(folder: Path):
    rules = [r for r in all_rules().values() if r.family == "readme"]
    return run(load(folder), rules)


def test_package_writes_exactly_the_certification_folder_in_english_by_default(tmp_path):
    out = tmp_path / "ClickSend SMS"
    result = run_cli("package", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} == FOLDER
    # The deployable files are the build's, byte for byte; apiProperties.json adds stackOwner, which
    # certification needs and paconn refuses (so the deployable build at the root has none).
    for name in FOLDER - {"readme.md", "apiProperties.json"}:
        assert (out / name).read_bytes() == (ROOT / name).read_bytes(), name
    certified = json.loads((out / "apiProperties.json").read_text())["properties"]
    deployable = json.loads((ROOT / "apiProperties.json").read_text())["properties"]
    assert certified.pop("stackOwner") == "Sinch Sweden AB" and "stackOwner" not in deployable
    assert certified == deployable
    readme = (out / "readme.md").read_text(encoding="utf-8")
    assert readme.splitlines()[1] == "# ClickSend SMS" and "## Publisher: Sinch Sweden AB" in readme
    assert not _readme_findings(out)
    # Same source, same bytes.
    again = tmp_path / "again"
    assert run_cli("package", "--out", str(again)).returncode == 0
    assert snapshot(again) == snapshot(out)


def test_package_of_another_locale_takes_its_build_and_translated_readme(tmp_path):
    result = run_cli("package", "--locale", "cs", "--out", str(tmp_path / "cs"))
    assert result.returncode == 0, result.stderr
    for name in FOLDER - {"readme.md", "apiProperties.json"}:
        assert (tmp_path / "cs" / name).read_bytes() == (ROOT / "dist" / "cs" / name).read_bytes(), name
    assert json.loads((tmp_path / "cs" / "apiProperties.json").read_text())["properties"]["stackOwner"] == "Sinch Sweden AB"
    readme = (tmp_path / "cs" / "readme.md").read_text(encoding="utf-8")
    assert "## Vydavatel: Sinch Sweden AB" in readme and "## Podporované operace" in readme and "### Odeslat SMS" in readme
    assert not _readme_findings(tmp_path / "cs")


def test_package_refuses_a_folder_with_other_files_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "settings.json").write_text("{}")
    before = snapshot(out)
    result = run_cli("package", "--out", str(out))
    assert result.returncode == 2
    assert "holds other files (settings.json)" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_package_names_an_unknown_locale(tmp_path):
    result = run_cli("package", "--locale", "de", "--out", str(tmp_path / "x"))
    assert result.returncode == 2 and 'locale "de" is not in locales: [en, cs]; to add it' in result.stderr
    assert not (tmp_path / "x").exists()


def test_every_readme_has_the_templates_sections_and_names_every_operation():
    c = _clicksend()
    visible = [op for op in c.operations.values() if op.node.get("visibility") != "internal"]
    for locale in c.locales:
        text = render(c, locale)
        assert not missing_sections(text), locale
        summaries = {op.id: op.node["summary"][locale] for op in visible}
        assert not unnamed_operations(text, summaries), locale
        assert text.count("\n### ") == len(visible)  # one sub-heading per operation


def test_a_readme_without_sections_is_reported_at_the_heading_lines(tmp_path):
    out = tmp_path / "pkg"
    assert run_cli("package", "--out", str(out)).returncode == 0
    text = (out / "readme.md").read_text(encoding="utf-8")
    cut = re.sub(r"### Send MMS\n\n.*?\n\n", "", text.replace("## Prerequisites", "## Before you start"), flags=re.S)
    cut = cut.replace("## Known Issues and Limitations", "## Caveats")
    (out / "readme.md").write_text(cut, encoding="utf-8")
    found = {(f.rule, f.severity, f.message.split('"')[1]) for f in _readme_findings(out)}
    assert found == {("readme-sections", "warning", "Prerequisites"), ("readme-sections", "info", "Known Issues and Limitations"),
                     ("readme-operations", "info", "Send MMS")}
    [op] = [f for f in _readme_findings(out) if f.rule == "readme-operations"]
    assert op.file.endswith("readme.md") and cut.splitlines()[op.line - 1] == "## Supported Operations"


def test_a_folder_without_readme_gets_an_info(tmp_path):
    out = tmp_path / "pkg"
    assert run_cli("package", "--out", str(out)).returncode == 0
    (out / "readme.md").unlink()
    [f] = _readme_findings(out)
    assert (f.rule, f.severity) == ("readme-missing", "info")


@pytest.mark.parametrize("properties", [True, None, ["stackOwner"], "stackOwner"])
def test_the_readme_rules_read_an_apiproperties_of_any_shape(tmp_path, properties):
    out = tmp_path / "pkg"
    assert run_cli("package", "--out", str(out)).returncode == 0
    (out / "readme.md").unlink()
    (out / "apiProperties.json").write_text(json.dumps({"properties": properties}), encoding="utf-8")
    assert _readme_findings(out) == []  # no stackOwner that a file alone shows: not a certification folder; never a crash


def test_severities_follow_what_microsoft_merged():
    """A missing section is a warning only where at least 80% of certified readmes have it; naming every
    operation is info (fewer than half of them do)."""
    root = require_shared("corpus", "certified-connectors")
    readmes, missing, naming_all = 0, Counter(), 0
    for folder in sorted(root.iterdir()):
        path = find_readme(folder)
        if path is None:
            continue
        readmes += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        missing.update(s.key for s in missing_sections(text))
        definition = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
        naming_all += not unnamed_operations(text, _visible_summaries(definition))
    assert readmes >= 100
    for section in SECTIONS:
        if section.required:
            assert section.enforced == (1 - missing[section.key] / readmes >= 0.8), (section.key, missing[section.key], readmes)
    assert naming_all / readmes < 0.8 and all_rules()["readme-operations"].severity == "info"


def test_a_yaml_without_readme_sections_gets_one_info(project_copy):
    yaml = project_copy / "connector" / "clicksend.yaml"
    text = yaml.read_text(encoding="utf-8")
    start = text.index("  readme:\n")
    end = text.index("\nconnection:", start)
    yaml.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    findings = json.loads(run_cli("check", "--format", "json", "--show-info", cwd=project_copy).stdout)["findings"]
    readme = [(f["rule"], f["severity"]) for f in findings if f["rule"].startswith("readme-")]
    assert readme == [("readme-missing", "info")]


@pytest.mark.parametrize("locale", ["en", "cs"])
def test_check_on_the_yaml_holds_the_generated_readme(project_copy, locale):
    yaml = project_copy / "connector" / "clicksend.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("  readme:\n    prerequisites:", "  readme:\n    getting_started:", 1), encoding="utf-8")
    result = run_cli("check", "--format", "json", cwd=project_copy)
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "readme-sections"]
    assert {(f["severity"], f["message"]) for f in findings if f"locale {locale}" in f["message"]} == {
        ("warning", f'readme.md has no "Prerequisites" section (generated readme.md, locale {locale})')}

"""Staleness: `i18n status` and the `check` rules of the localization family see missing, stale and
unverified translations; changing an English string makes its Czech stale, re-translating clears it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polib

from conftest import ROOT, SOURCE, run_cli
from i18n_support import cli_ok, mark_all_current, unmark_all, yaml_hash

from ppconnector.check.registry import Target, all_rules
from ppconnector.i18n.strings import extract, text_hash
from ppconnector.i18n.yamledit import render_scalar
from ppconnector.source.loader import load_connector


def status_of(repo: Path) -> dict:
    """`ppconnector i18n status --format json` on the copy's YAML, in-process (it runs often here)."""
    from click.testing import CliRunner

    from ppconnector.cli import main

    result = CliRunner().invoke(main, ["i18n", "status", "--format", "json", str(repo / "connector" / "clicksend.yaml")])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def localization_issues(repo: Path) -> dict[str, list]:
    """Each localization rule's issues for the YAML in repo, as `ppconnector check` runs them."""
    connector, _ = load_connector(repo / "connector" / "clicksend.yaml")
    target = Target(definition={}, properties={}, folder=connector.folder, connector=connector)
    rules = {r.id: r for r in all_rules().values() if r.family == "localization"}
    return {rule_id: list(r.run(target)) for rule_id, r in rules.items()}


def test_hash_is_8_hex_digits_of_sha256_of_the_utf8_text():
    assert text_hash("Odeslat SMS") == hashlib.sha256("Odeslat SMS".encode("utf-8")).hexdigest()[:8]
    assert len(text_hash("")) == 8


def test_status_of_the_clicksend_connector():
    doc = json.loads(cli_ok("i18n", "status", "--format", "json", cwd=ROOT).stdout)
    connector, _ = load_connector(SOURCE)
    strings = extract(connector)
    assert doc["strings"] == len(strings) and doc["source_locale"] == "en"
    cs = doc["locales"]["cs"]
    with_hash = [ds for ds in strings if "cs" in ds.hashes]
    assert cs["translated"] + cs["unverified"] + cs["stale"] + cs["missing"] == len(strings)
    assert cs["missing"] == 0  # every display string of the YAML has its Czech text
    assert cs["unverified"] == len(strings) - len(with_hash)
    assert cs["over_length"] == len([ds for ds in strings if len(ds.texts["cs"]) > ds.limit])
    text = cli_ok("i18n", "status", cwd=ROOT).stdout
    assert f"{len(strings)} display strings" in text and "over-length" in text


def test_rules_are_registered_in_the_localization_family():
    rules = {r.id: r for r in all_rules().values() if r.family == "localization"}
    assert {"translation-missing", "translation-stale", "translation-unverified", "translation-too-long"} <= set(rules)
    assert rules["translation-missing"].severity == rules["translation-stale"].severity == "warning"
    assert all(r.doc for r in rules.values())


def test_a_plain_connector_folder_has_no_localization_findings():
    target = Target(definition={"swagger": "2.0"}, properties={}, connector=None)
    for r in all_rules().values():
        if r.family == "localization":
            assert list(r.run(target)) == []


def test_changed_english_is_stale_and_retranslating_clears_it(project_copy, tmp_path):
    mark_all_current(project_copy)
    assert status_of(project_copy)["locales"]["cs"]["stale"] == 0
    assert all(not issues for issues in localization_issues(project_copy).values())

    yaml_file = project_copy / "connector" / "clicksend.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    old = "summary: {en: Send SMS, cs: Odeslat SMS, cs@:"
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    text = text.replace(old, "summary: {en: Send an SMS now, cs: Odeslat SMS, cs@:")
    yaml_file.write_text(text, encoding="utf-8")

    cs = status_of(project_copy)["locales"]["cs"]
    assert cs["stale"] == 1 and cs["ids"]["stale"] == ["sms_send.summary"]
    issues = localization_issues(project_copy)
    (stale,) = issues["translation-stale"]
    assert "sms_send.summary" in stale.message and stale.file.endswith("clicksend.yaml") and stale.line == line
    assert stale.column == text.splitlines()[line - 1].index("cs@") + 1  # at the recorded hash

    po_file = tmp_path / "cs.po"
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(po_file), cwd=project_copy)
    po = polib.pofile(str(po_file))
    (entry,) = po.fuzzy_entries()
    entry.msgstr = "Odeslat SMS hned"
    entry.flags.remove("fuzzy")
    po.save()
    cli_ok("i18n", "import", str(po_file), cwd=project_copy)

    cs = status_of(project_copy)["locales"]["cs"]
    assert cs["stale"] == 0 and cs["translated"] == status_of(project_copy)["strings"]
    assert localization_issues(project_copy)["translation-stale"] == []
    assert f"summary: {{en: Send an SMS now, cs: Odeslat SMS hned, cs@: {render_scalar(text_hash('Send an SMS now'), True)}}}" in yaml_file.read_text(encoding="utf-8")


def test_confirming_a_stale_translation_with_mark_current(project_copy):
    mark_all_current(project_copy)
    yaml_file = project_copy / "connector" / "clicksend.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert text.count("summary: {en: Send fax, cs:") == 1
    yaml_file.write_text(text.replace("summary: {en: Send fax, cs:", "summary: {en: Send a fax, cs:"), encoding="utf-8")
    assert status_of(project_copy)["locales"]["cs"]["ids"]["stale"] == ["send_fax.summary"]
    cli_ok("i18n", "mark-current", "--locale", "cs", cwd=project_copy)  # without --stale: left stale
    assert status_of(project_copy)["locales"]["cs"]["stale"] == 1
    result = cli_ok("i18n", "mark-current", "--locale", "cs", "--stale", "--id", "send_fax.summary", cwd=project_copy)
    assert "1 translations marked current" in result.stdout
    assert status_of(project_copy)["locales"]["cs"]["stale"] == 0


def test_missing_translation_in_status_and_check(project_copy):
    mark_all_current(project_copy)
    yaml_file = project_copy / "connector" / "clicksend.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    old = f"    summary: {{en: Send MMS, cs: Odeslat MMS, cs@: {yaml_hash('Send MMS')}}}\n"
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    yaml_file.write_text(text.replace(old, "    summary: Send MMS\n"), encoding="utf-8")
    cs = status_of(project_copy)["locales"]["cs"]
    assert cs["missing"] == 1 and cs["ids"]["missing"] == ["send_mms.summary"]
    (missing,) = localization_issues(project_copy)["translation-missing"]  # one per locale, with the count
    assert missing.message.startswith(f"1 of {status_of(project_copy)['strings']:,} strings untranslated in cs: ")
    assert missing.line == text.split("\n").index("locales: [en, cs]") + 1 != line


def test_unverified_and_too_long_in_check(project_copy):
    yaml_file = project_copy / "connector" / "clicksend.yaml"
    long_title = "ClickSend SMS a hlasové zprávy pro firmy"
    text = unmark_all(project_copy).replace("title: {en: ClickSend SMS, cs: ClickSend SMS}", f"title: {{en: ClickSend SMS, cs: {long_title}}}")
    yaml_file.write_text(text, encoding="utf-8")
    issues = localization_issues(project_copy)
    (too_long,) = issues["translation-too-long"]
    assert '"connector.title": the cs text has 40 characters; at most 30 fit' == too_long.message and too_long.line == 14
    connector, _ = load_connector(yaml_file)
    assert len(issues["translation-unverified"]) == len(extract(connector))  # nothing recorded yet
    assert status_of(project_copy)["locales"]["cs"]["ids"]["over_length"] == ["connector.title"]


def test_status_verbose_lists_ids(project_copy):
    yaml_file = project_copy / "connector" / "clicksend.yaml"
    text = unmark_all(project_copy).replace("    summary: {en: Send MMS, cs: Odeslat MMS}\n", "    summary: Send MMS\n")
    yaml_file.write_text(text, encoding="utf-8")
    result = run_cli("i18n", "status", "--verbose", cwd=project_copy)
    assert result.returncode == 0 and "cs missing: send_mms.summary" in result.stdout

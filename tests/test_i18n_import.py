"""`ppconnector i18n import`: translations go back into the YAML and nothing else in it changes (a
byte-level diff); hostile or mismatched catalogs are refused with a message and no write."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import polib
import pytest
from translate.storage import xliff as tt_xliff

from conftest import ROOT, SOURCE, run_cli, snapshot
from i18n_support import yaml_hash, billion_laughs_catalog, changed_lines, cli_ok, mark_all_current, strip_hashes, unmark_all, xxe_catalog

from ppconnector.i18n.strings import extract, text_hash
from ppconnector.source.loader import load_connector
from ppconnector.i18n.yamledit import edit_texts


def yaml_of(repo: Path) -> Path:
    return repo / "connector" / "clicksend.yaml"


@pytest.fixture
def current(project_copy: Path) -> Path:
    """A copy whose Czech strings all record the hash of their English (as after a first import)."""
    mark_all_current(project_copy)
    return project_copy


def translate_po(po_file: Path, changes: dict[str, str]) -> None:
    po = polib.pofile(str(po_file))
    found = set()
    for e in po:
        if e.msgctxt in changes:
            e.msgstr = changes[e.msgctxt]
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
            found.add(e.msgctxt)
    assert found == set(changes)
    po.save(str(po_file))


def test_mark_current_adds_only_hashes(project_copy):
    before = unmark_all(project_copy)
    result = cli_ok("i18n", "mark-current", "--locale", "cs", cwd=project_copy)
    after = yaml_of(project_copy).read_text(encoding="utf-8")
    assert after != before and "translations marked current" in result.stdout
    assert strip_hashes(after) == before  # byte for byte, once the new hash entries are taken out
    connector, _ = load_connector(yaml_of(project_copy))
    strings = extract(connector)
    assert after.count("cs@:") == len(strings)  # one hash for every Czech text
    assert all(ds.hashes["cs"] == text_hash(ds.texts["en"]) for ds in strings)


def test_po_import_changes_only_the_translated_lines(current, tmp_path):
    before = yaml_of(current).read_bytes()
    po_file = tmp_path / "cs.po"
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(po_file), cwd=current)
    translate_po(po_file, {
        "sms_send.summary": "Poslat SMS",
        "send_voice.parameters.messages.voice.enum.female": "Ženský hlas",
        "sms_send.description": "Každých 160 znaků je jedna SMS, nejvýše 1 224 znaků.",
    })
    dry = cli_ok("i18n", "import", "--dry-run", str(po_file), cwd=current)
    assert "would import 3 translations" in dry.stdout and "dry run: nothing written" in dry.stdout
    assert yaml_of(current).read_bytes() == before
    result = cli_ok("i18n", "import", str(po_file), cwd=current)
    assert "3 translations imported" in result.stdout
    after = yaml_of(current).read_bytes()
    pairs = changed_lines(before.decode("utf-8"), after.decode("utf-8"))
    h = yaml_hash
    assert pairs == [
        (f"    summary: {{en: Send SMS, cs: Odeslat SMS, cs@: {h('Send SMS')}}}\n",
         f"    summary: {{en: Send SMS, cs: Poslat SMS, cs@: {h('Send SMS')}}}\n"),
        ("      cs: Odeslání jedné nebo více zpráv SMS. Každých 160 znaků se počítá jako jedna SMS; zpráva může mít až 1 224 standardních znaků.\n",
         "      cs: Každých 160 znaků je jedna SMS, nejvýše 1 224 znaků.\n"),
        (f"                  - {{value: female, display_name: {{en: Female, cs: Ženský, cs@: {h('Female')}}}}}\n",
         f"                  - {{value: female, display_name: {{en: Female, cs: Ženský hlas, cs@: {h('Female')}}}}}\n"),
    ]
    status = run_cli("i18n", "status", "--format", "json", cwd=current)
    import json

    cs = json.loads(status.stdout)["locales"]["cs"]
    assert cs["stale"] == cs["missing"] == cs["unverified"] == 0


def test_import_of_an_untouched_catalog_changes_nothing(current, tmp_path):
    po_file = tmp_path / "cs.po"
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(po_file), cwd=current)
    before = snapshot(current)
    result = cli_ok("i18n", "import", str(po_file), cwd=current)
    assert "nothing to change" in result.stdout
    assert snapshot(current) == before


def test_first_import_of_existing_translations_records_only_hashes(project_copy, tmp_path):
    before = unmark_all(project_copy)
    xlf = tmp_path / "cs.xlf"
    cli_ok("i18n", "export", "--locale", "cs", "--format", "xliff", "-o", str(xlf), cwd=project_copy)
    result = cli_ok("i18n", "import", str(xlf), cwd=project_copy)
    assert "0 translations imported" in result.stdout and "confirmed as current" in result.stdout
    after = yaml_of(project_copy).read_text(encoding="utf-8")
    assert after != before and strip_hashes(after) == before


def test_xliff_translated_with_translate_toolkit_imports(current, tmp_path):
    before = yaml_of(current).read_text(encoding="utf-8")
    xlf = tmp_path / "cs.xlf"
    cli_ok("i18n", "export", "--locale", "cs", "--format", "xliff", "-o", str(xlf), cwd=current)
    store = tt_xliff.xlifffile.parsefile(str(xlf))
    unit = next(u for u in store.units if u.xmlelement.get("id") == "send_fax.summary")
    unit.target = "Poslat fax"
    unit.markfuzzy(False)
    store.save()
    result = cli_ok("i18n", "import", str(xlf), cwd=current)
    assert "1 translation imported" in result.stdout
    h = yaml_hash("Send fax")
    assert changed_lines(before, yaml_of(current).read_text(encoding="utf-8")) == [
        (f"    summary: {{en: Send fax, cs: Odeslat fax, cs@: {h}}}\n", f"    summary: {{en: Send fax, cs: Poslat fax, cs@: {h}}}\n")]


def test_untranslated_plain_string_becomes_a_locale_map(current, tmp_path):
    yaml_file = yaml_of(current)
    text = yaml_file.read_text(encoding="utf-8")
    old = f"    summary: {{en: Send MMS, cs: Odeslat MMS, cs@: {yaml_hash('Send MMS')}}}\n"
    assert text.count(old) == 1
    plain = text.replace(old, "    summary: Send MMS\n")
    yaml_file.write_text(plain, encoding="utf-8")
    po_file = tmp_path / "cs.po"
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(po_file), cwd=current)
    assert [e.msgctxt for e in polib.pofile(str(po_file)).untranslated_entries()] == ["send_mms.summary"]
    translate_po(po_file, {"send_mms.summary": "Odeslat MMS zprávu"})
    cli_ok("i18n", "import", str(po_file), cwd=current)
    assert changed_lines(plain, yaml_file.read_text(encoding="utf-8")) == [
        ("    summary: Send MMS\n", f"    summary: {{en: Send MMS, cs: Odeslat MMS zprávu, cs@: {yaml_hash('Send MMS')}}}\n")]


def test_fuzzy_entries_are_left_for_review(current, tmp_path):
    po_file = tmp_path / "cs.po"
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(po_file), cwd=current)
    po = polib.pofile(str(po_file))
    entry = po.find("Send SMS", msgctxt="sms_send.summary")
    entry.msgstr = "Poslat SMS"
    entry.flags.append("fuzzy")
    po.save(str(po_file))
    before = snapshot(current)
    result = cli_ok("i18n", "import", str(po_file), cwd=current)
    assert "1 marked fuzzy/needs review left as they were" in result.stdout
    assert snapshot(current) == before


def test_block_scalars_and_comments_survive_an_edit():
    text = ("# head\nconnector:\n  description:\n    en: >-\n      Long English\n      text.\n    cs: >-\n"
            "      Dlouhý\n      text.\n  # between\n  title: Plain, with a comma  # trailing comment\nrest: [1, 2]\n")
    new = edit_texts(text, "t.yaml", "en", {
        ("connector", "description"): {"cs": "Nový text: s dvojtečkou", "cs@": "0123abcd"},
        ("connector", "title"): {"cs": "Český název", "cs@": "12345678"},
    })
    assert new == ('# head\nconnector:\n  description:\n    en: >-\n      Long English\n      text.\n'
                   '    cs: "Nový text: s dvojtečkou"\n    cs@: 0123abcd\n  # between\n'
                   '  title: {en: "Plain, with a comma", cs: Český název, cs@: "12345678"}  # trailing comment\nrest: [1, 2]\n')


LAYOUTS = [
    # flow map over two lines
    ("a:\n  summary: {en: Hi,\n    cs: Ahoj}\nb: 1\n", {"cs": "Nazdar", "cs@": "abcdef01"},
     "a:\n  summary: {en: Hi,\n    cs: Nazdar, cs@: abcdef01}\nb: 1\n"),
    # block map with comments: the hash goes after the translation's comment
    ("a:\n  summary:\n    en: Hi  # en\n    # between\n    cs: Ahoj  # cs\nb: 1\n", {"cs@": "abcdef01"},
     "a:\n  summary:\n    en: Hi  # en\n    # between\n    cs: Ahoj  # cs\n    cs@: abcdef01\nb: 1\n"),
    # a plain scalar over two lines is replaced as a whole
    ("a:\n  summary:\n    en: Hi\n    cs: Ahoj\n      svete\nb: 1\n", {"cs": "Nové", "cs@": "abcdef01"},
     "a:\n  summary:\n    en: Hi\n    cs: Nové\n    cs@: abcdef01\nb: 1\n"),
    # single quotes stay single quotes
    ("a:\n  summary: {en: 'It''s', cs: 'To je'}\n", {"cs": "Je to's"}, "a:\n  summary: {en: 'It''s', cs: 'Je to''s'}\n"),
    # a trailing comma in a flow map
    ("a:\n  summary: {en: Hi, cs: Ahoj,}\n", {"cs@": "abcdef01"}, "a:\n  summary: {en: Hi, cs: Ahoj, cs@: abcdef01,}\n"),
    # words YAML 1.1 reads as booleans, and hashes YAML 1.2 reads as numbers, are quoted
    ("a:\n  summary:\n    en: Hi\n", {"cs": "No", "cs@": "12345678"}, 'a:\n  summary:\n    en: Hi\n    cs: "No"\n    cs@: "12345678"\n'),
    # control characters and line separators are escaped
    ("l:\n- summary: {en: x}\n", {"cs": "y\nz\u2028"}, 'l:\n- summary: {en: x, cs: "y\\nz\\u2028"}\n'),
]


@pytest.mark.parametrize("text, change, expected", LAYOUTS)
def test_edits_keep_every_layout_valid_and_untouched_elsewhere(text, change, expected):
    path = ("l", 0, "summary") if text.startswith("l:") else ("a", "summary")
    assert edit_texts(text, "t.yaml", "en", {path: change}) == expected


def test_crlf_files_keep_their_line_breaks():
    text = "a:\r\n  summary:\r\n    en: Hi\r\n    cs: Ahoj\r\nb: 1\r\n"
    new = edit_texts(text, "t.yaml", "en", {("a", "summary"): {"cs@": "abcdef01"}})
    assert new == "a:\r\n  summary:\r\n    en: Hi\r\n    cs: Ahoj\r\n    cs@: abcdef01\r\nb: 1\r\n"


# --- catalogs that must be refused, with a message and no write -------------------------------------


@functools.lru_cache(maxsize=None)
def _export(fmt: str) -> str:
    """The catalog of the repo's own YAML (project_copy starts as the same bytes), exported once."""
    return cli_ok("i18n", "export", "--locale", "cs", "--format", fmt, cwd=ROOT).stdout


def _po_text(repo: Path, tmp_path: Path) -> str:
    assert yaml_of(repo).read_bytes() == SOURCE.read_bytes()
    return _export("po")


def _xlf_text(repo: Path, tmp_path: Path) -> str:
    assert yaml_of(repo).read_bytes() == SOURCE.read_bytes()
    return _export("xliff")


def _wrong_id(repo, tmp):
    text = _po_text(repo, tmp).replace('msgstr "Odeslat fax"', 'msgstr "Poslat fax"')  # a good change alongside
    return "po", text.replace('msgctxt "sms_send.summary"', 'msgctxt "sms_send.sumary"'), 'unknown id "sms_send.sumary"', 'did you mean "sms_send.summary"'


def _wrong_connector_po(repo, tmp):
    text = _po_text(repo, tmp).replace("X-Ppconnector-Connector: ClickSend SMS", "X-Ppconnector-Connector: Twilio SMS")
    return "po", text, 'this catalog is for the connector "Twilio SMS" (clicksend.yaml), not "ClickSend SMS"', "refused"


def _wrong_connector_xliff(repo, tmp):
    text = _xlf_text(repo, tmp).replace('original="clicksend.yaml"', 'original="twilio.yaml"')
    return "xlf", text, '(twilio.yaml), not "ClickSend SMS" (clicksend.yaml)', "refused"


def _truncated_po_mid_entry(repo, tmp):
    text = _po_text(repo, tmp)
    cut = text.index('msgstr "Odeslat SMS"') + len('msgstr "Odes')
    return "po", text[:cut], "truncated", "incoming.po"


def _truncated_po_between_entries(repo, tmp):
    text = _po_text(repo, tmp)
    cut = text.index("\n\n", len(text) // 2) + 2
    return "po", text[:cut], "the catalog says it has", "truncated"


def _truncated_xliff(repo, tmp):
    text = _xlf_text(repo, tmp)
    return "xlf", text[: len(text) // 2], "not well-formed XML", "truncated"


def _xxe(repo, tmp):
    secret = tmp / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    return "xlf", xxe_catalog(secret), "declares a DTD", "refused"


def _billion_laughs(repo, tmp):
    return "xlf", billion_laughs_catalog(), "declares a DTD", "refused"


def _changed_source(repo, tmp):
    text = _po_text(repo, tmp)
    yaml_file = yaml_of(repo)
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("{en: Send fax, cs:", "{en: Send a fax, cs:"), encoding="utf-8")
    return "po", text.replace('msgstr "Odeslat fax"', 'msgstr "Poslat fax"'), '"send_fax.summary": the catalog translates \'Send fax\', but the en text is now \'Send a fax\'', "export the catalog again"


def _duplicate_id(repo, tmp):
    text = _po_text(repo, tmp)
    return "po", text.replace('msgctxt "send_fax.summary"', 'msgctxt "sms_send.summary"'), "duplicate", "sms_send.summary"


def _wrong_locale(repo, tmp):
    return "xlf", _xlf_text(repo, tmp).replace('target-language="cs"', 'target-language="de"'), 'locale "de" is not in locales: [en, cs]; to add it', "target locale"


def _not_a_catalog(repo, tmp):
    return "po", 'msgid "hello"\nmsgstr "ahoj"\n', "not a ppconnector catalog", "X-Ppconnector-Source"


def _xliff_2(repo, tmp):
    return "xlf", '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en"/>', "expected an XLIFF 1.2 document", "xliff"


HOSTILE = [_wrong_id, _wrong_connector_po, _wrong_connector_xliff, _truncated_po_mid_entry, _truncated_po_between_entries,
           _truncated_xliff, _xxe, _billion_laughs, _changed_source, _duplicate_id, _wrong_locale, _not_a_catalog, _xliff_2]


@pytest.mark.parametrize("make", HOSTILE, ids=[f.__name__.strip("_") for f in HOSTILE])
def test_hostile_or_mismatched_catalog_is_refused(make, project_copy, tmp_path):
    suffix, text, message, detail = make(project_copy, tmp_path)
    catalog = tmp_path / f"incoming.{suffix}"
    catalog.write_text(text, encoding="utf-8")
    before = snapshot(project_copy)
    result = run_cli("i18n", "import", str(catalog), cwd=project_copy)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and detail in result.stderr
    assert str(catalog) in result.stderr  # the message names the file
    assert "Traceback" not in result.stderr and "top secret" not in result.stdout + result.stderr
    assert snapshot(project_copy) == before


# --- catalogs read strictly, every character kept (issue 19) -----------------------------------------------------

ODD_TEXT = "Řádek\u2028další\x85konec\r\nnový"  # a line separator, NEL, and a Windows line break inside a translation


def _translation_of(repo: Path, string_id: str) -> str:
    connector, _ = load_connector(yaml_of(repo))
    return next(ds for ds in extract(connector) if ds.id == string_id).texts["cs"]


def test_po_keeps_every_character_both_ways(current, tmp_path):
    """Written by polib and read back by it; imported, the YAML holds exactly the text; exported, the same again."""
    po_file = tmp_path / "cs.po"
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(po_file), cwd=current)
    translate_po(po_file, {"sms_send.summary": ODD_TEXT})
    cli_ok("i18n", "import", str(po_file), cwd=current)
    assert _translation_of(current, "sms_send.summary") == ODD_TEXT
    again = tmp_path / "again.po"
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(again), cwd=current)
    assert next(e.msgstr for e in polib.pofile(str(again)) if e.msgctxt == "sms_send.summary") == ODD_TEXT


def test_xliff_keeps_every_character_both_ways(current, tmp_path):
    """A CR LF in a target survives XML's line-end normalization both ways (translate-toolkit reads it too)."""
    xlf = tmp_path / "cs.xlf"
    cli_ok("i18n", "export", "--locale", "cs", "--format", "xliff", "-o", str(xlf), cwd=current)
    text = xlf.read_text(encoding="utf-8")
    marker = '<target state="translated">Odeslat SMS</target>'
    assert marker in text
    xlf.write_text(text.replace(marker, '<target state="translated">Řádek\u2028další\x85konec&#13;\nnový</target>'), encoding="utf-8")
    cli_ok("i18n", "import", str(xlf), cwd=current)
    assert _translation_of(current, "sms_send.summary") == ODD_TEXT
    again = tmp_path / "again.xlf"
    cli_ok("i18n", "export", "--locale", "cs", "--format", "xliff", "-o", str(again), cwd=current)
    store = tt_xliff.xlifffile.parsefile(str(again))
    assert next(u for u in store.units if u.xmlelement.get("id") == "sms_send.summary").target == ODD_TEXT


def _po_with(repo: Path, old: str, new: str) -> str:
    text = _po_text(repo, None)
    assert old in text
    return text.replace(old, new, 1)


BROKEN_PO = {
    "unterminated": ('msgstr "Odeslat SMS"', 'msgstr "Odeslat SMS', 'error: not a valid PO file: unterminated string'),
    "invalid-escape": ('msgstr "Odeslat SMS"', 'msgstr "Odeslat\\q SMS"', 'error: not a valid PO file: invalid escape \\q'),
    "text-after-string": ('msgstr "Odeslat SMS"', 'msgstr "Odeslat" SMS"', "error: not a valid PO file: unexpected text after the string"),
    "plural": ('msgstr "Odeslat SMS"', 'msgid_plural "Send SMSes"\nmsgstr[0] "Odeslat SMS"\nmsgstr[1] "Odeslat SMSky"',
               'error: "sms_send.summary": a plural entry; connector display strings have no plural forms'),
}


@pytest.mark.parametrize("case", sorted(BROKEN_PO))
def test_a_broken_or_plural_po_entry_is_refused_with_its_place(project_copy, tmp_path, case):
    old, new, message = BROKEN_PO[case]
    catalog = tmp_path / "incoming.po"
    catalog.write_text(_po_with(project_copy, old, new), encoding="utf-8")
    before = snapshot(project_copy)
    result = run_cli("i18n", "import", str(catalog), cwd=project_copy)
    assert result.returncode == 2, result.stdout + result.stderr
    line = next(i for i, text in enumerate(catalog.read_text(encoding="utf-8").split("\n"), 1) if new.split("\n")[0] in text)
    assert f"{catalog}:" in result.stderr and message in result.stderr, result.stderr
    if case != "plural":  # the line of the broken string, and its column
        assert re.search(rf"{re.escape(str(catalog))}:{line}:\d+: error", result.stderr), result.stderr
    assert snapshot(project_copy) == before


def test_a_plural_xliff_group_is_refused(project_copy, tmp_path):
    text = _xlf_text(project_copy, tmp_path)
    start = text.index('<trans-unit id="sms_send.summary"')
    end = text.index("</trans-unit>", start) + len("</trans-unit>")
    catalog = tmp_path / "incoming.xlf"
    catalog.write_text(text[:start] + '<group restype="x-gettext-plurals">' + text[start:end] + "</group>" + text[end:], encoding="utf-8")
    result = run_cli("i18n", "import", str(catalog), cwd=project_copy)
    assert result.returncode == 2 and '"sms_send.summary": a plural entry' in result.stderr, result.stderr

"""`ppconnector i18n export`: PO and XLIFF 1.2 catalogs, read back with third-party libraries (polib,
translate-toolkit, lxml), with untranslated and stale strings marked the way translators' tools expect."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from lxml import etree
from translate.storage import xliff as tt_xliff

from conftest import ROOT, SOURCE, run_cli
from i18n_support import yaml_hash, cli_ok, mark_all_current

from ppconnector.i18n.strings import extract
from ppconnector.source.loader import load_connector

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


@pytest.fixture(scope="module")
def strings():
    connector, _ = load_connector(SOURCE)
    return {ds.id: ds for ds in extract(connector)}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, strings):
    out = tmp_path_factory.mktemp("catalogs")
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(out / "cs.po"), cwd=ROOT)
    cli_ok("i18n", "export", "--locale", "cs", "--format", "xliff", "-o", str(out / "cs.xlf"), cwd=ROOT)
    return out


@pytest.fixture
def stale_and_untranslated(project_copy: Path) -> Path:
    """A copy where every Czech string is current, then one English text changed and one string plain."""
    mark_all_current(project_copy)
    yaml_file = project_copy / "connector" / "clicksend.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert text.count("summary: {en: Send SMS, cs: Odeslat SMS, cs@:") == 1
    text = text.replace("summary: {en: Send SMS, cs: Odeslat SMS, cs@:", "summary: {en: Send an SMS, cs: Odeslat SMS, cs@:")
    old = f"summary: {{en: Send MMS, cs: Odeslat MMS, cs@: {yaml_hash('Send MMS')}}}"
    assert text.count(old) == 1
    text = text.replace(old, "summary: Send MMS")
    yaml_file.write_text(text, encoding="utf-8")
    return project_copy


def test_po_catalog_reads_back_with_polib(exported, strings):
    po = polib.pofile(str(exported / "cs.po"))
    entries = [e for e in po if not e.obsolete]
    assert [e.msgctxt for e in entries] == list(strings)  # every display string, in source order, once
    for e in entries:
        ds = strings[e.msgctxt]
        assert e.msgid == ds.texts["en"]
        assert e.msgstr == ds.texts["cs"]
        assert ds.note in e.comment and f"At most {ds.limit} characters." in e.comment
        assert f"max-length:{ds.limit}" in e.flags
        assert e.occurrences and e.occurrences[0][0] == "clicksend.yaml"
    assert po.metadata["Language"] == "cs"
    assert po.metadata["X-Ppconnector-Source"] == "clicksend.yaml"
    assert po.metadata["X-Ppconnector-Connector"] == "ClickSend SMS"
    assert po.metadata["X-Ppconnector-Entries"] == str(len(strings))
    sample = next(e for e in entries if e.msgctxt == "sms_send.parameters.messages.to.summary")
    assert sample.msgid == "To" and "Parameter label" in sample.comment


def test_xliff_catalog_reads_back_with_translate_toolkit(exported, strings):
    store = tt_xliff.xlifffile.parsefile(str(exported / "cs.xlf"))
    units = [u for u in store.units if not u.isheader()]
    # translate-toolkit names a unit "<file original>\x04<id>"
    assert [u.getid() for u in units] == [f"clicksend.yaml\x04{i}" for i in strings]
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "cs"
    for u in units:
        ds = strings[u.xmlelement.get("id")]
        assert u.source == ds.texts["en"]
        assert u.target == ds.texts["cs"]
        assert not u.isfuzzy()
        assert ds.note in u.getnotes()
        assert u.xmlelement.get("maxwidth") == str(ds.limit) and u.xmlelement.get("size-unit") == "char"


def test_xliff_catalog_is_xliff_1_2_as_lxml_reads_it(exported, strings):
    tree = etree.parse(str(exported / "cs.xlf"), etree.XMLParser(resolve_entities=False, no_network=True))
    root = tree.getroot()
    assert root.tag == "{urn:oasis:names:tc:xliff:document:1.2}xliff" and root.get("version") == "1.2"
    (file_el,) = root.findall("x:file", NS)
    assert file_el.get("original") == "clicksend.yaml" and file_el.get("product-name") == "ClickSend SMS"
    assert file_el.get("datatype") == "plaintext"
    count = file_el.find("x:header/x:count-group/x:count", NS)
    assert count.text == str(len(strings))
    # Constraints of the XLIFF 1.2 schema (xliff-core-1.2-strict.xsd): the required <file> attributes,
    # unique unit ids, unique context-group and count-group names, values from its lists.
    assert all(file_el.get(a) for a in ("original", "source-language", "datatype"))
    units = file_el.findall("x:body/x:trans-unit", NS)
    assert len({u.get("id") for u in units}) == len(units)
    names = [g.get("name") for g in file_el.iter("{urn:oasis:names:tc:xliff:document:1.2}context-group") if g.get("name")]
    assert len(set(names)) == len(names)
    assert {t.get("state") for t in file_el.iter("{urn:oasis:names:tc:xliff:document:1.2}target")} <= {"translated", "needs-review-translation"}
    assert {u.get("approved") for u in units} <= {"yes", None} and {u.get("size-unit") for u in units} == {"char"}
    assert count.get("count-type") == "total" and count.get("unit") == "trans-unit"
    # Element order inside a trans-unit as the schema wants: source, target, then notes and context groups.
    for unit in file_el.iterfind("x:body/x:trans-unit", NS):
        names = [etree.QName(child).localname for child in unit]
        assert names[0] == "source" and names == sorted(names, key=["source", "target", "note", "context-group"].index)


def test_untranslated_and_stale_are_marked_in_po(stale_and_untranslated):
    out = stale_and_untranslated / "cs.po"
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(out), cwd=stale_and_untranslated)
    po = polib.pofile(str(out))
    assert [e.msgctxt for e in po.untranslated_entries()] == ["send_mms.summary"]
    fuzzy = po.fuzzy_entries()
    assert [e.msgctxt for e in fuzzy] == ["sms_send.summary"]
    assert fuzzy[0].msgid == "Send an SMS" and fuzzy[0].msgstr == "Odeslat SMS"
    assert "source text changed" in fuzzy[0].comment
    assert len(po.translated_entries()) == len(po) - 2


def test_untranslated_and_stale_are_marked_in_xliff(stale_and_untranslated):
    out = stale_and_untranslated / "cs.xlf"
    cli_ok("i18n", "export", "--locale", "cs", "--format", "xliff", "-o", str(out), cwd=stale_and_untranslated)
    store = tt_xliff.xlifffile.parsefile(str(out))
    units = {u.xmlelement.get("id"): u for u in store.units if not u.isheader()}
    assert not units["send_mms.summary"].istranslated() and not units["send_mms.summary"].target
    stale = units["sms_send.summary"]
    assert stale.isfuzzy() and stale.target == "Odeslat SMS" and stale.source == "Send an SMS"
    assert stale.xmlelement.find("{urn:oasis:names:tc:xliff:document:1.2}target").get("state") == "needs-review-translation"
    fine = units["send_fax.summary"]
    assert fine.istranslated() and not fine.isfuzzy()


def test_export_is_deterministic(exported, tmp_path):
    cli_ok("i18n", "export", "--locale", "cs", "-o", str(tmp_path / "again.po"), cwd=ROOT)
    assert (tmp_path / "again.po").read_bytes() == (exported / "cs.po").read_bytes()
    result = cli_ok("i18n", "export", "--locale", "cs", "--format", "xliff", cwd=ROOT)
    assert result.stdout.encode("utf-8") == (exported / "cs.xlf").read_bytes()


@pytest.mark.parametrize("locale, message", [("en", '"en" is the source locale'), ("cz", 'locale "cz" is not in locales: [en, cs] (did you mean "cs"?); to add it, write locales: [en, cs, cz]')])
def test_export_refuses_a_locale_it_cannot_translate_into(locale, message):
    result = run_cli("i18n", "export", "--locale", locale, cwd=ROOT)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr

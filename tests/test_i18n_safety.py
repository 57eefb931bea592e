"""i18n under pressure: two imports at once, an export aimed at the source, catalogs with damaged headers
or a foreign encoding, and catalogs built to take forever.  Each is refused with exit 2 or handled; none
loses data or ends in an internal error."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from conftest import run_cli, snapshot
from hostile_support import lines_run

from ppconnector.emit.files import output_lock


def _yaml(repo: Path) -> Path:
    return repo / "connector" / "clicksend.yaml"


def _with_german(repo: Path) -> None:
    """The ClickSend source with a third locale, de (its strings untranslated: only warnings)."""
    source = _yaml(repo)
    text = source.read_text(encoding="utf-8")
    assert "locales: [en, cs]" in text
    source.write_text(text.replace("locales: [en, cs]", "locales: [en, cs, de]", 1), encoding="utf-8")


def _translated_catalog(repo: Path, folder: Path, locale: str, string_id: str, text: str) -> Path:
    catalog = folder / f"{locale}.po"
    exported = run_cli("i18n", "export", "--locale", locale, "-o", str(catalog), cwd=repo)
    assert exported.returncode == 0, exported.stderr
    po = polib.pofile(str(catalog))
    entry = next(e for e in po if e.msgctxt == string_id)
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    po.save(str(catalog))
    return catalog


def _text_of(repo: Path, string_id: str, locale: str) -> str | None:
    from ppconnector.i18n.strings import extract
    from ppconnector.source.loader import load_connector

    connector, _ = load_connector(_yaml(repo))
    return next(ds for ds in extract(connector) if ds.id == string_id).texts.get(locale)


# --- 7. two imports at once ------------------------------------------------------------------------------------


def test_an_import_reads_the_source_only_once_it_holds_the_lock(project_copy, tmp_path):
    """Import cs waits for the lock while de is imported: it must apply its change to the YAML that holds the
    German text, not to the text it would have read before waiting."""
    _with_german(project_copy)
    cs = _translated_catalog(project_copy, tmp_path, "cs", "sms_send.summary", "Poslat SMS teď")
    de = _translated_catalog(project_copy, tmp_path, "de", "sms_send.summary", "SMS senden")
    with output_lock((project_copy / "connector").resolve()):
        waiting = subprocess.Popen([sys.executable, "-m", "ppconnector.cli", "i18n", "import", str(cs)], cwd=project_copy,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr is not None
        line = waiting.stderr.readline()  # blocks until the other import reports it waits
        assert "another ppconnector is writing here; waiting for it to finish" in line, line
        # Meanwhile another writer (the German import, done here by the library under the lock this test holds)
        # changes the YAML.
        from ppconnector.i18n.merge import merge, read_catalog
        from ppconnector.source.loader import load_connector

        connector, _ = load_connector(_yaml(project_copy))
        outcome = merge(connector, read_catalog(de), str(de))
        _yaml(project_copy).write_text(outcome.new_text, encoding="utf-8")
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "1 translation imported" in out
    assert _text_of(project_copy, "sms_send.summary", "de") == "SMS senden"
    assert _text_of(project_copy, "sms_send.summary", "cs") == "Poslat SMS teď"


def test_two_imports_started_together_both_land(project_copy, tmp_path):
    _with_german(project_copy)
    for round_ in range(3):
        cs = _translated_catalog(project_copy, tmp_path, "cs", "sms_send.summary", f"Poslat SMS {round_}")
        de = _translated_catalog(project_copy, tmp_path, "de", "sms_send.summary", f"SMS senden {round_}")
        runs = [subprocess.Popen([sys.executable, "-m", "ppconnector.cli", "i18n", "import", str(c)], cwd=project_copy,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in (cs, de)]
        for r in runs:
            out, err = r.communicate(timeout=120)
            assert r.returncode == 0 and "1 translation imported" in out, err
        assert _text_of(project_copy, "sms_send.summary", "cs") == f"Poslat SMS {round_}"
        assert _text_of(project_copy, "sms_send.summary", "de") == f"SMS senden {round_}"


# --- 8. an export never replaces what is not a catalog -----------------------------------------------------------


@pytest.mark.parametrize("target", ["connector/clicksend.yaml", "link-to-source.po", "apiProperties.json", "notes.txt"])
def test_export_refuses_to_write_over_a_source_or_any_other_file(project_copy, target):
    (project_copy / "link-to-source.po").symlink_to(_yaml(project_copy))
    (project_copy / "notes.txt").write_text("my notes\n", encoding="utf-8")
    before = snapshot(project_copy)
    source_bytes = _yaml(project_copy).read_bytes()
    result = run_cli("i18n", "export", "--locale", "cs", "-o", target, cwd=project_copy)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    expected = ("this is the connector's YAML source: a catalog written here would replace it"
                if target in ("connector/clicksend.yaml", "link-to-source.po") else
                "exists and is not a PO or XLIFF catalog; refusing to replace it")
    assert f"{target}: error: {expected}" in result.stderr, result.stderr
    assert _yaml(project_copy).read_bytes() == source_bytes and snapshot(project_copy) == before


def test_export_replaces_a_catalog_an_empty_file_or_nothing(project_copy):
    for name, fmt in (("cs.po", "po"), ("cs.xlf", "xliff"), ("cs.po", "xliff"), ("empty.po", "po")):
        (project_copy / "empty.po").write_bytes(b"")
        result = run_cli("i18n", "export", "--locale", "cs", "--format", fmt, "-o", name, cwd=project_copy)
        assert result.returncode == 0, (name, fmt, result.stderr)
        assert (project_copy / name).read_bytes().startswith(b"<?xml" if fmt == "xliff" else b"#")


# --- bad headers and encodings: exit 2, never 3 --------------------------------------------------------------------

HUGE = "9" * 5000


def _po(repo: Path) -> str:
    result = run_cli("i18n", "export", "--locale", "cs", cwd=repo)
    assert result.returncode == 0
    return result.stdout


def _xliff(repo: Path) -> str:
    result = run_cli("i18n", "export", "--locale", "cs", "--format", "xliff", cwd=repo)
    assert result.returncode == 0
    return result.stdout


def _po_count(value: str):
    return lambda repo: ("po", re.sub(r"X-Ppconnector-Entries: \d+", f"X-Ppconnector-Entries: {value}", _po(repo)),
                         f'X-Ppconnector-Entries is "{value[:17]}')


def _xliff_count(value: str):
    return lambda repo: ("xlf", re.sub(r'unit="trans-unit">\d+<', f'unit="trans-unit">{value}<', _xliff(repo)),
                         f'<count> is "{value[:17]}')


def _xliff_encoding(name: str):
    return lambda repo: ("xlf", _xliff(repo).replace('encoding="UTF-8"', f'encoding="{name}"', 1),
                         f"the XML declaration says encoding='{name}'; a catalog is UTF-8")


DAMAGED = {
    "PO entries ²": _po_count("²"),
    "PO entries of 5,000 digits": _po_count(HUGE),
    "PO entries negative": _po_count("-3"),
    "XLIFF count ²": _xliff_count("²"),
    "XLIFF count of 5,000 digits": _xliff_count(HUGE),
    "XLIFF count of Arabic-Indic digits": _xliff_count("٣"),
    "XLIFF encoding x-evil": _xliff_encoding("x-evil"),
    "XLIFF encoding UTF-7": _xliff_encoding("UTF-7"),
    "XLIFF encoding latin-1": _xliff_encoding("ISO-8859-1"),
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_a_damaged_catalog_header_is_bad_input(project_copy, tmp_path, case):
    suffix, text, message = DAMAGED[case](project_copy)
    catalog = tmp_path / f"incoming.{suffix}"
    catalog.write_text(text, encoding="utf-8")
    before = snapshot(project_copy)
    for args in (("i18n", "import", str(catalog)), ("i18n", "import", "--dry-run", str(catalog))):
        result = run_cli(*args, cwd=project_copy)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and str(catalog) in result.stderr, result.stderr
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr) < 2000  # 5,000 digits are not echoed back
    assert snapshot(project_copy) == before


# --- a catalog built to take forever ----------------------------------------------------------------------------------


def _nested_plural_groups(n: int) -> bytes:
    """A catalog of n plural groups, each inside the one before, with a unit at every level."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
            '<file original="clicksend.yaml" source-language="en" target-language="cs" datatype="plaintext" '
            f'product-name="ClickSend SMS"><header><count-group name="entries"><count count-type="total" unit="trans-unit">{n}'
            '</count></count-group></header><body>')
    levels = "".join(f'<group restype="x-gettext-plurals"><trans-unit id="u{i}"><source>x</source></trans-unit>' for i in range(n))
    return (head + levels + "</group>" * n + "</body></file></xliff>").encode()


def test_reading_nested_plural_groups_grows_linearly():
    from ppconnector.i18n import xliff

    xliff.read(_nested_plural_groups(50), "warm-up.xlf")
    work = {}
    for n in (500, 1000, 2000):
        count, cat = lines_run(lambda: xliff.read(_nested_plural_groups(n), "nested.xlf"))
        assert len(cat.entries) == n and all(e.plural for e in cat.entries)
        work[n] = count
    # Linear work doubles with the input; one pass per group (what it was) would grow 4x.
    assert work[1000] / work[500] < 2.2 and work[2000] / work[1000] < 2.2, work


def test_import_of_deeply_nested_plural_groups_is_refused_per_entry(project_copy, tmp_path):
    catalog = tmp_path / "nested.xlf"
    catalog.write_bytes(_nested_plural_groups(20_000))
    result = run_cli("i18n", "import", str(catalog), cwd=project_copy)
    assert result.returncode == 2, result.stderr[-500:]
    assert result.stderr.count("[catalog-plural]") == 20_000

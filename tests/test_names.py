"""Names that become file names (locales, fixture cases, operation folders, imported sources) never name a
Windows device, and keys that only differ in Unicode normalization are reported, not taken as two names."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from conftest import ROOT
from hostile_support import assert_clean_failure, cli

YAML = "connector/clicksend.yaml"


def _edit(project, old: str, new: str) -> None:
    path = project / YAML
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("locale", ["con", "aux", "nul", "prn"])
def test_a_windows_device_name_is_not_a_locale(project_copy, locale):
    _edit(project_copy, "locales: [en, cs]", f"locales: [en, cs, {locale}]")
    for command in (("build",), ("check", YAML), ("docs",), ("i18n", "status")):
        result = cli(*command, cwd=project_copy)
        assert_clean_failure(result)
        assert (f'{YAML}:11:19: error: locale "{locale}" is the device name {locale.upper()} on Windows: dist/{locale}/ and '
                f"docs/reference/{locale}.md could not exist in a checkout there") in result.stderr, result.output
    assert not (project_copy / "dist" / locale).exists()


@pytest.mark.parametrize("case", ["con", "AUX", "nul.json", "com1", "lpt9", "com\u00b9"])
def test_a_windows_device_name_is_not_a_fixture_case(project_copy, case):
    result = cli("record", "get_countries", "--case", case, "--base-url", "http://127.0.0.1:9", cwd=project_copy)
    assert_clean_failure(result)
    if case.isascii():
        assert "is a device name on Windows (no file can be named so there); choose another" in result.stderr, result.output
    assert not (project_copy / "connector" / "fixtures" / "get_countries" / f"{case}.yaml").exists()


def test_an_operation_named_like_a_device_gets_no_fixture_folder(project_copy):
    path = project_copy / YAML
    path.write_text(path.read_text(encoding="utf-8").replace("get_countries", "Con"), encoding="utf-8")
    result = cli("record", "Con", "--base-url", "http://127.0.0.1:9", cwd=project_copy)
    assert_clean_failure(result)
    assert 'operationId "Con" cannot name a folder under fixtures/: CON is a device name on Windows' in result.stderr, result.output
    assert not (project_copy / "connector" / "fixtures" / "Con").exists()


def test_an_imported_folder_named_like_a_device_gets_a_source_name_windows_can_hold(tmp_path):
    folder = tmp_path / "aux"
    folder.mkdir()
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        shutil.copy(ROOT / name, folder)
    result = cli("import", "aux", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "connector" / "aux-connector.yaml").is_file()
    assert not (tmp_path / "connector" / "aux.yaml").exists()


# --- NFC/NFD twins ---------------------------------------------------------------------------------------------


def test_keys_that_differ_only_in_normalization_are_reported(project_copy):
    nfc, nfd = "název", unicodedata.normalize("NFD", "název")
    assert nfc != nfd and unicodedata.normalize("NFC", nfd) == nfc
    _edit(project_copy, "      action: {type: string,",
          f"      {nfc}: {{type: string}}\n      {nfd}: {{type: integer}}\n      action: {{type: string,")
    result = cli("build", cwd=project_copy)
    assert_clean_failure(result)
    assert f'error: the key "{nfd}" (' in result.stderr and "in another Unicode normalization form: they look the same" in result.stderr
    assert "[duplicate-key]" in result.stderr


def test_operation_ids_that_differ_only_in_normalization_are_reported(project_copy):
    text = (project_copy / YAML).read_text(encoding="utf-8")
    start = text.index("  get_countries:")
    end = text.index("\n  ", text.index("\n", start) + 1)
    while text[end + 3] == " ":  # to the end of the operation's block
        end = text.index("\n  ", end + 1)
    block = text[start:end]
    twin_a = block.replace("get_countries:", "get_café:", 1).replace("request: GET /countries", "request: GET /cafe-a")
    twin_b = block.replace("get_countries:", unicodedata.normalize("NFD", "get_café:"), 1).replace("request: GET /countries", "request: GET /cafe-b")
    (project_copy / YAML).write_text(text[:end] + "\n" + twin_a + "\n" + twin_b + text[end:], encoding="utf-8")
    result = cli("check", YAML, cwd=project_copy)
    assert_clean_failure(result)
    assert "in another Unicode normalization form" in result.stderr, result.output

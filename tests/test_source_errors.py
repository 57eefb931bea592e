"""Broken YAML: one clear message per problem with file:line:col, exit 2, no traceback, outputs untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli, snapshot

YAML = Path("connector") / "clicksend.yaml"


def edit(repo: Path, old: str, new: str, count: int = 1) -> int:
    """Replace the first occurrence(s) of old in the YAML; return the 1-based line of the first edit."""
    path = repo / YAML
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def failed_build(repo: Path) -> str:
    """Run `ppconnector build` on a broken source; assert the failure contract; return stderr."""
    before = snapshot(repo)
    source = (repo / YAML).read_bytes()
    result = run_cli("build", cwd=repo)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    after = snapshot(repo)
    assert after == before, "a failed build changed files"
    assert (repo / YAML).read_bytes() == source
    return result.stderr


def test_bad_syntax(project_copy):
    line = edit(project_copy, "  version: \"1.0\"\n", "  version: \"1.0\"\n   - stray: [unclosed\n")
    err = failed_build(project_copy)
    assert re.search(rf"connector/clicksend\.yaml:{line + 1}:\d+: error: YAML syntax: ", err), err


def test_typo_in_a_key_gets_did_you_mean(project_copy):
    line = edit(project_copy, "    summary: {en: Send SMS,", "    sumary: {en: Send SMS,")
    err = failed_build(project_copy)
    assert f'connector/clicksend.yaml:{line}:5: error: unknown key "sumary" in operations/sms_send (did you mean "summary"?)' in err
    # The operation now lacks its summary too: both problems in one run.
    assert 'missing required key "summary" in operations/sms_send' in err


def test_wrong_type(project_copy):
    line = edit(project_copy, "          required: true\n          summary: {en: Messages", "          required: yes please\n          summary: {en: Messages")
    err = failed_build(project_copy)
    assert f"connector/clicksend.yaml:{line}:" in err
    assert "required: expected" in err and 'found the text "yes please"' in err


def test_duplicate_key(project_copy):
    line = edit(project_copy, "    request: POST /sms/send\n", "    request: POST /sms/send\n    request: POST /sms/send\n")
    err = failed_build(project_copy)
    assert f'connector/clicksend.yaml:{line + 1}:5: error: duplicate key "request" (first defined at line {line})' in err


def test_duplicate_operation_id(project_copy):
    text = (project_copy / YAML).read_text(encoding="utf-8")
    block = text[text.index("  create_list:\n") : text.index("  delete_list:\n")]
    line = edit(project_copy, "  delete_list:\n", block + "  delete_list:\n")
    err = failed_build(project_copy)
    assert f'connector/clicksend.yaml:{line}:3: error: duplicate operationId "create_list"' in err


def test_operation_ids_differing_only_in_case(project_copy):
    text = (project_copy / YAML).read_text(encoding="utf-8")
    block = text[text.index("  create_list:\n") : text.index("  delete_list:\n")]
    block = block.replace("  create_list:\n", "  Create_List:\n").replace("request: POST /lists", "request: PUT /lists")
    line = edit(project_copy, "  delete_list:\n", block + "  delete_list:\n")
    err = failed_build(project_copy)
    assert f'connector/clicksend.yaml:{line}:3: error: duplicate operationId: "Create_List" differs from "create_list" only in letter case' in err


def test_every_problem_in_one_run(project_copy):
    edit(project_copy, "    summary: {en: Send SMS,", "    sumary: {en: Send SMS,")
    edit(project_copy, "  brand_color: \"#0095ff\"", "  brand_colour: \"#0095ff\"")
    edit(project_copy, "value_path: list_id, value_title: list_name", "value_path: list_id, value_titel: list_name")
    err = failed_build(project_copy)
    assert '"sumary"' in err and '"brand_colour"' in err and '"value_titel"' in err
    assert 'did you mean "brand_color"' in err and 'did you mean "value_title"' in err


def test_unknown_reference_and_dropdown_source(project_copy):
    edit(project_copy, "{ref: Currency}", "{ref: Curency}")
    edit(project_copy, "operation: get_countries,", "operation: get_country,")
    err = failed_build(project_copy)
    assert 'no schema named "Curency" under schemas (did you mean "Currency"?)' in err
    assert 'dropdown source "get_country" is not an operation (did you mean "get_countries"?)' in err


def test_path_parameter_not_declared(project_copy):
    edit(project_copy, "request: DELETE /lists/{list_id}\n", "request: DELETE /lists/{listId}\n")
    err = failed_build(project_copy)
    assert 'path parameter "listId" of DELETE /lists/{listId} is not declared under parameters (did you mean "list_id"?)' in err


def test_unknown_locale_in_a_display_string(project_copy):
    edit(project_copy, "summary: {en: Send SMS, cs: Odeslat SMS,", "summary: {en: Send SMS, cz: Odeslat SMS,")
    err = failed_build(project_copy)
    assert 'locale "cz" is not in locales [en, cs] (did you mean "cs"?)' in err


def test_comma_in_a_flow_mapping_is_explained(project_copy):
    edit(project_copy, "summary: {en: Send SMS, cs: Odeslat SMS,", "summary: {en: Send SMS, now, cs: Odeslat SMS,")
    err = failed_build(project_copy)
    assert "a comma inside {...} splits the text: put the text in quotes" in err


def test_tags_never_construct_objects(project_copy):
    edit(project_copy, "  version: \"1.0\"", "  version: !!python/object/apply:os.system [\"echo pwned\"]")
    err = failed_build(project_copy)
    assert "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in err


def test_billion_laughs_is_refused_quickly(project_copy):
    lol = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        lol.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    (project_copy / YAML).write_text("\n".join(lol) + "\n", encoding="utf-8")
    err = failed_build(project_copy)
    assert "expands to more than" in err and "refused" in err


@pytest.mark.parametrize(
    "content, message",
    [(b"", "YAML file is empty"), (b"\x00\x01binary", "binary"), (b"title: \xff\xfe caf\xe9\n", "not UTF-8")],
)
def test_unusable_files(project_copy, content, message):
    (project_copy / YAML).write_bytes(content)
    err = failed_build(project_copy)
    assert "connector/clicksend.yaml" in err and message in err


def test_directory_instead_of_file(project_copy):
    assert run_cli("build", "connector", cwd=project_copy).returncode == 0  # the connector's folder names its source
    (project_copy / YAML).unlink()
    (project_copy / YAML).mkdir()
    result = run_cli("build", "connector", cwd=project_copy)
    assert result.returncode == 2
    assert "expected a YAML file, found a directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_icon_outside_the_connector_folder(project_copy):
    edit(project_copy, "  icon: icon.png", "  icon: ../apiProperties.json")
    err = failed_build(project_copy)
    assert '"../apiProperties.json" is outside the connector folder' in err


def test_hand_written_script_outside_the_connector_folder(project_copy):
    (project_copy / "outside.csx").write_text("// not the connector's\n", encoding="utf-8")
    text = (project_copy / "connector" / "clicksend.yaml").read_text(encoding="utf-8")
    start = text.index("\nscript:\n") + 1
    line = text[:start].count("\n") + 1
    end = text.find("\n", text.find("\n", start) + 1)
    while end != -1 and text[end + 1:end + 2] == " ":  # the rest of the script: section
        end = text.find("\n", end + 1)
    (project_copy / "connector" / "clicksend.yaml").write_text(
        text[:start] + "script: {file: ../outside.csx}\n" + (text[end + 1:] if end != -1 else ""), encoding="utf-8")
    err = failed_build(project_copy)
    assert f'connector/clicksend.yaml:{line}:16: error: "../outside.csx" is outside the connector folder' in err, err

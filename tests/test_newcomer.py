"""Papercuts a newcomer hit (issue 21), each held by a test."""

from __future__ import annotations

from conftest import SOURCE, run_cli


def test_did_you_mean_for_a_renamed_operations_fixtures_names_the_new_name(project_copy):
    """Every ClickSend operation has fixtures, so after a rename the new name is the one without: it is the
    suggestion, not get_contact_lists, which looks more alike."""
    source = project_copy / "connector" / SOURCE.name
    source.write_text(source.read_text(encoding="utf-8").replace("\n  search_contact_list:\n", "\n  find_contacts:\n", 1), encoding="utf-8")
    assert run_cli("build", cwd=project_copy).returncode == 0
    result = run_cli("check", "--select", "contract-fixture", cwd=project_copy)
    assert 'no operation "search_contact_list" in the definition (did you mean "find_contacts"?)' in result.stdout + result.stderr
    assert "get_contact_lists" not in result.stdout + result.stderr


def test_import_names_the_yaml_after_the_folder_as_docs_import_says():
    from pathlib import Path

    from conftest import ROOT
    from generator.importer.pipeline import default_output

    assert default_output(Path("touchSMS")) == Path("connector/touchSMS.yaml")
    assert default_output(Path("Africa's Talking SMS")) == Path("connector/Africa-s-Talking-SMS.yaml")
    assert "`touchSMS` -> `connector/touchSMS.yaml`" in (ROOT / "docs" / "import.md").read_text(encoding="utf-8")


def test_every_error_of_a_source_is_reported_in_one_run(project_copy):
    """A schema error no longer hides the reference errors of the parts that passed the schema."""
    source = project_copy / "connector" / SOURCE.name
    text = source.read_text(encoding="utf-8")
    text = text.replace("      required: true\n", "      required: yes please\n", 1).replace("{ref: HttpCode}", "{ref: HttpCod}", 1)
    text = text.replace("dynamic_values: {operation: get_contact_lists,", "dynamic_values: {operation: get_contact_list,", 1)
    source.write_text(text, encoding="utf-8")
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 3, result.stderr
    assert 'found the text "yes please" [source-schema]' in lines[0]
    assert 'no schema named "HttpCod" under schemas' in lines[1]
    assert 'dropdown source "get_contact_list" is not an operation' in lines[2]


def test_the_readmes_example_error_is_what_the_tool_prints(project_copy):
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"misspelt `sumary`, `ppconnector build` prints.*?```\n(.*?)```", readme, re.S).group(1)
    source = project_copy / "connector" / SOURCE.name
    text = source.read_text(encoding="utf-8")
    assert text.count("\n    summary: {en: Send SMS,") == 1
    source.write_text(text.replace("\n    summary: {en: Send SMS,", "\n    sumary: {en: Send SMS,"), encoding="utf-8")
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 2
    assert result.stderr == example


def test_the_i18n_status_shown_in_docs_is_what_the_tool_prints():
    """Figures in docs are the tool's output, checked here, so they cannot go stale."""
    import re

    from conftest import ROOT

    docs = (ROOT / "docs" / "i18n.md").read_text(encoding="utf-8")
    shown = re.search(r"\$ ppconnector i18n status\n(.*?)```", docs, re.S).group(1)
    assert run_cli("i18n", "status").stdout == shown
    prose = docs.replace(shown, "")
    assert not re.search(r"\b\d{3,} (display|Czech) strings", prose), "a count in prose goes stale: show the command's output"


def test_diff_of_two_yaml_files_needs_no_icon_and_reports_both_sides(tmp_path):
    for name in ("old.yaml", "new.yaml"):
        (tmp_path / name).write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")  # no icon.png beside them
    result = run_cli("diff", "old.yaml", "new.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "no changes\n"), result.stderr
    (tmp_path / "bad.yaml").write_text("foo: [\n", encoding="utf-8")
    result = run_cli("diff", "bad.yaml", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("bad.yaml:2:1: error: YAML syntax") and "\nmissing.yaml: error: no such file" in result.stderr


def test_editors_find_the_source_schema_where_build_writes_it(project_copy, tmp_path):
    """`# yaml-language-server: $schema=` points at ../.ppconnector/connector.schema.json, which build keeps
    current in the user's repo: the same for ClickSend and an import, whatever the install path."""
    from conftest import ROOT
    from generator.source.loader import SCHEMA_FILE

    header = "# yaml-language-server: $schema=../.ppconnector/connector.schema.json\n"
    assert SOURCE.read_text(encoding="utf-8").startswith(header)
    assert (ROOT / ".ppconnector" / "connector.schema.json").read_bytes() == SCHEMA_FILE.read_bytes()
    (project_copy / ".ppconnector" / "connector.schema.json").unlink()
    assert run_cli("build", "--check", cwd=project_copy).returncode == 1
    assert run_cli("build", cwd=project_copy).returncode == 0
    assert (project_copy / ".ppconnector" / "connector.schema.json").read_bytes() == SCHEMA_FILE.read_bytes()
    imported = run_cli("import", str(ROOT), "-o", str(tmp_path / "connector" / "x.yaml"), cwd=tmp_path)  # the built ClickSend
    assert imported.returncode == 0, imported.stderr
    assert (tmp_path / "connector" / "x.yaml").read_text(encoding="utf-8").startswith(header)


def test_findings_on_an_imported_body_point_at_each_propertys_own_line(tmp_path):
    """touchSMS imported, then checked: each body property's description-sentence finding has its own line."""
    import re

    from conftest import require_shared

    folder = require_shared("corpus", "certified-connectors", "touchSMS")
    assert run_cli("import", str(folder), cwd=tmp_path).returncode == 0
    result = run_cli("check", "connector/touchSMS.yaml", "--select", "description-sentence", "--show-info", cwd=tmp_path)
    found = re.findall(r'  (\d+):\d+: info: field description "(\w+)[^"]*" does not end', result.stdout + result.stderr)
    first_words = {"Destination": "to", "Sender": "from", "Message": "body", "Campaign": "campaign", "Shown": "reference",
                   "Schedule": "date"}
    lines = {first_words[word]: line for line, word in found if word in first_words}
    body = ["to", "from", "body", "campaign", "reference", "date"]
    assert set(body) <= set(lines), result.stdout
    assert len({lines[name] for name in body}) == len(body)  # six lines, not all the first one's
    assert [int(lines[name]) for name in body] == sorted(int(lines[name]) for name in body)

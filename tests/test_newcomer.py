"""Papercuts a newcomer hit (issues 21 and 32), each held by a test."""

from __future__ import annotations

from pathlib import Path

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
    from conftest import ROOT
    from ppconnector.importer.pipeline import default_output

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
    from ppconnector.source.loader import SCHEMA_FILE

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


# Issue 32, second round.

def _edited(project_copy, old: str, new: str) -> None:
    source = project_copy / "connector" / SOURCE.name
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    source.write_text(text.replace(old, new), encoding="utf-8")


def test_did_you_mean_never_suggests_the_name_written():
    from ppconnector.diagnostics import did_you_mean

    assert did_you_mean("petId", ["petId", "body"]) == ""
    assert did_you_mean("petid", ["petId", "body"]) == ' (did you mean "petId"?)'


def test_a_path_parameter_declared_in_the_query_says_so_not_did_you_mean_itself(project_copy):
    source = project_copy / "connector" / SOURCE.name
    text = source.read_text(encoding="utf-8")
    at = text.index("\n  delete_list:\n")
    source.write_text(text[:at] + text[at:].replace("        in: path\n", "        in: query\n", 1), encoding="utf-8")
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 2
    assert 'path parameter "list_id" of DELETE /lists/{list_id} is declared with in: query; a parameter of the path needs in: path' in result.stderr
    assert "did you mean" not in result.stderr


def test_a_tab_in_the_yamls_indentation_is_named_with_its_line_and_column(project_copy):
    _edited(project_copy, "\n  delete_list:\n    request: DELETE", "\n  delete_list:\n  \trequest: DELETE")
    result = run_cli("build", cwd=project_copy)
    assert result.returncode == 2
    line = (project_copy / "connector" / SOURCE.name).read_text(encoding="utf-8").split("\n").index("  \trequest: DELETE /lists/{list_id}") + 1
    assert result.stderr == f"connector/clicksend.yaml:{line}:3: error: YAML syntax: tab characters are not allowed in YAML indentation; use spaces [yaml-syntax]\n"


def test_rules_fits_a_terminal_and_starts_with_its_first_family():  # item 10
    import os
    import subprocess
    import sys

    from conftest import ROOT
    from ppconnector.check.registry import all_rules

    result = subprocess.run([sys.executable, "-m", "ppconnector.cli", "rules"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[0] == min(r.family for r in all_rules().values()), lines[:2]  # no empty first line
    assert max(map(len, lines)) <= 80
    listed = {line.split()[0] for line in lines if line.startswith("  ") and not line.startswith("   ")}
    assert listed == set(all_rules())  # every id, each once at the start of its line


def test_deploy_help_says_it_refuses_a_stale_build_rather_than_building():
    """What `deploy` does with a stale build (refuses it) is tested in tests/test_deploy*.py; its help says the same."""
    result = run_cli("deploy", "--help")
    assert result.returncode == 0
    words = " ".join(result.stdout.split())
    assert "never builds" in words and "stale build" in words and "is refused" in words
    assert "builds and checks first" not in words


def test_what_pip_wheel_leaves_in_the_work_tree_is_ignored():
    """`pip wheel --no-deps .` writes the wheel, build/ and the egg-info into the work tree."""
    import subprocess

    from conftest import ROOT

    leftovers = ["build/lib/generator/cli.py", "ppconnector-1.0-py3-none-any.whl", "ppconnector.egg-info/PKG-INFO"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *leftovers], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.split() == leftovers, result.stderr
    kept = ["generator/build/command.py", "dist/cs/apiDefinition.swagger.json"]  # our build package and the built locales
    assert subprocess.run(["git", "check-ignore", "--no-index", *kept], cwd=ROOT, capture_output=True, text=True).stdout == ""


def test_a_locale_the_source_lacks_says_how_to_add_it():
    locales_line = SOURCE.read_text(encoding="utf-8").split("\n").index("locales: [en, cs]") + 1
    result = run_cli("i18n", "export", "--locale", "de")
    assert result.returncode == 2
    assert result.stderr == (f"connector/clicksend.yaml:{locales_line}:10: error: locale \"de\" is not in locales: [en, cs]; "
                             "to add it, write locales: [en, cs, de] [usage]\n")  # and no "did you mean" the source locale


def test_a_new_locale_gets_one_line_per_locale_with_the_count_status_and_check_give(project_copy):
    """Adding `de` leaves every string untranslated: build says so in one line (not one per string), with the
    count `i18n status` and `check` give, under the one rule name `rules` lists."""
    import json

    _edited(project_copy, "\nlocales: [en, cs]\n", "\nlocales: [en, cs, de]\n")
    status = json.loads(run_cli("i18n", "status", "--format", "json", cwd=project_copy).stdout)
    missing = status["locales"]["de"]["missing"]
    assert missing == status["strings"] > 1000
    line = f"{missing:,} of {status['strings']:,} strings untranslated in de: `ppconnector i18n status -v` lists them"
    built = run_cli("build", cwd=project_copy)
    assert built.returncode == 0, built.stderr
    assert [x for x in built.stderr.splitlines() if "untranslated" in x or "translation" in x] == [
        f"connector/clicksend.yaml:{_line_of(project_copy, 'locales: [en, cs, de]')}:19: warning: {line} [translation-missing]"]
    assert len(built.stderr.splitlines()) < 5
    checked = json.loads(run_cli("check", "--select", "translation-missing", "--format", "json", cwd=project_copy).stdout)
    assert [f["message"] for f in checked["findings"]] == [line]
    listed = json.loads(run_cli("i18n", "status", "-v", "--format", "json", cwd=project_copy).stdout)
    assert len(listed["locales"]["de"]["ids"]["missing"]) == missing  # the way to see them all
    assert "translation-missing" in run_cli("rules").stdout and "missing-translation" not in run_cli("rules").stdout


def _line_of(project_copy, text: str) -> int:
    return (project_copy / "connector" / SOURCE.name).read_text(encoding="utf-8").split("\n").index(text) + 1


WORDS = """\
locales: [en, de]
connector:
  title: Words
  description: Looks words up in the Words service.
  version: "1.0"
  host: api.words.example
  base_path: /v1
  tags:
    - {name: search, description: Finding words}
connection:
  auth:
    api_key: {type: apiKey, in: header, name: X-Key}
  parameters:
    api_key: {type: securestring, display_name: API key, description: Your API key, tooltip: Your API key}
operations:
  WordSearch:
    request: GET /words
    summary: Search words
    description: Finds the words that start with a text.
    parameters:
      - {name: prefix, in: query, type: string, required: true, summary: Prefix, description: The start of the word.}
      - {name: limit, in: query, type: integer, summary: Limit, description: How many words at most.}
    responses:
      "200": {description: The words}
"""


def test_po_notes_name_a_tag_and_ids_name_list_items_by_name_old_ids_still_import(tmp_path):
    """Parameters written as a list (as import keeps Swagger's order) and tags get ids by their name, not their
    position; a catalog exported before (WordSearch.parameters.1.summary) still imports, its ids migrated."""
    import polib

    (tmp_path / "connector").mkdir()
    source = tmp_path / "connector" / "words.yaml"
    source.write_text(WORDS, encoding="utf-8")
    assert run_cli("i18n", "export", "--locale", "de", "-o", "de.po", cwd=tmp_path).returncode == 0
    po = polib.pofile(str(tmp_path / "de.po"))
    by_id = {e.msgctxt: e for e in po}
    assert {"WordSearch.parameters.prefix.summary", "WordSearch.parameters.limit.summary", "connector.tags.search.description"} <= set(by_id)
    assert not any(".0." in i or ".1." in i for i in by_id)
    assert by_id["connector.tags.search.description"].comment.startswith('Description of the tag "search"')
    assert "Connector description" not in by_id["connector.tags.search.description"].comment
    assert by_id["connector.description"].comment.startswith("Connector description")

    old_ids = {"WordSearch.parameters.prefix.summary": "WordSearch.parameters.0.summary",
               "WordSearch.parameters.limit.summary": "WordSearch.parameters.1.summary",
               "connector.tags.search.description": "connector.tags.0.description"}
    for new, old in old_ids.items():  # the catalog as 0.1 exported it
        by_id[new].msgctxt = old
    by_id["WordSearch.parameters.limit.summary"].msgstr = "Höchstzahl"
    by_id["connector.tags.search.description"].msgstr = "Wörter finden"
    po.save()
    imported = run_cli("i18n", "import", "de.po", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    text = source.read_text(encoding="utf-8")
    assert "summary: {en: Limit, de: Höchstzahl, de@:" in text and "summary: Prefix," in text
    assert "description: {en: Finding words, de: Wörter finden, de@:" in text
    status = run_cli("i18n", "status", "-v", cwd=tmp_path).stdout
    assert "de missing: WordSearch.parameters.limit.summary" not in status and "de missing: WordSearch.parameters.prefix.summary" in status
    # mark-current takes an old id too
    assert run_cli("i18n", "mark-current", "--locale", "de", "--id", "WordSearch.parameters.1.summary", cwd=tmp_path).returncode == 0


def test_pages_of_a_locale_without_built_in_words_take_the_yamls_or_say_they_are_english(tmp_path):
    from ppconnector.docs.labels import KEYS
    from ppconnector.source.loader import source_schema

    assert list(source_schema()["properties"]["labels"]["additionalProperties"]["properties"]) == list(KEYS)
    (tmp_path / "connector").mkdir()
    source = tmp_path / "connector" / "words.yaml"
    source.write_text(WORDS, encoding="utf-8")
    docs = run_cli("docs", cwd=tmp_path)
    assert docs.returncode == 0, docs.stderr
    (warning,) = [line for line in docs.stderr.splitlines() if "[labels-english]" in line]
    assert warning.startswith("connector/words.yaml:1:15: warning: the de reference page has 21 headings and labels in English")
    assert "## Actions" in (tmp_path / "docs" / "reference" / "de.md").read_text(encoding="utf-8")
    package = run_cli("package", "connector/words.yaml", "--locale", "de", "--out", "pkg", cwd=tmp_path)
    assert "the de readme has 3 headings and labels in English" in package.stderr, package.stderr

    words = {key: f"W-{key}" for key in KEYS}
    source.write_text(WORDS + "labels:\n  de: {" + ", ".join(f"{k}: {v}" for k, v in words.items()) + "}\n", encoding="utf-8")
    docs = run_cli("docs", cwd=tmp_path)
    assert docs.returncode == 0 and "labels-english" not in docs.stderr, docs.stderr
    page = (tmp_path / "docs" / "reference" / "de.md").read_text(encoding="utf-8")
    assert "## W-actions" in page and "## Actions" not in page and page.startswith("<!-- W-generated -->")
    assert "## Actions" in (tmp_path / "docs" / "reference" / "en.md").read_text(encoding="utf-8")
    package = run_cli("package", "connector/words.yaml", "--locale", "de", "--out", "pkg", cwd=tmp_path)
    assert package.returncode == 0 and "labels-english" not in package.stderr, package.stderr
    readme = (tmp_path / "pkg" / "readme.md").read_text(encoding="utf-8")
    assert "## W-publisher" in readme and "## W-operations" in readme


def test_package_says_what_check_on_the_folder_will_and_that_the_icon_is_missing(tmp_path):
    (tmp_path / "connector").mkdir()
    source = tmp_path / "connector" / "words.yaml"
    source.write_text(WORDS, encoding="utf-8")
    package = run_cli("package", "connector/words.yaml", "--out", "pkg", cwd=tmp_path)
    assert package.returncode == 0, package.stderr
    assert ('connector/words.yaml:2:1: warning: the readme has no "Prerequisites" section, which `check` on the folder warns of: '
            "give its text in the YAML as connector.readme.prerequisites.description [readme-sections]") in package.stderr
    assert "connector/words.yaml:2:1: warning: no icon.png in the folder: the YAML has no connector.icon." in package.stderr
    checked = run_cli("check", "pkg", "--select", "readme-sections", cwd=tmp_path)
    assert 'pkg/readme.md\n  1: warning: readme.md has no "Prerequisites" section [readme-sections]' in checked.stdout, checked.stdout

    source.write_text(WORDS.replace("  base_path: /v1\n", "  base_path: /v1\n  readme: {prerequisites: {description: A Words account.}}\n"),
                      encoding="utf-8")
    package = run_cli("package", "connector/words.yaml", "--out", "pkg", cwd=tmp_path)
    assert package.returncode == 0 and "readme-sections" not in package.stderr, package.stderr
    assert run_cli("check", "pkg", "--select", "readme-sections", cwd=tmp_path).returncode == 0


def test_what_the_tool_writes_outside_the_project_is_what_the_readme_lists(project_copy, tmp_path):
    """build, check (it compiles the script), docs and i18n status with a home and a temporary folder of their
    own: outside the project only ~/.cache/ppconnector/ is written, and the temporary folder is left empty."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "PPCONNECTOR_CACHE")}
    env.update(HOME=str(home), TMPDIR=str(tmp), PYTHONPATH=str(ROOT))
    for args in (["build"], ["check"], ["docs", "--check"], ["i18n", "status"]):
        result = subprocess.run([sys.executable, "-m", "ppconnector.cli", *args], cwd=project_copy, env=env, capture_output=True, text=True)
        assert result.returncode in (0, 1), result.stderr
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert written and all(p.startswith(".cache/ppconnector/") for p in written), written
    assert list(tmp.iterdir()) == []
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "pipx install ppconnector" in readme and "pip install ppconnector" in readme
    assert "`~/.cache/ppconnector/`" in readme and "`~/.paconn/accessTokens.json`" in readme


def test_no_test_asserts_a_third_party_librarys_wording():
    """Messages come from the error's data in our words: a new PyYAML, jsonschema or click must not fail a test
    (PyYAML 6.0.4 changed what deep flow nesting says; jsonschema changed minProperties' sentence)."""
    import re

    from conftest import ROOT

    phrases = ["is a required property", "is not of type", "should be non-empty", "does not have enough properties",
               "is not valid under any of the given schemas", "should not be valid under", "was unexpected)",
               "Additional properties are not allowed", "found character", "cannot start any token", "while scanning",
               "while parsing a", "exceeded maximum nesting depth", "mapping values are not allowed",
               "No such option", "Missing argument", "Invalid value for"]
    here = Path(__file__).name
    offending = [f"{path.name}:{number}: {phrase}" for path in sorted((ROOT / "tests").glob("*.py")) if path.name != here
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 for phrase in phrases if phrase in line and not re.match(r"\s*#", line)]
    assert offending == []


def test_swagger_structure_messages_are_ours_whatever_jsonschemas_words():
    from ppconnector.check.swagger2 import schema_errors

    schema = {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "r": {"type": "object", "minProperties": 1}},
              "additionalProperties": True}
    assert sorted(m for _, m in schema_errors({"a": ["x"], "r": {}}, schema, "papercuts-test")) == [
        'a: ["x"] is an array; expected string', 'missing required key "b" in the top level', "r: {} has 0 keys; at least 1 expected"]


def test_the_readme_says_how_long_the_test_command_takes():
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.split("#")[0].strip().endswith("python3 -m pytest"))
    assert re.search(r"\d+ to \d+ min", command)  # next to the command, and measured below it with the conditions
    assert re.search(r"How long the test suite takes, measured on a 2-core machine.*?\d+ min\s+\d+ s.*?load average", readme, re.S)

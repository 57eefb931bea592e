"""`ppconnector check` end to end: ClickSend checks clean, locations for a YAML source and a folder, the output
formats, exit codes, --select/--ignore, and `ppconnector rules`."""

from __future__ import annotations

import json

from check_support import own_rules, parts, write_folder
from conftest import SOURCE, run_cli

OWN = ",".join(sorted(r.id for r in own_rules()))  # the engine's own rules (other features add to the same families)


def test_clicksend_checks_clean_under_every_own_rule():
    r = run_cli("check", "--select", OWN, "--fail-on", "warning", "--format", "json")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    assert json.loads(r.stdout)["findings"] == []


def test_clicksend_has_no_errors_by_default():
    r = run_cli("check", str(SOURCE), "--ignore", "contract", "--format", "json")
    data = json.loads(r.stdout)
    assert [f for f in data["findings"] if f["severity"] == "error"] == [], r.stdout[-3000:]
    assert r.returncode == 0


def test_yaml_source_findings_point_at_the_yaml_line(project_copy):
    source = project_copy / "connector" / "clicksend.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("summary: {en: Send SMS, cs: Odeslat SMS,", "summary: {en: Send SMS, cs: Odeslat SMS/MMS,", 1)
    source.write_text(text, encoding="utf-8")
    line = text[: text.index("summary: {en: Send SMS, cs: Odeslat SMS/MMS,")].count("\n") + 1
    r = run_cli("check", str(source), "--select", "RestrictedCharactersInSummary", "--format", "json", cwd=project_copy)
    assert r.returncode == 1, r.stdout + r.stderr
    (f,) = json.loads(r.stdout)["findings"]
    assert (f["file"], f["line"], f["column"]) == ("connector/clicksend.yaml", line, 5)  # the key `summary:`
    assert f["pointer"] == "/paths/~1sms~1send/post/summary" and "locale cs" in f["message"]


def test_yaml_source_properties_findings_point_at_the_connection(project_copy):
    source = project_copy / "connector" / "clicksend.yaml"
    text = source.read_text(encoding="utf-8").replace('brand_color: "#0095ff"', 'brand_color: "#007ee5"')
    source.write_text(text, encoding="utf-8")
    line = text.splitlines().index('  brand_color: "#007ee5"') + 1
    r = run_cli("check", "--select", "brand-color", "--format", "json", cwd=project_copy)
    (f,) = json.loads(r.stdout)["findings"]
    assert (f["file"], f["line"], f["column"]) == ("connector/clicksend.yaml", line, 3)  # the key `brand_color:`
    assert f["message"] == "connector.brand_color #007ee5 is the default or white"  # the YAML's key, not iconBrandColor


def test_folder_findings_point_at_the_json_line(tmp_path):
    d, p, s = parts()
    d["paths"]["/items/{id}"]["delete"]["parameters"][0].pop("x-ms-url-encoding")
    folder = write_folder(tmp_path / "conn", d, p, s)
    text = (folder / "apiDefinition.swagger.json").read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(text) if '"/items/{id}"' in l)
    line = next(i for i in range(start, len(text)) if text[i].strip() == "{" and '"parameters"' in text[i - 1]) + 1
    r = run_cli("check", str(folder), "--select", "PathParameterMissingEncoding", "--format", "json", cwd=tmp_path)
    (f,) = json.loads(r.stdout)["findings"]
    assert f["file"] == "conn/apiDefinition.swagger.json"
    assert (f["line"], f["column"]) == (line, text[line - 1].index("{") + 1)
    assert f["pointer"] == "/paths/~1items~1{id}/delete/parameters/0"
    assert r.returncode == 0  # a warning, and --fail-on is error


def test_folder_tolerant_json_findings_and_script_location(tmp_path):
    d, p, s = parts()
    folder = write_folder(tmp_path / "conn", d, p, s.replace('== "ListItems"', '== "ListItem"'))
    raw = (folder / "apiProperties.json").read_text(encoding="utf-8")
    (folder / "apiProperties.json").write_bytes(b"\xef\xbb\xbf" + raw.replace('"capabilities": []', '// a comment\n  "capabilities": []').encode())
    r = run_cli("check", str(folder), "--format", "json", "--select", OWN, cwd=tmp_path)
    got = {f["rule"]: f for f in json.loads(r.stdout)["findings"]}
    assert {"json-bom", "json-comment", "script-operation-id"} <= set(got), r.stdout
    assert (got["script-operation-id"]["file"], got["script-operation-id"]["line"], got["script-operation-id"]["column"]) == ("conn/script.csx", 5, 42)
    assert r.returncode == 1


def test_text_format_groups_by_file_and_shows_the_line(tmp_path):
    d, p, s = parts()
    d["info"]["title"] = "Example Mail API"
    folder = write_folder(tmp_path / "conn", d, p, s)
    r = run_cli("check", str(folder), "--fail-on", "warning", "--select", OWN, cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "conn/apiDefinition.swagger.json"
    assert any("[ValueContainsRestrictedWords]" in l for l in lines)
    i = next(i for i, l in enumerate(lines) if "[ValueContainsRestrictedWords]" in l)
    assert lines[i + 1].strip() == '| "title": "Example Mail API",'
    assert lines[-1] == "0 errors, 1 warning, 0 infos"


def test_github_format(tmp_path):
    d, p, s = parts()
    d["schemes"] = []
    folder = write_folder(tmp_path / "conn", d, p, s)
    r = run_cli("check", str(folder), "--format", "github", "--select", "SchemesArrayEmpty", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.strip().startswith("::error file=conn/apiDefinition.swagger.json,line=")
    assert ",title=SchemesArrayEmpty::The 'schemes' array requires at least one value." in r.stdout


def test_sarif_format_has_the_required_structure(tmp_path):
    d, p, s = parts()
    d["schemes"] = []
    d["info"]["title"] = "Example Mail API"
    folder = write_folder(tmp_path / "conn", d, p, s)
    r = run_cli("check", str(folder), "--format", "sarif", "--select", OWN, cwd=tmp_path)
    log = json.loads(r.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] and all({"id", "shortDescription"} <= set(rule) for rule in driver["rules"])
    assert {res["ruleId"] for res in run["results"]} == {"SchemesArrayEmpty", "ValueContainsRestrictedWords"}
    for res in run["results"]:
        assert res["level"] in ("error", "warning", "note") and res["message"]["text"]
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "conn/apiDefinition.swagger.json"
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_unusable_input_exits_2(tmp_path):
    (tmp_path / "conn").mkdir()
    (tmp_path / "conn" / "apiDefinition.swagger.json").write_text('{"swagger": "2.0",\n "info": {"title": "x" "y"}}')
    r = run_cli("check", str(tmp_path / "conn"), cwd=tmp_path)
    assert r.returncode == 2 and "apiDefinition.swagger.json:2:" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("check", str(tmp_path / "missing"), cwd=tmp_path)
    assert r.returncode == 2 and "no such file or folder" in r.stderr


def test_select_and_ignore_take_ids_and_families_and_refuse_unknown_names(tmp_path):
    d, p, s = parts()
    d["schemes"] = []
    d["info"]["title"] = "Example Mail API"
    folder = write_folder(tmp_path / "conn", d, p, s)
    r = run_cli("check", str(folder), "--select", "microsoft", "--ignore", "SchemesArrayEmpty,ValueContainsRestrictedWords", "--format", "json", cwd=tmp_path)
    assert json.loads(r.stdout)["findings"] == [] and r.returncode == 0
    r = run_cli("check", str(folder), "--select", "SchemesArayEmpty", cwd=tmp_path)
    assert r.returncode == 2 and 'did you mean "SchemesArrayEmpty"' in r.stderr


def test_rules_lists_every_rule():
    r = run_cli("rules", "--format", "json")
    listed = json.loads(r.stdout)
    ids = {x["id"] for x in listed}
    assert {"OperationIdNotUnique", "PathParameterMissingEncoding", "DefaultResponseHasSchema", "swagger-schema",
            "WebhookOperationsMissingNotificationUrlProperty", "ValueContainsRestrictedWords", "FieldLengthNotInRange"} <= ids
    assert all(x["severity"] in ("error", "warning", "info") and x["doc"] and x["family"] for x in listed)
    text = run_cli("rules").stdout
    assert f"{len(listed)} rules" in text and "\nmicrosoft\n" in text


def test_yaml_source_script_findings_point_at_the_script_section(project_copy):
    source = project_copy / "connector" / "clicksend.yaml"
    text = source.read_text(encoding="utf-8")
    # The generated script passes; a broken one (as a template bug would make it) is reported at `script:`.
    line = text.splitlines().index("script:") + 1
    r = run_cli("check", str(source), "--select", "script-operation-id,script-class", "--format", "json", cwd=project_copy)
    assert r.returncode == 0 and json.loads(r.stdout)["findings"] == [], r.stdout
    from ppconnector.check.engine import load, run
    from ppconnector.check.registry import all_rules

    loaded = load(source)
    loaded.target.script = loaded.target.script.replace("class Script", "class Scrip")
    (f,) = run(loaded, [all_rules()["script-class"]])
    assert (f.file, f.line) == (loaded.target.connector.shown, line) and "(generated script.csx, line" in f.message

"""Issue 30's classes of false errors, each on a public connector (read from ../shared in place, changed only in
a temporary copy where the public one shows the shape): an error only where Microsoft or the platform refuses,
one finding per defect, warnings that say what is true and point where the file has something."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from check_support import own_rules
from conftest import require_shared, run_cli

from ppconnector.check.engine import load, run, select_rules
from ppconnector.emit.sourcemap import split_pointer

INDEPENDENT = ("corpus", "independent-publisher-connectors")
CERTIFIED = ("corpus", "certified-connectors")


def _copy(tmp_path: Path, *parts: str) -> Path:
    folder = tmp_path / parts[-1]
    shutil.copytree(require_shared(*parts), folder)
    return folder


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _findings(folder: Path, rules=None) -> list:
    return run(load(folder), rules if rules is not None else select_rules())


def test_a_host_placeholder_that_hostnamenotvalid_accepts_is_no_schema_error(tmp_path):
    """`"host": "{{replace_with_your_domain}}"` is what public connectors ship for a host the user supplies:
    HostNameNotValid accepts it on purpose, so the Swagger schema's host pattern must not say otherwise."""
    folder = _copy(tmp_path, *INDEPENDENT, "Dad Jokes")
    _edit(folder / "apiDefinition.swagger.json", lambda d: d.update(host="{{replace_with_your_domain}}"))
    about_host = [(f.rule, f.severity) for f in _findings(folder) if f.pointer == "/host"]
    assert about_host == []
    _edit(folder / "apiDefinition.swagger.json", lambda d: d.update(host="https://api.example.com/v1"))
    assert [(f.rule, f.severity) for f in _findings(folder) if f.pointer == "/host"] == [("HostNameNotValid", "error")]


def test_an_api_key_parameter_named_otherwise_is_a_warning_not_an_error(tmp_path):
    folder = _copy(tmp_path, *INDEPENDENT, "Abstract IBAN Validator")
    _edit(folder / "apiProperties.json", lambda p: p["properties"].update(
        connectionParameters={"apiKey": p["properties"]["connectionParameters"]["api_key"]}))
    found = [(f.severity, f.message) for f in _findings(folder) if f.rule == "auth-connection-parameters"]
    assert [s for s, _ in found] == ["warning"]
    assert "api_key" in found[0][1] and "apiKey" in found[0][1]


def test_an_unused_using_outside_microsofts_list_is_no_error(tmp_path):
    """Three merged updates of one public connector shipped `using` lines of namespaces outside the list."""
    folder = _copy(tmp_path, *INDEPENDENT, "Nationalize.io")
    script = folder / "script.csx"
    script.write_text("using System.Runtime.Remoting.Contexts;\n" + script.read_text(encoding="utf-8-sig"), encoding="utf-8")
    found = [(f.rule, f.severity, f.line) for f in _findings(folder) if f.rule.startswith("script")]
    assert ("script-namespace", "warning", 1) in found
    assert not [f for f in found if f[1] == "error"], found


def test_a_lower_case_definition_name_is_a_connector_as_microsofts_ci_reads_it(tmp_path):
    folder = _copy(tmp_path, *INDEPENDENT, "Dad Jokes")
    (folder / "apiDefinition.swagger.json").rename(folder / "apidefinition.swagger.json")
    assert _findings(folder)  # loaded and checked, not "not a connector"
    result = run_cli("check", str(tmp_path), "--format", "json")  # discovered below a folder too
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["findings"], result.stdout[:500]


def test_an_empty_responses_object_is_one_finding_under_microsofts_name():
    folder = require_shared(*CERTIFIED, "Power Textor")
    errors = [(f.rule, f.pointer) for f in _findings(folder, own_rules()) if f.severity == "error"]
    assert sorted(errors) == [("OperationMustHaveResponse", "/paths/~1api~1twilio~1MMSregistration/post"),
                              ("OperationMustHaveResponse", "/paths/~1api~1twilio~1registration/post")]


def test_a_repeated_enum_value_is_one_finding_under_microsofts_name(tmp_path):
    folder = _copy(tmp_path, *INDEPENDENT, "Dad Jokes")

    def repeat(d):
        op = next(iter(next(iter(d["paths"].values())).values()))
        op.setdefault("parameters", []).append({"name": "kind", "in": "query", "type": "string", "enum": ["a", "b", "a"],
                                                "x-ms-summary": "Kind", "description": "Which kind."})
    _edit(folder / "apiDefinition.swagger.json", repeat)
    errors = [f.rule for f in _findings(folder, own_rules()) if f.severity == "error"]
    assert errors == ["ArrayDuplicateValue"]


def test_fields_with_a_title_are_not_told_they_have_no_label():
    """touchSMS labels its send body with `title`: the designer shows the title (LogicAppsUX's schema processor reads
    x-ms-summary, else title, else the key), so only fields that would show their raw key are reported."""
    folder = require_shared(*CERTIFIED, "touchSMS")
    found = [f for f in _findings(folder) if f.rule in ("parameter-summary", "output-summary")]
    assert [f.message for f in found if "SendMessage" in f.message or "operation Send" in f.message] == []
    assert len(found) == 1 and found[0].message.startswith("7 outputs have no x-ms-summary or title")
    assert "id, firstname, surname, email, mobile, credits, settings (operation GetAccount)" in found[0].message


def test_one_line_per_operation_however_many_fields():
    folder = require_shared(*CERTIFIED, "Encodian")
    found = [f for f in _findings(folder) if f.rule in ("parameter-summary", "output-summary")]
    per_operation = {(f.rule, f.message.rsplit("(operation ", 1)[1]) for f in found}
    assert len(per_operation) == len(found)
    assert all(f.line for f in found)


def test_every_pointer_through_a_parameter_ref_is_in_the_file():
    """HubSpot CRM shares query parameters through $ref: findings about them point at the referenced parameter."""
    folder = require_shared(*INDEPENDENT, "HubSpot CRM")
    loaded = load(folder)
    d = loaded.target.definition
    through_refs = []
    for f in run(loaded, select_rules()):
        node = d
        for part in split_pointer(f.pointer or "")[:-1]:  # the last part may name what is missing
            node = node[int(part)] if isinstance(node, list) else node.get(part) if isinstance(node, dict) else None
            if isinstance(node, dict) and "$ref" in node and len(node) == 1:
                through_refs.append((f.rule, f.pointer))
                break
    assert through_refs == []
    assert any(f.pointer.startswith("/parameters/") for f in run(loaded, select_rules()) if f.pointer)


ENGLISH_ONLY = ("summary-sentence-case", "trigger-summary-when", "description-sentence")


def test_the_czech_build_is_not_judged_by_english_style_rules_and_is_told_certification_takes_english(tmp_path):
    """Issue 31 item 13: dist/cs/ (and the same files anywhere else) get no English capitalisation or punctuation
    advice, and one info saying that certification takes English only."""
    from conftest import ROOT

    elsewhere = tmp_path / "ClickSend-cs"
    shutil.copytree(ROOT / "dist" / "cs", elsewhere)
    for folder in (ROOT / "dist" / "cs", elsewhere):
        found = _findings(folder)
        assert [f.rule for f in found if f.rule in ENGLISH_ONLY] == []
        english = [f.message for f in found if f.rule == "ValueMustBeInEnglish"]
        assert len(english) == 1 and "certification takes English only" in english[0], english
    english_build = _findings(ROOT)  # the English root build of the same source: nothing of the kind
    assert [f.rule for f in english_build if f.rule == "ValueMustBeInEnglish"] == []


def test_every_public_connector_reads_as_english():
    """The language test behind it never takes an English connector for a translation (all 300 of the corpus)."""
    from ppconnector.check.rules.common import not_english
    from ppconnector.diagnostics import InputError

    root = require_shared("corpus")
    judged = 0
    for folder in sorted(p for p in root.glob("*/*") if (p / "apiDefinition.swagger.json").is_file()):
        try:
            target = load(folder).target
        except InputError:
            continue
        assert not_english(target) is None, folder.name
        judged += 1
    assert judged >= 298


def test_what_only_certification_refuses_is_an_error_for_a_certification_target_only(tmp_path):
    """365Training (stackOwner) puts a schema on a default response: Microsoft's certification CI refuses it
    (PR #4006). The same folder without stackOwner is a custom connector of your own, which the platform imports."""
    folder = _copy(tmp_path, *CERTIFIED, "365Training")

    def severities():
        return {f.severity for f in _findings(folder) if f.rule == "DefaultResponseHasSchema"}
    assert severities() == {"error"}
    _edit(folder / "apiProperties.json", lambda p: p["properties"].pop("stackOwner"))
    assert severities() == {"warning"}

"""`ppconnector diff` semantics: every kind of change, on pairs built from the public corpus."""

from __future__ import annotations

import copy

import pytest

from conftest import require_shared
from diff_pairs import BREAKING, NOT_BREAKING, PAIRS
from diff_support import BODY_EDITS, EDITS, LOADING, connectors, load, make_pair, readable, side, translate
from generator.diagnostics import InputError
from generator.diff.compare import diff
from generator.diff.kinds import DISPLAY, KINDS
from generator.diff.load import load_side


@pytest.fixture(scope="module")
def corpus():
    return connectors(require_shared("corpus"))


@pytest.fixture(scope="module")
def usable(corpus):
    return [f for f in corpus if readable(f)]


def test_the_corpus_has_all_300_connectors(corpus):
    assert len(corpus) == 300


def test_every_kind_has_an_edit_that_produces_it():
    assert set(EDITS) | LOADING == set(KINDS)


@pytest.mark.parametrize("kind", list(EDITS))
def test_one_edit_of_each_kind_gets_exactly_that_classification(kind, usable):
    folder, old, new, operation = make_pair(kind, usable)
    changes = diff(old, new)
    assert [(c.kind, c.operation or "") for c in changes] == [(kind, operation)], folder.name
    assert changes[0].severity == KINDS[kind].severity
    assert changes[0].message == KINDS[kind].message


@pytest.mark.parametrize("kind", list(BODY_EDITS))
def test_body_property_edits_are_classified_like_parameters(kind, usable):
    for folder in usable:
        doc, props = load(folder)
        edited = copy.deepcopy(doc)
        operation = BODY_EDITS[kind](edited, props)
        if operation is None:
            continue
        changes = diff(side(doc, props), side(edited, props))
        assert [(c.kind, c.operation) for c in changes] == [(kind, operation)], folder.name
        assert changes[0].location.startswith("body/")
        return
    pytest.fail(f"no corpus connector has a body to apply the {kind} edit to")


def test_display_only_edits_are_never_breaking_in_any_corpus_connector(usable):
    for folder in usable:
        doc, props = load(folder)
        changes = diff(side(doc, props), side(translate(doc), translate(props)))
        assert changes, folder.name
        assert {c.severity for c in changes} == {DISPLAY}, (folder.name, [c.kind for c in changes if c.severity != DISPLAY])


def test_diff_of_each_corpus_connector_with_itself_is_empty(corpus):
    """All 300; a definition that is not JSON at all (AccuWeather misses a comma) is refused with its place;
    an unreadable apiProperties.json alone (gofileroom's) is one finding, and the definition is still compared."""
    unreadable_properties = []
    for folder in corpus:
        if readable(folder):
            assert diff(load_side(str(folder)), load_side(str(folder))) == [], folder.name
        elif readable(folder, ("apiDefinition.swagger.json",)):
            [change] = diff(load_side(str(folder)), load_side(str(folder)))
            assert change.kind == "properties-unreadable" and "apiProperties.json:" in change.new, folder.name
            unreadable_properties.append(folder.name)
        else:
            with pytest.raises(InputError) as caught:
                load_side(str(folder))
            finding = caught.value.findings[0]
            assert finding.rule == "json-syntax" and finding.line and finding.column, folder.name
    assert "gofileroom" in unreadable_properties


def test_moving_a_schema_into_definitions_is_no_change(usable):
    """The first connector with an inline response schema: move it to definitions and back."""
    for folder in usable:
        doc, props = load(folder)
        for item in doc["paths"].values():
            for op in item.values():
                for code, response in (op.get("responses") or {}).items() if isinstance(op, dict) else ():
                    schema = response.get("schema") if isinstance(response, dict) else None
                    if isinstance(schema, dict) and schema.get("properties") and "$ref" not in schema:
                        moved = copy.deepcopy(doc)
                        target = moved["paths"]
                        for path, it in doc["paths"].items():
                            if it is item:
                                target = moved["paths"][path]
                        method = next(m for m, o in item.items() if o is op)
                        moved.setdefault("definitions", {})["ZzMoved"] = schema
                        target[method]["responses"][code] = {**response, "schema": {"$ref": "#/definitions/ZzMoved"}}
                        assert diff(side(doc, props), side(moved, props)) == []
                        assert diff(side(moved, props), side(doc, props)) == []
                        return
    pytest.fail("no corpus connector has an inline response schema")


def _tree(name_type: str, extra: dict | None = None) -> dict:
    node = {"type": "object", "properties": {"name": {"type": name_type}, "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}}}
    node["properties"].update(extra or {})
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "h", "paths": {"/tree": {"get": {
        "operationId": "GetTree", "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Node"}}}}}},
        "definitions": {"Node": node}}


def test_recursive_refs_terminate_and_a_change_inside_is_found_once():
    assert diff(side(_tree("string"), {}), side(_tree("string"), {})) == []
    changes = diff(side(_tree("string"), {}), side(_tree("integer"), {}))
    assert [(c.kind, c.operation, c.location, c.old, c.new) for c in changes] == [
        ("output-type-changed", "GetTree", "response/200/name", "string", "integer")]
    changes = diff(side(_tree("string", {"extra": {"type": "string"}}), {}), side(_tree("string"), {}))
    assert [(c.kind, c.location) for c in changes] == [("output-removed", "response/200/extra")]


def test_changed_operation_id_on_the_same_request_is_one_change_naming_both_ids(usable):
    folder, old, new, operation = make_pair("operation-id-changed", usable)
    [change] = diff(old, new)
    assert (change.old, change.new) == (operation, operation + "_V2")


def test_any_two_corpus_connectors_and_malformed_definitions_diff_without_crashing(usable):
    """Robustness: every ordered pair of 30 corpus connectors spread over the corpus, each connector against
    its neighbour, plus definitions of the wrong shape."""
    from generator.diff import report

    everyone = [side(*load(folder), shown=folder.name) for folder in usable if folder.name != "Encodian"]
    for old, new in zip(everyone, everyone[1:]):
        for render in (report.text, report.markdown, report.as_json):
            assert render(diff(old, new), "breaking")
    sides = everyone[::len(everyone) // 30 + 1]
    sides += [side({}, {}), side({"info": [], "paths": {"/x": {"parameters": "bad", "get": {
        "operationId": "X", "parameters": [1, "a", {"$ref": "#/nowhere"}], "responses": [1]}}}}, {"properties": []})]
    for old in sides:
        for new in sides:
            changes = diff(old, new)
            if old is new:
                assert changes == [], old.shown
            for render in (report.text, report.markdown, report.as_json):
                assert render(changes, "breaking")


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p.connector.split('/')[-1]}: {p.change}")
def test_real_pairs_get_the_reviewers_verdict(pair):
    """Each real change: diff reports exactly its kinds, and calls it breaking exactly when the reviewer did."""
    folder = require_shared("corpus") / pair.connector
    doc, props = load(folder)
    old_doc, old_props = copy.deepcopy(doc), copy.deepcopy(props)
    pair.old(old_doc, old_props)
    changes = diff(side(old_doc, old_props), side(doc, props))
    assert tuple(sorted(c.kind for c in changes)) == pair.kinds, [(c.kind, c.location) for c in changes]
    assert any(c.severity == "breaking" for c in changes) == (pair.verdict == BREAKING), pair.why


def test_the_real_pairs_cover_every_false_alarm_class_and_every_breaking_change_the_issue_names():
    covered = {kind for pair in PAIRS for kind in pair.kinds}
    assert {"format-widened", "connection-option-added", "metadata-changed", "success-response-moved", "optional-input-added",
            "input-renamed", "input-removed", "notification-schema-changed", "connection-changed", "input-enum-value-removed"} <= covered
    assert {pair.verdict for pair in PAIRS} == {BREAKING, NOT_BREAKING}

"""`ppconnector diff` semantics: every kind of change, on pairs built from the public corpus."""

from __future__ import annotations

import copy

import pytest

from conftest import require_shared
from diff_pairs import BREAKING, NOT_BREAKING, PAIRS
from diff_support import BODY_EDITS, EDITS, LOADING, MCP_PAIRS, connectors, load, make_pair, readable, side, translate, unique_ops
from ppconnector.diagnostics import InputError
from ppconnector.diff.compare import diff
from ppconnector.diff.kinds import DISPLAY, KINDS
from ppconnector.diff.load import load_side


@pytest.fixture(scope="module")
def corpus():
    return connectors(require_shared("corpus"))


@pytest.fixture(scope="module")
def usable(corpus):
    return [f for f in corpus if readable(f)]


def test_the_corpus_has_all_300_connectors(corpus):
    assert len(corpus) == 300


def test_every_kind_has_an_edit_that_produces_it():
    assert set(EDITS) | LOADING | MCP_PAIRS == set(KINDS)


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
        # what Copilot reads of an AI action is a warning for agents (tests/test_agents.py), display-only for flows
        flows = [c for c in changes if c.kind != "agent-description-changed"]
        assert {c.severity for c in flows} == {DISPLAY}, (folder.name, [c.kind for c in flows if c.severity != DISPLAY])


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
    changes = diff(side(_tree("string"), {}), side(_tree("array"), {}))
    assert [(c.kind, c.operation, c.location, c.old, c.new) for c in changes] == [
        ("output-type-changed", "GetTree", "response/200/name", "string", "array")]
    changes = diff(side(_tree("string", {"extra": {"type": "string"}}), {}), side(_tree("string"), {}))
    assert [(c.kind, c.location) for c in changes] == [("output-removed", "response/200/extra")]


def test_changed_operation_id_on_the_same_request_is_one_change_naming_both_ids(usable):
    folder, old, new, operation = make_pair("operation-id-changed", usable)
    [change] = diff(old, new)
    assert (change.old, change.new) == (operation, operation + "_V2")


def test_any_two_corpus_connectors_and_malformed_definitions_diff_without_crashing(usable):
    """Robustness: every ordered pair of 30 corpus connectors spread over the corpus, each connector against
    its neighbour, plus definitions of the wrong shape."""
    from ppconnector.diff import report

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


def _looping(doc: dict, schema: dict, **definitions) -> dict:
    new = copy.deepcopy(doc)
    new["paths"]["/tree"]["get"]["responses"]["200"]["schema"] = schema
    new["definitions"].update(definitions)
    return new


def test_a_change_behind_a_ref_cycle_is_reported_never_no_changes():
    old = _tree("string")
    # the new response is a $ref chain that loops without reaching a schema
    loop = _looping(old, {"$ref": "#/definitions/A"}, A={"$ref": "#/definitions/B"}, B={"$ref": "#/definitions/A"})
    assert [(c.kind, c.location, c.new) for c in diff(side(old, {}), side(loop, {}))] == [
        ("output-type-changed", "response/200", "$ref cycle #/definitions/A")]
    # the recursion now leads to another schema: its change is found where the old recursion was
    leaf = _looping(old, {"$ref": "#/definitions/Top"},
                    Top={"type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/definitions/Leaf"}}}},
                    Leaf={"type": "object", "properties": {"name": {"type": "array"}}})
    assert [(c.kind, c.location) for c in diff(side(old, {}), side(leaf, {}))] == [
        ("output-type-changed", "response/200/children/[]/name"), ("output-removed", "response/200/children/[]/children")]


def test_consumes_and_produces_changes_are_worded_as_the_swagger_keys_they_are(usable):
    folder, old, new, operation = make_pair("media-type-changed", usable)
    [change] = diff(old, new)
    assert "consumes or produces" in change.message and "extension" not in change.message


def test_changes_carry_the_display_names_the_designer_shows(usable):
    folder, old, new, operation = make_pair("input-renamed", usable)
    [change] = diff(old, new)
    op = next(op for _, _, op, _ in unique_ops(new.definition) if op["operationId"] == operation)
    assert change.operation_summary and change.operation_summary == op.get("summary")
    param = next(p for p in op["parameters"] if isinstance(p, dict) and p.get("name") == change.new)
    assert change.field_summary and change.field_summary == param.get("x-ms-summary")
    assert (change.old.lower(), change.severity) == (change.new.lower(), "breaking")


@pytest.fixture(scope="module")
def encodian_overhaul():
    """Encodian (1.1 MB) translated, a third of its actions removed, the rest's inputs hidden: ~6,900 changes."""
    doc, props = load(require_shared("corpus") / "certified-connectors" / "Encodian")
    new = translate(doc)
    for i, (_, method, op, item) in enumerate(list(unique_ops(new))):
        if i % 3 == 0:
            del item[method]
        for p in op.get("parameters") or []:
            if isinstance(p, dict) and "x-ms-visibility" not in p:
                p["x-ms-visibility"] = "internal"
    return diff(side(doc, props), side(new, props))


def test_markdown_of_a_huge_change_fits_one_comment_breaking_first(encodian_overhaul):
    from ppconnector.diff.report import COMMENT_LIMIT, markdown

    removed = [c for c in encodian_overhaul if c.kind == "operation-removed"]
    assert len(encodian_overhaul) > 5000 and len(removed) > 50
    text = markdown(encodian_overhaul, "breaking")
    assert len(text) <= COMMENT_LIMIT
    assert text.index("### Breaking") < text.index("Warnings") < text.index("Display-only")
    assert all(f"({c.operation}) |" in text for c in removed), "every breaking change is shown"
    last = text.splitlines()[-1]
    assert last.startswith("*Not shown here, to fit one comment:") and "display-only" in last and "--format json" in last


def test_markdown_cut_to_any_limit_keeps_breaking_first_and_counts_the_rest(encodian_overhaul):
    from ppconnector.diff.report import markdown

    text = markdown(encodian_overhaul, "breaking", limit=4000)
    assert len(text) <= 4000
    assert "### Breaking" in text and "Warnings" not in text
    shown = sum(1 for line in text.splitlines() if line.startswith("| `operation-removed`"))
    count = {s: sum(1 for c in encodian_overhaul if c.severity == s) for s in ("breaking", "warning", "display-only")}
    assert 0 < shown < count["breaking"]
    assert text.splitlines()[-1] == (f"*Not shown here, to fit one comment: {count['breaking'] - shown} breaking, {count['warning']} warning, "
                                     f"{count['display-only']} display-only. The full report is in the job summary, or "
                                     "`ppconnector diff OLD NEW --format json`.*")


def test_repeated_changes_of_one_kind_in_one_action_share_one_folded_row():
    from ppconnector.diff.report import markdown, text

    def doc(visibility):
        params = [{"name": f"p{i}", "in": "query", "type": "string", "x-ms-summary": f"Field {i}", "x-ms-visibility": visibility}
                  for i in range(85)]
        return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {
            "operationId": "GetX", "summary": "Get the X", "parameters": params, "responses": {"200": {"description": "ok"}}}}}}

    changes = diff(side(doc("important"), {}), side(doc("advanced"), {}))
    assert [c.kind for c in changes] == ["visibility-lowered"] * 85
    rows = [line for line in markdown(changes, "breaking").splitlines() if line.startswith("| `")]
    assert len(rows) == 1 and "Get the X (GetX)" in rows[0] and "<details><summary>85 places</summary>" in rows[0]
    assert "Field 0 (query/p0/x-ms-visibility)" in rows[0] and "and 45 more" in rows[0]
    assert len(text(changes, "breaking").splitlines()) == 86, "text is the full report: one line per change"


def _widened(node):
    if isinstance(node, dict):
        return {k: "int64" if k == "format" and v == "int32" else _widened(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_widened(v) for v in node]
    return node


def test_widening_every_int32_and_writing_every_true_false_string_as_a_boolean_is_never_breaking(usable):
    """The false alarms reviewers saw most, applied to every corpus connector at once."""
    from ppconnector.diff.connection import canonical

    widened = 0
    for folder in usable:
        doc, props = load(folder)
        changes = diff(side(doc, props), side(_widened(doc), canonical(props)))
        assert {c.severity for c in changes} <= {"non-breaking"}, (folder.name, [(c.kind, c.location) for c in changes if c.severity != "non-breaking"][:3])
        widened += sum(1 for c in changes if c.kind == "format-widened")
    assert widened > 1000


def test_success_responses_that_move_keep_their_outputs_and_a_real_change_in_them_is_still_found():
    def doc(responses):
        return {"swagger": "2.0", "paths": {"/x": {"get": {"operationId": "X", "responses": responses}}}}

    a = {"type": "object", "properties": {"a": {"type": "string"}}}
    b = {"type": "object", "properties": {"b": {"type": "string"}}}
    both = doc({"200": {"description": "ok", "schema": a}, "201": {"description": "ok", "schema": a}})
    changes = diff(side(both, {}), side(doc({"default": {"description": "ok", "schema": a}}), {}))
    assert [(c.kind, c.old, c.new) for c in changes] == [("success-response-moved", "200", "default"), ("success-response-moved", "201", "default")]
    changes = diff(side(doc({"200": {"description": "ok", "schema": a}}), {}), side(doc({"default": {"description": "ok", "schema": b}}), {}))
    assert [(c.kind, c.location) for c in changes] == [
        ("success-response-moved", "response/200"), ("output-removed", "response/default/a"), ("output-added", "response/default/b")]
    changes = diff(side(doc({"200": {"description": "ok", "schema": a}}), {}), side(doc({"404": {"description": "no"}}), {}))
    assert [c.kind for c in changes] == ["success-response-removed", "response-added"]


def _not_shown(text: str) -> dict[str, int]:
    """The closing line's counts of what did not fit: {severity: n}."""
    last = text.strip().splitlines()[-1]
    if not last.startswith("*Not shown here"):
        return {}
    counts = last.split(":", 1)[1].split(". The full report")[0]
    return {part.split()[1]: int(part.split()[0]) for part in counts.split(", ")}


def test_no_warning_is_shown_while_a_breaking_change_is_left_out():
    """Encodian: one action's eight outputs removed (one grouped breaking row) and another action deprecated (a
    short warning row).  Cut to any limit, a comment that leaves out a breaking change shows nothing less severe."""
    from ppconnector.diff.report import markdown

    doc, props = load(require_shared("corpus") / "certified-connectors" / "Encodian")
    new = copy.deepcopy(doc)
    ops = {op["operationId"]: op for _, _, op, _ in unique_ops(new)}
    ops["GetPdfFormData"]["responses"]["200"]["schema"] = {"type": "object"}
    ops["AddImageWatermark"]["deprecated"] = True
    changes = diff(side(doc, props), side(new, props))
    assert {c.severity for c in changes} == {"breaking", "warning"}
    for limit in range(1000, 3000, 25):
        text = markdown(changes, "breaking", limit=limit)
        assert len(text) <= limit
        if _not_shown(text).get("breaking"):
            assert "Warnings" not in text, limit


def test_a_grouped_breaking_row_names_every_place():
    """LeadDesk's CreateContact loses its 57 query inputs: one folded row, and all 57 are named in it (a
    reviewer must see every breaking change, not forty and a count)."""
    from ppconnector.diff.report import markdown

    doc, props = load(require_shared("corpus") / "certified-connectors" / "LeadDesk")
    new = copy.deepcopy(doc)
    op = next(op for _, _, op, _ in unique_ops(new) if op["operationId"] == "CreateContact")
    op["parameters"] = [p for p in op["parameters"] if not (isinstance(p, dict) and p.get("in") == "query")]
    changes = diff(side(doc, props), side(new, props))
    assert len(changes) == 57 and {c.kind for c in changes} == {"input-removed"}
    text = markdown(changes, "breaking")
    assert "57 places" in text and "more" not in text
    assert all(f"({c.location})" in text or f"{c.location}<br>" in text or f"{c.location}</details>" in text for c in changes)


def test_stack_owner_is_a_change_only_when_both_sides_have_it():
    """build leaves stackOwner out and package adds it, so a build against its certification folder is no change;
    a different owner on both sides still is."""
    from ppconnector.diff.connection import compare_properties

    def found(old: dict, new: dict) -> list:
        seen = []
        compare_properties({"properties": old}, {"properties": new}, lambda kind, where, a, b: seen.append((kind, where)))
        return seen

    assert found({"stackOwner": "Sinch"}, {}) == [] and found({}, {"stackOwner": "Sinch"}) == []
    assert found({"stackOwner": "Sinch"}, {"stackOwner": "Other"}) == [("metadata-changed", "stackOwner")]


def _pair_changes(pair):
    doc, props = load(require_shared("corpus") / pair.connector)
    old_doc, old_props = copy.deepcopy(doc), copy.deepcopy(props)
    pair.old(old_doc, old_props)
    return diff(side(old_doc, old_props), side(doc, props))


def test_breaks_flows_precision_and_recall_on_the_judged_pairs_and_the_certification_view_beside_it():
    """Issue 29's bar: "breaks flows" precision >= 0.9 with recall 1.0 over the pairs judged before diff ran on them.
    The certification view (a change Microsoft's validator flags) is measured against the same verdicts for docs/diff.md."""
    flow, cert = [], []
    for pair in PAIRS:
        changes = _pair_changes(pair)
        truth = pair.verdict == BREAKING
        flow.append((any(c.breaks_flows for c in changes), truth))
        cert.append((any(c.certification for c in changes), truth))

    def figures(results):
        said = [truth for flagged, truth in results if flagged]
        broken = [flagged for flagged, truth in results if truth]
        return sum(said) / len(said), sum(broken) / len(broken), len(said)

    precision, recall, _ = figures(flow)
    assert precision >= 0.9 and recall == 1.0, (precision, recall)
    cert_precision, cert_recall, flagged = figures(cert)
    assert (round(cert_precision, 2), round(cert_recall, 2), flagged, len(PAIRS)) == CERTIFICATION_FIGURES


# docs/diff.md states these: of the judged pairs, how many Microsoft's validator would flag, and how many of those break flows
CERTIFICATION_FIGURES = (0.56, 0.62, 9, 31)


def _webhook(payload: dict) -> dict:
    """A trigger and its unsubscribe DELETE on one path, the payload declared on the path."""
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "h", "paths": {"/hooks": {
        "x-ms-notification-content": {"schema": {"type": "object", "properties": payload}},
        "post": {"operationId": "OnEvent", "x-ms-trigger": "single", "responses": {"201": {"description": "ok"}}},
        "delete": {"operationId": "Unsubscribe", "x-ms-visibility": "internal", "responses": {"200": {"description": "ok"}}}}}}


def test_a_trigger_payload_is_reported_for_the_trigger_never_for_the_delete_on_its_path():
    changes = diff(side(_webhook({"id": {"type": "string"}, "status": {"type": "string"}}), {}),
                   side(_webhook({"id": {"type": "string"}}), {}))
    assert [(c.kind, c.operation, c.location) for c in changes] == [("notification-schema-changed", "OnEvent", "notification/status")]


def test_an_internal_operation_change_names_the_dropdowns_it_feeds():
    [pair] = [p for p in PAIRS if "ListLists" in p.change]
    [change] = _pair_changes(pair)
    assert change.severity == "warning" and not change.breaks_flows
    assert "output-removed" in change.detail and "AppendIDsToList body/list_id" in change.detail
    assert change.certification and "output field has been deleted" in change.certification


def test_json_carries_whole_values_and_grouped_markdown_rows_say_which_place_changed_how():
    from ppconnector.diff import report

    long = "x" * 500
    old = _tree("string", {f"f{i}": {"type": "string", "default": f"{i}"} for i in range(4)})
    new = _tree("string", {f"f{i}": {"type": "string", "default": f"{i}{long}"} for i in range(4)})
    old["paths"]["/tree"]["get"]["parameters"] = [{"name": "q", "in": "query", "type": "string", "default": "a"}]
    new["paths"]["/tree"]["get"]["parameters"] = [{"name": "q", "in": "query", "type": "string", "default": long}]
    changes = diff(side(old, {}), side(new, {}))
    import json as _json

    assert any(c["new"] == long for c in _json.loads(report.as_json(changes, "breaking"))["changes"])
    markdown = report.markdown(changes, "breaking")
    assert "(various)" not in markdown and "f0" in markdown and "&rarr;" in markdown
    assert len(max(markdown.splitlines(), key=len)) < 3000, "text and markdown cut long values"


def test_in_each_action_the_action_s_own_change_comes_first():
    from ppconnector.diff import report

    old = _tree("string", {"a": {"type": "string"}, "b": {"type": "string"}})
    new = copy.deepcopy(old)
    del new["definitions"]["Node"]["properties"]["a"]
    new["paths"]["/tree"]["get"]["x-ms-visibility"] = "internal"
    new["paths"]["/tree/v2"] = new["paths"].pop("/tree")
    lines = [line for line in report.text(diff(side(old, {}), side(new, {})), "breaking").splitlines() if "GetTree" in line]
    assert "output-removed" in lines[0]  # breaking first
    warnings = [line for line in lines if line.startswith("warning")]
    assert "[operation-path-changed]" in warnings[0] or "[operation-hidden]" in warnings[0]


def test_the_markdown_table_lists_removed_and_renamed_actions_before_field_changes():
    from ppconnector.diff import report

    old = _tree("string", {"a": {"type": "string"}})
    old["paths"]["/zz"] = {"get": {"operationId": "ZzGone", "responses": {"200": {"description": "ok"}}}}
    new = copy.deepcopy(old)
    del new["definitions"]["Node"]["properties"]["a"]
    del new["paths"]["/zz"]
    rows = [line for line in report.markdown(diff(side(old, {}), side(new, {})), "breaking").splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == ["operation-removed", "output-removed"]


# --- false "breaks flows" classes found on the blind real-history set (tests/test_diff_history.py) ----------------


def _action(responses: dict, parameters: list | None = None, **top) -> dict:
    """A one-action connector: GET /items (operationId ListItems) with these responses and parameters."""
    op = {"operationId": "ListItems", "responses": responses}
    if parameters is not None:
        op["parameters"] = parameters
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "h", "paths": {"/items": {"get": op}}, **top}


def _found(old: dict, new: dict) -> list[tuple[str, str, str, bool]]:
    """(kind, location, severity, flagged by certification) of each change that is not display-only, sorted."""
    return sorted((c.kind, c.location, c.severity, bool(c.certification)) for c in diff(side(old, {}), side(new, {})) if c.severity != DISPLAY)


def test_an_empty_success_schema_replaced_by_a_typed_or_absent_one_breaks_no_flow():
    """`default: {schema: {}}` declared no type and no field: flows could only read the whole body, which the API still sends."""
    empty = _action({"default": {"description": "default", "schema": {}}})
    assert _found(empty, _action({"200": {"description": "OK"}, "default": {"description": "failed"}})) == [
        ("output-type-widened", "response/200/schema", "non-breaking", False),
        ("success-response-moved", "response/default", "non-breaking", False)]
    assert _found(empty, _action({"200": {"description": "OK", "schema": {"type": "array", "items": {}}}})) == [
        ("output-type-corrected", "response/200", "warning", False),
        ("success-response-moved", "response/default", "non-breaking", False)]
    # a schema that declared something is still an output removed
    typed = _action({"200": {"description": "OK", "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}})
    assert _found(typed, _action({"200": {"description": "OK"}})) == [("output-removed", "response/200/schema", "breaking", True)]


def _returns(schema: dict) -> dict:
    return _action({"200": {"description": "OK", "schema": schema}})


def test_an_output_format_dropped_keeps_dynamic_content_and_certification_still_flags_it():
    old = _returns({"type": "object", "properties": {"result": {"type": "string", "format": "byte"}}})
    dropped = _returns({"type": "object", "properties": {"result": {"type": "string"}}})
    assert _found(old, dropped) == [("format-widened", "response/200/result", "non-breaking", True)]
    changes = diff(side(old, {}), side(dropped, {}))
    assert "format has been changed for the output field" in changes[0].certification
    # another format is still a change flows may trip on, and an input's format dropped is still an input change
    other = _returns({"type": "object", "properties": {"result": {"type": "string", "format": "date-time"}}})
    assert _found(old, other) == [("output-format-changed", "response/200/result", "breaking", True)]
    sent = _action({"200": {"description": "OK"}}, [{"name": "file", "in": "query", "type": "string", "format": "byte"}])
    unformatted = _action({"200": {"description": "OK"}}, [{"name": "file", "in": "query", "type": "string"}])
    assert [kind for kind, *_ in _found(sent, unformatted)] == ["input-format-changed"]


def test_properties_declared_on_an_array_are_no_fields_and_fixing_them_into_items_removes_nothing():
    """The designer reads an array's `items` only (see docs/diff.md): fields declared beside `type: array` were never
    dynamic content, so moving them into `items` adds fields, and only taking fields out of `items` removes any."""
    fields = {"code": {"type": "string"}, "date": {"type": "string"}}
    broken = _returns({"type": "array", "properties": fields})
    fixed = _returns({"type": "array", "items": {"type": "object", "properties": fields}})
    assert _found(broken, fixed) == [("output-added", "response/200/[]/code", "non-breaking", False),
                                     ("output-added", "response/200/[]/date", "non-breaking", False),
                                     ("output-type-corrected", "response/200/[]", "warning", False)]
    assert [kind for kind, *_ in _found(fixed, broken)] == ["output-removed", "output-removed", "output-type-widened"]
    # an array without items holds items of any type: declaring them corrects an output, narrows an input
    assert _found(_returns({"type": "array"}), _returns({"type": "array", "items": {"type": "string"}})) == [
        ("output-type-corrected", "response/200/[]", "warning", False)]
    body = [{"name": "body", "in": "body", "schema": {"type": "object", "properties": {"tags": {"type": "array"}}}}]
    typed_body = copy.deepcopy(body)
    typed_body[0]["schema"]["properties"]["tags"]["items"] = {"type": "integer"}
    ok = {"200": {"description": "OK"}}
    assert [(kind, where) for kind, where, *_ in _found(_action(ok, body), _action(ok, typed_body))] == [("input-type-changed", "body/tags/[]")]


def test_a_type_declared_where_there_was_none_is_not_said_to_be_flagged_by_certification():
    """Microsoft's validator is quoted on a type changed between two declared types; no pull request shows it on a
    type declared where there was none, so the change carries no certification message."""
    assert _found(_returns({}), _returns({"type": "object", "properties": {"id": {"type": "string"}}})) == [
        ("output-added", "response/200/id", "non-breaking", False), ("output-type-corrected", "response/200", "warning", False)]
    assert _found(_returns({"type": "string"}), _returns({"type": "integer"})) == [("output-type-corrected", "response/200", "warning", True)]


def test_a_security_definition_renamed_with_the_same_content_is_no_connection_change():
    key = {"type": "apiKey", "in": "header", "name": "apikey"}
    ok = {"200": {"description": "OK"}}
    old = _action(ok, securityDefinitions={"API key": key}, security=[{"API key": []}])
    new = _action(ok, securityDefinitions={"APIKey": key}, security=[{"APIKey": []}])
    changes = diff(side(old, {}), side(new, {}))
    assert [(c.kind, c.location, c.old, c.new) for c in changes] == [("metadata-changed", "securityDefinitions/API key", "API key", "APIKey")]
    assert not changes[0].breaks_flows and "renamed" in changes[0].detail
    other = _action(ok, securityDefinitions={"APIKey": {**key, "name": "X-Token"}}, security=[{"APIKey": []}])
    assert {kind for kind, *_ in _found(old, other)} == {"connection-changed"}


def test_json_carries_a_malformed_schema_value_whole():
    from ppconnector.diff import report

    long = ["x" * 300]
    body = [{"name": "body", "in": "body", "schema": {"type": "object", "properties": {"a": long}}}]
    fixed = [{"name": "body", "in": "body", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}]
    ok = {"200": {"description": "OK"}}
    changes = diff(side(_action(ok, body), {}), side(_action(ok, fixed), {}))
    import json as _json

    assert [c["old"] for c in _json.loads(report.as_json(changes, "breaking"))["changes"]] == [long]
    assert "x" * 300 not in report.text(changes, "breaking")

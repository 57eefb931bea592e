"""The swagger family: the compiled Swagger 2.0 schema (fast path), readable messages, and agreement with
openapi-spec-validator (the oracle) on broken definitions."""

from __future__ import annotations

import pytest
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV2SpecValidator

from check_support import findings, own_rules, parts
from ppconnector.check.swagger2 import fast_valid, structure_errors

LIST, DELETE = ("/items", "get"), ("/items/{id}", "delete")


def op(d, where):
    return d["paths"][where[0]][where[1]]


def test_the_compiled_validator_takes_the_fast_path_on_valid_and_invalid_definitions():
    d, _, _ = parts()
    op(d, LIST)["parameters"][0]["multipleOf"] = 2  # the generated code needs Decimal here
    assert fast_valid(d) is True and structure_errors(d) == []
    d["info"].pop("version")
    assert fast_valid(d) is False


def test_the_fast_path_never_changes_the_definition():
    d, _, _ = parts()
    before = repr(d)
    fast_valid(d)
    assert repr(d) == before  # fastjsonschema fills in schema defaults unless told not to


def _messages(mutate):
    d, _, _ = parts()
    mutate(d)
    return dict((m, p) for p, m in structure_errors(d))


def test_unknown_keys_are_named_with_a_suggestion():
    got = _messages(lambda d: d["info"].update(titel="x"))
    (message,) = got
    assert message.startswith('unknown key "titel" in info (did you mean "title"?)') and got[message] == "/info"


def test_a_parameter_error_names_the_missing_key_not_the_whole_oneof():
    got = _messages(lambda d: op(d, LIST)["parameters"][0].pop("type"))
    assert got == {'missing required key "type" in parameters/0': "/paths/~1items/get/parameters/0"}


def test_a_wrong_parameter_location_lists_the_locations():
    got = _messages(lambda d: op(d, DELETE)["parameters"][0].update({"in": "paht"}))
    assert got == {"'paht' is not a parameter location; one of body, formData, header, path, query":
                   "/paths/~1items~1{id}/delete/parameters/0/in"}


def test_a_wrong_schema_type_lists_the_types():
    got = _messages(lambda d: op(d, LIST)["responses"]["200"].update(schema={"type": "text"}))
    assert list(got) == ["type: 'text' is not one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'"]


BROKEN = {
    "no version": lambda d: d["info"].pop("version"),
    "unknown key": lambda d: op(d, LIST).update(foo=1),
    "duplicate operationId": lambda d: op(d, DELETE).update(operationId="ListItems"),
    "path parameter not in template": lambda d: op(d, LIST)["parameters"].append(
        {"name": "x", "in": "path", "required": True, "type": "string"}),
    "template variable without parameter": lambda d: op(d, DELETE).update(parameters=[]),
    "default of the wrong type": lambda d: op(d, LIST)["parameters"][0].update(default="ten"),
    "unresolved schema ref": lambda d: op(d, LIST)["responses"]["200"].update(schema={"$ref": "#/definitions/Nope"}),
    "duplicate parameter": lambda d: op(d, LIST)["parameters"].append(dict(op(d, LIST)["parameters"][0])),
    "wrong parameter location": lambda d: op(d, DELETE)["parameters"][0].update({"in": "paht"}),
    "swagger 3": lambda d: d.update(swagger="3.0"),
    "valid": lambda d: None,
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_openapi_spec_validator_and_check_agree(case):
    d, p, s = parts()
    BROKEN[case](d)
    try:
        oracle = list(OpenAPIV2SpecValidator(SchemaPath.from_dict(d)).iter_errors())
    except Exception as e:  # noqa: BLE001 - the oracle itself refusing the document counts as "invalid"
        oracle = [e]
    structural = {r.id for r in own_rules() if r.family in ("swagger", "microsoft") and r.severity == "error"}
    ours = [f for f in findings(d, p, s) if f.rule in structural and f.severity == "error"]
    assert bool(oracle) == bool(ours) == (case != "valid"), ([str(e)[:200] for e in oracle], [str(f) for f in ours])

"""Every corpus connector checks without a crash in one process; each error check reports on a connector
Microsoft accepted is a true defect, named here; openapi-spec-validator (the oracle) agrees on structure."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from check_support import own_rules
from conftest import require_shared
from generator.check.engine import INTERNAL, load, run
from generator.check.registry import all_rules
from generator.diagnostics import InputError

# (connector, rule) -> the true defect behind every error our rules report on the corpus.
TRUE_DEFECTS = {
    ("Assently E-Sign", "BodyOrFormDataParameterInFetchOperationNotAllowed"): "GET /v2/findCases and /v2/findTemplates declare a body parameter",
    ("EleadProductReference", "SecurityRequirementMustBeDefined"): "security names apiKeyHeader/apiKeyQuery but securityDefinitions is {}",
    ("Encodian", "SecurityRequirementMustBeDefined"): 'security names "defaultAuth"; the only securityDefinition is "Bearer"',
    ("Encodian", "DefaultValueMustMatchType"): 'boolean parameters with default "false" (a string)',
    ("Encodian", "definition-size"): "the definition is 1 104 994 bytes, over Microsoft's 1 MB limit",
    ("Africa's Talking SMS", "DefaultValueMustMatchType"): "a body schema's default {} lacks its required properties",
}
# Not JSON at all: a missing comma after "name": "Troy Taylor" (line 8).
UNREADABLE = {"AccuWeather": "apiDefinition.swagger.json:9:7"}


def _folders():
    root = require_shared("corpus")
    return sorted(p for p in root.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())


def test_every_corpus_connector_checks_without_a_crash_and_errors_are_true_defects():
    rules = list(all_rules().values())
    own = {r.id for r in own_rules()}
    folders = _folders()
    assert len(folders) == 43
    errors: dict[tuple, list] = defaultdict(list)
    unreadable = {}
    for folder in folders:
        try:
            loaded = load(folder)
        except InputError as e:
            unreadable[folder.name] = e.findings[0].where()
            continue
        for f in run(loaded, rules):
            assert f.rule != INTERNAL, f"{folder.name}: {f}"
            if f.severity == "error" and f.rule in own:
                errors[(folder.name, f.rule)].append(f)
    assert {k: v.split("/")[-1] for k, v in unreadable.items()} == UNREADABLE
    assert set(errors) == set(TRUE_DEFECTS), {k: [str(f) for f in v][:2] for k, v in errors.items() if k not in TRUE_DEFECTS}
    # Spot-check that each names the defect we say it does.
    assert all("body parameter" in f.message for f in errors[("Assently E-Sign", "BodyOrFormDataParameterInFetchOperationNotAllowed")])
    assert {f.message for f in errors[("Encodian", "DefaultValueMustMatchType")]} == {"default 'false' is not of type boolean"}
    assert "1104994 bytes" in errors[("Encodian", "definition-size")][0].message


@pytest.mark.parametrize("name", ["Africa's Talking SMS", "touchSMS", "BulkSMS", "Telnyx SMS", "Tumblr", "VIES"])
def test_openapi_spec_validator_agrees_on_structure(name):
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV2SpecValidator

    folder = next(p for p in _folders() if p.name == name)
    definition = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
    oracle = list(OpenAPIV2SpecValidator(SchemaPath.from_dict(definition)).iter_errors())
    structural = [r for r in own_rules() if r.family in ("swagger", "microsoft") and r.severity == "error"]
    ours = [f for f in run(load(folder), structural) if f.severity == "error"]
    assert bool(oracle) == bool(ours), ([str(e)[:200] for e in oracle], [str(f) for f in ours])


@pytest.mark.parametrize("name", ["touchSMS", "BulkSMS", "Tumblr"])
def test_the_fast_locator_agrees_with_the_tolerant_reader_everywhere(name):
    from generator.check.locate import FastLocator
    from generator.check.rules import _all_dicts
    from generator.emit.sourcemap import split_pointer
    from generator.source.jsonfile import read_json

    folder = next(p for p in _folders() if p.name == name)
    doc = read_json(folder / "apiDefinition.swagger.json")
    fast = FastLocator(doc.text)
    pointers = [p for _, p in _all_dicts(doc.value) if p] + ["/paths/~1nowhere", "/info/nothing/deeper"]
    assert len(pointers) > 25
    for pointer in pointers:
        parts = split_pointer(pointer)
        assert tuple(fast.position(parts)) == tuple(doc.position(parts)), pointer

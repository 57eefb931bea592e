"""The precision discipline of `check`: every corpus connector (300 that Microsoft merged) is checked in one
process; each error our rules give on one is a reviewed true defect of that connector, kept in
tests/data/corpus-errors.yaml with a one-line judgement. A new error fails the test until it is judged (listed)
or the rule is fixed; a listed error that no longer fires fails too, so the list stays honest."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from check_support import own_rules
from conftest import require_shared
from ppconnector.check.engine import INTERNAL, load, run
from ppconnector.diagnostics import InputError

REVIEWED = Path(__file__).parent / "data" / "corpus-errors.yaml"
MAX_SHARE = 0.05  # no rule may error on more than 5% of the corpus: beyond that it is the rule that is wrong
# ... unless Microsoft's CI refuses it today and the corpus is older than that verdict (each source in docs/check.md)
NEWER_THAN_THE_CORPUS = {"DefaultResponseHasSchema": "an error in Microsoft's certification CI (PowerPlatformConnectors PR #4006, "
                                                     "2025); 16 of the 278 certification targets were merged with one before"}


def _folders():
    root = require_shared("corpus")
    return sorted(p for p in root.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())


def _reviewed() -> dict:
    return yaml.safe_load(REVIEWED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus():
    """(connector, rule) -> error findings, and connector -> where it is unreadable; one process, every own rule."""
    rules = own_rules()
    errors: dict[tuple[str, str], list] = defaultdict(list)
    unreadable = {}
    folders = _folders()
    for folder in folders:
        try:
            loaded = load(folder)
        except InputError as e:
            unreadable[folder.name] = e.findings[0].where().split("/")[-1]
            continue
        for f in run(loaded, rules):
            assert f.rule != INTERNAL, f"{folder.name}: {f}"
            if f.severity == "error":
                errors[(folder.name, f.rule)].append(f)
    return folders, errors, unreadable


def test_the_corpus_is_the_300_public_connectors_with_unique_names(corpus):
    folders, _, _ = corpus
    assert len(folders) == 300
    assert len({f.name for f in folders}) == 300  # the name alone identifies a connector in the reviewed list


def test_every_error_on_the_corpus_is_a_reviewed_true_defect(corpus):
    _, errors, _ = corpus
    reviewed = {(e["connector"], e["rule"]) for e in _reviewed()["errors"]}
    new = [f"{c} [{r}] {f.message} at {f.where()} {f.pointer or ''}" for (c, r), fs in sorted(errors.items())
           if (c, r) not in reviewed for f in fs[:3]]
    assert not new, "errors on connectors Microsoft merged: judge each (a true defect goes in " \
                    f"{REVIEWED.name} with why; else fix the rule):\n" + "\n".join(new)


def test_every_reviewed_error_still_fires(corpus):
    _, errors, _ = corpus
    stale = [f'{e["connector"]} [{e["rule"]}]' for e in _reviewed()["errors"] if (e["connector"], e["rule"]) not in errors]
    assert not stale, f"listed in {REVIEWED.name} but no longer reported: remove them\n" + "\n".join(stale)


def test_every_reviewed_entry_says_why():
    entries = _reviewed()["errors"]
    assert all(len(e.get("why", "")) > 20 for e in entries), [e for e in entries if len(e.get("why", "")) <= 20]
    assert len({(e["connector"], e["rule"]) for e in entries}) == len(entries), "a (connector, rule) is listed twice"


def test_unreadable_connectors_are_the_reviewed_ones(corpus):
    _, _, unreadable = corpus
    assert unreadable == {name: e["where"] for name, e in _reviewed()["unreadable"].items()}


def test_no_rule_errors_on_more_than_5_percent_of_the_corpus(corpus):
    folders, errors, _ = corpus
    per_rule: dict[str, set] = defaultdict(set)
    for connector, rule_id in errors:
        per_rule[rule_id].add(connector)
    too_many = {r: len(c) for r, c in per_rule.items() if len(c) > MAX_SHARE * len(folders) and r not in NEWER_THAN_THE_CORPUS}
    assert not too_many, too_many


def test_a_default_the_oracle_refuses_but_microsoft_merged_is_a_warning():
    """Africa's Talking SMS: default {} lacks the body's required "message". openapi-spec-validator refuses it;
    Microsoft's DefaultValueMustMatchType compares only the type, and merged it. So: a warning, not an error."""
    folder = next(p for p in _folders() if p.name == "Africa's Talking SMS")
    got = [(f.rule, f.severity) for f in run(load(folder), own_rules()) if "default" in f.rule.lower()]
    assert got == [("default-value-valid", "warning")]


@pytest.mark.parametrize("name", ["touchSMS", "BulkSMS", "Telnyx SMS", "Tumblr", "VIES"])
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
    from ppconnector.check.locate import FastLocator
    from ppconnector.check.rules import _all_dicts
    from ppconnector.emit.sourcemap import split_pointer
    from ppconnector.source.jsonfile import read_json

    folder = next(p for p in _folders() if p.name == name)
    doc = read_json(folder / "apiDefinition.swagger.json")
    fast = FastLocator(doc.text)
    pointers = [p for _, p in _all_dicts(doc.value) if p] + ["/paths/~1nowhere", "/info/nothing/deeper"]
    assert len(pointers) > 25
    for pointer in pointers:
        parts = split_pointer(pointer)
        assert tuple(fast.position(parts)) == tuple(doc.position(parts)), pointer

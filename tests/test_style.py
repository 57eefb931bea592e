"""The English-style rules of `check` (docs/style.md): what each finds, that ClickSend has none, and that
their severities follow what Microsoft merged."""

from __future__ import annotations

import json
import re
from collections import Counter

from conftest import ROOT, require_shared

from ppconnector.check.engine import load, run
from ppconnector.check.registry import Target, all_rules
from ppconnector.check.rules.style import is_sentence, is_title_case, says_nothing_more

STYLE = ("summary-sentence-case", "trigger-summary-when", "description-says-more", "description-sentence", "label-duplicate")


def _run(definition: dict) -> list[tuple[str, str]]:
    t = Target(definition, {})
    return sorted((r, i.message) for r in STYLE for i in all_rules()[r].run(t))


def _definition(op: dict) -> dict:
    return {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/x": {"post": op}}}


def test_title_case_sentence_and_repeats():
    assert is_title_case("Create New Contact List") and is_title_case("Get Contacts in a List")
    assert not is_title_case("Create contact list") and not is_title_case("Send SMS") and not is_title_case("Get SMS by ID")
    assert is_sentence("Add a contact.") and is_sentence("Enabled") and not is_sentence("Each 300 characters = 1 voice message")
    assert says_nothing_more("Http Code", "HTTP Code", "http_code") and says_nothing_more("custom_string", "Custom String", "custom_string")
    assert not says_nothing_more("The HTTP status code.", "HTTP Code", "http_code")


def test_each_rule_finds_what_it_says():
    op = {"operationId": "in", "summary": "SMS Inbound Automation", "description": "SMS inbound automation", "x-ms-trigger": "single",
          "parameters": [{"name": "body", "in": "body", "schema": {"type": "object", "properties": {
              "enabled": {"type": "integer", "x-ms-summary": "Enabled", "description": "enabled"},
              "rule": {"type": "string", "x-ms-summary": "Rule Name", "description": "The rule's name in ClickSend"},
              "name": {"type": "string", "x-ms-summary": "Rule name", "description": "The name."}}}}],
          "responses": {"200": {"description": "OK"}}}
    found = _run(_definition(op))
    assert [r for r, _ in found] == ["description-says-more", "description-says-more", "description-sentence", "description-sentence",
                                     "label-duplicate", "summary-sentence-case", "trigger-summary-when"]
    messages = " | ".join(m for _, m in found)
    assert 'field description "enabled" only repeats the raw key' in messages
    assert 'operation description "SMS inbound automation" only repeats its label' in messages
    assert re.search(r'label "Rule [Nn]ame" is used twice in operation in', messages)


def test_internal_fields_are_not_held_to_the_style():
    op = {"operationId": "x", "summary": "Do it", "description": "Does it.", "parameters": [
        {"name": "a", "in": "query", "type": "string", "x-ms-summary": "A", "description": "a", "x-ms-visibility": "internal"}],
        "responses": {"200": {"description": "OK"}}}
    assert _run(_definition(op)) == []


def test_the_clicksend_source_follows_the_convention():
    findings = run(load(ROOT / "connector" / "clicksend.yaml"), [all_rules()[r] for r in STYLE])
    assert [str(f) for f in findings if f.rule in STYLE] == []


def test_severities_follow_what_microsoft_merged():
    """Warning only where at least 80% of the certified connectors comply; the rest is info."""
    root = require_shared("corpus", "certified-connectors")
    from ppconnector.diagnostics import InputError

    rules = [all_rules()[r] for r in STYLE]
    applicable, with_finding = Counter(), Counter()
    for folder in sorted(p for p in root.iterdir() if (p / "apiDefinition.swagger.json").is_file()):
        try:
            loaded = load(folder)
        except InputError:
            continue
        has_trigger = "x-ms-trigger" in json.dumps(loaded.target.definition)
        applicable.update(r for r in STYLE if r != "trigger-summary-when" or has_trigger)
        with_finding.update({f.rule for f in run(loaded, rules) if f.rule in STYLE})
    assert applicable["label-duplicate"] >= 150
    for r in rules:
        complying = 1 - with_finding[r.id] / applicable[r.id]
        assert (r.severity == "warning") == (complying >= 0.8), (r.id, with_finding[r.id], applicable[r.id])

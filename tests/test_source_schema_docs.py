"""Every property of the source's JSON Schema has a description: editors (VS Code's YAML extension) show it on
hover and beside each completion, so the YAML explains itself."""

from __future__ import annotations

import json

from ppconnector.source.loader import SCHEMA_FILE

_SUBSCHEMAS = ("items", "additionalProperties", "if", "then", "else", "not", "propertyNames")
_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")


def _undescribed(node, where: str):
    """(place) of each property, in every subschema below node, that has no description."""
    if not isinstance(node, dict):
        return
    for name, prop in (node.get("properties") or {}).items():
        if isinstance(prop, dict) and not (isinstance(prop.get("description"), str) and prop["description"].strip()):
            yield f"{where}/properties/{name}"
        yield from _undescribed(prop, f"{where}/properties/{name}")
    for key in _SUBSCHEMAS:
        yield from _undescribed(node.get(key), f"{where}/{key}")
    for key in _LISTS:
        for i, sub in enumerate(node.get(key) or []):
            yield from _undescribed(sub, f"{where}/{key}/{i}")
    for container in ("$defs", "patternProperties"):
        for name, sub in (node.get(container) or {}).items():
            yield from _undescribed(sub, f"{where}/{container}/{name}")


def test_every_property_of_the_source_schema_has_a_description():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert list(_undescribed(schema, "")) == []


def test_the_walk_finds_a_property_without_one():
    assert list(_undescribed({"$defs": {"x": {"oneOf": [{"properties": {"a": {"type": "string"}}}]}}}, "")) == ["/$defs/x/oneOf/0/properties/a"]

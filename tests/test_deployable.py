"""Both builds are deployable: valid Swagger 2.0 and valid against Microsoft's own schemas."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import OpenAPIV2SpecValidator, validate

from conftest import ROOT
from ms_schemas import errors

BUILDS = {"en": ROOT, "cs": ROOT / "dist" / "cs"}


def load(locale: str, name: str) -> dict:
    return json.loads((BUILDS[locale] / name).read_text(encoding="ascii"))


@pytest.mark.parametrize("locale", BUILDS)
def test_definition_is_valid_swagger_2(locale):
    spec = load(locale, "apiDefinition.swagger.json")
    assert spec["swagger"] == "2.0"
    problems = [e.message for e in OpenAPIV2SpecValidator(spec).iter_errors()]
    assert problems == []
    validate(spec)  # the library's own entry point, auto-detecting the version, agrees


@pytest.mark.parametrize("locale", BUILDS)
@pytest.mark.parametrize(
    "kind, file", [("apiDefinition", "apiDefinition.swagger.json"), ("apiProperties", "apiProperties.json"), ("settings", "settings.json")]
)
def test_files_pass_microsofts_schemas(locale, kind, file):
    assert errors(kind, load(locale, file)) == []


@pytest.mark.parametrize("locale", BUILDS)
def test_overlay_allows_only_what_the_2020_schemas_lack(locale):
    """Without the overlay, the only complaints are the two keys the overlay exists for."""
    assert errors("apiProperties", load(locale, "apiProperties.json"), overlay=False) == [
        "/properties: unknown key scriptOperations"
    ]
    assert errors("settings", load(locale, "settings.json"), overlay=False) == [
        "/: unknown key script"
    ]


def test_deployable_json_is_ascii():
    for folder in BUILDS.values():
        for name in ("apiDefinition.swagger.json", "apiProperties.json", "settings.json"):
            (folder / name).read_bytes().decode("ascii")  # raises on any non-ASCII byte


def test_czech_build_really_is_czech():
    cs = load("cs", "apiDefinition.swagger.json")
    assert cs["paths"]["/sms/send"]["post"]["summary"] == "Odeslat SMS"
    assert load("en", "apiDefinition.swagger.json")["paths"]["/sms/send"]["post"]["summary"] == "Send SMS"

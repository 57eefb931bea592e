"""ppconnector's own JSON Schemas (generator/schemas/) against Microsoft's 2020 schemas, the oracle, on the
corpus: wherever the two verdicts differ, every one of Microsoft's findings is explained here."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

import ms_schemas
from conftest import ROOT, require_shared
from ppconnector.check.msschema import FILES, load
from ppconnector.check.swagger2 import schema_errors

# Why Microsoft's 2020 schema refuses what a connector the platform merged does, and ours accepts.
EXPLAINED = {
    r'unknown key "(x-ms-openai-manifest|x-ms-openai-data|x-ms-keywords|x-ms-openai-published-to-copilots|x-ms-editor-options)"':
        "a key newer than 2020 the platform reads today (Copilot plugins, search keywords, the designer's editor)",
    r'unknown key "(scriptOperations|connectionParameterSets)" in properties': "newer than 2020: paconn itself writes them",
    r"redirectMode: '(GlobalPerConnector|direct)'": "newer than 2020: the per-connector redirect URL (and its lower-case spelling)",
    r'unknown key "enableOnbehalfOfLogin"': "newer than 2020: aad's on-behalf-of login",
    r'missing required key "IsFirstParty"|oAuthSettings: \{"identityProvider": "aadcertificate"': "IsFirstParty is not required today",
    r"unknown key \"\w+\" in customParameters": "customParameters are the identity provider's own; ours leaves their keys to it",
    r"format: .* is not one of": "format is open in Swagger 2.0 and the platform tolerates others (guid, ''); ours suggests, never refuses",
    r"responses: \{\} (has 0 keys|has a form not allowed here)": "Swagger 2.0 structure: the swagger-schema rule (the official 2.0 schema) reports it",
    r'unknown key "x-ms-url-encoding" in parameters/\d+': "on a header parameter: the platform ignores it there; ours does not warn",
    r'unknown key "(x-ms-mutability|x-ms-discriminator-value|x-ms-client-name|x-ms-client-flatten|x-ms-identifiers|'
    r'x-ms-long-running-operation|x-ms-secret|x-ms-enum|x-ms-azure-resource|x-ms-parameter-location)"|unknown key "values" in x-ms-enum':
        "AutoRest's extensions (Azure's generated definitions): the platform ignores them, ours lets them be",
    r'unknown key "value-path" in file-picker': "file-picker's keys are open in ours (Asite's merged connectors use value-path)",
}
CORPUS_FILES = {"definition": ("apiDefinition.swagger.json", "apiDefinition"), "properties": ("apiProperties.json", "apiProperties")}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_our_schemas_are_valid_draft_7(kind):
    jsonschema.Draft7Validator.check_schema(load(kind))


@pytest.mark.parametrize("kind", sorted(CORPUS_FILES))
def test_verdicts_differ_from_microsofts_only_where_explained(kind):
    file, microsoft_name = CORPUS_FILES[kind]
    microsoft = ms_schemas.schema(microsoft_name, overlay=False)
    ours = load(kind)
    compared = 0
    unexplained: list[tuple[str, str]] = []
    only_ours, disagreements = [], []
    for path in sorted(require_shared("corpus").glob(f"*/*/{file}")):
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except ValueError:
            continue
        compared += 1
        theirs, mine = schema_errors(document, microsoft, "ms-" + kind), schema_errors(document, ours, "pp-" + kind)
        if mine and not theirs:
            only_ours.append((path.parent.name, mine[:3]))
        elif theirs and not mine:
            disagreements.append(path.parent.name)
            unexplained += [(path.parent.name, m) for _, m in theirs if not any(re.search(p, m) for p in EXPLAINED)]
    assert compared >= 290
    assert unexplained == []
    assert only_ours == []  # ours never refuses what Microsoft's schema accepts
    assert disagreements, "the 2020 schema refuses newer keys: some verdicts must differ"


def test_clicksend_and_its_settings_pass_our_schemas():
    for kind, name in (("definition", "apiDefinition.swagger.json"), ("properties", "apiProperties.json"), ("settings", "settings.json")):
        document = json.loads((ROOT / name).read_text(encoding="utf-8"))
        assert schema_errors(document, load(kind), "pp-" + kind) == [], name


def test_the_schemas_are_in_the_wheel_manifest():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "**/*.json" in config["tool"]["setuptools"]["package-data"]["ppconnector"]
    assert all((ROOT / "generator" / "schemas" / name).is_file() for name in FILES.values())

"""`record` on public connectors nobody wrote for it (../shared/corpus): every operation of connectors of every
kind of auth, policy template and script, recorded against the fake service, which checks each request
against what the platform would send; the fixtures then pass the contract check.  docs/fixtures.md gives
the figure for the whole corpus."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import require_shared, run_cli

from ppconnector.fixtures import fake as fakes
from ppconnector.fixtures import sample
from ppconnector.fixtures.auth import connection
from ppconnector.fixtures.contract import operations
from ppconnector.fixtures.record import record, save
from ppconnector.fixtures.run import contract_findings, target_for_source
from ppconnector.script.toolchain import available

# (folder, what it shows): basic, API keys in headers and queries, OAuth of each identity provider,
# parameter sets, every request policy template, expressions of each kind, scripts.
CONNECTORS = {
    "Calendly": "API key header; setheader over it; route request; script calling other operations",
    "Nationalize.io": "API key in the query; script moving it to another host",
    "Africa's Talking SMS": "API key header; set host URL for some operations",
    "Almabase": "set property, set query parameter, route request; next link and conversions named",
    "Alkymi": "set host URL from a connection parameter; setheader Token; form fields and a file",
    "Infura Ethereum": "route request to a secret path; script",
    "IBM Watson Text to Speech": "basic auth; set host URL; script",
    "BulkSMS": "basic auth",
    "touchSMS": "basic auth",
    "Business Assist": "OAuth aadcertificate; script",
    "AvePoint Cloud Governance": "connection parameter sets (OAuth, basic); apiProperties with a byte-order mark",
    "Azure Communication Services SMS Events": "parameter sets of AAD certificates",
    "Office365GroupsMail": "OAuth aad; next link named",
    "SmartCOMM Doc-Gen": "OAuth oauth2generic; host from token:region; script",
    "Rencore Governance": "OAuth 2.0",
    "Abbreviations": "API key query; set query parameter from a connection parameter",
    "Unsplash": "API key query; setheader",
    "RealFaviconGenerator": "set property of the body from a connection parameter",
    "Pushover": "API key query; convert object to array named",
    "Motimate": "set host URL from a header",
    "Asite (KSA)": "set host URL from a query parameter",
    "Hash Generator": "no auth; script only",
    "Exasol": "set host URL with its base path",
    "Blackbaud Raiser's Edge NXT Lists": "OAuth 2.0; setheader subscription key",
}


def _copy(name: str, tmp_path: Path) -> Path:
    corpus = require_shared("corpus")
    source = next((corpus / kind / name for kind in ("certified-connectors", "independent-publisher-connectors")
                   if (corpus / kind / name).is_dir()), None)
    assert source is not None, f"{name} is not in the corpus"
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    for path in [folder, *folder.rglob("*")]:  # the corpus is read-only; the copy gets fixtures
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def _has_script(folder: Path) -> bool:
    return any(folder.glob("*.csx"))


@pytest.mark.parametrize("name", sorted(CONNECTORS))
def test_every_operation_is_recorded_as_the_platform_sends_it(name, tmp_path):
    folder = _copy(name, tmp_path)
    if _has_script(folder) and not available():
        pytest.skip("mono is not installed (.ci/script-setup.sh): this connector's script operations cannot run")
    target = target_for_source(folder)
    refused = {}
    for op_id, op in operations(target.definition).items():
        try:
            made = record(target, op_id, sample.request_params(target.definition, op), fake=True, case="measured")
        except Exception as e:  # noqa: BLE001 - every failure is reported with its operation
            refused[op_id] = getattr(e, "findings", [e])[0]
            continue
        save(made, force=False)
        assert b"FAKE-" not in made.data and b"fake-token-" not in made.data, op_id  # made-up credentials are redacted too
    assert not refused, refused
    errors = [str(f) for f in contract_findings(target_for_source(folder)) if f.severity == "error"]
    assert not errors, "\n".join(errors)


# --- the "done when": a user records every operation of connectors they did not write, live (here
# against a loopback service that checks the credentials they set), then `check` passes -----------------

USER_CONNECTORS = {
    "api key": ("Unsplash", {"PPCONNECTOR_API_KEY": "u1-Unsplash-Key+/="}),
    "basic": ("touchSMS", {"PPCONNECTOR_USERNAME": "ann@example.com", "PPCONNECTOR_PASSWORD": "t0uch-P4ss/word"}),
    "oauth": ("Yarado", {"PPCONNECTOR_TOKEN": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2ln"}),
}


@pytest.mark.parametrize("kind", sorted(USER_CONNECTORS))
def test_a_user_records_every_operation_of_a_connector_they_did_not_write(kind, tmp_path, monkeypatch):
    name, env = USER_CONNECTORS[kind]
    folder = _copy(name, tmp_path)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    definition = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
    props = json.loads((folder / "apiProperties.json").read_text(encoding="utf-8-sig"))
    conn = connection(definition, props)  # from the variables the user set
    answer, _ = fakes.answerer(definition, None, "")
    base = (definition.get("basePath") or "").rstrip("/")
    with fakes.FakeService(fakes.checker(fakes.expectations(definition, props, "", conn)), answer, base) as service:
        for op_id, op in operations(definition).items():
            params = [a for name_value in sample.request_params(definition, op) for a in ("--param", "=".join(name_value))]
            r = run_cli("record", op_id, "--source", str(folder), "--base-url", service.url, *params, cwd=tmp_path)
            assert r.returncode == 0, (op_id, r.stdout, r.stderr)
    assert not service.refused, service.refused
    assert len(service.received) == len(operations(definition))
    text = "".join(p.read_text(encoding="utf-8") for p in (folder / "fixtures").rglob("*.yaml"))
    for value in env.values():
        assert value not in text and base64.b64encode(value.encode()).decode().rstrip("=") not in text
    check = run_cli("check", str(folder), "--select", "contract", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert all(yaml.safe_load(p.read_text())["source"].startswith("live recording") for p in (folder / "fixtures").rglob("*.yaml"))

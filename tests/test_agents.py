"""Agent connectors (issue 28): MCP servers for Copilot Studio and actions offered to Copilot (AI actions), in the
YAML source, check, import, diff and docs, measured on the public agent connectors of microsoft/PowerPlatformConnectors
(tests/data/agent-connectors/connectors.yaml lists them, their commits and the judged errors)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, require_shared, run_cli
from ppconnector import agents
from ppconnector.diff.compare import Side, diff

DATA = ROOT / "tests" / "data" / "agent-connectors"
LISTED = yaml.safe_load((DATA / "connectors.yaml").read_text(encoding="utf-8"))
MCP = {entry["folder"]: entry for entry in LISTED["mcp"]}
EXAMPLE = ROOT / "examples" / "mcp-server" / "mcp-server.yaml"


def _check(*paths: str | Path, cwd: Path = ROOT) -> list[dict]:
    result = run_cli("check", *map(str, paths), "--format", "json", "--show-info", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def _errors(findings: list[dict]) -> list[str]:
    return sorted(f["rule"] for f in findings if f["severity"] == "error")


def _load(folder: str) -> tuple[dict, dict]:
    return tuple(json.loads((DATA / folder / name).read_text(encoding="utf-8"))
                 for name in ("apiDefinition.swagger.json", "apiProperties.json"))


# --- the public connectors ---------------------------------------------------------------------------------------


def test_the_listed_mcp_connectors_are_the_copies_kept_here():
    assert sorted(MCP) == sorted(p.name for p in DATA.iterdir() if p.is_dir())
    for name, entry in MCP.items():
        assert sorted(entry["commits"]) == sorted(p.name for p in (DATA / name).iterdir())
        definition, _ = _load(name)
        assert sum(agents.is_mcp(op) for item in definition["paths"].values() for op in item.values()) == 1, name


def test_public_mcp_connectors_round_trip_exactly_through_a_yaml_source():
    result = run_cli("import", "--verify", *(str(DATA / name) for name in MCP), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [r["status"] for r in json.loads(result.stdout)["results"]] == ["identical"] * len(MCP)


def test_public_mcp_connectors_check_with_only_their_judged_errors():
    for name, entry in MCP.items():
        assert _errors(_check(DATA / name)) == sorted(e["rule"] for e in entry["errors"]), name


def test_the_imported_source_says_mcp_and_builds_and_checks_like_the_folder(tmp_path: Path):
    for name, entry in MCP.items():
        source = tmp_path / name / "connector.yaml"
        result = run_cli("import", str(DATA / name), "-o", str(source))
        assert result.returncode == 0, result.stderr
        tree = yaml.safe_load(source.read_text(encoding="utf-8"))
        [server] = [op for op in tree["operations"].values() if "mcp" in op]
        assert server["mcp"] in ("streamable", "sse") and agents.PROTOCOL not in server
        assert run_cli("build", str(source)).returncode == 0
        assert json.loads((source.parent / "apiDefinition.swagger.json").read_text(encoding="utf-8")) == _load(name)[0]
        assert _errors(_check(source)) == sorted(e["rule"] for e in entry["errors"]), name


def test_public_ai_action_connectors_round_trip_and_check_without_errors(tmp_path: Path):
    corpus = require_shared("corpus")
    folders = [corpus / path for path in LISTED["ai_actions"]]
    result = run_cli("import", "--verify", *map(str, folders), "--format", "json")
    assert [r["status"] for r in json.loads(result.stdout)["results"]] == ["identical"] * len(folders)
    assert _errors(_check(*folders)) == []
    actions = manifests = 0
    for folder in folders:
        source = tmp_path / folder.name / "connector.yaml"
        assert run_cli("import", str(folder), "-o", str(source)).returncode == 0
        tree = yaml.safe_load(source.read_text(encoding="utf-8"))
        actions += sum("ai_action" in op for op in tree["operations"].values())
        manifests += "ai_manifest" in tree["connector"]
    # 67 operations carry x-ms-openai-data: the two that name another operation keep it as it is
    assert (actions, manifests) == (65, 9)


def test_the_published_ai_actions_that_name_another_operation_are_the_two_typos():
    corpus = require_shared("corpus")
    folders = [corpus / path for path in LISTED["ai_actions"]]
    found = [(Path(f["file"]).parent.name, f["message"]) for f in _check(*folders) if f["rule"] == "ai-action-operation-id"]
    assert [name for name, _ in found] == ["HubSpot Marketing V2", "HubSpot Settings V2"]
    assert "'GetAccountDetailsForAHubspotAccount.' (no operation has that id)" in found[1][1]
    assert [f for f in _check(*folders) if f["rule"] in ("ai-action-confirmation", "mcp-operation-method")] == []


# --- the YAML source ---------------------------------------------------------------------------------------------


def test_the_example_mcp_source_builds_microsofts_shape_and_checks_clean(tmp_path: Path):
    assert _check(EXAMPLE) == [], "not even an info (--show-info)"
    assert run_cli("build", str(EXAMPLE), "--out", str(tmp_path)).returncode == 0
    definition = json.loads((tmp_path / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    assert definition["swagger"] == "2.0"
    [(path, item)] = definition["paths"].items()
    assert (path, list(item)) == ("/mcp", ["post"])
    assert item["post"]["x-ms-agentic-protocol"] == "mcp-streamable-1.0" and "200" in item["post"]["responses"]
    properties = json.loads((tmp_path / "apiProperties.json").read_text(encoding="utf-8"))
    assert properties["properties"]["connectionParameters"]["api_key"]["type"] == "securestring"


def test_the_example_is_left_out_at_the_root_and_its_committed_build_is_current():
    # discovery at the root leaves examples/ out (pyproject.toml), so nothing else keeps the committed files honest
    from ppconnector.repo.resolve import resolve

    assert [ref.folder for ref in resolve([ROOT]) if EXAMPLE.parent in (ref.folder, *ref.folder.parents)] == []
    for command in ("build", "docs"):
        result = run_cli(command, "--check", cwd=EXAMPLE.parent)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("auth", ["none", "basic", "apikey", "oauth2", "aad"])
def test_init_kind_mcp_builds_microsofts_shape_and_checks_with_no_finding(tmp_path: Path, auth: str):
    folder = tmp_path / "contoso-leads"
    result = run_cli("init", str(folder), "--kind", "mcp", "--auth", auth, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert run_cli("build", cwd=folder).returncode == 0
    checked = run_cli("check", "--show-info", cwd=folder)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "no findings\n")  # not even an info
    definition = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    [(path, item)] = definition["paths"].items()
    assert (path, list(item), item["post"]["x-ms-agentic-protocol"]) == ("/mcp", ["post"], "mcp-streamable-1.0")
    [source] = folder.rglob("contoso-leads.yaml")  # connector/ below the folder: it is in no repository
    assert "mcp: streamable" in source.read_text(encoding="utf-8")


def test_init_kind_mcp_refuses_a_trigger_and_writes_nothing(tmp_path: Path):
    result = run_cli("init", str(tmp_path / "x"), "--kind", "mcp", "--trigger", "webhook")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--trigger webhook does not go with --kind mcp" in result.stderr and "--trigger none" in result.stderr
    assert not (tmp_path / "x").exists()


def _source(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agent.yaml"
    path.write_text(text, encoding="utf-8")
    return path


AGENT = """locales: [en]
connector:
  title: Contoso Leads
  description: Contoso's lead management tools for agents.
  host: api.contoso.example
  ai_manifest: {name: Contoso Leads, model_description: Finds and updates leads.}
operations:
  InvokeMCP:
    request: POST /mcp
    summary: Contoso lead management
    description: Finds, creates and qualifies leads.
    mcp: streamable
    responses:
      "200": {description: Success}
  CreateLead:
    request: POST /leads
    summary: Create a lead
    description: Creates one lead.
    ai_action: {enabled: true, require_confirmation: true}
    responses:
      "200": {description: The lead}
"""


def test_the_sugar_writes_the_extensions_and_import_gives_the_sugar_back(tmp_path: Path):
    source = _source(tmp_path, AGENT)
    assert run_cli("build", str(source)).returncode == 0
    definition = json.loads((tmp_path / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    assert definition["x-ms-openai-manifest"] == {"humanName": "Contoso Leads", "modelDescription": "Finds and updates leads."}
    assert definition["paths"]["/mcp"]["post"]["x-ms-agentic-protocol"] == "mcp-streamable-1.0"
    assert definition["paths"]["/leads"]["post"]["x-ms-openai-data"] == {
        "openai-enabled": True, "operations": [{"operationId": "CreateLead", "x-ms-require-user-confirmation": True}]}
    again = tmp_path / "again" / "agent.yaml"
    assert run_cli("import", str(tmp_path), "-o", str(again)).returncode == 0
    tree = yaml.safe_load(again.read_text(encoding="utf-8"))
    assert tree["connector"]["ai_manifest"] == {"name": "Contoso Leads", "model_description": "Finds and updates leads."}
    assert tree["operations"]["InvokeMCP"]["mcp"] == "streamable"
    assert tree["operations"]["CreateLead"]["ai_action"] == {"enabled": True, "require_confirmation": True}


def test_x_ms_openai_data_naming_another_operation_stays_as_it_is_on_import():
    assert agents.ai_action_sugar({"openai-enabled": True, "operations": [
        {"operationId": "Other", "x-ms-require-user-confirmation": True}]}, "Mine") is None
    assert agents.ai_action_sugar({"openai-enabled": True}, "Mine") == {"enabled": True}
    assert agents.manifest_sugar({"humanName": "x", "logo": "y"}) is None


def test_a_misspelt_transport_is_refused_with_its_line_and_the_word_meant(tmp_path: Path):
    source = _source(tmp_path, AGENT.replace("mcp: streamable", "mcp: streambale"))
    result = run_cli("build", str(source))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert 'agent.yaml:12:10: error: operations/InvokeMCP/mcp: \'streambale\' is not allowed (did you mean "streamable"?)' in result.stderr


def test_agent_findings_point_at_the_yaml_words_and_say_the_fix_in_them(tmp_path: Path):
    text = (AGENT.replace("mcp: streamable", "mcp: sse").replace("require_confirmation: true", "require_confirmation: false")
            .replace("model_description: Finds and updates leads.", "legal_url: https://contoso.example/terms"))
    found = {f["rule"]: f for f in _check(_source(tmp_path, text))}
    assert (found["mcp-transport-sse"]["line"], found["mcp-transport-sse"]["column"]) == (12, 5)  # the mcp: key
    assert "declare mcp: streamable" in found["mcp-transport-sse"]["message"]
    assert found["ai-action-confirmation"]["line"] == 19 and "set require_confirmation to true" in found["ai-action-confirmation"]["message"]
    assert found["ms-definition-schema"]["line"] == 6
    assert found["ms-definition-schema"]["message"] == 'missing required key "model_description" in connector.ai_manifest'


def test_the_reference_page_says_which_operation_is_an_mcp_server_or_an_ai_action(tmp_path: Path):
    source = _source(tmp_path, AGENT)
    assert run_cli("docs", str(source), "--out", str(tmp_path / "docs")).returncode == 0
    page = (tmp_path / "docs" / "en.md").read_text(encoding="utf-8")
    assert "An MCP server for Copilot Studio agents (Streamable HTTP)" in page
    assert "Copilot can call this action (an AI action) once the user confirms." in page
    folder = run_cli("docs", str(DATA / "Seismic MCP"), "--out", str(tmp_path / "seismic"))
    assert folder.returncode == 0, folder.stderr
    assert "An MCP server for Copilot Studio agents" in (tmp_path / "seismic" / "en.md").read_text(encoding="utf-8")


# --- diff: what a change does to an agent -------------------------------------------------------------------------


def _changes(edit) -> list[tuple]:
    definition, properties = _load("AffinityMCP")
    edited, edited_properties = copy.deepcopy(definition), copy.deepcopy(properties)
    edit(edited, edited_properties)
    return [(c.kind, c.operation, c.location) for c in diff(Side("old", definition, properties), Side("new", edited, edited_properties))]


def _server(d: dict) -> dict:
    return d["paths"]["/mcp"]["post"]


def test_moving_the_mcp_endpoint_is_one_agent_change():
    assert _changes(lambda d, p: d["paths"].update({"/v2/mcp": d["paths"].pop("/mcp")})) == [("mcp-endpoint-moved", "InvokeMCP", "request")]
    # a new basePath moves every operation: the MCP server for agents, the health check for flows
    assert _changes(lambda d, p: d.update(basePath="/api")) == [("mcp-endpoint-moved", "InvokeMCP", "request"),
                                                                ("operation-path-changed", "HealthCheck", "request")]


def test_each_agent_change_of_an_mcp_server_gets_its_kind():
    assert _changes(lambda d, p: _server(d).update({"x-ms-agentic-protocol": "mcp-sse-1.0"})) == [
        ("mcp-transport-changed", "InvokeMCP", "x-ms-agentic-protocol")]
    assert _changes(lambda d, p: _server(d).pop("x-ms-agentic-protocol")) == [("mcp-server-removed", "InvokeMCP", "x-ms-agentic-protocol")]
    assert _changes(lambda d, p: _server(d).update(description="Everything Affinity knows.")) == [
        ("agent-description-changed", "InvokeMCP", "description")]
    [removed] = diff(Side("old", *_load("AffinityMCP")), Side("new", *_without_server()))
    assert removed.kind == "operation-removed" and "agents that use it lose every tool" in removed.detail


def _without_server() -> tuple[dict, dict]:
    definition, properties = _load("AffinityMCP")
    del definition["paths"]["/mcp"]
    return definition, properties


def test_a_moved_host_or_changed_auth_names_the_mcp_server_it_affects():
    definition, properties = _load("AffinityMCP")
    moved = {**definition, "host": "mcp.eu.affinity.co"}
    [change] = diff(Side("old", definition, properties), Side("new", moved, properties))
    assert change.kind == "host-changed" and change.detail == "agents reach the MCP server InvokeMCP at the new address"
    other = copy.deepcopy(definition)
    other["securityDefinitions"]["oauth2-auth"]["tokenUrl"] = "https://login.affinity.co/oauth2/v2/token"
    [change] = diff(Side("old", definition, properties), Side("new", other, properties))
    assert change.kind == "connection-changed" and "MCP server InvokeMCP" in change.detail


def test_ai_action_changes_of_a_yaml_source_are_reported_for_agents(tmp_path: Path):
    old = _source(tmp_path, AGENT)
    new_folder = tmp_path / "new"
    new_folder.mkdir()
    (new_folder / "agent.yaml").write_text(
        AGENT.replace("require_confirmation: true", "require_confirmation: false")
        .replace("model_description: Finds and updates leads.", "model_description: Finds leads."), encoding="utf-8")
    result = run_cli("diff", str(old), str(new_folder / "agent.yaml"), "--format", "json", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    kinds = [(c["kind"], c["operation"]) for c in json.loads(result.stdout)["changes"]]
    assert kinds == [("agent-description-changed", None), ("ai-confirmation-changed", "CreateLead")]

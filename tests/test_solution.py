"""Connectors in solutions (issue 27): environment variables from the YAML through check, the solution zip in
the layout Power Platform exports, and its import back."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from solution_support import CONTOSO, ENVIRONMENT, cli, make_connector

# --- environment variables -------------------------------------------------------------------------------


def test_a_connector_whose_host_and_secret_are_environment_variables_checks_clean(tmp_path):
    source = make_connector(tmp_path / "contoso")
    result = cli("check", ".", cwd=source.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout
    definition = json.loads((source.parent / "apiDefinition.swagger.json").read_text())
    oauth = json.loads((source.parent / "apiProperties.json").read_text())["properties"]["connectionParameters"]["token"]["oAuthSettings"]
    assert definition["host"] == '@environmentVariables("cr8a1_ApiHost")'
    assert oauth["clientId"] == '@environmentVariables("cr8a1_ClientId")'
    assert oauth["clientSecret"] == '@environmentVariables("cr8a1_ClientSecret")'


def test_host_name_rule_still_refuses_a_url_and_a_malformed_reference(tmp_path):
    source = make_connector(tmp_path / "c", CONTOSO.replace(
        "host: {environment_variable: cr8a1_ApiHost, default: api.contoso.com, display_name: Contoso API host}",
        "host: \"@environmentVariables('cr8a1_ApiHost')\""))
    result = cli("check", ".", "--format", "json", cwd=source.parent)
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert {"HostNameNotValid", "environment-variable-reference"} <= rules


def test_base_url_from_an_environment_variable_is_accepted(tmp_path):
    source = make_connector(tmp_path / "c", CONTOSO.replace("base_path: /v2", "base_path: {environment_variable: cr8a1_BaseUrl, default: /v2}"))
    result = cli("check", ".", cwd=source.parent)
    assert result.returncode == 0 and "no findings" in result.stdout, result.stdout


@pytest.mark.parametrize("change, rule", [
    ("clientSecret: {environment_variable: cr8a1_ClientSecret, secret: true, display_name: Contoso client secret}",
     "environment-variable-secret"),
    ("client_id: {environment_variable: cr8a1_ClientId, default: 8d5e1a52-0000-4000-8000-000000000001}",
     "environment-variable-sugar"),
    ("unique_name: ContosoConnectors", "solution-connector-name-length"),
])
def test_the_yaml_only_solution_rules(tmp_path, change, rule):
    """The rules a folder cannot decide (generator/solution/rules.py): a Text variable as client secret, a variable
    given two defaults, a connector name pac solution unpack drops."""
    replaced = {
        "environment-variable-secret": "clientSecret: {environment_variable: cr8a1_ClientSecret}",
        "environment-variable-sugar": "client_id: {environment_variable: cr8a1_ApiHost, default: somewhere.else}",
        "solution-connector-name-length": "unique_name: ContosoConnectors\n  publisher: {prefix: contoso1}",
    }[rule]
    text = CONTOSO.replace(change, replaced)
    if rule == "solution-connector-name-length":
        text = text.replace("  publisher: {unique_name: contoso, display_name: Contoso Ltd}\n", "").replace(
            "title: Contoso Orders", "title: Contoso Orders and Invoices")
    source = make_connector(tmp_path / "c", text, build=False)
    cli("build", str(source), cwd=source.parent)
    result = cli("check", str(source), "--format", "json", cwd=source.parent)
    assert rule in {f["rule"] for f in json.loads(result.stdout)["findings"]}, result.stdout + result.stderr


def test_dataverse_column_limit_is_an_error_only_for_a_connector_meant_for_a_solution():
    """https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/connector: openapidefinition's
    MaxLength is 500000."""
    from check_support import findings, parts

    d, p, s = parts()
    d["definitions"]["Big"] = {"type": "string", "description": "x" * 500_001}
    plain = [f for f in findings(d, p, s) if f.rule == "solution-column-size"]
    assert [f.severity for f in plain] == ["info"]
    d["host"] = '@environmentVariables("cr123_ApiHost")'
    meant = [f for f in findings(d, p, s) if f.rule == "solution-column-size"]
    assert [f.severity for f in meant] == ["error"] and "500000" in meant[0].message
    del d["definitions"]["Big"]
    assert not [f for f in findings(d, p, s) if f.rule == "solution-column-size"]


# --- the solution zip -------------------------------------------------------------------------------------

# The structure of a real export holding a custom connector (KarolFilipKozlowski/Power-Automate---Konektor-api.nbp.pl,
# exported in 2022 by Dataverse: customizations.xml, solution.xml) and of Microsoft's CoE Starter Kit
# (CenterofExcellenceCoreComponents/SolutionPackage/environmentvariabledefinitions/admin_AdminMail/
# environmentvariabledefinition.xml, Other/Customizations.xml's connectionreferences).
EXPORT_CONNECTOR_CHILDREN = ["connectorid", "description", "displayname", "iconbrandcolor", "name", "connectortype",
                             "openapidefinition", "connectionparameters", "policytemplateinstances", "iconblob"]
EXPORT_CUSTOMIZATIONS = ["Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "EntityMaps",
                         "EntityRelationships", "OrganizationSettings", "optionsets", "CustomControls", "EntityDataProviders"]
EXPORT_MANIFEST = ["UniqueName", "LocalizedNames", "Descriptions", "Version", "Managed", "Publisher", "RootComponents",
                   "MissingDependencies"]
EXPORT_PUBLISHER = ["UniqueName", "LocalizedNames", "Descriptions", "EMailAddress", "SupportingWebsiteUrl",
                    "CustomizationPrefix", "CustomizationOptionValuePrefix", "Addresses"]
COE_VARIABLE = ["defaultvalue", "description", "displayname", "introducedversion", "iscustomizable", "isrequired", "type"]
COE_REFERENCE = ["connectionreferencedisplayname", "connectorid", "iscustomizable", "statecode", "statuscode"]


@pytest.fixture(scope="module")
def solution_zip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("solution") / "contoso"
    source = make_connector(folder)
    result = cli("solution", "--out", "out/Contoso.zip", "--settings-for", ENVIRONMENT, str(source.name), cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out" / "Contoso.zip"


def _entries(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def test_solution_zip_holds_the_files_of_an_export(solution_zip):
    names = set(_entries(solution_zip))
    base = "Connector/cr8a1_contoso-20orders_"
    assert names == {"[Content_Types].xml", "customizations.xml", "solution.xml", base + "openapidefinition.json",
                     base + "connectionparameters.json", base + "policytemplateinstances.json", base + "iconblob.Png",
                     *(f"environmentvariabledefinitions/{n}/environmentvariabledefinition.xml"
                       for n in ("cr8a1_ApiHost", "cr8a1_ClientId", "cr8a1_ClientSecret"))}


def test_customizations_xml_has_the_exports_element_names_and_order(solution_zip):
    root = ET.fromstring(_entries(solution_zip)["customizations.xml"])
    children = [c.tag for c in root]
    assert children[:len(EXPORT_CUSTOMIZATIONS)] == EXPORT_CUSTOMIZATIONS
    assert children[len(EXPORT_CUSTOMIZATIONS):] == ["Connectors", "connectionreferences", "Languages"]
    [connector] = root.findall("Connectors/Connector")
    assert [c.tag for c in connector] == EXPORT_CONNECTOR_CHILDREN
    assert connector.findtext("connectortype") == "1"
    entries = _entries(solution_zip)
    for column in ("openapidefinition", "connectionparameters", "policytemplateinstances", "iconblob"):
        assert connector.findtext(column).startswith("/Connector/") and connector.findtext(column)[1:] in entries
    [reference] = root.findall("connectionreferences/connectionreference")
    assert [c.tag for c in reference if c.tag != "customconnectorid"] == COE_REFERENCE
    assert reference.find("customconnectorid/connectorid").text == connector.findtext("connectorid")


def test_solution_xml_has_the_exports_manifest(solution_zip):
    root = ET.fromstring(_entries(solution_zip)["solution.xml"])
    manifest = root.find("SolutionManifest")
    assert [c.tag for c in manifest] == EXPORT_MANIFEST
    assert [c.tag for c in manifest.find("Publisher")] == EXPORT_PUBLISHER
    assert manifest.findtext("UniqueName") == "ContosoConnectors" and manifest.findtext("Managed") == "0"
    assert manifest.findtext("Publisher/CustomizationPrefix") == "cr8a1"
    roots = [(r.get("type"), r.get("schemaName")) for r in manifest.find("RootComponents")]
    assert roots == [("372", "cr8a1_contoso-20orders"), ("380", "cr8a1_ApiHost"), ("380", "cr8a1_ClientId"), ("380", "cr8a1_ClientSecret")]


def test_environment_variable_definitions_are_the_coe_starter_kits_shape(solution_zip):
    entries = _entries(solution_zip)
    host = ET.fromstring(entries["environmentvariabledefinitions/cr8a1_ApiHost/environmentvariabledefinition.xml"])
    assert [c.tag for c in host] == [t for t in COE_VARIABLE if t != "description"]
    assert host.get("schemaname") == "cr8a1_ApiHost" and host.findtext("defaultvalue") == "api.contoso.com"
    assert host.findtext("type") == "100000000"
    secret = ET.fromstring(entries["environmentvariabledefinitions/cr8a1_ClientSecret/environmentvariabledefinition.xml"])
    assert secret.find("defaultvalue") is None and secret.findtext("type") == "100000005"


def test_content_types_name_every_extension(solution_zip):
    root = ET.fromstring(_entries(solution_zip)["[Content_Types].xml"])
    assert [d.get("Extension") for d in root] == ["xml", "json", "Png"]


def test_deployment_settings_give_the_environments_values(solution_zip):
    settings = json.loads((solution_zip.parent / "Contoso.settings.json").read_text())
    assert settings["EnvironmentVariables"][0] == {"SchemaName": "cr8a1_ApiHost", "Value": "api.test.contoso.com"}
    assert settings["ConnectionReferences"][0]["LogicalName"] == "cr8a1_ContosoConnectors"


def test_same_source_same_zip_bytes(tmp_path, solution_zip):
    folder = tmp_path / "again"
    source = make_connector(folder)
    assert cli("solution", "--out", "again.zip", str(source), cwd=folder).returncode == 0
    assert (folder / "again.zip").read_bytes() == solution_zip.read_bytes()
    with zipfile.ZipFile(solution_zip) as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_solution_refuses_a_folder_as_out_and_writes_nothing(tmp_path):
    source = make_connector(tmp_path / "c")
    (tmp_path / "c" / "out.zip").mkdir()
    result = cli("solution", "--out", "out.zip", str(source), cwd=source.parent)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_import_of_the_solution_zip_round_trips(tmp_path, solution_zip):
    """Solution zip -> YAML -> build: the same definition; the same apiProperties but publisher, which Dataverse's
    connector table has no column for."""
    result = cli("import", str(solution_zip), "-o", "imported/contoso.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert cli("build", "imported/contoso.yaml", cwd=tmp_path).returncode == 0
    original = solution_zip.parent.parent
    assert json.loads((tmp_path / "imported" / "apiDefinition.swagger.json").read_text()) == \
        json.loads((original / "apiDefinition.swagger.json").read_text())
    before = json.loads((original / "apiProperties.json").read_text())["properties"]
    after = json.loads((tmp_path / "imported" / "apiProperties.json").read_text())["properties"]
    assert {k: v for k, v in before.items() if k != "publisher"} == after
    assert (tmp_path / "imported" / "icon.png").read_bytes() == (original / "icon.png").read_bytes()


def test_import_refuses_a_zip_that_is_not_a_solution(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("../evil.txt", "x")
    (tmp_path / "bad.zip").write_bytes(buffer.getvalue())
    result = cli("import", "bad.zip", cwd=tmp_path)
    assert result.returncode == 2 and "outside the archive" in result.stderr and "Traceback" not in result.stderr


def _hostile(solution_zip, path: Path, add=(), replace=None, link: str | None = None) -> Path:
    """The solution zip with entries replaced or added (``link``: that one added as a symbolic link)."""
    import stat

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in _entries(solution_zip).items():
            if name != link:
                z.writestr(name, (replace or {}).get(name, data))
        for name, data in add:
            info = zipfile.ZipInfo(name)
            if name == link:
                info.create_system, info.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, data, zipfile.ZIP_DEFLATED)
    return path


def test_import_reads_only_what_it_needs_of_a_zip_of_many_large_members(solution_zip, tmp_path):
    """A zip bomb beside the connector (40 members of 60 MB of zeros, 2.4 GB unpacked, 2.5 MB packed): import
    read every member into memory (300 of them took 18 GB and 100 s); it reads the connector's files only."""
    import resource
    import subprocess
    import sys

    from conftest import ROOT

    zeros = b"\0" * (60 << 20)
    bomb = _hostile(solution_zip, tmp_path / "bomb.zip", add=[(f"Other/{i}.bin", zeros) for i in range(40)])
    assert bomb.stat().st_size < 5 << 20

    def one_gigabyte() -> None:  # the import's own address space: 2.4 GB read into memory would fail in it
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, resource.getrlimit(resource.RLIMIT_AS)[1]))

    result = subprocess.run([sys.executable, "-m", "ppconnector.cli", "import", "bomb.zip", "-o", "imported/c.yaml"], cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
                            preexec_fn=one_gigabyte)
    assert result.returncode == 0 and (tmp_path / "imported" / "c.yaml").is_file(), result.stderr


@pytest.mark.parametrize("case", ["twin names", "link", "DOCTYPE in UTF-16", "external entity in UTF-16"])
def test_import_refuses_a_zip_built_to_mislead_or_hurt(solution_zip, tmp_path, case):
    custom = _entries(solution_zip)["customizations.xml"].decode("utf-8")
    body = custom.split("?>", 1)[1] if custom.startswith("<?xml") else custom
    laughs = ('<!DOCTYPE r [<!ENTITY a "AAAAAAAAAA">' + "".join(f'<!ENTITY a{i + 1} "' + f"&a{i or ''};" * 10 + '">'
                                                              for i in range(9)) + "]>")
    icon = next(n for n in _entries(solution_zip) if n.lower().endswith("_iconblob.png"))
    made = {
        "twin names": dict(add=[("Customizations.xml", b"<ImportExportXml><Connectors/></ImportExportXml>")]),
        "link": dict(add=[(icon, b"/etc/passwd")], link=icon),
        "DOCTYPE in UTF-16": dict(replace={"customizations.xml": ('<?xml version="1.0" encoding="UTF-16"?>' + laughs + body.replace(
            "<Connectors>", "<Connectors><X>&a9;</X>", 1)).encode("utf-16")}),
        "external entity in UTF-16": dict(replace={"customizations.xml": (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + body.replace("<Connectors>", "<Connectors><X>&x;</X>", 1)).encode("utf-16")}),
    }[case]
    _hostile(solution_zip, tmp_path / "hostile.zip", **made)
    result = cli("import", "hostile.zip", "-o", "imported/c.yaml", cwd=tmp_path)
    expected = {"twin names": 'have the same name (letter case aside)', "link": "is a symbolic link",
                "DOCTYPE in UTF-16": "declares a DOCTYPE or entities", "external entity in UTF-16": "declares a DOCTYPE or entities"}
    assert result.returncode == 2 and expected[case] in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "imported").exists()


def test_clicksends_solution_round_trips_with_its_script(tmp_path):
    """The flagship connector has custom code: its script travels as Connector/<name>_customcodeblobcontent.csx and its
    scriptOperations in customizations.xml, and come back on import."""
    from conftest import ROOT

    assert cli("solution", "--out", str(tmp_path / "ClickSend.zip"), cwd=ROOT).returncode == 0
    names = set(_entries(tmp_path / "ClickSend.zip"))
    assert "Connector/new_clicksend-20sms_customcodeblobcontent.csx" in names
    result = cli("import", "ClickSend.zip", "-o", "imp/cs.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert cli("build", "imp/cs.yaml", cwd=tmp_path).returncode == 0
    for name in ("apiDefinition.swagger.json", "script.csx"):
        assert (tmp_path / "imp" / name).read_bytes() == (ROOT / name).read_bytes()
    before = json.loads((ROOT / "apiProperties.json").read_text())["properties"]
    before.pop("publisher")
    assert json.loads((tmp_path / "imp" / "apiProperties.json").read_text())["properties"] == before


@pytest.mark.parametrize("properties", [{"properties": None}, {"properties": 5}, None, [],
                                        {"properties": {"connectionParameters": None, "policyTemplateInstances": 3}}])
def test_the_solution_family_reads_an_apiproperties_of_any_shape(properties):
    """The fuzz test found `properties: null` crashing solution-column-size: a folder's file may hold anything."""
    from check_support import findings, parts

    d, _, s = parts()
    d["host"] = '@environmentVariables("cr123_ApiHost")'
    assert not [f for f in findings(d, properties, s) if "crashed" in f.message]


def test_solution_takes_the_source_as_a_file_a_folder_or_nothing(tmp_path):
    source = make_connector(tmp_path / "contoso")
    zips = []
    for args in ((str(source),), (".",), ()):
        out = tmp_path / f"s{len(zips)}.zip"
        result = cli("solution", *args, "--out", str(out), cwd=source.parent)
        assert result.returncode == 0, result.stderr
        zips.append(out.read_bytes())
    assert zips[0] == zips[1] == zips[2]

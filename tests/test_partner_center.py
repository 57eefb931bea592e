"""`ppconnector package --partner-center`: the package passes every check of Microsoft's
scripts/ConnectorPackageValidator.ps1 (microsoft/PowerPlatformConnectors), each encoded below as a function that
cites the step of the script it mirrors, and each shown to catch the break it exists for.

PowerShell is not on these machines, so the script itself does not run here (docs/package.md says so); its
argument checks (a Windows absolute path ending in .zip, the plugin flag) concern how it is called, not the zip."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest
from solution_support import cli, make_connector


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _read(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}


def _top(entries: dict[str, bytes]) -> tuple[set[str], list[str]]:
    """(folders, files) at the root of an expanded zip, as Get-ChildItem -Directory / -File sees them."""
    folders = {n.split("/", 1)[0] for n in entries if "/" in n}
    return folders, [n for n in entries if "/" not in n]


def level1(outer: dict[str, bytes]) -> list[str]:
    """Step 2: the provided zip holds no folder, exactly one *.md and one *.zip (-Filter "*.md" = 1, "*.zip" = 1)."""
    folders, files = _top(outer)
    problems = [f"folder {f} in the zip" for f in sorted(folders)]
    for ext in (".md", ".zip"):
        if sum(f.lower().endswith(ext) for f in files) != 1:
            problems.append(f"expected exactly one *{ext}")
    return problems


def level2(package: dict[str, bytes]) -> list[str]:
    """Step 4: the package zip holds exactly one folder (ideally PkgAssets); its loose files are not counted."""
    folders, _ = _top(package)
    return [] if len(folders) == 1 else [f"expected one folder, found {sorted(folders)}"]


def level3(package: dict[str, bytes]) -> list[str]:
    """Step 5: the folder has no sub-folder and exactly 2 *.zip (3 with an AI plugin, which we never make)."""
    [folder] = _top(package)[0]
    inside = {n[len(folder) + 1:]: d for n, d in package.items() if n.startswith(folder + "/")}
    problems = [f"sub-folder in {folder}" for n in inside if "/" in n][:1]
    if sum(n.lower().endswith(".zip") for n in inside if "/" not in n) != 2:
        problems.append("expected exactly two solution zips")
    return problems


def solution_files(solution: dict[str, bytes]) -> list[str]:
    """Per solution zip: '[Content_Types].xml', 'customizations.xml', 'solution.xml' at its root (CheckValidFile)."""
    _, files = _top(solution)
    return [f"missing {n}" for n in ("[Content_Types].xml", "customizations.xml", "solution.xml") if n.lower() not in {f.lower() for f in files}]


def _non_empty(root: ET.Element, tag: str) -> bool:
    """$xml.SelectSingleNode("//tag") with HasChildNodes or attributes (whitespace is not kept by [xml])."""
    node = next(iter(root.iter(tag)), None)
    return node is not None and (len(node) > 0 or bool((node.text or "").strip()) or bool(node.attrib))


def classify(solution: dict[str, bytes]) -> tuple[str | None, list[str]]:
    """The connector/flow classification and the folder checks: a Connector node needs a Connector folder; Workflows
    need both the Connector and Workflows folders; Connector alone is the connector solution, both the flow solution."""
    root = ET.fromstring(solution["customizations.xml"])
    connector, workflows = _non_empty(root, "Connector"), _non_empty(root, "Workflows")
    folders, _ = _top(solution)
    problems = []
    if connector and "Connector" not in folders:
        problems.append("a Connector node but no Connector folder")
    if workflows and not {"Connector", "Workflows"} <= folders:
        problems.append("Workflows but not both Connector and Workflows folders")
    kind = "connector" if connector and not workflows else "flow" if connector and workflows else None
    return kind, problems


def validate(data: bytes) -> list[str]:
    """Every check of ConnectorPackageValidator.ps1 on a package, in its order; [] means "Validation successful"."""
    outer = _read(data)
    problems = level1(outer)
    if problems:
        return problems
    [package_name] = [n for n in outer if n.lower().endswith(".zip")]
    package = _read(outer[package_name])
    problems = level2(package) or level3(package)
    if problems:
        return problems
    kinds = set()
    for name, blob in package.items():
        if name.lower().endswith(".zip") and name.count("/") == 1:
            solution = _read(blob)
            missing = solution_files(solution)
            if missing:
                return missing
            kind, problems = classify(solution)
            if problems:
                return problems
            kinds.add(kind)
    if "connector" not in kinds:
        return ["no connector solution (Connector only)"]
    if "flow" not in kinds:
        return ["no flow solution (Connector and Workflows)"]
    return []


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pc") / "contoso"
    source = make_connector(folder)
    result = cli("package", str(source), "--partner-center", "--out", "ContosoPackage.zip", cwd=folder)
    assert result.returncode == 0, result.stderr
    return (folder / "ContosoPackage.zip").read_bytes()


def test_the_package_passes_every_check_of_the_validator(package):
    assert validate(package) == []


def test_outer_zip_is_exactly_intro_md_and_one_package_zip(package):
    outer = _read(package)
    assert sorted(outer) == ["ContosoConnectors.pdpkg.zip", "intro.md"]
    intro = outer["intro.md"].decode()
    assert "\n# Contoso Orders\n" in intro and "### List orders" in intro
    inner = _read(outer["ContosoConnectors.pdpkg.zip"])
    assert sorted(inner) == ["PkgAssets/ContosoConnectorsSampleFlow_1_2_0_0.zip", "PkgAssets/ContosoConnectors_1_2_0_0.zip",
                             "PkgAssets/ImportConfig.xml"]


def test_the_sample_flow_calls_the_connector_through_the_connection_reference(package):
    inner = _read(_read(package)["ContosoConnectors.pdpkg.zip"])
    flow = _read(inner["PkgAssets/ContosoConnectorsSampleFlow_1_2_0_0.zip"])
    [workflow] = [n for n in flow if n.startswith("Workflows/")]
    body = json.loads(flow[workflow])
    [reference] = body["properties"]["connectionReferences"].values()
    custom = ET.fromstring(flow["customizations.xml"])
    assert reference["connection"]["connectionReferenceLogicalName"] == custom.find("connectionreferences/connectionreference").get("connectionreferencelogicalname")
    assert reference["api"]["logicalName"] == custom.findtext("Connectors/Connector/name")
    [action] = body["properties"]["definition"]["actions"].values()
    assert action["inputs"]["host"]["operationId"] == "ListOrders"
    assert "/" + workflow == custom.findtext("Workflows/Workflow/JsonFileName")


def test_same_source_same_package_bytes(tmp_path, package):
    source = make_connector(tmp_path / "contoso")
    assert cli("package", str(source), "--partner-center", "--out", "again.zip", cwd=source.parent).returncode == 0
    assert (source.parent / "again.zip").read_bytes() == package


# Each check catches what it exists for: the package broken in one way fails exactly there.
def _broken(package: bytes, how: str) -> bytes:
    outer = _read(package)
    name = "ContosoConnectors.pdpkg.zip"
    inner = _read(outer[name])
    flow_name, connector_name = "PkgAssets/ContosoConnectorsSampleFlow_1_2_0_0.zip", "PkgAssets/ContosoConnectors_1_2_0_0.zip"
    if how == "folder in outer zip":
        outer["extra/readme.md"] = b"x"
    elif how == "two md files":
        outer["notes.md"] = b"x"
    elif how == "no package zip":
        del outer[name]
    elif how == "two folders in package":
        inner["Other/x.txt"] = b"x"
    elif how == "sub-folder in PkgAssets":
        inner["PkgAssets/sub/x.txt"] = b"x"
    elif how == "one solution zip":
        del inner[flow_name]
    elif how == "solution without solution.xml":
        solution = _read(inner[connector_name])
        del solution["solution.xml"]
        inner[connector_name] = _zip(solution)
    elif how == "connector node without folder":
        solution = _read(inner[connector_name])
        inner[connector_name] = _zip({k: v for k, v in solution.items() if not k.startswith("Connector/")})
    elif how == "flow without Workflows folder":
        solution = _read(inner[flow_name])
        inner[flow_name] = _zip({k: v for k, v in solution.items() if not k.startswith("Workflows/")})
    elif how == "no flow solution":
        inner[flow_name] = inner[connector_name]
    outer[name] = _zip(inner) if name in outer else None
    return _zip({k: v for k, v in outer.items() if v is not None})


@pytest.mark.parametrize("how, expected", [
    ("folder in outer zip", "folder extra"), ("two md files", "*.md"), ("no package zip", "*.zip"),
    ("two folders in package", "one folder"), ("sub-folder in PkgAssets", "sub-folder"), ("one solution zip", "two solution zips"),
    ("solution without solution.xml", "missing solution.xml"), ("connector node without folder", "no Connector folder"),
    ("flow without Workflows folder", "Workflows folders"), ("no flow solution", "no flow solution"),
])
def test_each_check_catches_its_break(package, how, expected):
    problems = validate(_broken(package, how))
    assert problems and any(expected in p for p in problems), problems


def test_partner_center_out_must_be_a_zip(tmp_path):
    source = make_connector(tmp_path / "contoso")
    result = cli("package", str(source), "--partner-center", "--out", "folder", cwd=source.parent)
    assert result.returncode == 2 and ".zip" in result.stderr

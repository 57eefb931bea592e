"""`ppconnector init`: every auth and trigger builds and checks with no finding as generated, in both layouts."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, run_cli


def _git_init(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def _build_and_check(folder: Path) -> list:
    from ppconnector import api

    connectors = api.resolve([folder])
    built = api.build_connectors(connectors)
    assert [o.code for o in built] == [0] * len(connectors), [f for o in built for f in o.findings]
    api.write_all({path: data for o in built for path, data in o.value.files.items()})
    return [f for o in api.check_connectors(connectors) for f in o.findings]


@pytest.mark.parametrize("auth", ["none", "basic", "apikey", "oauth2", "aad"])
@pytest.mark.parametrize("trigger", ["none", "webhook", "polling"])
def test_every_auth_and_trigger_builds_and_checks_with_no_finding(tmp_path, auth, trigger):
    from ppconnector import api

    made = api.scaffold(_git_init(tmp_path / "acme-orders"), auth=auth, trigger=trigger)
    api.write_all(made.files)
    assert made.source == tmp_path / "acme-orders" / "connector" / "acme-orders.yaml"
    assert _build_and_check(tmp_path / "acme-orders") == []  # not even an info


def test_the_command_in_a_new_repository_writes_the_source_icon_fixture_and_workflow(tmp_path):
    repo = _git_init(tmp_path / "acme")
    result = run_cli("init", "--auth", "oauth2", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("connector/acme.yaml written")
    written = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts[len(repo.parts):][:1])
    assert written == [".github/workflows/connector.yml", ".ppconnector/connector.schema.json", "connector/acme.yaml",
                       "connector/fixtures/list_items/success.yaml", "connector/icon.png"]
    # The workflow is the one this project ships (tests/test_workflow.py holds it to zizmor), byte for byte.
    assert (repo / ".github/workflows/connector.yml").read_bytes() == (ROOT / ".github/workflows/connector.yml").read_bytes()
    source = (repo / "connector/acme.yaml").read_text(encoding="utf-8")
    assert source.startswith("# yaml-language-server: $schema=../.ppconnector/connector.schema.json\n")
    assert "locales:" not in source  # one language needs none
    assert run_cli("build", cwd=repo).returncode == 0
    checked = run_cli("check", "--show-info", cwd=repo)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "no findings\n")


def test_the_package_copy_of_the_workflow_is_the_shipped_one():
    from ppconnector.init.scaffold import WORKFLOW

    assert WORKFLOW.read_bytes() == (ROOT / ".github/workflows/connector.yml").read_bytes(), \
        "copy .github/workflows/connector.yml to generator/init/templates/connector.yml"


def test_inside_a_repository_of_many_connectors_each_gets_a_folder_and_the_workflow_is_kept(tmp_path):
    repo = _git_init(tmp_path / "connectors")
    assert run_cli("init", "acme", "--trigger", "webhook", cwd=repo).returncode == 0
    second = run_cli("init", "other-thing", "--auth", "basic", cwd=repo)
    assert second.returncode == 0, second.stderr
    assert "kept: the repository has a CI workflow already" in second.stdout
    assert (repo / "acme" / "acme.yaml").is_file() and (repo / "acme" / "fixtures" / "delete_webhook" / "success.yaml").is_file()
    assert (repo / "other-thing" / "other-thing.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../.ppconnector/connector.schema.json\n")
    assert run_cli("build", cwd=repo).returncode == 0
    assert (repo / "acme" / "apiDefinition.swagger.json").is_file() and (repo / "other-thing" / "apiProperties.json").is_file()
    checked = run_cli("check", cwd=repo)
    assert checked.returncode == 0 and "0 errors, 0 warnings" in checked.stdout + checked.stderr, checked.stdout + checked.stderr


def test_outside_a_repository_it_says_why_there_is_no_workflow(tmp_path):
    result = run_cli("init", "thing", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no CI workflow: not in a git repository" in result.stdout
    assert "next: cd thing && ppconnector build" in result.stdout
    assert not (tmp_path / "thing" / ".github").exists()
    assert (tmp_path / "thing" / "connector" / "thing.yaml").is_file()


def test_a_folder_that_holds_anything_is_refused_and_left_as_it_was(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", "taken", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("taken: error: is not empty (it holds notes.txt)"), result.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    (tmp_path / "file.yaml").write_text("x", encoding="utf-8")
    assert run_cli("init", "file.yaml", cwd=tmp_path).returncode == 2
    assert run_cli("init", "new", "--brand-color", "blue", cwd=tmp_path).returncode == 2
    assert not (tmp_path / "new").exists()


def test_a_title_with_yaml_syntax_stays_text(tmp_path):
    from ppconnector import api

    made = api.scaffold(tmp_path / "x", title='Acme: "Orders" #1', layout="folder")
    api.write_all(made.files)
    c, _ = api.load_connector(made.source)
    assert c.info["title"] == 'Acme: "Orders" #1'


def test_a_title_made_from_the_folder_leaves_out_words_microsoft_refuses():
    from ppconnector.init.scaffold import _title

    assert _title(Path("/x/acme-api-connector")) == "Acme"
    assert _title(Path("/x/api")) == "My Service"
    assert _title(Path("/x/contoso-mcp")) == "Contoso MCP" and _title(Path("/x/acme_sms")) == "Acme SMS"


def test_the_icon_is_a_valid_png_in_the_brand_colour_and_the_same_bytes_every_time(tmp_path):
    from ppconnector.init.icon import icon_png

    data = icon_png("#5c2d91")
    assert data == icon_png("#5c2d91") and data != icon_png("#123456")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (width, height, depth, colour) == (230, 230, 8, 2)
    chunks, i = {}, 8
    while i < len(data):
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + length]
        assert struct.unpack(">I", data[i + 8 + length:i + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = body
        i += 12 + length
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert len(pixels) == 230 * (1 + 230 * 3)
    assert pixels[1:4] == bytes.fromhex("5c2d91")  # the corner: the brand colour


def test_every_kind_has_its_templates():
    """A kind is a row of the table and its templates (the mcp kind is added this way)."""
    from ppconnector.init.scaffold import KINDS, TEMPLATES, TRIGGERS

    for kind in KINDS.values():
        assert (TEMPLATES / kind.source).is_file()
        assert "none" in kind.fixtures and set(kind.fixtures) <= set(TRIGGERS)  # an MCP server has no trigger
        for files in kind.fixtures.values():
            assert all((TEMPLATES / "fixtures" / t).is_file() for t in files.values())

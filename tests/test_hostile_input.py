"""Hostile and broken input, command by command: a clear message naming the file, exit 2, never a traceback,
and no file of the project changed (every case snapshots the whole project copy before and after)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from hostile_support import assert_clean_failure, cli, snapshot

YAML = Path("connector") / "clicksend.yaml"


def line_of(text: str) -> int:
    """The line of the repo's YAML that is exactly text (findings name it; the YAML's layout changes)."""
    return next(i for i, line in enumerate((ROOT / YAML).read_text(encoding="utf-8").splitlines(), 1) if line == text)

# Every command that reads the YAML source, as a user would run it from the repo root.
SOURCE_COMMANDS = [
    ("build",),
    ("check", str(YAML)),
    ("docs",),
    ("i18n", "status"),
    ("i18n", "mark-current", "--locale", "cs"),
    ("diff", str(YAML), str(YAML)),
    ("deploy", "update", "--dry-run"),
]


def failed(repo: Path, *args: str, codes=(2,)) -> str:
    """Run a command that must refuse its input; assert the contract; return everything it printed."""
    before = snapshot(repo)
    result = cli(*args, cwd=repo)
    assert_clean_failure(result, codes)
    assert snapshot(repo) == before, f"`ppconnector {' '.join(args)}` failed but changed files"
    return result.output


def billion_laughs() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


VERSION_LINE = line_of('  version: "1.0"')
HOSTILE_SOURCES = {
    "python-tag": (lambda text: text.replace('  version: "1.0"', '  version: !!python/object/apply:os.system ["touch pwned"]'),
                   f"clicksend.yaml:{VERSION_LINE}:12: error: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    "custom-tag": (lambda text: text.replace("  host: rest.clicksend.com", "  host: !include /etc/passwd"),
                   "error: tag '!include' is not allowed; only plain YAML values are"),
    "billion-laughs": (lambda text: billion_laughs(), "expands to more than 500000 values (aliases expanding aliases?); refused"),
    "merge-key": (lambda text: text.replace("  publisher: Sinch Sweden AB", "  <<: {publisher: Sinch Sweden AB}"),
                  "merge keys (<<) are not supported"),
    "two-documents": (lambda text: text + "\n---\nlocales: [en]\n", "expected exactly one YAML document, found 2"),
    "top-level-list": (lambda text: "- locales\n- connector\n", "clicksend.yaml:1:1: error: expected a mapping at the top of the file"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SOURCES))
@pytest.mark.parametrize("command", SOURCE_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_hostile_yaml_is_refused_by_every_command(project_copy, command, case):
    make, message = HOSTILE_SOURCES[case]
    path = project_copy / YAML
    path.write_text(make(path.read_text(encoding="utf-8")), encoding="utf-8")
    out = failed(project_copy, *command)
    assert message in out, out
    assert not (project_copy / "pwned").exists()


UNUSABLE_FILES = {
    "empty": (b"", "connector/clicksend.yaml:1:1: error: YAML file is empty"),
    "blank": (b"  \n\n\t\n", "connector/clicksend.yaml:1:1: error: YAML file is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "connector/clicksend.yaml:3: error: YAML file is binary (it contains NUL bytes)"),
    "latin-1": ("locales: [en]\nconnector: {title: Caf\u00e9}\n".encode("latin-1"),
                "connector/clicksend.yaml:2: error: YAML file is not UTF-8 (byte 0xe9 at offset 36)"),
    "utf-16": ("locales: [en]\n".encode("utf-16"), "connector/clicksend.yaml:1: error: YAML file is binary (it contains NUL bytes)"),
    "cp1250": ("locales: [en]\nconnector: {title: \u0160koda}\n".encode("cp1250"),
               "connector/clicksend.yaml:2: error: YAML file is not UTF-8 (byte 0x8a at offset 33)"),
    "control-character": (b"locales: [en]\nconnector: {title: \x07}\n", "connector/clicksend.yaml:2:20: error: YAML syntax: control character U+0007 is not allowed"),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE_FILES))
@pytest.mark.parametrize("command", SOURCE_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_unusable_source_files_are_refused_by_every_command(project_copy, command, case):
    content, message = UNUSABLE_FILES[case]
    (project_copy / YAML).write_bytes(content)
    out = failed(project_copy, *command)
    assert message in out, out


def test_huge_source_is_refused_without_reading_it(project_copy):
    with open(project_copy / YAML, "ab") as handle:
        handle.truncate(8 * 1024 * 1024 + 1)  # sparse: the size is what is refused
    for command in SOURCE_COMMANDS:
        out = failed(project_copy, *command)
        assert "connector/clicksend.yaml: error: YAML file is 8388609 bytes; more than 8388608 is refused" in out, out


@pytest.mark.parametrize("command", [("build", "connector"), ("check", "connector/clicksend.yaml"), ("docs", "connector"),
                                     ("i18n", "status", "connector"), ("diff", "connector/clicksend.yaml", "connector/clicksend.yaml")],
                         ids=lambda c: c[0])
def test_a_directory_where_the_source_should_be(project_copy, command):
    (project_copy / YAML).unlink()
    (project_copy / YAML).mkdir()
    out = failed(project_copy, *command)
    assert any(m in out for m in ("expected a YAML file, found a directory", "no apiDefinition.swagger.json and no YAML source",
                                  "expected a connector folder with apiDefinition.swagger.json and apiProperties.json, or a YAML source")), out
    assert "connector" in out


# --- paths named in the source cannot leave the connector folder -------------------------------------------


@pytest.mark.parametrize("icon", ["../apiProperties.json", "/etc/hostname", "../../outside.png", "sub/../../settings.json"])
def test_icon_path_cannot_escape(project_copy, icon):
    (project_copy.parent / "outside.png").write_bytes(b"\x89PNG")
    path = project_copy / YAML
    path.write_text(path.read_text(encoding="utf-8").replace("  icon: icon.png", f"  icon: {icon}"), encoding="utf-8")
    for command in (("build",), ("docs",), ("check", str(YAML))):
        out = failed(project_copy, *command)
        assert f'connector/clicksend.yaml:{line_of("  icon: icon.png")}:9: error: "{icon}" is outside the connector folder' in out, out


def test_icon_symlink_out_of_the_folder_is_refused(project_copy):
    secret = project_copy.parent / "secret.txt"
    secret.write_text("do not copy me")
    (project_copy / "connector" / "icon.png").unlink()
    os.symlink(secret, project_copy / "connector" / "icon.png")
    out = failed(project_copy, "build")
    assert f'connector/clicksend.yaml:{line_of("  icon: icon.png")}:9: error: "icon.png" is outside the connector folder' in out, out
    assert b"do not copy me" not in (project_copy / "icon.png").read_bytes()


def test_fixture_symlink_out_of_the_folder_is_not_read(project_copy):
    secret = project_copy.parent / "secret.yaml"
    secret.write_text("operation: sms_send\nrequest: {method: GET, path: /secret-value-42}\nresponse: {status: 200}\nsource: x\n")
    link = project_copy / "connector" / "fixtures" / "sms_send" / "leak.yaml"
    os.symlink(secret, link)
    before = snapshot(project_copy)
    result = cli("check", str(YAML), cwd=project_copy)
    assert_clean_failure(result, codes=(1,))
    assert "connector/fixtures/sms_send/leak.yaml\n  -: error: the fixture is a link to a file outside the fixtures folder; refused" in result.output
    assert "secret-value-42" not in result.output
    assert snapshot(project_copy) == before


def test_record_cannot_write_outside_the_fixtures_folder(tmp_path, monkeypatch):
    """An operationId of a hostile definition names the fixture's folder: "../../x" must not climb out."""
    from fixtures_support import FakeClickSend

    folder = tmp_path / "conn"
    folder.mkdir()
    definition = json.loads((ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    definition["paths"]["/countries"]["get"]["operationId"] = "../../escaped"
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition), encoding="utf-8")
    shutil.copy(ROOT / "apiProperties.json", folder)
    monkeypatch.setenv("CLICKSEND_USERNAME", "someone")
    monkeypatch.setenv("CLICKSEND_API_KEY", "K" * 24)
    before = snapshot(tmp_path)
    with FakeClickSend("someone", "K" * 24) as fake:
        fake.routes[("GET", "/v3/countries")] = (200, {}, {"http_code": 200, "data": []})
        result = cli("record", "../../escaped", "--source", str(folder), "--base-url", fake.url, cwd=tmp_path)
        assert fake.received == []  # refused before anything was sent
    assert_clean_failure(result)
    assert 'operationId "../../escaped" cannot name a folder under fixtures/' in result.output
    assert snapshot(tmp_path) == before
    assert not (tmp_path.parent / "escaped").exists()


# --- other files the commands read ---------------------------------------------------------------------------


BAD_BYTES = {"binary": (b"\x00\x01\x02", "is binary (it contains NUL bytes)"),
             "not-utf8": (b'{"connectorIds": {"\xff": "x"}}', "is not UTF-8 (byte 0xff at offset 19)"),
             "empty": (b"", "is empty")}


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_deploy_record_file_unusable(project_copy, case):
    content, message = BAD_BYTES[case]
    (project_copy / "connector" / "deploy.en.json").write_bytes(content)
    out = failed(project_copy, "deploy", "update", "--dry-run")
    assert "connector/deploy.en.json:" in out and f"error: deploy record {message}" in out, out


def test_deploy_record_file_is_a_directory(project_copy):
    (project_copy / "connector" / "deploy.en.json").mkdir()
    out = failed(project_copy, "deploy", "update", "--dry-run")
    assert "connector/deploy.en.json: error: expected a deploy record, found a directory" in out, out


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_deploy_settings_file_unusable(project_copy, case):
    content, message = BAD_BYTES[case]
    (project_copy / "target.json").write_bytes(content)
    out = failed(project_copy, "deploy", "update", "--dry-run", "--settings", "target.json")
    assert "target.json" in out and f"error: settings file {message}" in out, out


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
@pytest.mark.parametrize("name", ["cs.po", "cs.xlf"])
def test_i18n_catalog_unusable(project_copy, case, name):
    content, message = BAD_BYTES[case]
    (project_copy / name).write_bytes(content)
    out = failed(project_copy, "i18n", "import", name)
    assert f"{name}" in out and f"error: catalog {message}" in out, out


def test_i18n_catalog_with_an_entity_bomb(project_copy):
    (project_copy / "cs.xlf").write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                                         '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xliff>&b;</xliff>')
    out = failed(project_copy, "i18n", "import", "cs.xlf")
    assert "cs.xlf: error: the catalog declares a DTD" in out and "refused" in out, out


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_diff_acknowledgements_unusable(project_copy, case):
    content, message = BAD_BYTES[case]
    (project_copy / "acks.yaml").write_bytes(content)
    out = failed(project_copy, "diff", str(YAML), str(YAML), "--acknowledgements", "acks.yaml")
    assert "acks.yaml" in out and f"error: YAML file {message}" in out, out


CONNECTOR_JSON = {"binary": (b"{\x00}", "JSON file is binary (it contains NUL bytes)"),
                  "empty": (b"  \n", "JSON file is empty"),
                  "not-json": (b"<html>502 Bad Gateway</html>", "JSON syntax: unexpected '<'; expected a value"),
                  "not-text": (b"\x81\x8d\x8f\x90\x9d", "file is neither UTF-8 nor cp1252 (byte 0x81)"),
                  "truncated": (b'{"swagger": "2.0", "paths": {', "apiDefinition.swagger.json:1:30: error: JSON syntax: expected a quoted key")}


@pytest.mark.parametrize("case", sorted(CONNECTOR_JSON))
@pytest.mark.parametrize("command", [("check", "conn"), ("docs", "conn"), ("diff", "conn", "conn")], ids=lambda c: c[0])
def test_unusable_connector_folder_json(tmp_path, case, command):
    content, message = CONNECTOR_JSON[case]
    folder = tmp_path / "conn"
    folder.mkdir()
    (folder / "apiDefinition.swagger.json").write_bytes(content)
    shutil.copy(ROOT / "apiProperties.json", folder)
    out = failed(tmp_path, *command)
    assert "conn/apiDefinition.swagger.json" in out and message in out, out


def test_docs_refuses_a_definition_that_is_not_swagger2_naming_each_place(tmp_path):
    folder = tmp_path / "conn"
    folder.mkdir()
    definition = json.loads((ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    definition["info"] = True
    definition["paths"]["/countries"]["get"]["responses"] = "none"
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition, indent=2), encoding="utf-8")
    out = failed(tmp_path, "docs", "conn")
    lines = [line for line in out.splitlines() if "error: not Swagger 2.0:" in line]
    assert len(lines) >= 2, out
    assert all(line.startswith("conn/apiDefinition.swagger.json:") and line.split(":")[1].isdigit() for line in lines), out

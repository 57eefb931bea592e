"""Hostile and broken input, command by command: a clear message naming the file, exit 2, never a traceback,
and no file of the project changed (every case snapshots the whole project copy before and after)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from hostile_support import Result, assert_clean_failure, cli, lines_run, snapshot

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


# --- inputs built to hurt: each refused with its place, exit 2, nothing written (issue 19) ----------------------


def _nested_block(depth: int) -> str:
    return "x-deep:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth)) + "  " * (depth + 1) + "v\n"


YAML_LINES = len((ROOT / YAML).read_text(encoding="utf-8").splitlines())
BUILT_TO_HURT = {
    # nesting appended after the last line: the 101st level is the first too deep (block: one line per level)
    "block-nesting-500": (lambda text: text + _nested_block(500), f":{YAML_LINES + 102}:203: error: values nested more than 100 levels deep"),
    "flow-nesting-100000": (lambda text: text + "x-deep: " + "[" * 100_000 + "]" * 100_000 + "\n",
                            f":{YAML_LINES + 1}:109: error: values nested more than 100 levels deep"),  # libyaml's composer would crash
    "int-tag-on-text": (lambda text: text.replace('  version: "1.0"', '  version: !!int "abc"'),
                        f":{VERSION_LINE}:12: error: 'abc' is not a whole number; quote it if it is text"),
    "bool-tag-on-text": (lambda text: text.replace('  version: "1.0"', '  version: !!bool "maybe"'),
                         f":{VERSION_LINE}:12: error: 'maybe' is not true or false"),
    "5000-digit-integer": (lambda text: text.replace('  version: "1.0"', "  version: " + "9" * 5000),
                           f":{VERSION_LINE}:12: error: a number of 5000 characters is longer than any connector value"),
    "inf": (lambda text: text.replace('  version: "1.0"', "  version: -.inf"), f":{VERSION_LINE}:12: error: '-.inf' is not a number JSON can hold"),
    "nan": (lambda text: text.replace('  version: "1.0"', "  version: .NaN"), f":{VERSION_LINE}:12: error: '.NaN' is not a number JSON can hold"),
    "float-overflow": (lambda text: text.replace('  version: "1.0"', "  version: 1.0e+400"), f":{VERSION_LINE}:12: error: '1.0e+400' is not a number JSON can hold"),
    "string-bomb": (lambda text: text + "x-a: &a " + "x" * 1_000_000 + "\nx-b: [" + ", ".join(["*a"] * 1000) + "]\n",
                    "error: the document expands to more than 16777216 characters of text"),
}


@pytest.mark.parametrize("case", sorted(BUILT_TO_HURT))
def test_input_built_to_hurt_is_refused_where_it_is_written(project_copy, case):
    make, message = BUILT_TO_HURT[case]
    path = project_copy / YAML
    path.write_text(make(path.read_text(encoding="utf-8")), encoding="utf-8")
    for command in (("build",), ("check", str(YAML))):
        out = failed(project_copy, *command)
        assert f"connector/clicksend.yaml{message if message.startswith(':') else ''}" in out and message in out, out


def test_unfinished_and_special_sources_are_refused_before_reading(tmp_path, project_copy):
    """A FIFO would hang a reader, /dev/zero would fill memory, a sparse 3 GB file would be read whole:
    each is refused from its type or size alone."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    sparse = tmp_path / "huge.yaml"
    with open(sparse, "wb") as handle:
        handle.truncate(3 * 1024**3)
    for source, message in ((fifo, "found a FIFO (named pipe); refused"), ("/dev/zero", "found a device or other special file"),
                            (sparse, "YAML file is 3221225472 bytes; more than 8388608 is refused")):
        for command in ("build", "check", "docs"):
            out = failed(project_copy, command, str(source))
            assert f"{source}: error: " in out and message in out, out


JSON_BUILT_TO_HURT = {
    "nan": ('"x-n": NaN', ":2:28: error: JSON syntax: NaN is not a JSON number"),
    "infinity": ('"x-n": -Infinity', ":2:28: error: JSON syntax: -Infinity is not a JSON number"),
    "overflow": ('"x-n": 1e400', ":2:28: error: JSON syntax: 1e400 is out of the range of a JSON number"),
    "nesting-10000": ('"x-n": ' + "[" * 10_000 + "]" * 10_000, ":2:127: error: JSON syntax: values nested more than 100 levels deep"),
    "lone-surrogate": ('"x-n": "\\ud800"', ":2:28: error: JSON syntax: a lone surrogate escape"),
    "5000-digits": ('"x-n": ' + "9" * 5000, ":2:28: error: JSON syntax: a number of 5000 characters"),
}


@pytest.mark.parametrize("case", sorted(JSON_BUILT_TO_HURT))
def test_connector_folder_json_built_to_hurt(tmp_path, case):
    inserted, message = JSON_BUILT_TO_HURT[case]
    folder = tmp_path / "conn"
    folder.mkdir()
    text = (ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "swagger": "2.0"')
    (folder / "apiDefinition.swagger.json").write_text(text.replace('"swagger": "2.0"', f'"swagger": "2.0", {inserted}', 1),
                                                       encoding="utf-8")
    shutil.copy(ROOT / "apiProperties.json", folder)
    for command in (("check", "conn"), ("docs", "conn"), ("diff", "conn", "conn"), ("import", "conn", "-o", "c/c.yaml")):
        out = failed(tmp_path, *command)
        assert f"conn/apiDefinition.swagger.json{message}" in out, out


def test_sparse_3gb_connector_json_is_refused_from_its_size(tmp_path):
    folder = tmp_path / "conn"
    folder.mkdir()
    shutil.copy(ROOT / "apiProperties.json", folder)
    with open(folder / "apiDefinition.swagger.json", "wb") as handle:
        handle.truncate(3 * 1024**3)
    for command in (("check", "conn"), ("docs", "conn"), ("import", "conn", "-o", "c/c.yaml")):
        result = cli(*command, cwd=tmp_path)
        assert_clean_failure(result)
        assert "conn/apiDefinition.swagger.json: error: JSON file is 3221225472 bytes; more than 8388608 is refused" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conn"]


def test_import_refuses_an_operation_id_that_is_not_text(tmp_path):
    folder = tmp_path / "conn"
    folder.mkdir()
    definition = json.loads((ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    definition["paths"]["/countries"]["get"]["operationId"] = ["a"]
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition, indent=2), encoding="utf-8")
    shutil.copy(ROOT / "apiProperties.json", folder)
    out = failed(tmp_path, "import", "conn", "-o", "c/c.yaml")
    assert "conn/apiDefinition.swagger.json:" in out and "operationId of GET /countries is list; an operationId is text" in out, out
    out = failed(tmp_path, "docs", "conn")
    assert re.search(r'conn/apiDefinition.swagger.json:\d+:\d+: error: not Swagger 2.0: operationId: \["a"\] is an array; expected string', out), out
    result = cli("check", "conn", cwd=tmp_path)  # a finding of the definition, not a crash
    assert_clean_failure(result, codes=(1,))
    assert "The operation 'operationId' property is required. (GET /countries) [OperationIdRequired]" in result.output, result.output


@pytest.mark.parametrize("name", ["icon.png", "script.csx", "apiProperties.json"])
def test_import_never_follows_a_link_out_of_the_folder(tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text("ssh-rsa AAAA do-not-copy")
    folder = tmp_path / "conn"
    folder.mkdir()
    shutil.copy(ROOT / "apiDefinition.swagger.json", folder)
    shutil.copy(ROOT / "apiProperties.json", folder)
    (folder / name).unlink(missing_ok=True)
    os.symlink(secret, folder / name)
    out = failed(tmp_path, "import", "conn", "-o", "c/c.yaml")
    assert f"conn/{name}: error: {name} is a link to a file outside the connector folder; refused" in out, out
    assert not (tmp_path / "c").exists()


# --- outputs never go through a link to outside the repo ---------------------------------------------------------


def test_build_of_a_linked_source_writes_into_the_repo_that_holds_the_link(tmp_path):
    outside, repo = tmp_path / "outside", tmp_path / "repo"
    shutil.copytree(ROOT / "connector", outside / "connector")
    repo.mkdir()
    os.symlink(outside / "connector", repo / "connector")
    before = snapshot(outside)
    result = cli("build", cwd=repo)
    assert result.exit_code == 0, result.output
    assert snapshot(outside) == before
    assert (repo / "apiDefinition.swagger.json").is_file() and (repo / "dist" / "cs" / "settings.json").is_file()


@pytest.mark.parametrize("command,link", [(("build",), "dist"), (("docs",), "docs")])
def test_no_output_is_written_through_a_link_out_of_the_repo(project_copy, tmp_path, command, link):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(project_copy / link, ignore_errors=True)
    os.symlink(outside, project_copy / link)
    out = failed(project_copy, *command)
    assert f"error: {link} is a link to {outside}, outside {project_copy}; refused" in out, out
    assert list(outside.iterdir()) == []


# --- a newline in a name never reaches a file name, the Swagger or a report line ------------------------------

NEWLINE_IN_NAMES = {
    "locale": (("locales: [en, cs]", 'locales: [en, "cs\\n"]'), f":{line_of('locales: [en, cs]')}:15: error: locales/1: 'cs\\n' is not valid"),
    "operation-id": (("  sms_send:\n", '  "sms_send\\n::error::pwned":\n'),
                     f':{line_of("  sms_send:")}:3: error: the key "sms_send\\n::error::pwned" holds a control character'),
    "request": (("request: POST /sms/send", 'request: "POST /sms/send\\n::error::pwned"'),
                f":{line_of('    request: POST /sms/send')}:14: error: operations/sms_send/request: 'POST /sms/send\\n::error::pwned' is not valid"),
    "base-path": (("  base_path: /v3", '  base_path: "/v3\\r"'), "error: connector/base_path: '/v3\\r' is not valid"),
}


@pytest.mark.parametrize("case", sorted(NEWLINE_IN_NAMES))
def test_a_control_character_in_a_name_is_refused(project_copy, case):
    (old, new), message = NEWLINE_IN_NAMES[case]
    path = project_copy / YAML
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for command in (("build",), ("check", str(YAML)), ("docs",)):
        out = failed(project_copy, *command)
        assert message in out, out
        assert not any(line.startswith("::") for line in out.splitlines()), out


def _folder_with_hostile_names(folder: Path) -> None:
    folder.mkdir()
    definition = json.loads((ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    op = definition["paths"]["/countries"]["get"]
    op["operationId"] = "countries\n::error file=x::pwned\r::warning::\u2028::notice::\x85::debug::"
    op["summary"] = "List\n::error::from a summary"
    op["x-ms-visibility"] = "bogus\n::error::from a value"
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition, indent=2), encoding="utf-8")
    shutil.copy(ROOT / "apiProperties.json", folder)


def test_connector_text_never_starts_a_workflow_command(tmp_path):
    _folder_with_hostile_names(tmp_path / "conn")
    shutil.copytree(ROOT / "connector", tmp_path / "connector")
    annotation = re.compile(r"^::(error|warning|notice) file=[^:\n]*::")
    for args in (("check", "conn"), ("check", "conn", "--format", "github"), ("diff", "conn", "connector/clicksend.yaml"),
                 ("diff", "connector/clicksend.yaml", "conn", "--format", "markdown")):
        result = cli(*args, cwd=tmp_path)
        assert result.exit_code in (0, 1), (args, result.output)
        lines = result.output.splitlines()
        assert "pwned" in result.output or args[0] == "diff"
        if "github" in args:
            assert lines and all(annotation.match(line) for line in lines), result.output
        else:
            assert not any(line.lstrip().startswith("::") for line in lines), result.output
    out = cli("diff", "conn", "connector/clicksend.yaml", cwd=tmp_path).output
    assert "countries\\n::error file=x::pwned\\r::warning::\\u2028::notice::\\x85::debug::" in out, out


def test_a_folder_name_with_a_line_break_never_starts_a_workflow_command(tmp_path):
    """A connector folder named "evil<newline>::error file=x::pwned" in a many-connector root, its files stale: no
    command's report has a line of its own that GitHub would read as a workflow command (build --check and
    deploy --dry-run printed its stale files' paths raw)."""
    hostile = tmp_path / "evil\n::error file=x::pwned"
    shutil.copytree(ROOT / "connector", hostile, ignore=shutil.ignore_patterns("deploy.*.json", "fixtures"))
    shutil.copytree(ROOT / "connector", tmp_path / "plain", ignore=shutil.ignore_patterns("deploy.*.json", "fixtures"))
    for args in (("build", "--check"), ("docs", "--check"), ("deploy", "update", "--dry-run"), ("check",), ("i18n", "status"),
                 ("script", "test")):
        result = cli(*args, cwd=tmp_path)
        assert "Traceback" not in result.output, (args, result.output)
        assert not any(line.lstrip().startswith("::") for line in result.output.splitlines()), (args, result.output)
    assert "evil\\n::error file=x::pwned/apiDefinition.swagger.json: stale" in cli("build", "--check", cwd=tmp_path).output


@pytest.mark.parametrize("exp", ["1e400", "NaN", "-Infinity", "1" + "0" * 30, "true"])
def test_deploy_login_refuses_a_token_whose_exp_is_not_a_time(tmp_path, exp):
    import base64

    def part(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    token = ".".join([part('{"alg": "none"}'), part(f'{{"oid": "o", "exp": {exp}}}'), "sig"])
    result = cli("deploy", "login", env={"PACONN_ACCESS_TOKEN": token, "HOME": str(tmp_path)}, cwd=tmp_path)
    assert_clean_failure(result)
    assert "$PACONN_ACCESS_TOKEN: the token" in result.stderr and "exp claim" in result.stderr, result.output
    assert token not in result.output and list(tmp_path.iterdir()) == []


# --- work grows linearly with the input ----------------------------------------------------------------------


def _many_operations(folder: Path, n: int, missing_dropdowns: bool = False) -> Path:
    """A source of n operations with translated summaries and descriptions (and, if asked, a dropdown each
    that names an operation that does not exist)."""
    lines = ["locales: [en, cs]", "connector:", "  title: Big", "  description: Big one", "  version: '1.0'",
             "  host: example.com", "  base_path: /v1", "operations:"]
    for i in range(n):
        lines += [f"  op_{i}:", f"    request: GET /x{i}", f"    summary: {{en: Summary {i}, cs: Souhrn {i}}}",
                  f"    description: {{en: Description {i}, cs: Popis {i}}}", "    responses:", "      200: {description: OK}"]
        if missing_dropdowns:
            lines += ["    parameters:", "      p: {in: query, type: string, dynamic_values: {operation: gone_%d, value_path: id}}" % i]
    (folder / "connector").mkdir(parents=True)
    (folder / "connector" / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _import_every_string_changed(folder: Path) -> Result:
    assert cli("i18n", "export", "connector/big.yaml", "--locale", "cs", "-o", "cs.po", cwd=folder).exit_code == 0
    po = folder / "cs.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Souhrn', 'msgstr "Nový souhrn')
                  .replace('msgstr "Popis', 'msgstr "Nový popis'), encoding="utf-8")
    return lines_run(lambda: cli("i18n", "import", "cs.po", "connector/big.yaml", cwd=folder))


def _import_every_id_unknown(folder: Path) -> Result:
    assert cli("i18n", "export", "connector/big.yaml", "--locale", "cs", "-o", "cs.po", cwd=folder).exit_code == 0
    po = folder / "cs.po"
    po.write_text(re.sub(r'msgctxt "([^"]*)"', r'msgctxt "\1x"', po.read_text(encoding="utf-8")), encoding="utf-8")
    return lines_run(lambda: cli("i18n", "import", "cs.po", "connector/big.yaml", cwd=folder))


SCALED = {  # what grew with the square of the input before (issue 19), and the exit code each ends with
    "i18n-import-every-string-changed": (_import_every_string_changed, False, 0),
    "i18n-import-every-id-unknown": (_import_every_id_unknown, False, 2),
    "build-every-dropdown-missing": (lambda folder: lines_run(lambda: cli("build", cwd=folder)), True, 2),
}


@pytest.mark.parametrize("case", sorted(SCALED))
def test_work_grows_linearly_with_the_number_of_operations(tmp_path, monkeypatch, case):
    run, missing_dropdowns, code = SCALED[case]
    # a cache of its own: parse trees an earlier run left in ~/.cache would make some sizes cheaper than others
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    run(_many_operations(tmp_path / "warm-up", 20, missing_dropdowns))  # caches and first imports, counted nowhere
    work = {}
    for n in (150, 300, 600):
        count, result = run(_many_operations(tmp_path / str(n), n, missing_dropdowns))
        assert result.exit_code == code, result.output[-500:]
        work[n] = count
    # Linear work doubles with the input (a little less: fixed costs); quadratic work would grow 2.4x-4x here.
    assert work[300] / work[150] < 2.2 and work[600] / work[300] < 2.2, work


def test_init_refuses_a_title_that_would_write_yaml_of_its_own(tmp_path):
    """The title also goes into the source's header comment: a line break there started YAML of the title's
    choosing (`--title $'Evil\\nconnector:\\n  host: evil.example'`)."""
    result = cli("init", "new", "--title", "Evil\nconnector:\n  host: evil.example", cwd=tmp_path)
    assert_clean_failure(result)
    assert "holds a line break or control character: a title is one line" in result.output
    assert not (tmp_path / "new").exists()


def test_init_in_a_folder_named_with_a_line_break_starts_no_workflow_command(tmp_path):
    result = cli("init", "t\n::error::pwned", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "t\\n::error::pwned" in result.output
    assert not any(line.lstrip().startswith("::") for line in result.output.splitlines()), result.output

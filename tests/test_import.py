"""ppconnector import: every corpus connector round-trips (key order included) or is refused clearly;
goldens of the YAML it writes; the command line's files, messages and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, require_shared, run_cli

from ppconnector.importer.pipeline import import_folder
from ppconnector.importer.verify import CRASHED, DIFFERENT, IDENTICAL, REFUSED, tally_line, verify, verify_all

CORPUS = SHARED / "corpus"
CONNECTORS = sorted(p for p in CORPUS.glob("*/*") if p.is_dir()) if CORPUS.is_dir() else []
GOLDEN = Path(__file__).with_name("golden") / "import"
GOLDENS = {"meme.yaml": ("independent-publisher-connectors", "Meme"),  # small: two operations, list parameters
           "kanban-tool.yaml": ("certified-connectors", "Kanban Tool")}  # large: policies, API key, 30 operations


class _Duplicate(ValueError):
    pass


def _strict(path: Path):
    """The file's value when it is strict JSON (UTF-8, no BOM, comments, trailing commas or duplicate keys), else the error."""
    def pairs(items):
        if len({k for k, _ in items}) != len(items):
            raise _Duplicate("duplicate key")
        return dict(items)

    try:
        return json.loads(path.read_bytes().decode("utf-8"), object_pairs_hook=pairs), None
    except (UnicodeDecodeError, ValueError) as e:
        return None, e


@pytest.mark.parametrize("folder", CONNECTORS or [None], ids=[p.name for p in CONNECTORS] or ["corpus"])
def test_corpus_connector_round_trips_or_is_refused_clearly(folder, tmp_path):
    if folder is None:
        require_shared("corpus")
    result = verify(folder, tmp_path)
    print(result.line())  # the per-connector report (pytest -s, or -rA)
    errors = {name: _strict(folder / name)[1] for name in ("apiDefinition.swagger.json", "apiProperties.json")}
    if not any(errors.values()):
        assert result.status == IDENTICAL, result.line()
        assert not result.normalized
        return
    if result.status == REFUSED:
        name, error = next((n, e) for n, e in errors.items() if e)
        assert isinstance(error, json.JSONDecodeError), result.line()  # only a file no reader can repair is refused
        # A clear message: the file, the line and column where it went wrong (where Python's parser stops too), the reason.
        assert re.search(rf"{re.escape(name)}:{error.lineno}:{error.colno}: error: JSON syntax: \S", result.message), result.line()
        assert "Traceback" not in result.message
        return
    # Not strict JSON, read anyway: it must round-trip, and say what was normalized.
    assert result.status == IDENTICAL, result.line()
    assert result.normalized, result.line()


def test_the_corpus_is_verified_in_one_process_with_a_tally():
    require_shared("corpus")
    proc = run_cli("import", "--verify", *map(str, CONNECTORS), "--format", "json")
    report = json.loads(proc.stdout)
    assert [r["folder"].split("/")[-1] for r in report["results"]] == [p.name for p in CONNECTORS]
    assert sum(report["tally"].values()) == len(CONNECTORS)
    assert report["tally"][DIFFERENT] == 0
    assert proc.returncode == (0 if report["tally"][REFUSED] == 0 else 1)
    text = run_cli("import", "--verify", *map(str, CONNECTORS[:3]))
    assert text.returncode == 0 and len(text.stdout.splitlines()) == 4
    assert text.stdout.splitlines()[-1] == "3 folders: 3 identical, 0 different, 0 refused"


def _golden_text(connector: Path) -> str:
    return import_folder(connector, ROOT / "connector" / "imported.yaml").yaml


@pytest.mark.parametrize("golden", sorted(GOLDENS))
def test_golden_yaml(golden):
    connector = require_shared("corpus", *GOLDENS[golden])
    text = _golden_text(connector)
    if os.environ.get("PPCONNECTOR_UPDATE_GOLDEN"):
        (GOLDEN / golden).write_text(text, encoding="utf-8")
    assert text == (GOLDEN / golden).read_text(encoding="utf-8"), f"run with PPCONNECTOR_UPDATE_GOLDEN=1 and review the diff of {golden}"


def test_goldens_read_like_the_clicksend_source():
    for golden in GOLDENS:
        text = (GOLDEN / golden).read_text(encoding="utf-8")
        operations = text[text.index("\noperations:"):]
        assert not re.search(r"^    raw:", operations, re.M)  # no operation needs the escape hatch in these two
        assert max(len(line) for line in text.splitlines()) <= 130
        assert re.search(r"^    request: (GET|POST|PUT|DELETE|PATCH) /", text, re.M)


def test_import_writes_a_source_that_builds_the_same_files(tmp_path):
    connector = require_shared("corpus", *GOLDENS["kanban-tool.yaml"])
    out = tmp_path / "repo" / "connector" / "kanban.yaml"
    proc = run_cli("import", str(connector), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "key order kept" in proc.stderr  # the report of what needed a hint
    built = run_cli("build", str(out), "--out", str(tmp_path / "repo"))
    assert built.returncode == 0, built.stderr
    # A certified folder is a certification folder: `package` writes it again, stackOwner included; build
    # writes the same files for deployment, without stackOwner (paconn refuses it outside certification).
    packaged = run_cli("package", str(out), "--out", str(tmp_path / "certified"))
    assert packaged.returncode == 0, packaged.stderr
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        original = json.loads((connector / name).read_text(encoding="utf-8"))
        again = json.loads((tmp_path / "certified" / name).read_text(encoding="ascii"))
        assert json.dumps(again) == json.dumps(original), name
        deployable = json.loads((tmp_path / "repo" / name).read_text(encoding="ascii"))
        if name == "apiProperties.json":
            assert original["properties"].pop("stackOwner") == "Shore Labs"
        assert json.dumps(deployable) == json.dumps(original), name
    # A second import does not overwrite silently what is there and differs.
    out.write_text(out.read_text() + "# edited\n")
    again = run_cli("import", str(connector), "-o", str(out))
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr
    assert run_cli("import", str(connector), "-o", str(out), "--force").returncode == 0


def test_clicksend_built_files_import_with_their_script(tmp_path):
    folder = tmp_path / "clicksend"
    folder.mkdir()
    for name in ("apiDefinition.swagger.json", "apiProperties.json", "script.csx", "icon.png"):
        shutil.copy2(ROOT / name, folder / name)
    result = verify(folder, tmp_path / "scratch")
    assert result.status == IDENTICAL, result.line()
    out = tmp_path / "c" / "connector" / "clicksend.yaml"
    assert run_cli("import", str(folder), "-o", str(out)).returncode == 0
    assert (out.parent / "script.csx").read_bytes() == (ROOT / "script.csx").read_bytes()
    assert (out.parent / "icon.png").read_bytes() == (ROOT / "icon.png").read_bytes()
    assert "script:\n  file: script.csx" in out.read_text() or "script: {file: script.csx}" in out.read_text()


def _folder(tmp_path: Path, definition: bytes, properties: bytes = b'{"properties": {"connectionParameters": {}}}') -> Path:
    folder = tmp_path / "lax"
    folder.mkdir(exist_ok=True)
    (folder / "apiDefinition.swagger.json").write_bytes(definition)
    (folder / "apiProperties.json").write_bytes(properties)
    return folder


LAX = ('\ufeff{\n  // exported by hand\n  "swagger": "2.0", "info": {"title": "Caf\u00e9", "description": "d", "version": "1.0"},\n'
       '  "host": "x.example", "paths": {"/a": {"get": {"summary": "A", "operationId": "A", "responses": {"200": {"description": "ok",}}}}},\n'
       '  "definitions": {}, "host": "y.example",\n}\n')


@pytest.mark.parametrize("encoding,rules", [("utf-8", {"json-bom", "json-comment", "json-trailing-comma", "json-duplicate-key"}),
                                            ("cp1252", {"json-encoding", "json-comment", "json-trailing-comma", "json-duplicate-key"})])
def test_files_that_are_not_strict_json_are_read_with_findings(tmp_path, encoding, rules):
    text = LAX if encoding == "utf-8" else LAX.lstrip("\ufeff")
    folder = _folder(tmp_path, text.encode(encoding))
    result = verify(folder, tmp_path / "scratch")
    assert result.status == IDENTICAL, result.line()
    assert {re.search(r"\[([\w-]+)\]$", f).group(1) for f in result.normalized} == rules
    proc = run_cli("import", str(folder), "-o", str(tmp_path / "out" / "lax.yaml"))
    assert proc.returncode == 0 and "duplicate key \"host\"" in proc.stderr
    assert "host: y.example" in (tmp_path / "out" / "lax.yaml").read_text()  # the last one wins, as the platform reads it


@pytest.mark.parametrize("content,expected", [
    (b'{"swagger": "2.0",\n  "info": {"title": "x"}\n  "paths": {}}', r"apiDefinition.swagger.json:3:3: error: JSON syntax: expected \",\" or \"}\""),
    (b'[1, 2]', r"apiDefinition.swagger.json:1:1: error: expected a Swagger 2.0 definition \(a JSON object\)"),
    (b'{"swagger": "3.0", "paths": {}}', r'apiDefinition.swagger.json:1:13: error: "swagger" is \'3.0\'; only Swagger 2.0'),
])
def test_unusable_files_are_refused_with_file_line_column(tmp_path, content, expected):
    folder = _folder(tmp_path, content)
    out = tmp_path / "out" / "x.yaml"
    proc = run_cli("import", str(folder), "-o", str(out))
    assert proc.returncode == 2, proc.stderr
    assert re.search(expected, proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


PATH_ITEMS = json.dumps({
    "swagger": "2.0", "info": {"title": "Hooks", "description": "d", "version": "1.0"}, "host": "x.example",
    "basePath": "/", "schemes": ["https"], "consumes": [], "produces": [],
    "paths": {
        # A notification without a schema, a body parameter without one (StaffCircle crashed the emitter).
        "/hook": {"x-ms-notification-content": {"description": "what is posted"},
                  "post": {"summary": "When", "operationId": "Hook", "x-ms-trigger": "single",
                           "parameters": [{"name": "body", "in": "body", "required": True}],
                           "responses": {"201": {"description": "Created"}}}},
        # A path with no operation (the notification a separate trigger points at), not last.
        "/callback": {"x-ms-notification-content": {"description": "posted", "schema": {"type": "object"}}},
        # Path-level parameters and extensions beside an operation that declares no responses.
        "/items/{id}": {"parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}], "x-summary": "s",
                        "get": {"summary": "Get", "operationId": "Get", "parameters": [], "responses": {}},
                        "x-ms-visibility": "internal"},
        # An operationId no YAML key can be (Rencore Code's): kept raw under a key made from it.
        "/api/analyze": {"post": {"summary": "Analyze", "operationId": "/api/analyze/post", "responses": {"200": {"description": "ok"}}}},
    },
    "definitions": {}, "parameters": {}, "responses": {}, "securityDefinitions": {}, "security": [], "tags": []}).encode()


def test_path_items_empty_responses_and_odd_operation_ids_round_trip(tmp_path):
    folder = _folder(tmp_path, PATH_ITEMS)
    result = verify(folder, tmp_path / "scratch")
    assert result.status == IDENTICAL, result.line()
    assert result.notes["path-item keys kept as they are"] == 2  # /callback and /items/{id}
    from ppconnector.check.engine import check

    source = tmp_path / "repo" / "connector" / "hooks.yaml"
    assert run_cli("import", str(folder), "-o", str(source)).returncode == 0
    assert any(f.rule == "OperationMustHaveResponse" and "(GET /items/{id})" in f.message for f in check(source)[0])  # carried over, still reported


def test_a_batch_goes_on_past_a_crash_and_says_it_is_a_bug(tmp_path, monkeypatch):
    good = _folder(tmp_path, PATH_ITEMS)
    bad = tmp_path / "bad"
    shutil.copytree(good, bad)
    import ppconnector.importer.verify as verify_module

    real = verify_module.import_path

    def crash_on_bad(path, out):  # a bug of ours on one folder, injected
        if path == bad:
            raise KeyError("schema")
        return real(path, out)

    monkeypatch.setattr(verify_module, "import_path", crash_on_bad)
    results = verify_all([bad, good, tmp_path / "nowhere"])
    assert [r.status for r in results] == [CRASHED, IDENTICAL, REFUSED]
    assert "internal error: KeyError: 'schema' at test_import.py:" in results[0].message and "a bug" in results[0].message
    assert tally_line(results) == "3 folders: 1 identical, 0 different, 1 refused, 1 crashed"


def test_a_folder_that_is_not_a_connector_is_refused(tmp_path):
    proc = run_cli("import", str(tmp_path))
    assert proc.returncode == 2 and "not a connector folder: apiDefinition.swagger.json and apiProperties.json missing" in proc.stderr
    proc = run_cli("import", str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and f"{tmp_path / 'nowhere'}: error: no such file or folder" in proc.stderr
    assert run_cli("import", str(tmp_path), str(tmp_path)).returncode == 2  # one at a time without --verify


@pytest.mark.parametrize("folder", CONNECTORS or [None], ids=[p.name for p in CONNECTORS] or ["corpus"])
def test_checking_the_imported_yaml_finds_what_checking_the_folder_finds(folder, tmp_path):
    """After adoption, check speaks about the YAML: the same rules fire (each now at a YAML line), none crashes;
    and diff sees no change at all, not even a display-only one, between the folder and its YAML."""
    from collections import Counter

    from ppconnector.check.engine import INTERNAL, check
    from ppconnector.diagnostics import InputError

    if folder is None:
        require_shared("corpus")
    source = tmp_path / "connector" / "imported.yaml"
    try:
        imported = import_folder(folder, source)
    except InputError:
        return  # refused clearly: the round-trip test above holds the message
    source.parent.mkdir(parents=True)
    source.write_text(imported.yaml, encoding="utf-8")
    for name, data in imported.beside.items():
        (source.parent / name).write_bytes(data)
    on_folder, _ = check(folder)
    on_yaml, _ = check(source)
    assert [f.message for f in on_yaml if f.rule == INTERNAL] == []
    # How the files were read; translations exist only in a YAML source, and the readme is not imported
    # (a folder's readme.md is checked as a file, a YAML source's readme is generated from connector.readme).
    reading = ("json-", "translation-", "readme-")
    assert Counter(f.rule for f in on_yaml if not f.rule.startswith(reading)) == \
        Counter(f.rule for f in on_folder if not f.rule.startswith(reading))
    assert {Path(f.file).resolve() for f in on_yaml if f.line} <= {source.resolve()}, {f.file for f in on_yaml}
    from ppconnector.diff.compare import diff
    from ppconnector.diff.load import load_side

    assert diff(load_side(str(folder)), load_side(str(source))) == []

"""Fuzzing: random mutations of the ClickSend YAML and of corpus JSON files give clean errors, never a traceback
(or exit 3) and never a hang; and the source loader's fast path (fastjsonschema) never calls valid a source
jsonschema finds errors in.

Commands run in this process (hostile_support.cli), each example under a generous wall-clock guard: a hang fails
the test instead of stalling CI.  CI runs a small derandomized sample; HYPOTHESIS_PROFILE=long runs thousands.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, note
from hypothesis import strategies as st

from conftest import ROOT, require_shared
from hostile_support import Result, cli, json_mutation, located_lines, profile, timeout, tree_mutation, yaml_mutation

SOURCE_TEXT = (ROOT / "connector" / "clicksend.yaml").read_text(encoding="utf-8")
HANG = 60  # seconds for one example's commands; a clean run of all of them takes well under one


def assert_clean(result: Result, *, args: tuple) -> None:
    note(f"ppconnector {' '.join(args)} -> {result.exit_code}\n{result.output[-2000:]}")
    assert result.exit_code in (0, 1, 2), f"exit {result.exit_code}: {result.output[-2000:]}"
    assert "Traceback" not in result.output
    assert "internal error" not in result.output and "crashed" not in result.output
    if result.exit_code == 2:  # unusable input: said where, file:line
        assert located_lines(result.stderr) or "found a directory" in result.stderr, result.output


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("fuzz") / "repo"
    shutil.copytree(ROOT / "connector", dest / "connector")
    return dest


YAML_COMMANDS = [("build", "connector/clicksend.yaml", "--out", "out"), ("check", "connector/clicksend.yaml"),
                 ("docs", "connector/clicksend.yaml", "--out", "pages"), ("i18n", "status", "connector/clicksend.yaml")]


def run_yaml_commands(repo: Path, text: str, commands=YAML_COMMANDS) -> None:
    (repo / "connector" / "clicksend.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    with timeout(HANG):
        for args in commands:
            assert_clean(cli(*args, cwd=repo), args=args)


@profile(ci=25, long=1000)
@given(text=yaml_mutation(SOURCE_TEXT))
def test_mutated_yaml_text_gives_clean_errors(repo, text):
    run_yaml_commands(repo, text, YAML_COMMANDS[:2])


SOURCE_TREE = yaml.safe_load(SOURCE_TEXT)


@profile(ci=6, long=200)
@given(tree=tree_mutation(SOURCE_TREE))
def test_mutated_yaml_structure_gives_clean_errors(repo, tree):
    """Valid YAML of the wrong shape: a value of another type, a key gone or renamed, an entry copied."""
    run_yaml_commands(repo, yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), YAML_COMMANDS[:2] + [
        ("diff", str(ROOT / "connector" / "clicksend.yaml"), "connector/clicksend.yaml")])


# --- corpus JSON -------------------------------------------------------------------------------------------


def corpus_folders() -> list[Path]:
    return sorted(p.parent for p in require_shared("corpus").rglob("apiDefinition.swagger.json"))


def readable(folder: Path, name: str):
    from ppconnector.diagnostics import InputError
    from ppconnector.source.jsonfile import read_json

    try:
        return read_json(folder / name).value
    except InputError:
        return None  # a corpus file that is itself unreadable (the reader's own tests cover it)


FOLDERS = st.deferred(lambda: st.sampled_from(corpus_folders()))
FILES = st.sampled_from(["apiDefinition.swagger.json", "apiProperties.json"])


def run_folder_commands(work: Path, original: Path) -> None:
    with timeout(HANG):
        for args in (("check", "conn"), ("docs", "conn", "--out", "pages"), ("diff", str(original), "conn")):
            assert_clean(cli(*args, cwd=work), args=args)


def copy_connector(work: Path, folder: Path) -> Path:
    dest = work / "conn"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(folder, dest)
    return dest


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-corpus")


@profile(ci=25, long=1000)
@given(data=st.data(), folder=FOLDERS, name=FILES)
def test_mutated_corpus_json_text_gives_clean_errors(work, data, folder, name):
    dest = copy_connector(work, folder)
    if not (dest / name).is_file():
        return
    text = (dest / name).read_bytes().decode("utf-8-sig", errors="replace")
    (dest / name).write_bytes(data.draw(json_mutation(text), label="mutated").encode("utf-8", "surrogatepass"))
    run_folder_commands(work, folder)


@profile(ci=25, long=600)
@given(data=st.data(), folder=FOLDERS, name=FILES)
def test_mutated_corpus_json_structure_gives_clean_errors(work, data, folder, name):
    """Strict JSON of the wrong shape: every rule of check, docs and diff must treat it as input, not crash."""
    dest = copy_connector(work, folder)
    value = readable(dest, name) if (dest / name).is_file() else None
    if value is None:
        return
    (dest / name).write_text(json.dumps(data.draw(tree_mutation(value), label="mutated"), indent=2), encoding="utf-8")
    run_folder_commands(work, folder)


# --- the loader's fast path agrees with jsonschema ----------------------------------------------------------

NUMERIC_EDGES = [1.0, -0.0, float("inf"), float("nan"), 2**64, True, "1"]


@st.composite
def source_mutation(draw, tree):
    mutated = draw(tree_mutation(tree))
    if draw(st.booleans()):  # also numbers where the schema checks types and bounds
        mutated = draw(tree_mutation(mutated))
        throttling = mutated.get("connector", {}) if isinstance(mutated, dict) else {}
        if isinstance(throttling, dict) and isinstance(throttling.get("throttling"), dict):
            throttling["throttling"]["calls"] = draw(st.sampled_from(NUMERIC_EDGES))
    return mutated


@profile(ci=30, long=1000)
@given(tree=source_mutation(SOURCE_TREE))
def test_fast_schema_path_never_passes_a_source_jsonschema_rejects(tree):
    import fastjsonschema

    from ppconnector.source.loader import _fast_validate, _validator

    errors = list(_validator().iter_errors(tree))
    try:
        _fast_validate()(tree)
        fast_valid = True
    except fastjsonschema.JsonSchemaException:
        fast_valid = False
    if errors:
        assert not fast_valid, f"fastjsonschema says valid; jsonschema: {[e.message for e in errors[:3]]}"

"""Properties of build over random valid connector sources (hypothesis).

A random source (locales, connector info, a connection, shared schemas, operations with path/query/header
parameters, bodies, responses, refs and dropdowns) must: load without errors, build into a definition that
openapi-spec-validator and Microsoft's schemas accept (apiProperties and settings too), build to the same
bytes every time, and diff as empty against itself.  Everything runs in this process.

CI runs a small derandomized sample; HYPOTHESIS_PROFILE=long runs thousands (see tests/hostile_support.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hostile_support import profile
from ms_schemas import errors as ms_errors

NAME = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P"), exclude_characters="\r\n\x85\u2028\u2029"),
                min_size=1, max_size=40).map(str.strip).filter(bool)
SCALAR_TYPES = ["string", "integer", "number", "boolean"]


@st.composite
def text(draw, locales: list[str]):
    """A display string: plain text (source locale only) or a map with every locale."""
    if len(locales) == 1 and draw(st.booleans()):
        return draw(WORDS)
    return {loc: draw(WORDS) for loc in locales}


@st.composite
def schema(draw, locales, refs: list[str], depth: int = 0):
    kind = draw(st.sampled_from(["scalar", "scalar", "ref", "array", "object"] if depth < 2 else ["scalar"]))
    if kind == "ref" and refs:
        return {"ref": draw(st.sampled_from(refs))}
    if kind == "array":
        return {"type": "array", "items": draw(schema(locales, refs, depth + 1)), "summary": draw(text(locales))}
    if kind == "object":
        names = draw(st.lists(NAME, min_size=1, max_size=4, unique=True))
        props = {}
        for n in names:
            sub = draw(schema(locales, refs, depth + 1))
            if "ref" not in sub and draw(st.booleans()):
                sub["required"] = True
            props[n] = sub
        return {"type": "object", "properties": props}
    node = {"type": draw(st.sampled_from(SCALAR_TYPES)), "summary": draw(text(locales))}
    if draw(st.booleans()):
        node["description"] = draw(text(locales))
    if node["type"] == "string" and draw(st.integers(0, 3)) == 0:
        node["enum"] = [{"value": v, "display_name": draw(text(locales))} for v in draw(st.lists(NAME, min_size=1, max_size=3, unique=True))]
    if draw(st.integers(0, 3)) == 0:
        node["visibility"] = draw(st.sampled_from(["important", "advanced"]))
    return node


@st.composite
def sources(draw) -> dict:
    locales = draw(st.sampled_from([["en"], ["en", "cs"], ["cs", "en", "de"]]))
    shared = draw(st.lists(NAME.map(str.capitalize), max_size=3, unique=True))
    schemas = {}
    for i, n in enumerate(shared):
        schemas[n] = draw(schema(locales, shared[:i]))  # a schema refers only to earlier ones: no cycles
    op_ids = draw(st.lists(NAME, min_size=1, max_size=5, unique_by=str.lower))
    operations, seen = {}, set()
    for op_id in op_ids:
        method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]))
        segments = draw(st.lists(NAME, min_size=1, max_size=3))
        path_params = draw(st.lists(NAME, max_size=2, unique=True))
        path_params = [p for p in path_params if p not in segments]
        path = "/" + "/".join(segments + [f"{{{p}}}" for p in path_params])
        if (method, "/".join(segments), len(path_params)) in seen:
            continue  # two operations with one method and path template: a source error, not this property
        seen.add((method, "/".join(segments), len(path_params)))
        op: dict = {"request": f"{method} {path}", "summary": draw(text(locales)), "description": draw(text(locales))}
        params = {}
        for p in path_params:
            params[p] = {"in": "path", "type": draw(st.sampled_from(["string", "integer"])), "required": True,
                         "summary": draw(text(locales))}
        for q in draw(st.lists(NAME, max_size=3, unique=True)):
            if q not in params:
                params[q] = {"in": draw(st.sampled_from(["query", "header"])), "type": draw(st.sampled_from(SCALAR_TYPES)),
                             "summary": draw(text(locales)), "description": draw(text(locales))}
                if draw(st.booleans()):
                    params[q]["required"] = True
        if params:
            op["parameters"] = params
        if method in ("POST", "PUT", "PATCH") and draw(st.booleans()):
            op["body"] = {"type": "object", "properties": {n: draw(schema(locales, shared, 1)) for n in draw(st.lists(NAME, min_size=1, max_size=3, unique=True))}}
        response = {"description": draw(text(locales))}
        if draw(st.booleans()):
            response["schema"] = draw(schema(locales, shared))
        op["responses"] = {draw(st.sampled_from(["200", "201", "default"])): response}
        operations[op_id] = op
    # A dropdown filled by another operation, where there are two.
    ids = list(operations)
    if len(ids) > 1 and draw(st.booleans()):
        source_op, target_op = ids[0], ids[-1]
        operations[target_op].setdefault("parameters", {})["choice"] = {
            "in": "query", "type": "string", "summary": draw(text(locales)),
            "dynamic_values": {"operation": source_op, "value_path": "id", "value_title": "name"}}
    doc = {"locales": locales,
           "connector": {"title": draw(text(locales)), "description": draw(text(locales)),
                         "version": "1.0", "host": "api.example.com", "base_path": "/v1", "schemes": ["https"],
                         "publisher": "Example", "brand_color": "#123abc"},
           "connection": {"auth": draw(st.sampled_from(["basic", "none"]))},
           "operations": operations}
    if doc["connection"]["auth"] == "basic":
        doc["connection"]["parameters"] = {
            "username": {"type": "securestring", "required": True, "display_name": draw(text(locales))},
            "password": {"type": "securestring", "required": True, "display_name": draw(text(locales))}}
    if schemas:
        doc["schemas"] = schemas
    return doc


def write_source(folder: Path, doc: dict) -> Path:
    (folder / "connector").mkdir(parents=True, exist_ok=True)
    path = folder / "connector" / "random.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_all(path: Path, out: Path) -> dict[Path, bytes]:
    from ppconnector.build import build
    from ppconnector.source.loader import load_connector

    connector, _ = load_connector(path)
    files: dict[Path, bytes] = {}
    for loc in connector.locales:
        files.update(build(connector, loc, out).files)
    return files


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("property-build")


@profile(ci=25, long=600)
@given(doc=sources())
def test_random_sources_build_into_valid_deterministic_definitions(scratch, doc):
    from openapi_spec_validator import OpenAPIV2SpecValidator

    path = write_source(scratch, doc)
    files = build_all(path, scratch / "out")
    assert files == build_all(path, scratch / "out"), "two builds of one source differ"
    for file, data in files.items():
        if file.suffix != ".json":
            continue
        value = json.loads(data)
        if file.name == "apiDefinition.swagger.json":
            assert [e.message for e in OpenAPIV2SpecValidator(value).iter_errors()] == []
            assert ms_errors("apiDefinition", value) == []
        elif file.name == "apiProperties.json":
            assert ms_errors("apiProperties", value) == []
        elif file.name == "settings.json":
            assert ms_errors("settings", value) == []


@profile(ci=15, long=300)
@given(doc=sources())
def test_random_sources_diff_as_empty_against_themselves(scratch, doc):
    from ppconnector.diff.compare import diff
    from ppconnector.diff.load import load_side

    path = write_source(scratch, doc)
    for locale in doc["locales"]:
        assert diff(load_side(str(path), locale), load_side(str(path), locale)) == []


@profile(ci=15, long=300)
@given(doc=sources())
def test_random_sources_round_trip_through_import(scratch, doc):
    """Each locale's build, imported back into YAML and built again, gives the same definition and properties
    (as JSON values, key order included): the importer can say everything the builder writes."""
    import shutil

    from ppconnector.build import build
    from ppconnector.importer.verify import IDENTICAL, verify
    from ppconnector.source.loader import load_connector

    connector, _ = load_connector(write_source(scratch, doc))
    for loc in connector.locales:
        folder = scratch / "built" / loc
        shutil.rmtree(folder, ignore_errors=True)
        for path, data in build(connector, loc, folder).files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        built = next(p.parent for p in folder.rglob("apiDefinition.swagger.json"))
        result = verify(built, scratch / "verify")
        assert result.status == IDENTICAL, result.line()

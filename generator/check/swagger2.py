"""Swagger 2.0 structure: the official 2.0 JSON Schema (the one openapi-spec-validator ships), compiled.

The common case, a valid definition, takes the fast path: fastjsonschema turns the schema into Python
code once (cached on disk per schema, so a pre-commit hook does not pay for compiling again), which
validates Encodian's 1.1 MB definition in under 0.1 s.  Only when that says "invalid" does jsonschema
walk the document again to list every error with its place.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Iterator

from ..fastschema import compiled


def schema_file() -> Path | None:
    spec = importlib.util.find_spec("openapi_spec_validator")  # locating, not importing (it is slow to import)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "resources" / "schemas" / "v2.0" / "schema.json"
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=1)
def _schema() -> dict:
    path = schema_file()
    if path is None:
        raise RuntimeError("openapi-spec-validator's Swagger 2.0 schema is not installed")
    return json.loads(path.read_text(encoding="utf-8"))


def _fast():
    return compiled(_schema(), "swagger2")


def _slow_errors(definition: dict, schema: dict | None = None) -> Iterator[tuple[str, str]]:
    for pointer, message, _ in _slow_findings(definition, schema):
        yield pointer, message


def _slow_findings(definition: dict, schema: dict | None = None) -> Iterator[tuple[str, str, str]]:
    """(pointer, message, the JSON Schema keyword broken) for each place definition breaks schema."""
    import jsonschema

    from referencing import Registry, Resource
    from referencing.jsonschema import specification_with

    schema = schema or _schema()
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    registry = Registry()
    own_id = schema.get("$id") or schema.get("id")
    if isinstance(own_id, str):  # Microsoft's draft-07 schema names itself with draft-04's "id": register it by hand
        resource = Resource(contents=schema, specification=specification_with(cls.META_SCHEMA["$schema"]))
        registry = registry.with_resources([(own_id, resource), (own_id.rstrip("#"), resource)])
    validator = cls(schema, registry=registry)
    seen = set()
    for error in validator.iter_errors(definition):
        for leaf in _leaves(error):
            pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in leaf.absolute_path)
            message = _message(leaf)
            if (pointer, message) not in seen:
                seen.add((pointer, message))
                yield pointer, message, leaf.validator


def all_ruled_out(errors) -> bool:
    """A branch meant for another parameter location: its "in" does not match, here or in every sub-branch."""
    for e in errors:
        if e.validator in ("enum", "const") and list(e.relative_path) in (["in"], ["type"], ["templateId"], ["identityProvider"]):
            return True
        if e.validator == "required" and e.validator_value == ["$ref"] and not e.relative_path:
            return True  # the {"$ref": ...} branch, for a value that is no reference
        if e.validator in ("oneOf", "anyOf") and e.context and not e.relative_path:
            subs: dict = {}
            for c in e.context:
                subs.setdefault(c.relative_schema_path[0] if c.relative_schema_path else 0, []).append(c)
            if all(all_ruled_out(b) for b in subs.values()):
                return True
    return False


def _leaves(error) -> Iterator:
    """oneOf/anyOf errors are unreadable as a whole ("is not valid under any of the given schemas"): follow
    the branch the value was meant for (not ruled out by its "in"/"type" discriminator, fewest errors)."""
    if not error.context or error.validator not in ("oneOf", "anyOf"):
        yield error
        return
    branches: dict = {}
    for e in error.context:
        branches.setdefault(e.relative_schema_path[0] if e.relative_schema_path else 0, []).append(e)

    def score(errors):
        ruled_out = all_ruled_out(errors)
        wrong_type = any(e.validator == "type" and not e.relative_path for e in errors)
        return (ruled_out, wrong_type, len(errors))  # ties: the first branch (schema before fileSchema)

    if branches and all(all_ruled_out(b) for b in branches.values()):
        keys = [list(e.relative_path)[0] for e in _all_context(error) if e.validator in ("enum", "const") and len(e.relative_path) == 1
                and list(e.relative_path)[0] in ("in", "type", "templateId", "identityProvider")]
        key = max(set(keys), key=keys.count) if keys else "in"
        allowed = sorted({str(v) for e in _all_context(error) if e.validator in ("enum", "const") and list(e.relative_path) == [key]
                          for v in (e.validator_value if e.validator == "enum" else [e.validator_value])})
        what = "a parameter location" if key == "in" else f"a known {key}"
        value = error.instance.get(key) if isinstance(error.instance, dict) else None
        yield _Note(list(error.absolute_path) + [key], f"{value!r} is not {what}; one of {', '.join(allowed)}")
        return
    chosen = min(branches.values(), key=score)
    for e in chosen:
        yield from _leaves(e)


class _Note:
    """A message made from several branch errors (it has what _slow_errors reads of a ValidationError)."""

    validator = "note"

    def __init__(self, path: list, message: str):
        self.absolute_path, self.message = path, message


def _all_context(error) -> Iterator:
    for e in error.context or []:
        yield e
        yield from _all_context(e)


@functools.lru_cache(maxsize=4096)
def _suggestion(key: str, known: tuple[str, ...]) -> str:
    """did_you_mean, once per key and list: a typo is usually repeated (one public connector has 146 "x-ms-summary title")."""
    from ..diagnostics import did_you_mean

    return did_you_mean(key, known)


def _message(error) -> str:
    import re


    path = list(error.absolute_path)
    where = ("/".join(map(str, path[-2:])) if isinstance(path[-1], int) else str(path[-1])) if path else "the top level"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = list((error.schema.get("properties") or {}))
        patterns = list((error.schema.get("patternProperties") or {}))
        extras = [k for k in error.instance if k not in known and not any(re.search(p, k) for p in patterns)]
        allowed = ", ".join(known) + (", x-... extensions" if "^x-" in patterns else "")
        return "; ".join(f'unknown key "{k}" in {where}{_suggestion(k, tuple(known))}; allowed: {allowed}' for k in extras) or error.message
    if error.validator == "note":
        return error.message
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    return f"{where}: {error.message[:300]}"


def fast_valid(definition: dict) -> bool | None:
    """True/False from the compiled validator; None when it is not available."""
    fast = _fast()
    if fast is None:
        return None
    from fastjsonschema import JsonSchemaException

    try:
        fast(definition)
    except JsonSchemaException:
        return False
    return True


def structure_errors(definition: dict) -> list[tuple[str, str]]:
    """(pointer, message) for each place the definition breaks the Swagger 2.0 JSON Schema."""
    return [(pointer, message) for pointer, message, _ in structure_findings(definition)]


def structure_findings(definition: dict) -> list[tuple[str, str, str]]:
    """(pointer, message, keyword) for each place the definition breaks the Swagger 2.0 JSON Schema; the keyword
    (type, enum, required, additionalProperties, ...) says which of Microsoft's rules the break is."""
    if fast_valid(definition):
        return []
    return list(_slow_findings(narrowed(definition, _fast())))


def schema_errors(document: dict, schema: dict, tag: str) -> list[tuple[str, str]]:
    """(pointer, message) for each place document breaks schema (compiled fast path first)."""
    fast = compiled(schema, tag)
    if fast is not None:
        if _valid(fast, document):
            return []
        document = narrowed(document, fast)
    return list(_slow_errors(document, schema))


def _valid(fast, document) -> bool:
    from fastjsonschema import JsonSchemaException

    try:
        fast(document)
    except JsonSchemaException:
        return False
    return True


# Maps whose entries the Swagger 2.0 schema and ours judge one by one: an entry's validity never depends on its
# neighbours (patternProperties/additionalProperties of a sub-schema, no constraint across entries).
SPLIT = ("paths", "definitions", "parameters", "responses")
_SKELETON = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}


def narrowed(document: dict, fast) -> dict:
    """The invalid document with only the entries of its big maps that break the schema on their own, each tried
    alone in the document's other members (or a minimal valid skeleton): jsonschema then walks the few broken path
    items and definitions instead of all of them, and finds the same errors at the same pointers."""
    if fast is None or not isinstance(document, dict):
        return document
    big = [k for k in SPLIT if isinstance(document.get(k), dict) and len(document[k]) > 1]
    if not big:
        return document
    base = {k: ({} if k in big else v) for k, v in document.items()}
    if not _valid(fast, base):
        base = dict(_SKELETON)
        if not _valid(fast, base):
            return document
    out = dict(document)
    for key in big:
        rest = {k: v for k, v in base.items() if k != key}
        out[key] = {name: value for name, value in document[key].items() if not _valid(fast, {**rest, key: {name: value}})}
    return out

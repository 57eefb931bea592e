"""The swagger family: the Swagger 2.0 JSON Schema, unresolvable $refs, ppconnector's own JSON Schemas for the x-ms-* extensions and apiProperties."""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from ... import envvars
from ..registry import DEFINITION, PROPERTIES, Issue, Target, rule
from ..walk import resolve
from .common import _typed_having, ERROR, INFO, SWAGGER, WARNING, _cached, _having, _has_type, _typed


@rule("swagger-schema", ERROR, SWAGGER,
      "The definition breaks the Swagger 2.0 JSON Schema (the schema openapi-spec-validator uses) where no Microsoft rule names the break (type, enum, required member and unknown key are Microsoft's Json*/Required*/ExtensionNameNotValid).")
def swagger_schema(t: Target) -> Iterable[Issue]:
    from ..swagger2 import schema_file

    if schema_file() is None:
        yield Issue("the Swagger 2.0 schema was not checked: openapi-spec-validator is not installed (pip install openapi-spec-validator)",
                    severity=INFO)
        return
    for pointer, message, keyword in structure(t):
        if keyword not in STRUCTURE_RULES and not _microsofts(t, pointer, keyword) and not envvars.accepted(t.definition, envvars.DEFINITION, pointer):
            yield Issue(message, pointer)


def _microsofts(t: Target, pointer: str, keyword: str) -> bool:
    """A break of the Swagger schema that one of Microsoft's rules judges: one defect, one finding, under Microsoft's
    name (whose message the certification pages explain), and one verdict per question."""
    if pointer == "/host" and keyword == "pattern":
        return True  # HostNameNotValid decides what a host may be (it accepts the {{placeholder}} hosts Microsoft merged)
    parent, _, last = pointer.rpartition("/")
    if last == "responses" and keyword in ("minProperties", "not") and resolve(t.definition, "#" + pointer) == {}:
        return True  # an empty responses object: OperationMustHaveResponse
    if last in ("enum", "required") and keyword == "uniqueItems":
        return parent in _cached(t, "typed-pointers", lambda: {p for _, p in _typed(t)})  # a repeated value: ArrayDuplicateValue reports each repeat
    return False


def structure(t: Target) -> list[tuple[str, str, str]]:
    """The Swagger 2.0 schema's findings, computed once for every rule that reports a share of them."""
    from ..swagger2 import schema_file, structure_findings

    return _cached(t, "structure", lambda: structure_findings(t.definition) if schema_file() else [])


# The JSON Schema keyword a break is of -> Microsoft's rule for it (the validator checks the same schema).
STRUCTURE_RULES = {"type": "JsonTypeIncorrect", "enum": "JsonValueNotInEnum", "note": "JsonValueNotInEnum",
                   "required": "RequiredPropertyMissing", "additionalProperties": "ExtensionNameNotValid"}


@rule("swagger-unresolved-ref", ERROR, SWAGGER,
      "A $ref is not a local reference (#/...) to something that exists; the platform resolves only local references.")
def swagger_unresolved_ref(t: Target) -> Iterable[Issue]:
    for node, p in _having(t, "$ref"):
        ref = node.get("$ref")
        if isinstance(ref, str) and resolve(t.definition, ref) is None:
            kind = ref.split("/")[1] if ref.startswith("#/") and ref.count("/") >= 2 else ""
            if kind in ("definitions", "parameters", "responses"):
                continue  # reported under Microsoft's name (SchemaReferenceNotFound and its siblings)
            yield Issue(f'$ref "{ref}" does not resolve to anything in this file', p + "/$ref")


def _ms_schema(t: Target, kind: str) -> Iterator[Issue]:
    from ..msschema import load
    from ..swagger2 import schema_errors

    file = DEFINITION if kind == "definition" else PROPERTIES
    document = t.definition if kind == "definition" else t.properties
    if not isinstance(document, dict):
        return
    for pointer, message in schema_errors(document, load(kind), "pp-" + kind):
        if not envvars.accepted(document, kind, pointer):  # a documented environment variable (Host, Base URL, Security tab)
            yield Issue(message, pointer, file=file)


@rule("ms-definition-schema", WARNING, SWAGGER,
      "The x-ms-* extensions against ppconnector's apiDefinition schema (where each may appear, what its value is); "
      "a warning because the platform ignores a misplaced or misspelled extension.")
def ms_definition_schema(t: Target) -> Iterable[Issue]:
    yield from _ms_schema(t, "definition")


@rule("ms-properties-schema", WARNING, SWAGGER,
      "apiProperties.json against ppconnector's apiProperties schema (the keys paconn and the platform read today).")
def ms_properties_schema(t: Target) -> Iterable[Issue]:
    yield from _ms_schema(t, "properties")


@rule("default-value-valid", WARNING, SWAGGER, "A default value of the right type should also be valid against its schema (enum, required properties); the platform sends it as it is.")
def default_value_valid(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "default"):
        value = node.get("default")
        if value is None or (isinstance(node.get("type"), str) and not _has_type(value, node["type"])):
            continue  # absent, or DefaultValueMustMatchType's
        if isinstance(node.get("enum"), list) and node["enum"] and value not in node["enum"]:
            yield Issue(f"default {value!r} is not one of the enum's values", p + "/default")
        elif isinstance(value, (dict, list)) and node.get("type") != "file":
            message = _default_error(t.definition, node)
            if message:
                yield Issue(f"default {value!r} is not valid against its schema: {message}", p + "/default")


def _default_error(d: dict, node: dict) -> str | None:
    import jsonschema

    schema = {k: v for k, v in node.items() if k != "default"}
    if isinstance(d.get("definitions"), dict):
        schema["definitions"] = d["definitions"]
    try:
        error = jsonschema.exceptions.best_match(jsonschema.Draft4Validator(schema).iter_errors(node["default"]))
    except Exception:  # noqa: BLE001 - a schema jsonschema cannot use (unknown type, bad $ref) is reported elsewhere
        return None
    return error.message if error else None


_FORMATS = {
    "date-time": re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?"),
    "date": re.compile(r"\d{4}-\d\d-\d\d"),
    "email": re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"),
    "uri": re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S*"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"),
    "byte": re.compile(r"[A-Za-z0-9+/]*={0,2}"),
}
_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _format_error(value: Any, fmt: str) -> str | None:
    # A value starting with @ is a workflow expression (@{utcNow()}), evaluated before it is sent.
    if isinstance(value, str) and fmt in _FORMATS and value and not value.startswith("@") and not _FORMATS[fmt].fullmatch(value.strip()):
        return f"{value!r} is not a {fmt}"
    if isinstance(value, int) and not isinstance(value, bool) and fmt in _RANGES and not _RANGES[fmt][0] <= value <= _RANGES[fmt][1]:
        return f"{value} is outside {fmt}"
    return None


@rule("value-format", WARNING, SWAGGER, "A default, example or enum value matches the declared format (date-time, date, email, uri, uuid, byte, int32, int64): the designer shows it and the platform sends it.")
def value_format(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "format"):
        fmt = node.get("format")
        if not isinstance(fmt, str):
            continue
        places = [(node.get(key), f"{p}/{key}") for key in ("default", "example", "x-example") if key in node]
        places += [(v, f"{p}/enum/{i}") for i, v in enumerate(node["enum"])] if isinstance(node.get("enum"), list) else []
        for value, where in places:
            message = _format_error(value, fmt)
            if message:
                yield Issue(f"{message} (format {fmt})", where)

"""Microsoft's Swagger Validator rules of the page's Operations section about dynamic extensions
(x-ms-dynamic-values/-schema and their newer -list/-properties): the operation they call, the parameters they
pass, and what that operation returns."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..registry import Issue, Target, rule
from ..walk import Op, esc, resolve
from .common import CROSS, ERROR, MS, WARNING, _cached, _having, _has_type, _json_type, _op_ids, _ops, _params

SECTION = "Operations"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


def _dynamic(t: Target) -> Iterator[tuple[str, dict, str]]:
    for node, p in _having(t, "x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-tree", "x-ms-dynamic-properties"):
        for key in ("x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-tree", "x-ms-dynamic-properties"):
            ext = node.get(key)
            if isinstance(ext, dict):
                yield key, ext, f"{p}/{key}"


@rule("OperationIdNotFound", ERROR, CROSS, "x-ms-dynamic-values/-schema/-list/-properties must call an existing operationId.")
def dynamic_operation_not_found(t: Target) -> Iterable[Issue]:
    from ...diagnostics import did_you_mean

    for key, ext, p in _dynamic(t):
        op = ext.get("operationId")
        if key == "x-ms-dynamic-tree":
            continue
        if isinstance(op, str) and op not in _op_ids(t):
            yield Issue(f"The 'operationId' could not be found in this swagger document. ({key} calls '{op}'{did_you_mean(op, _op_ids(t))})",
                        p + "/operationId")


_NEWER = {"x-ms-dynamic-values": "x-ms-dynamic-list", "x-ms-dynamic-schema": "x-ms-dynamic-properties"}


@rule("OperationParameterNameNotFound", ERROR, CROSS, "The parameters a dynamic extension passes must be parameters (or body/<property> paths) of the operation it calls.")
def dynamic_parameter_not_found(t: Target) -> Iterable[Issue]:
    by_id = {op.id: op for op in _ops(t) if op.id}
    for node, p in _having(t, "x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-properties"):
        for key in ("x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-properties"):
            ext = node.get(key)
            # The platform reads the newer extension where both are given; the older one is kept for old designers.
            if not isinstance(ext, dict) or _NEWER.get(key) in node:
                continue
            target = by_id.get(ext.get("operationId")) if isinstance(ext.get("operationId"), str) else None
            params = ext.get("parameters")
            if target is None or not isinstance(params, dict):
                continue
            for name in params:
                if not _names_parameter(t, target, str(name)):
                    yield Issue(f"The parameter could not be found in operation '{target.id}' in the swagger document. "
                                f'({key} passes "{name}")', f"{p}/{key}/parameters/{esc(name)}")


def _names_parameter(t: Target, target: Op, name: str) -> bool:
    """name is a parameter of target, or "body/a/b" (or "<body name>/a/b"): a property path in its body."""
    params = _params(t, target)
    if any(str(q.get("name")) == name for q, _ in params):
        return True
    head, _, rest = name.partition("/")
    body = next((q for q, _ in params if q.get("in") == "body"), None)
    if not rest or body is None or head not in ("body", str(body.get("name"))):
        return False
    schema = body.get("schema")
    for part in rest.split("/"):
        schema = resolve(t.definition, schema["$ref"]) if isinstance(schema, dict) and "$ref" in schema else schema
        props = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(props, dict):
            return True  # a schema without properties (dynamic, free-form): anything may be passed
        if part not in props:
            return False
        schema = props[part]
    return True


def _calls(t: Target) -> list[tuple[str, dict, dict, str, Op | None]]:
    """(extension, its value, the node carrying it, pointer to the extension, the operation it calls) for every
    x-ms-dynamic-values/-schema/-list/-properties whose operationId is a string; found once per target, as a
    dozen rules read them."""
    return _cached(t, "dynamic-calls", lambda: list(_find_calls(t)))


def _find_calls(t: Target) -> Iterator[tuple[str, dict, dict, str, Op | None]]:
    by_id = {op.id: op for op in _ops(t) if op.id}
    for node, p in _having(t, "x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-properties"):
        for key in ("x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-properties"):
            ext = node.get(key)
            if isinstance(ext, dict) and isinstance(ext.get("operationId"), str):
                yield key, ext, node, f"{p}/{key}", by_id.get(ext["operationId"])


def _referenced(value: Any) -> str | None:
    """The source parameter a mapping reads ({"parameter": x} of the old extensions, {"parameterReference": x} of the new)."""
    if isinstance(value, dict):
        ref = value.get("parameter", value.get("parameterReference"))
        return ref if isinstance(ref, str) else None
    return None


def _static(value: Any) -> tuple[bool, Any]:
    """(True, the value) when a mapping passes a fixed value: {"value": x}, or a bare scalar in the old extensions."""
    if isinstance(value, dict):
        return ("value" in value and len(value) == 1), value.get("value")
    return value is not None, value


@rule("DynamicListExtensionRequiredForNonParameterReferences", ERROR, MS, "x-ms-dynamic-values that reads a property inside a parameter (a/b) needs x-ms-dynamic-list beside it.")
def dynamic_list_required(t: Target) -> Iterable[Issue]:
    yield from _needs_newer(t, "x-ms-dynamic-values", "x-ms-dynamic-list")


@rule("DynamicPropertiesExtensionRequiredForNonParameterReferences", ERROR, MS, "x-ms-dynamic-schema that reads a property inside a parameter (a/b) needs x-ms-dynamic-properties beside it.")
def dynamic_properties_required(t: Target) -> Iterable[Issue]:
    yield from _needs_newer(t, "x-ms-dynamic-schema", "x-ms-dynamic-properties")


def _needs_newer(t: Target, old: str, new: str) -> Iterator[Issue]:
    for key, ext, node, p, _ in _calls(t):
        if key == old and new not in node:
            for name, value in (ext.get("parameters") or {}).items() if isinstance(ext.get("parameters"), dict) else ():
                ref = _referenced(value)
                if ref and "/" in ref:
                    yield Issue(f"The '{old}' extension references properties within parameters. You need to define the '{new}' extension.",
                                f"{p}/parameters/{esc(name)}")


def _value_path(ext: dict) -> str | None:
    path = ext.get("value-path")
    return path if isinstance(path, str) else None


@rule("DynamicPropertiesExtensionRequiredForPropertiesValuePath", ERROR, MS, "x-ms-dynamic-schema whose value-path ends at 'properties' needs x-ms-dynamic-properties pointing at the schema object.")
def properties_value_path(t: Target) -> Iterable[Issue]:
    for key, ext, node, p, _ in _calls(t):
        path = _value_path(ext)
        if key == "x-ms-dynamic-schema" and path and path.split("/")[-1] == "properties" and "x-ms-dynamic-properties" not in node:
            yield Issue("The 'x-ms-dynamic-schema' extension property 'value-path' points to schema properties. You need to define the "
                        "'x-ms-dynamic-properties' extension, which points to schema object.", p + "/value-path")


@rule("DynamicPropertiesItemValuePathMismatch", ERROR, MS, "x-ms-dynamic-properties' itemValuePath is x-ms-dynamic-schema's value-path without its trailing 'properties'.")
def item_value_path_mismatch(t: Target) -> Iterable[Issue]:
    for node, p in _having(t, "x-ms-dynamic-schema"):
        old, new = node.get("x-ms-dynamic-schema"), node.get("x-ms-dynamic-properties")
        if isinstance(old, dict) and isinstance(new, dict) and _value_path(old) and isinstance(new.get("itemValuePath"), str):
            parts = _value_path(old).split("/")
            expected = "/".join(parts[:-1] if parts[-1] == "properties" else parts)
            if new["itemValuePath"].strip("/") != expected.strip("/"):
                yield Issue("The 'x-ms-dynamic-properties' extension should have the same item value path as 'x-ms-dynamic-schema' extension "
                            f"without 'properties' ending. The expected path is '{expected}'.", f"{p}/x-ms-dynamic-properties/itemValuePath")


def _success_schema(t: Target, op: Op) -> Any:
    responses = op.node.get("responses") if isinstance(op.node.get("responses"), dict) else {}
    code = next((c for c in ("200", "201") if c in responses), next((c for c in responses if str(c).startswith("2")), None))
    response = responses.get(code) if code else None
    if isinstance(response, dict) and isinstance(response.get("$ref"), str):
        response = resolve(t.definition, response["$ref"])
    return _deref(t, response.get("schema")) if isinstance(response, dict) else None


def _deref(t: Target, schema: Any) -> Any:
    for _ in range(20):  # an alias chain, not a loop
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            break
        schema = resolve(t.definition, schema["$ref"])
    return schema


def _follow(t: Target, schema: Any, path: str) -> tuple[Any, bool]:
    """(the schema at path, True) or (None, False) where a declared object lacks a step; (None, True) when a free-form
    schema (no properties, or composed) leaves it undecidable."""
    for part in [s for s in path.split("/") if s]:
        schema = _deref(t, schema)
        props = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(props, dict) or any(k in schema for k in ("allOf", "anyOf", "oneOf", "additionalProperties")):
            return None, True
        # Letter case is not compared: FlowForma and SkyPointCloud read "Flows" from "flows", and work.
        name = next((k for k in props if k.lower() == part.lower()), None)
        if name is None:
            return None, False
        schema = props[name]
    return _deref(t, schema), True


_PATHS = {"x-ms-dynamic-values": ("value-collection", ("value-path", "value-title")),
          "x-ms-dynamic-list": ("itemsPath", ("itemValuePath", "itemTitlePath"))}


@rule("InvokedOperationShouldProduceArray", ERROR, MS, "The operation a dynamic list calls returns an array where value-collection (itemsPath) says, or at its root.")
def invoked_array(t: Target) -> Iterable[Issue]:
    for key, ext, _, p, target in _calls(t):
        if key in _PATHS and target is not None:
            path = ext.get(_PATHS[key][0])
            # Only a path that is given: without one, 4 corpus connectors read a list from an object response, and work.
            found = _follow(t, _success_schema(t, target), path)[0] if isinstance(path, str) and path.strip("/") else None
            if isinstance(found, dict) and isinstance(found.get("type"), str) and found["type"] != "array":
                yield Issue(f"The dynamic operation expects an array on the specified path '{path}' which should be defined in the successful "
                            f"response of the invoked operation '{target.id}'.", p)


@rule("InvokedOperationShouldProduceProperty", ERROR, MS, "The paths a dynamic list reads (value-collection, value-path, value-title and the -list equivalents) exist in the called operation's success response.")
def invoked_property(t: Target) -> Iterable[Issue]:
    for key, ext, _, p, target in _calls(t):
        if key not in _PATHS or target is None:
            continue
        collection_key, item_keys = _PATHS[key]
        collection = ext.get(collection_key) if isinstance(ext.get(collection_key), str) else ""
        found, decidable = _follow(t, _success_schema(t, target), collection)
        missing = [(collection_key, collection)] if not decidable else []
        items = _deref(t, found.get("items")) if isinstance(found, dict) and found.get("type") == "array" else None
        for item_key in item_keys:
            path = ext.get(item_key)
            if items is not None and isinstance(path, str) and not _follow(t, items, path)[1]:
                missing.append((item_key, path))
        for item_key, path in missing:
            yield Issue(f"The dynamic operation expects a property on the specified path '{path}' which should be defined in the successful "
                        f"response of the invoked operation '{target.id}'.", f"{p}/{item_key}")


@rule("OperationMissingRequiredProperty", ERROR, MS, "A dynamic extension passes every required parameter of the operation it calls (those with a default excepted).")
def missing_required(t: Target) -> Iterable[Issue]:
    for key, ext, node, p, target in _calls(t):
        newer = {"x-ms-dynamic-values": "x-ms-dynamic-list", "x-ms-dynamic-schema": "x-ms-dynamic-properties"}.get(key)
        if target is None or (newer and newer in node):
            continue
        passed = {str(n).split("/")[0] for n in ext.get("parameters") or {}} if isinstance(ext.get("parameters"), dict) else set()
        for q, _ in _params(t, target):
            if q.get("required") is True and q.get("in") != "body" and "default" not in q and str(q.get("name")) not in passed:
                yield Issue(f"The target operation requires parameter '{q.get('name')}'. ({key} calls {target.id})", p)


@rule("OperationParameterStaticTypeMismatch", ERROR, MS, "A fixed value a dynamic extension passes has the type of the parameter it fills.")
def static_type_mismatch(t: Target) -> Iterable[Issue]:
    for _, ext, _, p, target in _calls(t):
        if target is None or not isinstance(ext.get("parameters"), dict):
            continue
        types = {str(q.get("name")): q.get("type") for q, _ in _params(t, target) if isinstance(q.get("type"), str)}
        for name, value in ext["parameters"].items():
            fixed, v = _static(value)
            expected = types.get(str(name))
            if fixed and expected and v is not None and not _has_type(v, expected):
                yield Issue(f"The parameter has type '{expected}', but a static value is provided of type '{_json_type(v)}'.",
                            f"{p}/parameters/{esc(name)}")


def _source(t: Target, pointer: str) -> Op | None:
    """The operation whose parameters a dynamic extension at pointer reads (None for a shared definition)."""
    return next((op for op in _ops(t) if pointer.startswith(op.pointer + "/")), None)


def _body_properties(t: Target, op: Op) -> dict:
    body = next((q for q, _ in _params(t, op) if q.get("in") == "body"), None)
    schema = _deref(t, body.get("schema")) if body else None
    props = schema.get("properties") if isinstance(schema, dict) else None
    return props if isinstance(props, dict) else {}


def _source_parameter(t: Target, op: Op, ref: str) -> dict | None:
    """The parameter (or body property, for body/a/b) of op that a reference names."""
    named = next((q for q, _ in _params(t, op) if str(q.get("name")) == ref), None)
    if named is not None or "/" not in ref:
        return named
    head, _, rest = ref.partition("/")
    schema: Any = {"properties": _body_properties(t, op)} if head == "body" else None
    found, decidable = _follow(t, schema, rest) if schema is not None else (None, True)
    return found if isinstance(found, dict) else None


def _mappings(t: Target) -> Iterator[tuple[str, dict, str, Op, Op, str, str]]:
    """(extension, node carrying it, pointer, source op, target op, target parameter name, referenced source name)."""
    for key, ext, node, p, target in _calls(t):
        source = _source(t, p)
        if target is None or source is None or not isinstance(ext.get("parameters"), dict):
            continue
        for name, value in ext["parameters"].items():
            ref = _referenced(value)
            if ref:
                yield key, node, f"{p}/parameters/{esc(name)}", source, target, str(name), ref


def _target_parameter(t: Target, target: Op, name: str) -> dict | None:
    return next((q for q, _ in _params(t, target) if str(q.get("name")) == name), None)


@rule("OperationParameterTypeMismatch", ERROR, MS, "A parameter a dynamic extension fills from another has that other's type.")
def parameter_type_mismatch(t: Target) -> Iterable[Issue]:
    for _, _, p, source, target, name, ref in _mappings(t):
        mine, theirs = _target_parameter(t, target, name), _source_parameter(t, source, ref)
        if mine and theirs and isinstance(mine.get("type"), str) and isinstance(theirs.get("type"), str) and \
                mine["type"] != theirs["type"] and {mine["type"], theirs["type"]} != {"integer", "number"}:
            yield Issue(f"The parameter has type '{mine['type']}', but operation '{source.id}' is providing a parameter of type "
                        f"'{theirs['type']}'.", p)


@rule("OperationParameterRequiredMismatch", WARNING, MS, "A required parameter of the called operation is fed from an optional one: the list stays empty until it is filled.")
def parameter_required_mismatch(t: Target) -> Iterable[Issue]:
    for _, _, p, source, target, name, ref in _mappings(t):
        mine, theirs = _target_parameter(t, target, name), _source_parameter(t, source, ref)
        if mine and theirs and mine.get("required") is True and theirs.get("required") is not True and "/" not in ref:
            yield Issue(f"The parameter is required, but an optional value is provided by operation '{source.id}'. The request cannot be "
                        "made until a value for this parameter is provided.", p)


def _ambiguous(t: Target, op: Op, name: str) -> bool:
    return "/" not in name and _target_parameter(t, op, name) is not None and name in _body_properties(t, op) \
        and not any(q.get("in") == "body" and q.get("name") == name for q, _ in _params(t, op))


@rule("OperationParameterNameIsAmbiguous", ERROR, MS, "A name a dynamic extension passes matches both a parameter and a body property of the called operation.")
def parameter_name_ambiguous(t: Target) -> Iterable[Issue]:
    for key, ext, _, p, target in _calls(t):
        for name in ext.get("parameters") or {} if target is not None and isinstance(ext.get("parameters"), dict) else ():
            if _ambiguous(t, target, str(name)):
                yield Issue("The parameter name is ambiguous as it matches both a parameter name and a path to a body property. "
                            f"('{name}' in {target.id})", f"{p}/parameters/{esc(name)}")


@rule("DynamicListExtensionRequiredForAmbiguousReferences", ERROR, MS, "x-ms-dynamic-values reading a name that is both a parameter and a body property of its operation needs x-ms-dynamic-list.")
def dynamic_list_ambiguous(t: Target) -> Iterable[Issue]:
    yield from _ambiguous_needs(t, "x-ms-dynamic-values", "x-ms-dynamic-list")


@rule("DynamicPropertiesExtensionRequiredForAmbiguousReferences", ERROR, MS, "x-ms-dynamic-schema reading a name that is both a parameter and a body property of its operation needs x-ms-dynamic-properties.")
def dynamic_properties_ambiguous(t: Target) -> Iterable[Issue]:
    yield from _ambiguous_needs(t, "x-ms-dynamic-schema", "x-ms-dynamic-properties")


def _ambiguous_needs(t: Target, old: str, new: str) -> Iterator[Issue]:
    for key, node, p, source, _, _, ref in _mappings(t):
        if key == old and new not in node and _ambiguous(t, source, ref):
            yield Issue(f"The '{old}' extension references ambiguous parameter references. You need to define the '{new}' extension.", p)

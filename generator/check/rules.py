"""The rule families of `ppconnector check` that live with the engine: swagger, microsoft, certification,
cross-file, script (static), limits and localization.

Rule ids in the `microsoft` family are the names of Microsoft's certification Swagger Validator
(learn.microsoft.com "Fix Swagger Validator errors"), so a finding can be looked up there; our own rules
have kebab-case ids.  Severities: `error` for what the platform or the validator refuses, `warning` for
what certification reviewers ask to change, `info` for what was not checked and why.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from .registry import DEFINITION, PROPERTIES, SCRIPT, Issue, Target, rule
from .walk import (Op, all_schemas, esc, obj, operations, own_parameters, parameters, ptr, resolve, template_names,
                   typed_values)

ERROR, WARNING, INFO = "error", "warning", "info"

# ---------------------------------------------------------------------------------------------- helpers


def _cached(target: Target, key: str, make: Callable[[], Any]) -> Any:
    cache = target.__dict__.setdefault("_check_cache", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _ops(t: Target) -> list[Op]:
    return _cached(t, "ops", lambda: list(operations(t.definition)))


def _schemas(t: Target) -> list[tuple[dict, str]]:
    return _cached(t, "schemas", lambda: list(all_schemas(t.definition)))


def _typed(t: Target) -> list[tuple[dict, str]]:
    return _cached(t, "typed", lambda: list(typed_values(t.definition)))


def _params(t: Target, op: Op) -> list[tuple[dict, str]]:
    return _cached(t, "params:" + op.pointer, lambda: parameters(t.definition, op))


def _op_ids(t: Target) -> set[str]:
    return _cached(t, "opids", lambda: {op.id for op in _ops(t) if op.id})


def _builds(t: Target) -> list[tuple[str | None, dict, dict]]:
    """(locale, definition, properties) for every build; a folder has one build with no locale."""
    if t.builds:
        return [(loc, d, p) for loc, (d, p) in t.builds.items()]
    return [(None, t.definition, t.properties)]


def _in(locale: str | None) -> str:
    return f" (locale {locale})" if locale else ""


def _conn_params(t: Target) -> dict:
    props = (t.properties or {}).get("properties") if isinstance(t.properties, dict) else None
    params = (props or {}).get("connectionParameters") if isinstance(props, dict) else None
    return params if isinstance(params, dict) else {}


def _props(t: Target) -> dict:
    props = (t.properties or {}).get("properties") if isinstance(t.properties, dict) else None
    return props if isinstance(props, dict) else {}


def _all_dicts(node: Any, pointer: str = "") -> Iterator[tuple[dict, str]]:
    """Every object in a JSON document with its pointer (iterative: definitions can be deep)."""
    stack = [(node, pointer)]
    while stack:
        value, p = stack.pop()
        if isinstance(value, dict):
            yield value, p
            for k, v in value.items():
                if isinstance(v, (dict, list)):
                    stack.append((v, f"{p}/{esc(k)}"))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, (dict, list)):
                    stack.append((v, f"{p}/{i}"))


def _dicts(t: Target) -> list[tuple[dict, str]]:
    return _cached(t, "dicts", lambda: list(_all_dicts(t.definition)))


# ---------------------------------------------------------------------------------------------- swagger

SWAGGER = "swagger"


@rule("swagger-schema", ERROR, SWAGGER,
      "The definition breaks the Swagger 2.0 JSON Schema (the schema openapi-spec-validator uses): paconn and the platform refuse it.")
def swagger_schema(t: Target) -> Iterable[Issue]:
    from .swagger2 import schema_file, structure_errors

    if schema_file() is None:
        yield Issue("the Swagger 2.0 schema was not checked: openapi-spec-validator is not installed", severity=INFO)
        return
    for pointer, message in structure_errors(t.definition):
        yield Issue(message, pointer)


@rule("swagger-unresolved-ref", ERROR, SWAGGER,
      "A $ref is not a local reference (#/...) to something that exists; the platform resolves only local references.")
def swagger_unresolved_ref(t: Target) -> Iterable[Issue]:
    for node, p in _dicts(t):
        ref = node.get("$ref")
        if isinstance(ref, str) and resolve(t.definition, ref) is None:
            kind = ref.split("/")[1] if ref.startswith("#/") and ref.count("/") >= 2 else ""
            if kind in ("definitions", "parameters", "responses"):
                continue  # reported under Microsoft's name (SchemaReferenceNotFound and its siblings)
            yield Issue(f'$ref "{ref}" does not resolve to anything in this file', p + "/$ref")


def _ms_schema(t: Target, kind: str) -> Iterator[Issue]:
    from .msschema import FILES, load, shared_candidates
    from .swagger2 import schema_errors

    schema = load(kind)
    file = DEFINITION if kind == "definition" else PROPERTIES
    if schema is None:
        tried = ", ".join(str(p / "reference" / "powerplatform") for p in shared_candidates())
        yield Issue(f"not checked against Microsoft's {FILES[kind]}: it is not shipped with ppconnector and was not found "
                    f"(looked in {tried}); set PPCONNECTOR_SHARED to the shared reference folder", "", file=file, severity=INFO)
        return
    document = t.definition if kind == "definition" else t.properties
    if not isinstance(document, dict):
        return
    for pointer, message in schema_errors(document, schema, "ms-" + kind):
        yield Issue(f"Microsoft's schema: {message}", pointer, file=file)


@rule("ms-definition-schema", WARNING, SWAGGER,
      "The definition (x-ms-* extensions included) against Microsoft's apiDefinition JSON Schema, read from ../shared; a warning because the 2020 schema lags the platform.")
def ms_definition_schema(t: Target) -> Iterable[Issue]:
    yield from _ms_schema(t, "definition")


@rule("ms-properties-schema", WARNING, SWAGGER,
      "apiProperties.json against Microsoft's paconn apiProperties JSON Schema, read from ../shared; a warning because the 2020 schema lags the platform.")
def ms_properties_schema(t: Target) -> Iterable[Issue]:
    yield from _ms_schema(t, "properties")


# ---------------------------------------------------------------------------------------------- microsoft

MS = "microsoft"
_REF_KINDS = {"definitions": "SchemaReferenceNotFound", "parameters": "ParameterReferenceNotFound",
              "responses": "ResponseReferenceNotFound"}


def _ref_not_found(t: Target, kind: str) -> Iterator[Issue]:
    for node, p in _dicts(t):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(f"#/{kind}/") and resolve(t.definition, ref) is None:
            yield Issue(f'$ref "{ref}" names no entry of /{kind}', p + "/$ref")


@rule("SchemaReferenceNotFound", ERROR, MS, "A schema $ref names a definition that does not exist.")
def schema_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "definitions")


@rule("ParameterReferenceNotFound", ERROR, MS, "A parameter $ref names an entry of /parameters that does not exist.")
def parameter_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "parameters")


@rule("ResponseReferenceNotFound", ERROR, MS, "A response $ref names an entry of /responses that does not exist.")
def response_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "responses")


@rule("ParameterReferenceNotValid", ERROR, MS, "A parameter $ref must point into #/parameters/.")
def parameter_reference_not_valid(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for where, base in ((op.item, ptr("paths", op.path)), (op.node, op.pointer)):
            for i, p in enumerate(where.get("parameters") or [] if isinstance(where.get("parameters"), list) else []):
                if isinstance(p, dict) and isinstance(p.get("$ref"), str) and not p["$ref"].startswith("#/parameters/"):
                    yield Issue(f'parameter $ref "{p["$ref"]}" must start with #/parameters/', f"{base}/parameters/{i}/$ref")


@rule("PathItemRefNotSuppored", ERROR, MS, "A path item may not be a $ref (Microsoft's spelling of the rule name).")
def path_item_ref(t: Target) -> Iterable[Issue]:
    for path, item in obj(t.definition.get("paths")).items():
        if isinstance(item, dict) and "$ref" in item:
            yield Issue("path items cannot use $ref", ptr("paths", path, "$ref"))


@rule("SpecificationVersionIncorrect", ERROR, MS, 'The definition must say "swagger": "2.0" (OpenAPI 3 is not supported).')
def specification_version(t: Target) -> Iterable[Issue]:
    if t.definition.get("swagger") != "2.0":
        found = t.definition.get("openapi") or t.definition.get("swagger")
        yield Issue(f'expected "swagger": "2.0", found {found!r}', "/swagger" if "swagger" in t.definition else "")


@rule("OperationIdRequired", ERROR, MS, "Every operation needs an operationId: flows refer to actions by it.")
def operation_id_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if not op.id:
            yield Issue(f"{op.method.upper()} {op.path} has no operationId", op.pointer)


@rule("OperationIdNotUnique", ERROR, MS, "Two operations share an operationId (compared ignoring case, as the platform does).")
def operation_id_not_unique(t: Target) -> Iterable[Issue]:
    seen: dict[str, Op] = {}
    for op in _ops(t):
        if op.id:
            first = seen.setdefault(op.id.lower(), op)
            if first is not op:
                yield Issue(f'operationId "{op.id}" is also used by {first.method.upper()} {first.path}', op.pointer + "/operationId")


@rule("OperationIdSanitized", WARNING, MS, "An operationId with characters other than letters, digits and _ is sanitized by the platform, so its name changes.")
def operation_id_sanitized(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.id and not re.fullmatch(r"[A-Za-z0-9_]+", op.id):
            yield Issue(f'operationId "{op.id}" contains characters other than letters, digits and _', op.pointer + "/operationId")


@rule("OperationSummaryTooLong", ERROR, MS, "An operation summary longer than 120 characters (in any locale) is refused.")
def operation_summary_too_long(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for op in operations(d):
            s = op.node.get("summary")
            if isinstance(s, str) and len(s) > 120:
                yield Issue(f"summary is {len(s)} characters{_in(loc)}; at most 120", op.pointer + "/summary")


_RESTRICTED_SUMMARY = re.compile(r"[/\\<>*%&?]")


@rule("RestrictedCharactersInSummary", ERROR, MS, r"An operation summary contains one of the restricted characters / \ < > * % & ?.")
def restricted_characters_in_summary(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for op in operations(d):
            s = op.node.get("summary")
            if isinstance(s, str) and (m := _RESTRICTED_SUMMARY.search(s)):
                yield Issue(f'summary "{s}" contains the restricted character "{m.group(0)}"{_in(loc)}', op.pointer + "/summary")


@rule("PathParameterMissingEncoding", WARNING, MS, 'A path parameter should say "x-ms-url-encoding": "single" (or "double") so values with / are encoded predictably.')
def path_parameter_missing_encoding(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "path" and p.get("x-ms-url-encoding") not in ("single", "double"):
                yield Issue(f'path parameter "{p.get("name")}" has no "x-ms-url-encoding": "single"', where)


@rule("PathParameterMustBeRequired", ERROR, MS, "A path parameter must be required: true.")
def path_parameter_must_be_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "path" and p.get("required") is not True:
                yield Issue(f'path parameter "{p.get("name")}" must have "required": true', where)


@rule("PathParameterNotDefinedInTemplate", ERROR, MS, "A parameter in: path names no {variable} of the path.")
def path_parameter_not_in_template(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        names = template_names(op.path)
        for p, where in _params(t, op):
            if p.get("in") == "path" and p.get("name") not in names:
                yield Issue(f'path parameter "{p.get("name")}" is not in the path {op.path}', where + "/name")


@rule("OperationMissingPathParameter", ERROR, MS, "A {variable} of the path has no parameter in: path.")
def operation_missing_path_parameter(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        defined = {str(p.get("name")) for p, _ in _params(t, op) if p.get("in") == "path"}
        for name in template_names(op.path):
            if name not in defined:
                yield Issue(f'{op.method.upper()} {op.path}: no path parameter named "{name}"', op.pointer)


@rule("OperationParametersContainDuplicateParameter", ERROR, MS, "Two parameters of an operation have the same name and location.")
def duplicate_parameter(t: Target) -> Iterable[Issue]:
    lists = [(item.get("parameters"), ptr("paths", path)) for path, item in obj(t.definition.get("paths")).items()
             if isinstance(item, dict)]
    lists += [(op.node.get("parameters"), op.pointer) for op in _ops(t)]
    for params, base in lists:
        seen = set()
        for p, where in own_parameters(t.definition, params, base):
            key = (str(p.get("name")), str(p.get("in")))  # str: a malformed name may be a list or an object
            if key in seen:
                yield Issue(f'parameter "{key[0]}" in {key[1]} is defined twice', where)
            seen.add(key)


@rule("OperationParametersContainMultipleBodyParameters", ERROR, MS, "An operation may have one body parameter only.")
def multiple_body(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        body = [w for p, w in _params(t, op) if p.get("in") == "body"]
        for where in body[1:]:
            yield Issue(f"{op.method.upper()} {op.path} has {len(body)} body parameters; at most one", where)


@rule("ParameterListContainsFormDataAndBody", ERROR, MS, "An operation cannot have both a body and formData parameters.")
def form_data_and_body(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        kinds = {str(p.get("in")) for p, _ in _params(t, op)}
        if {"body", "formData"} <= kinds:
            yield Issue(f"{op.method.upper()} {op.path} has both body and formData parameters", op.pointer + "/parameters")


@rule("BodyOrFormDataParameterInFetchOperationNotAllowed", ERROR, MS, "A GET operation cannot have a body or formData parameter.")
def body_in_get(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.method == "get":
            for p, where in _params(t, op):
                if p.get("in") in ("body", "formData"):
                    yield Issue(f'GET {op.path} has a {p.get("in")} parameter "{p.get("name")}"', where)


@rule("ConnectionIdParameterNotAllowed", ERROR, MS, 'No parameter may be named "connectionId": the platform reserves it.')
def connection_id_parameter(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if str(p.get("name", "")).lower() == "connectionid":
                yield Issue('a parameter named "connectionId" is reserved by the platform', where + "/name")


@rule("FileParameterMustBeInFormData", ERROR, MS, "A parameter of type file must be in: formData.")
def file_parameter_form_data(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("type") == "file" and p.get("in") != "formData":
                yield Issue(f'parameter "{p.get("name")}" has type file but is in {p.get("in")}', where)


@rule("InvalidFormDataParameterName", ERROR, MS, "A formData parameter name must be US-ASCII.")
def invalid_form_data_name(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            name = p.get("name")
            if p.get("in") == "formData" and isinstance(name, str) and not name.isascii():
                yield Issue(f'formData parameter name "{name}" is not US-ASCII', where + "/name")


@rule("DynamicExtensionDefinitionNotAllowedInParameter", ERROR, MS, "x-ms-dynamic-* may not sit on a body parameter itself; put it in the parameter's schema.")
def dynamic_on_body_parameter(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "body":
                for key in ("x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-properties"):
                    if key in p:
                        yield Issue(f"{key} on the body parameter must move into its schema", f"{where}/{key}")


@rule("OperationMustHaveResponse", ERROR, MS, "Every operation must declare at least one response.")
def operation_must_have_response(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if not op.node.get("responses"):
            yield Issue(f"{op.method.upper()} {op.path} declares no responses", op.pointer)


@rule("OperationShouldHaveSuccessfulResponse", WARNING, MS, "An operation should declare a 2xx response.")
def operation_successful_response(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        if isinstance(responses, dict) and responses and not any(str(c).startswith("2") for c in responses):
            yield Issue(f"{op.method.upper()} {op.path} declares no 2xx response", op.pointer + "/responses")


@rule("ResponseMustBeDefaultOrHttpStatusCode", ERROR, MS, 'A response key must be "default" or a three-digit HTTP status code.')
def response_code(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        if isinstance(responses, dict):
            for code in responses:
                if code != "default" and not re.fullmatch(r"[1-5]\d\d", str(code)) and not str(code).startswith("x-"):
                    yield Issue(f'response "{code}" is neither "default" nor an HTTP status code', f"{op.pointer}/responses/{esc(code)}")


@rule("DefaultResponseHasSchema", WARNING, MS, "The 'default' response should not have a schema: outputs come from the success response.")
def default_response_has_schema(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        default = responses.get("default") if isinstance(responses, dict) else None
        if isinstance(default, dict) and "schema" in default:
            yield Issue(f"the default response of {op.id or op.path} has a schema", f"{op.pointer}/responses/default/schema")


@rule("OperationPathMustStartWithSlash", ERROR, MS, "A path must start with /.")
def path_starts_with_slash(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        if not str(path).startswith("/") and not str(path).startswith("x-"):
            yield Issue(f'path "{path}" must start with /', ptr("paths", path))


@rule("OperationPathMayNotContainQueryOrFragment", ERROR, MS, "A path may not contain ? or #: query parameters are parameters.")
def path_query_fragment(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        if "?" in str(path) or "#" in str(path):
            yield Issue(f'path "{path}" contains a query or fragment', ptr("paths", path))


@rule("OperationPathContainsUnsupportedCharacters", ERROR, MS, "A path may not contain *.")
def path_unsupported_characters(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        if "*" in str(path):
            yield Issue(f'path "{path}" contains "*"', ptr("paths", path))


@rule("OperationPathTemplateNotValid", ERROR, MS, "Path template braces must pair up around a non-empty name.")
def path_template_not_valid(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        stripped = re.sub(r"\{[^{}/]+\}", "", str(path))
        if "{" in stripped or "}" in stripped:
            yield Issue(f'path "{path}" has unbalanced or empty {{ }}', ptr("paths", path))


@rule("PathRedefined", ERROR, MS, "Two paths differ only in letter case.")
def path_redefined(t: Target) -> Iterable[Issue]:
    seen: dict[str, str] = {}
    for path in obj(t.definition.get("paths")):
        first = seen.setdefault(str(path).lower(), path)
        if first != path:
            yield Issue(f'path "{path}" differs from "{first}" only in letter case', ptr("paths", path))


@rule("DuplicateOperationPath", ERROR, MS, "Two paths are the same apart from the names of their {variables}.")
def duplicate_operation_path(t: Target) -> Iterable[Issue]:
    seen: dict[str, str] = {}
    for path in obj(t.definition.get("paths")):
        shape = re.sub(r"\{[^{}]*\}", "{}", str(path)).lower()
        first = seen.setdefault(shape, path)
        if first != path and str(first).lower() != str(path).lower():
            # Only a clash when both paths declare the same method.
            a, b = t.definition["paths"][first], t.definition["paths"][path]
            if isinstance(a, dict) and isinstance(b, dict) and set(a) & set(b) & {"get", "put", "post", "delete", "patch", "head", "options"}:
                yield Issue(f'path "{path}" is the same as "{first}" but for its variable names', ptr("paths", path))


@rule("ArrayHasNoItems", ERROR, MS, "A value of type array must say what its items are.")
def array_has_no_items(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        if node.get("type") == "array" and "items" not in node:
            yield Issue("type array without items", p)


@rule("EnumMustContainAtLeastOneElement", ERROR, MS, "An enum must list at least one value.")
def enum_not_empty(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        if "enum" in node and isinstance(node["enum"], list) and not node["enum"]:
            yield Issue("enum is empty", p + "/enum")


def _repeats(values: list) -> Iterator[tuple[int, Any]]:
    """(index, value) of each value already seen earlier in the list (a list, not a set: values may be unhashable)."""
    seen: list = []
    for i, v in enumerate(values):
        if v in seen:
            yield i, v
        seen.append(v)


@rule("ArrayDuplicateValue", ERROR, MS, "An enum or required list repeats a value.")
def array_duplicate_value(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        for key in ("enum", "required"):
            values = node.get(key)
            if isinstance(values, list):
                for i, v in _repeats(values):
                    yield Issue(f"{key} lists {v!r} twice", f"{p}/{key}/{i}")


@rule("DuplicateEnumValuesInExtension", ERROR, MS, "x-ms-enum-values lists the same value twice.")
def duplicate_enum_values_extension(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        values = node.get("x-ms-enum-values")
        if isinstance(values, list):
            for i, value in _repeats([v.get("value") if isinstance(v, dict) else v for v in values]):
                yield Issue(f"x-ms-enum-values lists {value!r} twice", f"{p}/x-ms-enum-values/{i}")


@rule("MissingEnumValuesDisplayName", ERROR, MS, "Each x-ms-enum-values entry needs a displayName.")
def enum_values_display_name(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        values = node.get("x-ms-enum-values")
        if isinstance(values, list):
            for i, v in enumerate(values):
                if not isinstance(v, dict) or not v.get("displayName"):
                    yield Issue("x-ms-enum-values entry without displayName", f"{p}/x-ms-enum-values/{i}")


@rule("InvalidEnumValuesExtensionValue", ERROR, MS, "Every x-ms-enum-values value must be one of the enum's values.")
def enum_values_extension_value(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        values, enum = node.get("x-ms-enum-values"), node.get("enum")
        if isinstance(values, list) and isinstance(enum, list):
            for i, v in enumerate(values):
                if isinstance(v, dict) and "value" in v and v["value"] not in enum:
                    yield Issue(f"x-ms-enum-values value {v['value']!r} is not in enum", f"{p}/x-ms-enum-values/{i}/value")


@rule("RequiredPropertyArrayEmpty", ERROR, MS, "A schema's required list may not be empty: leave it out instead.")
def required_array_empty(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        if node.get("required") == []:
            yield Issue("required is an empty list", p + "/required")


@rule("RequiredPropertyDefinitionMissing", ERROR, MS, "A schema lists a required property it does not define.")
def required_property_definition_missing(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        req, props = node.get("required"), node.get("properties")
        if isinstance(req, list) and isinstance(props, dict) and "allOf" not in node and "$ref" not in node:
            for i, name in enumerate(req):
                if isinstance(name, str) and name not in props:
                    yield Issue(f'required property "{name}" is not among the properties', f"{p}/required/{i}")


@rule("DefaultValueMustMatchType", ERROR, MS, "A default value must be of the declared type (\"false\" is a string, not a boolean).")
def default_value_must_match_type(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        value = node.get("default")  # null is taken as no default: Microsoft merged Morta and Motimate with it
        if value is not None and isinstance(node.get("type"), str) and not _has_type(value, node["type"]):
            yield Issue(f"The 'default' value is of type '{_json_type(value)}', but should match the given type '{node['type']}'.", p + "/default")


@rule("default-value-valid", WARNING, SWAGGER, "A default value of the right type should also be valid against its schema (enum, required properties); the platform sends it as it is.")
def default_value_valid(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        value = node.get("default")
        if value is None or (isinstance(node.get("type"), str) and not _has_type(value, node["type"])):
            continue  # absent, or DefaultValueMustMatchType's
        if isinstance(node.get("enum"), list) and node["enum"] and value not in node["enum"]:
            yield Issue(f"default {value!r} is not one of the enum's values", p + "/default")
        elif isinstance(value, (dict, list)) and node.get("type") != "file":
            message = _default_error(t.definition, node)
            if message:
                yield Issue(f"default {value!r} is not valid against its schema: {message}", p + "/default")


def _json_type(value: Any) -> str:
    for name, kind in (("boolean", bool), ("integer", int), ("number", float), ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, kind):
            return name
    return "null"


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


def _has_type(value: Any, type_: str) -> bool:
    return {"string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "array": lambda v: isinstance(v, list), "object": lambda v: isinstance(v, dict),
            "file": lambda v: True, "null": lambda v: v is None}.get(type_, lambda v: True)(value)


@rule("MultipleOfMustBeGreaterThanZero", ERROR, MS, "multipleOf must be greater than zero.")
def multiple_of(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        m = node.get("multipleOf")
        if isinstance(m, (int, float)) and not isinstance(m, bool) and m <= 0:
            yield Issue(f"multipleOf is {m}", p + "/multipleOf")


@rule("ExclusiveMaximumRequiresMaximum", ERROR, MS, "exclusiveMaximum needs maximum.")
def exclusive_maximum(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        if "exclusiveMaximum" in node and "maximum" not in node:
            yield Issue("exclusiveMaximum without maximum", p + "/exclusiveMaximum")


@rule("ExclusiveMinimumRequiresMinimum", ERROR, MS, "exclusiveMinimum needs minimum.")
def exclusive_minimum(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        if "exclusiveMinimum" in node and "minimum" not in node:
            yield Issue("exclusiveMinimum without minimum", p + "/exclusiveMinimum")


@rule("MinimumMustBeLessThanOrEqualToMaximum", ERROR, MS, "minimum/minLength/minItems must not exceed maximum/maxLength/maxItems, and none may be negative.")
def min_max(t: Target) -> Iterable[Issue]:
    num = (int, float)
    for node, p in _typed(t):
        for lo, hi in (("minimum", "maximum"), ("minLength", "maxLength"), ("minItems", "maxItems"), ("minProperties", "maxProperties")):
            a, b = node.get(lo), node.get(hi)
            if isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool) and not isinstance(b, bool) and a > b:
                yield Issue(f"{lo} {a} is greater than {hi} {b}", f"{p}/{lo}")
        for key in ("minLength", "maxLength", "minItems", "maxItems"):
            v = node.get(key)
            if isinstance(v, num) and not isinstance(v, bool) and v < 0:
                yield Issue(f"{key} is negative", f"{p}/{key}")


@rule("PatternShouldBeValidRegularExpression", WARNING, MS, "pattern must be a valid regular expression.")
def pattern_valid(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as e:
                yield Issue(f"pattern {pattern!r} is not a valid regular expression: {e}", p + "/pattern")


@rule("AdditionalPropertyNotAllowedAdjacentToRef", WARNING, MS, "Keys beside a schema $ref are ignored; move them into the referenced definition.")
def adjacent_to_ref(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        if "$ref" in node:
            extra = [k for k in node if k != "$ref" and not k.startswith("x-ms-") and k not in ("description", "title")]
            if extra:
                yield Issue(f"keys beside $ref are ignored: {', '.join(sorted(extra))}", p)


@rule("SchemesArrayEmpty", ERROR, MS, "schemes must list at least one scheme.")
def schemes_empty(t: Target) -> Iterable[Issue]:
    if t.definition.get("schemes") == []:
        yield Issue("schemes is empty", "/schemes")


@rule("SchemeNotSupported", ERROR, MS, "Only http and https are supported (not ws/wss).")
def scheme_not_supported(t: Target) -> Iterable[Issue]:
    for i, s in enumerate(t.definition.get("schemes") or [] if isinstance(t.definition.get("schemes"), list) else []):
        if s not in ("http", "https"):
            yield Issue(f'scheme "{s}" is not supported', f"/schemes/{i}")


@rule("BasePathNotValid", ERROR, MS, "basePath must start with /.")
def base_path_not_valid(t: Target) -> Iterable[Issue]:
    base = t.definition.get("basePath")
    if isinstance(base, str) and not base.startswith("/"):
        yield Issue(f'basePath "{base}" must start with /', "/basePath")


@rule("HostNameNotValid", ERROR, MS, "host is a name (and port) only: no scheme, path or spaces.")
def host_name_not_valid(t: Target) -> Iterable[Issue]:
    host = t.definition.get("host")
    if isinstance(host, str) and not re.fullmatch(r"[A-Za-z0-9.\-_]+(:\d+)?|[A-Za-z0-9.\-_]*\{[^}]+\}[A-Za-z0-9.\-_{}]*(:\d+)?", host):
        yield Issue(f'host "{host}" is not a host name (no scheme, path or spaces)', "/host")


@rule("MimeTypeNotValid", WARNING, MS, "consumes/produces should use a MIME type the platform handles (application/json, text/plain, multipart/form-data, application/x-www-form-urlencoded, ...).")
def mime_type_not_valid(t: Target) -> Iterable[Issue]:
    places = [(t.definition, "")] + [(op.node, op.pointer) for op in _ops(t)]
    for node, base in places:
        for key in ("consumes", "produces"):
            values = node.get(key)
            if isinstance(values, list):
                for i, v in enumerate(values):
                    if not isinstance(v, str) or not re.fullmatch(r"[\w.+\-*]+/[\w.+\-*]+(\s*;.*)?", v.strip()):
                        yield Issue(f"{key} {v!r} is not a MIME type", f"{base}/{key}/{i}")


@rule("SecurityRequirementMustBeDefined", ERROR, MS, "A security requirement names a securityDefinitions entry that does not exist.")
def security_requirement_defined(t: Target) -> Iterable[Issue]:
    defs = obj(t.definition.get("securityDefinitions"))
    places = [(t.definition.get("security"), "/security")] + [(op.node.get("security"), op.pointer + "/security") for op in _ops(t)]
    for security, base in places:
        if isinstance(security, list):
            for i, req in enumerate(security):
                for name in (req or {}) if isinstance(req, dict) else {}:
                    if name not in defs:
                        yield Issue(f'security requirement "{name}" is not in securityDefinitions', f"{base}/{i}/{esc(name)}")


@rule("InvalidNextLinkNameValue", ERROR, MS, 'x-ms-pageable nextLinkName must be "nextLink" or "@odata.nextLink".')
def next_link_name(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        pageable = op.node.get("x-ms-pageable")
        name = pageable.get("nextLinkName") if isinstance(pageable, dict) else None
        # Letter case is not compared: Microsoft merged Almabase, whose API pages with "nextlink".
        if isinstance(pageable, dict) and not (isinstance(name, str) and name.lower() in ("nextlink", "@odata.nextlink")):
            yield Issue(f'nextLinkName {pageable.get("nextLinkName")!r} must be "nextLink" or "@odata.nextLink"', op.pointer + "/x-ms-pageable/nextLinkName")


def _notification_urls(t: Target, op: Op) -> list[tuple[dict, str, list[dict]]]:
    """(node, pointer, ancestors) of each x-ms-notification-url in the operation's body."""
    found = []
    for p, where in _params(t, op):
        if p.get("x-ms-notification-url") is True:
            found.append((p, where, []))
        if p.get("in") == "body":
            stack = [(p.get("schema"), where + "/schema", [p], 0)]
            while stack:
                node, pointer, parents, depth = stack.pop()
                if isinstance(node, dict) and "$ref" in node:
                    node = resolve(t.definition, node["$ref"])
                if not isinstance(node, dict) or depth > 20:
                    continue
                if node.get("x-ms-notification-url") is True:
                    found.append((node, pointer, parents))
                for name, sub in (node.get("properties") or {}).items() if isinstance(node.get("properties"), dict) else []:
                    stack.append((sub, f"{pointer}/properties/{esc(name)}", parents + [node], depth + 1))
    return found


@rule("WebhookOperationsMissingNotificationUrlProperty", ERROR, MS, "A webhook trigger must mark where the callback URL goes with x-ms-notification-url.")
def webhook_missing_notification_url(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.is_webhook and not _notification_urls(t, op):
            yield Issue(f"trigger {op.id} registers a webhook but no parameter or property has x-ms-notification-url: true", op.pointer)


@rule("NotificationUrlNotString", ERROR, MS, "The x-ms-notification-url property must be a string.")
def notification_url_not_string(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for node, p, _ in _notification_urls(t, op):
            if node.get("type", "string") != "string":
                yield Issue(f"x-ms-notification-url is on a value of type {node.get('type')}", p)


@rule("NotificationUrlNotInternal", ERROR, MS, "The notification URL (or a parent) must be x-ms-visibility: internal; users must not fill it in.")
def notification_url_not_internal(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for node, p, parents in _notification_urls(t, op):
            if not any(n.get("x-ms-visibility") == "internal" for n in [node, *parents]):
                yield Issue("the notification URL is not internal: users would be asked for it", p)


@rule("NotificationUrlNotRequired", WARNING, MS, "The notification URL should be required all the way up the schema.")
def notification_url_not_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for node, p, parents in _notification_urls(t, op):
            name = p.rsplit("/", 1)[-1]
            parent = parents[-1] if parents else None
            if parent is not None and "properties" in parent and name not in (parent.get("required") or []):
                yield Issue(f'the notification URL property "{name}" is not required', p)


@rule("OperationMustHaveNotificationContentExtension", WARNING, MS, "A webhook trigger should describe what it receives with x-ms-notification-content on its path item.")
def notification_content(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.is_webhook and "x-ms-notification-content" not in op.item:
            yield Issue(f"trigger {op.id} has no x-ms-notification-content: flows get no outputs", ptr("paths", op.path))


@rule("NotificationExtensionSupportedForTriggerOnly", ERROR, MS, "x-ms-notification belongs on trigger operations only (x-ms-notification-content on a path item is another extension).")
def notification_for_trigger_only(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if "x-ms-notification" in op.node and not op.is_trigger:
            yield Issue("The 'x-ms-notification' is supported for trigger operations only.", op.pointer + "/x-ms-notification")


@rule("PropertyMustBeRequired", WARNING, MS, "An internal parameter with a default must be required, or the default is never sent.")
def property_must_be_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("x-ms-visibility") == "internal" and "default" in p and p.get("required") is not True and p.get("in") != "body":
                yield Issue(f'internal parameter "{p.get("name")}" has a default but is not required', where)


def _texts(d: dict) -> Iterator[tuple[str, str, str]]:
    """(kind, text, pointer) of the display strings of a definition."""
    info = obj(d.get("info"))
    for key in ("title", "description"):
        if isinstance(info.get(key), str):
            yield key, info[key], f"/info/{key}"
    for op in operations(d):
        for key in ("summary", "description"):
            if isinstance(op.node.get(key), str):
                yield "operation " + key, op.node[key], f"{op.pointer}/{key}"


_RESTRICTED_WORDS = ("power apps", "powerapps", "power automate", "logic apps", "logicapps", "microsoft flow")


@rule("ValueContainsRestrictedWords", WARNING, MS, "Title, description and summaries may not name Power Apps, Power Automate or Logic Apps.")
def restricted_words(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for kind, text, p in _texts(d):
            low = text.lower()
            for word in _RESTRICTED_WORDS:
                if word in low:
                    yield Issue(f'{kind} contains the restricted words "{word}"{_in(loc)}', p)
                    break


@rule("ValueMustEndWithAlphanumeric", WARNING, MS, "The title must end with a letter or digit (not a space, dot or bracket).")
def title_end(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        title = obj(d.get("info")).get("title")
        if isinstance(title, str) and title and not title[-1].isalnum() and not title.endswith("(Independent Publisher)"):
            yield Issue(f'title "{title}" ends with {title[-1]!r}{_in(loc)}', "/info/title")


@rule("FieldLengthExceeded", WARNING, MS, "The title is at most 30 characters (in every locale).")
def title_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        title = obj(d.get("info")).get("title")
        if isinstance(title, str) and len(title) > 30:
            yield Issue(f"title is {len(title)} characters{_in(loc)}; at most 30", "/info/title")


@rule("FieldLengthNotInRange", WARNING, MS, "The description must be 30 to 500 characters (in every locale).")
def description_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        text = obj(d.get("info")).get("description")
        if isinstance(text, str) and not 30 <= len(text) <= 500:
            yield Issue(f"description is {len(text)} characters{_in(loc)}; it must be 30 to 500", "/info/description")


_CATEGORIES = {"AI", "Business Management", "Business Intelligence", "Collaboration", "Commerce", "Communication",
               "Content and Files", "Finance", "Data", "Human Resources", "Internet of Things", "IT Operations",
               "Lifestyle and Entertainment", "Marketing", "Productivity", "Sales and CRM", "Security",
               "Social Media", "Website"}


def _metadata(t: Target) -> dict[str, tuple[Any, str]]:
    out = {}
    meta = t.definition.get("x-ms-connector-metadata")
    if isinstance(meta, list):
        for i, entry in enumerate(meta):
            if isinstance(entry, dict) and isinstance(entry.get("propertyName"), str):
                out[entry["propertyName"].lower()] = (entry.get("propertyValue"), f"/x-ms-connector-metadata/{i}/propertyValue")
    return out


@rule("ConnectorMetadataPropertiesMissing", WARNING, MS, "x-ms-connector-metadata must give Website, Privacy policy and Categories.")
def connector_metadata_missing(t: Target) -> Iterable[Issue]:
    meta = _metadata(t)
    missing = [n for n in ("Website", "Privacy policy", "Categories") if n.lower() not in meta]
    if missing:
        where = "/x-ms-connector-metadata" if "x-ms-connector-metadata" in t.definition else ""
        yield Issue(f"x-ms-connector-metadata lacks {', '.join(missing)}", where)


@rule("InvalidConnectorCategory", WARNING, MS, "Categories must come from Microsoft's list (AI, Communication, Data, ...).")
def invalid_category(t: Target) -> Iterable[Issue]:
    value, p = _metadata(t).get("categories", (None, ""))
    if isinstance(value, str):
        for c in (c.strip() for c in value.split(";")):
            if c and c not in _CATEGORIES:
                yield Issue(f'"{c}" is not a connector category (one of: {", ".join(sorted(_CATEGORIES))})', p)


@rule("TooManyConnectorCategories", WARNING, MS, "At most two categories.")
def too_many_categories(t: Target) -> Iterable[Issue]:
    value, p = _metadata(t).get("categories", (None, ""))
    if isinstance(value, str) and len([c for c in value.split(";") if c.strip()]) > 2:
        yield Issue(f'{len([c for c in value.split(";") if c.strip()])} categories; at most 2', p)


_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.I)


@rule("UrlNotValid", WARNING, MS, "contact.url, Website and Privacy policy must be absolute http(s) URLs.")
def url_not_valid(t: Target) -> Iterable[Issue]:
    contact = obj(t.definition.get("info")).get("contact")
    places = []
    if isinstance(contact, dict) and "url" in contact:
        places.append((contact["url"], "/info/contact/url"))
    meta = _metadata(t)
    for key in ("website", "privacy policy"):
        if key in meta:
            places.append(meta[key])
    for value, p in places:
        if not isinstance(value, str) or not _URL.fullmatch(value.strip()):
            yield Issue(f"{value!r} is not an absolute http(s) URL", p)


@rule("ContactEmailNotValid", WARNING, MS, "info.contact.email must be an e-mail address.")
def contact_email(t: Target) -> Iterable[Issue]:
    contact = obj(t.definition.get("info")).get("contact")
    if isinstance(contact, dict) and "email" in contact:
        if not isinstance(contact["email"], str) or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact["email"]):
            yield Issue(f"{contact['email']!r} is not an e-mail address", "/info/contact/email")


# ---------------------------------------------------------------------------------------------- certification

CERT = "certification"
_PRODUCT_WORDS = re.compile(r"\b(api|connector)\b", re.I)


@rule("title-words", WARNING, CERT, 'The title may not contain "API", "Connector" or Power Platform product names.')
def title_words(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        title = obj(d.get("info")).get("title")
        if isinstance(title, str):
            m = _PRODUCT_WORDS.search(title)
            low = title.lower()
            word = m.group(0) if m else next((w for w in _RESTRICTED_WORDS if w in low), None)
            if word:
                yield Issue(f'title "{title}" contains "{word}"{_in(loc)}', "/info/title")


@rule("summary-length", WARNING, CERT, "Operation summaries and x-ms-summary are at most 80 characters (in every locale).")
def summary_length(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for op in operations(d):
            s = op.node.get("summary")
            if isinstance(s, str) and 80 < len(s) <= 120:  # longer: OperationSummaryTooLong
                yield Issue(f"summary is {len(s)} characters{_in(loc)}; at most 80", op.pointer + "/summary")
        for node, p in _all_dicts(d):
            s = node.get("x-ms-summary")
            if isinstance(s, str) and len(s) > 80:
                yield Issue(f"x-ms-summary is {len(s)} characters{_in(loc)}; at most 80", p + "/x-ms-summary")


@rule("operation-summary", WARNING, CERT, "Every operation needs a summary (its name in the designer) and a description.")
def operation_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        missing = [k for k in ("summary", "description") if not op.node.get(k)]
        if missing:
            yield Issue(f"operation {op.id or op.path} has no {' or '.join(missing)}", op.pointer)


@rule("parameter-summary", WARNING, CERT, "Every parameter a user sees needs x-ms-summary (its label in the designer).")
def parameter_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") != "body" and p.get("x-ms-visibility") != "internal" and not p.get("x-ms-summary"):
                yield Issue(f'parameter "{p.get("name")}" has no x-ms-summary', where)
            if p.get("in") == "body":
                yield from _property_summaries(t, p.get("schema"), where + "/schema", "input")


@rule("output-summary", WARNING, CERT, "Every property of a success response needs x-ms-summary (its name in dynamic content).")
def output_summary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        if isinstance(responses, dict):
            for code, r in responses.items():
                if str(code).startswith("2") and isinstance(r, dict):
                    yield from _property_summaries(t, r.get("schema"), f"{op.pointer}/responses/{esc(code)}/schema", "output")


def _property_summaries(t: Target, schema: Any, pointer: str, what: str) -> Iterator[Issue]:
    for node, p in schemas_in_inline(schema, pointer):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                if (isinstance(sub, dict) and "$ref" not in sub and not sub.get("x-ms-summary") and sub.get("x-ms-visibility") != "internal"
                        and "properties" not in sub and not isinstance(sub.get("items"), dict)):  # containers are not shown
                    yield Issue(f'{what} property "{name}" has no x-ms-summary', f"{p}/properties/{esc(name)}")


def schemas_in_inline(schema: Any, pointer: str) -> Iterator[tuple[dict, str]]:
    from .walk import schemas_in

    yield from schemas_in(schema, pointer)  # inline schemas only: a $ref'd definition is checked where it is defined


@rule("contact", WARNING, CERT, "info.contact needs name, url and email.")
def contact(t: Target) -> Iterable[Issue]:
    c = obj(t.definition.get("info")).get("contact")
    missing = [k for k in ("name", "url", "email") if not (isinstance(c, dict) and c.get(k))]
    if missing:
        yield Issue(f"info.contact lacks {', '.join(missing)}", "/info/contact" if isinstance(c, dict) else "/info")


@rule("brand-color", WARNING, CERT, "iconBrandColor must be a colour of your own, not the default #007ee5 or white.")
def brand_color(t: Target) -> Iterable[Issue]:
    color = _props(t).get("iconBrandColor")
    if isinstance(color, str) and color.lower() in ("#007ee5", "#ffffff"):
        yield Issue(f"iconBrandColor {color} is the default or white", "/properties/iconBrandColor", file=PROPERTIES)
    elif isinstance(color, str) and not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        yield Issue(f"iconBrandColor {color!r} is not a #rrggbb colour", "/properties/iconBrandColor", file=PROPERTIES)


# ---------------------------------------------------------------------------------------------- cross-file

CROSS = "cross-file"
_AUTH_PARAMS = {"basic": {"username", "password"}, "apiKey": {"api_key"}, "oauth2": {"token"}}


@rule("auth-connection-parameters", ERROR, CROSS,
      "The security definition's type needs its connection parameters: basic -> username + password, apiKey -> api_key (or a key a policy template sends), oauth2 -> token.")
def auth_connection_parameters(t: Target) -> Iterable[Issue]:
    defs = t.definition.get("securityDefinitions")
    props = _props(t)
    have = {str(n).lower() for n in _conn_params(t)}
    # No connection parameters at all: the platform makes them from securityDefinitions on import.
    if not isinstance(defs, dict) or "connectionParameterSets" in props or not have:
        return
    schemes = [(name, d["type"]) for name, d in defs.items() if isinstance(d, dict) and d.get("type") in _AUTH_PARAMS]
    # A connection has one authentication type: one satisfied scheme is enough (an extra apiKey beside OAuth is unused).
    if not schemes or any(_auth_satisfied(t, kind, have) for _, kind in schemes):
        return
    for name, kind in schemes:
        missing = ", ".join(sorted(_AUTH_PARAMS[kind] - have))
        yield Issue(f'security "{name}" is {kind}, so apiProperties needs the connection parameter(s) {missing}; it has '
                    f'{", ".join(sorted(_conn_params(t)))}', ptr("securityDefinitions", name, "type"))


def _auth_satisfied(t: Target, kind: str, have: set[str]) -> bool:
    if _AUTH_PARAMS[kind] <= have:
        return True
    # An API key named otherwise works when a policy template (setheader, setqueryparameter) sends it.
    instances = _props(t).get("policyTemplateInstances")
    return kind == "apiKey" and "@connectionParameters(" in repr(instances)


@rule("script-operations-exist", ERROR, CROSS, "scriptOperations lists only operationIds of the definition.")
def script_operations_exist(t: Target) -> Iterable[Issue]:
    ops = _props(t).get("scriptOperations")
    if isinstance(ops, list):
        from ..diagnostics import did_you_mean

        for i, name in enumerate(ops):
            if name not in _op_ids(t):
                yield Issue(f'scriptOperations names "{name}", which is no operationId{did_you_mean(str(name), _op_ids(t))}',
                            f"/properties/scriptOperations/{i}", file=PROPERTIES)


@rule("script-operations-without-script", WARNING, CROSS, "scriptOperations is declared but there is no script.csx.")
def script_operations_without_script(t: Target) -> Iterable[Issue]:
    if _props(t).get("scriptOperations") and t.script is None:
        yield Issue("scriptOperations lists operations but the connector has no script", "/properties/scriptOperations", file=PROPERTIES)


@rule("policy-template-operations", ERROR, CROSS, "A policy template's x-ms-apimTemplate-operationName lists only existing operationIds.")
def policy_template_operations(t: Target) -> Iterable[Issue]:
    instances = _props(t).get("policyTemplateInstances")
    if not isinstance(instances, list):
        return
    for i, inst in enumerate(instances):
        params = inst.get("parameters") if isinstance(inst, dict) else None
        names = params.get("x-ms-apimTemplate-operationName") if isinstance(params, dict) else None
        if isinstance(names, str):
            names = [names]
        for j, name in enumerate(names or []):
            if isinstance(name, str) and name.lower() not in {i.lower() for i in _op_ids(t)}:  # the platform ignores case
                yield Issue(f'policy template "{inst.get("templateId")}" names the operation "{name}", which does not exist',
                            f"/properties/policyTemplateInstances/{i}/parameters/x-ms-apimTemplate-operationName/{j}", file=PROPERTIES)


_CONN_REF = re.compile(r"@connectionParameters\(\s*'([^']*)'")


@rule("connection-parameter-reference", ERROR, CROSS, "Every @connectionParameters('x') names a connection parameter of apiProperties.")
def connection_parameter_reference(t: Target) -> Iterable[Issue]:
    have = set(_conn_params(t))
    sets = _props(t).get("connectionParameterSets")
    if isinstance(sets, dict):
        for value in sets.get("values") or []:
            if isinstance(value, dict) and isinstance(value.get("parameters"), dict):
                have |= set(value["parameters"])
    known = {str(n).lower() for n in have}  # live connectors differ in letter case only, and work
    for file, doc in ((PROPERTIES, t.properties), (DEFINITION, t.definition)):
        stack = [(doc, "")]
        while stack:
            node, p = stack.pop()
            if isinstance(node, dict):
                stack.extend((v, f"{p}/{esc(k)}") for k, v in node.items())
            elif isinstance(node, list):
                stack.extend((v, f"{p}/{i}") for i, v in enumerate(node))
            elif isinstance(node, str) and "@connectionParameters" in node:
                for name in _CONN_REF.findall(node):
                    if name.lower() not in known:
                        yield Issue(f"@connectionParameters('{name}') names no connection parameter", p, file=file)


def _dynamic(t: Target) -> Iterator[tuple[str, dict, str]]:
    for node, p in _dicts(t):
        for key in ("x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-tree", "x-ms-dynamic-properties"):
            ext = node.get(key)
            if isinstance(ext, dict):
                yield key, ext, f"{p}/{key}"


@rule("OperationIdNotFound", ERROR, CROSS, "x-ms-dynamic-values/-schema/-list/-properties must call an existing operationId.")
def dynamic_operation_not_found(t: Target) -> Iterable[Issue]:
    from ..diagnostics import did_you_mean

    for key, ext, p in _dynamic(t):
        op = ext.get("operationId")
        if key == "x-ms-dynamic-tree":
            continue
        if isinstance(op, str) and op not in _op_ids(t):
            yield Issue(f'{key} calls "{op}", which is no operationId{did_you_mean(op, _op_ids(t))}', p + "/operationId")


_NEWER = {"x-ms-dynamic-values": "x-ms-dynamic-list", "x-ms-dynamic-schema": "x-ms-dynamic-properties"}


@rule("OperationParameterNameNotFound", ERROR, CROSS, "The parameters a dynamic extension passes must be parameters (or body/<property> paths) of the operation it calls.")
def dynamic_parameter_not_found(t: Target) -> Iterable[Issue]:
    by_id = {op.id: op for op in _ops(t) if op.id}
    for node, p in _dicts(t):
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


@rule("webhook-delete", WARNING, CROSS, "A webhook trigger needs a DELETE operation (internal) that the platform calls to unregister it.")
def webhook_delete(t: Target) -> Iterable[Issue]:
    hooks = [op for op in _ops(t) if op.is_webhook]
    if hooks and not any(op.method == "delete" for op in _ops(t)):
        for op in hooks:
            yield Issue(f"trigger {op.id} registers a webhook but the definition has no DELETE operation to remove it", op.pointer)
    for op in _ops(t):
        if op.method == "delete" and hooks and op.node.get("x-ms-visibility") != "internal" and "webhook" in (op.id or "").lower():
            yield Issue(f"{op.id} removes a webhook: make it x-ms-visibility internal so users do not see it as an action", op.pointer)


# ---------------------------------------------------------------------------------------------- script (static)

SCRIPTS = "script"
MAX_SCRIPT_BYTES = 1024 * 1024


def _script_line(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _strip_comments(code: str) -> str:
    """Blank out comments (keeping offsets) so that commented-out code is not checked."""
    def blank(m: re.Match) -> str:
        s = m.group(0)
        return s if s.startswith(('"', "@", "$")) else re.sub(r"[^\n]", " ", s)
    return re.sub(r'@"(?:[^"]|"")*"|\$?"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', blank, code, flags=re.S)


@rule("script-class", ERROR, SCRIPTS, "script.csx must declare `public class Script : ScriptBase`.")
def script_class(t: Target) -> Iterable[Issue]:
    if t.script is None:
        return
    code = _strip_comments(t.script)
    if not re.search(r"\bclass\s+Script\s*:\s*ScriptBase\b", code):
        loose = re.search(r"\bclass\s+(\w+)\s*:\s*ScriptBase\b", code)
        if loose:
            yield Issue(f"the class is named {loose.group(1)}; it must be Script", file=SCRIPT, line=_script_line(code, loose.start(1))[0], column=_script_line(code, loose.start(1))[1])
        else:
            yield Issue("no `class Script : ScriptBase`", file=SCRIPT, line=1, column=1)


@rule("script-execute-async", ERROR, SCRIPTS, "The Script class must override `Task<HttpResponseMessage> ExecuteAsync()`.")
def script_execute_async(t: Target) -> Iterable[Issue]:
    if t.script is None:
        return
    if not re.search(r"\boverride\s+(async\s+)?Task\s*<\s*HttpResponseMessage\s*>\s*ExecuteAsync\s*\(\s*\)", _strip_comments(t.script)):
        yield Issue("no `public override async Task<HttpResponseMessage> ExecuteAsync()`", file=SCRIPT, line=1, column=1)


@rule("script-size", ERROR, SCRIPTS, "script.csx must be smaller than 1 MB.")
def script_size(t: Target) -> Iterable[Issue]:
    if t.script is not None and len(t.script.encode("utf-8")) >= MAX_SCRIPT_BYTES:
        yield Issue(f"the script is {len(t.script.encode('utf-8'))} bytes; it must be under 1 MB", file=SCRIPT, line=1, column=1)


@rule("script-httpclient", WARNING, SCRIPTS, "Do not create an HttpClient: send with this.Context.SendAsync (own clients will be blocked).")
def script_httpclient(t: Target) -> Iterable[Issue]:
    if t.script is None:
        return
    code = _strip_comments(t.script)
    for m in re.finditer(r"\bnew\s+(System\.Net\.Http\.)?HttpClient\s*\(", code):
        line, col = _script_line(code, m.start())
        yield Issue("`new HttpClient` bypasses the platform: use this.Context.SendAsync", file=SCRIPT, line=line, column=col)


@rule("script-operation-id", ERROR, SCRIPTS, 'Every `Context.OperationId == "x"` (or case "x") compares with a real operationId.')
def script_operation_id(t: Target) -> Iterable[Issue]:
    if t.script is None:
        return
    from ..diagnostics import did_you_mean

    code = t.script
    stripped = _strip_comments(code)
    ids = _op_ids(t)
    found = []
    for pattern in (r'OperationId\s*==\s*"([^"]*)"', r'"([^"]*)"\s*==\s*(?:this\.)?Context\.OperationId',
                    r'OperationId\s*\.\s*Equals\(\s*"([^"]*)"'):
        found += [(m.start(1), m.group(1)) for m in re.finditer(pattern, stripped)]
    for switch in re.finditer(r"switch\s*\(\s*(?:this\.)?Context\.OperationId\s*\)\s*\{", stripped):
        depth, i = 1, switch.end()
        while i < len(stripped) and depth:  # the switch's body: up to its closing brace
            depth += {"{": 1, "}": -1}.get(stripped[i], 0)
            i += 1
        body = re.compile(r'\bcase\s+"([^"]*)"\s*:')
        found += [(m.start(1), m.group(1)) for m in body.finditer(stripped, switch.end(), i)]
    for start, name in sorted(set(found)):
        if name not in ids:
            line, col = _script_line(code, start)
            yield Issue(f'the script compares Context.OperationId with "{name}", which is no operationId{did_you_mean(name, ids)}',
                        file=SCRIPT, line=line, column=col)


# ---------------------------------------------------------------------------------------------- limits

LIMITS = "limits"
MAX_DEFINITION_BYTES = 1024 * 1024
MAX_OPERATIONS = 256


@rule("definition-size", ERROR, LIMITS, "The definition must be smaller than 1 MB (Microsoft's limit for an OpenAPI file).")
def definition_size(t: Target) -> Iterable[Issue]:
    import json

    size = t.__dict__.get("definition_bytes")  # a folder's file as it is on disk
    if size is None:
        # The built file, as `ppconnector build` writes it; its compact form (the C encoder, fast) is a lower
        # bound, and only a definition near the limit pays for the exact, indented size.
        size = len(json.dumps(t.definition, ensure_ascii=True, separators=(",", ":")))
        if size * 3 >= MAX_DEFINITION_BYTES:
            from ..emit.files import json_bytes

            size = len(json_bytes(t.definition))
    if size >= MAX_DEFINITION_BYTES:
        yield Issue(f"the definition is {size} bytes; it must be under {MAX_DEFINITION_BYTES} (1 MB)", "")


@rule("TotalOperationsCountExceedsMaxAllowed", ERROR, LIMITS, "A connector may have at most 256 operations.")
def total_operations(t: Target) -> Iterable[Issue]:
    if len(_ops(t)) > MAX_OPERATIONS:
        yield Issue(f"{len(_ops(t))} operations; at most {MAX_OPERATIONS}", "/paths")


# ---------------------------------------------------------------------------------------------- localization

LOCALE = "localization"
_DISPLAY_KEYS = ("title", "description", "summary", "x-ms-summary", "displayName", "tooltip", "x-ms-trigger-hint")


def _display_strings(doc: Any) -> dict[str, str]:
    out = {}
    for node, p in _all_dicts(doc):
        for key in _DISPLAY_KEYS:
            if isinstance(node.get(key), str) and not p.endswith("/properties") and "/enum" not in p:
                out[f"{p}/{key}"] = node[key]
    return out


@rule("locale-string-missing", ERROR, LOCALE, "Every display string of the source build is present, and not empty, in every locale's build.")
def locale_string_missing(t: Target) -> Iterable[Issue]:
    if len(t.builds) < 2:
        return
    (source, (d0, p0)), *others = list(t.builds.items())
    base = {DEFINITION: _display_strings(d0), PROPERTIES: _display_strings(p0)}
    for loc, (d, p) in others:
        for file, doc in ((DEFINITION, d), (PROPERTIES, p)):
            have = _display_strings(doc)
            for pointer, text in base[file].items():
                if text.strip() and not (have.get(pointer) or "").strip():
                    yield Issue(f"the {loc} build has no text for this {pointer.rsplit('/', 1)[-1]} (source: {text[:60]!r})", pointer, file=file)


@rule("locale-display-name-length", WARNING, LOCALE, "Connection parameter display names and descriptions keep within the designer's limits in every locale (display name 80, description 500).")
def locale_display_name_length(t: Target) -> Iterable[Issue]:
    for loc, _, props in _builds(t):
        params = obj(obj(props).get("properties")).get("connectionParameters")
        for name, param in params.items() if isinstance(params, dict) else []:
            ui = param.get("uiDefinition") if isinstance(param, dict) else None
            for key, limit in (("displayName", 80), ("description", 500), ("tooltip", 500)):
                text = ui.get(key) if isinstance(ui, dict) else None
                if isinstance(text, str) and len(text) > limit:
                    yield Issue(f"{key} is {len(text)} characters{_in(loc)}; at most {limit}",
                                f"/properties/connectionParameters/{esc(name)}/uiDefinition/{key}", file=PROPERTIES)

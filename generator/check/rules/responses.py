"""Microsoft's Swagger Validator rules of the page's Response section."""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..registry import Issue, Target, rule
from ..walk import esc, obj, ptr
from .common import _certification_severity, ERROR, MS, WARNING, _aliases, _having, _limit, _ops, _params, _ref_not_found, _schema_size, _schemas

SECTION = "Response"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("SchemaReferenceNotFound", ERROR, MS, "A schema $ref names a definition that does not exist.")
def schema_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "definitions")


@rule("ResponseReferenceNotFound", ERROR, MS, "A response $ref names an entry of /responses that does not exist.")
def response_reference_not_found(t: Target) -> Iterable[Issue]:
    yield from _ref_not_found(t, "responses")


@rule("ResponseMustBeDefaultOrHttpStatusCode", ERROR, MS, 'A response key must be "default" or a three-digit HTTP status code.')
def response_code(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        if isinstance(responses, dict):
            for code in responses:
                if code != "default" and not re.fullmatch(r"[1-5]\d\d", str(code)) and not str(code).startswith("x-"):
                    yield Issue(f"The response is not valid, the response must be a valid HTTP status code, or the string 'default'. ('{code}')", f"{op.pointer}/responses/{esc(code)}")


@rule("DefaultResponseHasSchema", WARNING, MS, "A 'default' response must not have a schema: outputs come from the success response; "
      "an error for a certification target (stackOwner), as Microsoft's certification CI refuses it (PowerPlatformConnectors PR #4006, 2025).")
def default_response_has_schema(t: Target) -> Iterable[Issue]:
    severity = _certification_severity(t)
    for op in _ops(t):
        responses = op.node.get("responses")
        default = responses.get("default") if isinstance(responses, dict) else None
        if isinstance(default, dict) and "schema" in default:
            yield Issue("The 'default' response should not have schema definition. Schemas should be defined on expected responses only.",
                        f"{op.pointer}/responses/default/schema", severity=severity)


@rule("SchemeNotSupported", ERROR, MS, "Only http and https are supported (not ws/wss).")
def scheme_not_supported(t: Target) -> Iterable[Issue]:
    for i, s in enumerate(t.definition.get("schemes") or [] if isinstance(t.definition.get("schemes"), list) else []):
        if s not in ("http", "https"):
            yield Issue(f"The WebSocket transfer protocol schemes are not supported. ('{s}')", f"/schemes/{i}")


@rule("SchemaRefLoopNotAllowed", ERROR, MS, "A definition may not be only a $ref to another definition (an alias; chains of them can loop).")
def schema_ref_loop(t: Target) -> Iterable[Issue]:
    yield from _aliases(t, "definitions", "schema")


@rule("SchemaReferenceNotValid", ERROR, MS, "A schema $ref must point into #/definitions/.")
def schema_reference_not_valid(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and not ref.startswith("#/definitions/"):
            yield Issue(f"The schema reference '{ref}' is not valid. Schema references must start with '#/definitions/' and be valid "
                        "JSON Pointers.", p + "/$ref")


@rule("ResponseReferenceNotValid", ERROR, MS, "A response $ref must point into #/responses/.")
def response_reference_not_valid(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for code, r in obj(op.node.get("responses")).items():
            ref = r.get("$ref") if isinstance(r, dict) else None
            if isinstance(ref, str) and ref.startswith("#") and not ref.startswith("#/responses/"):
                yield Issue(f"The response reference '{ref}' is not valid. Response references must start with '#/responses/' and be "
                            "valid JSON Pointers.", f"{op.pointer}/responses/{esc(code)}/$ref")


_POINTER = re.compile(r"#(/([^~/]|~[01])*)*")


@rule("JsonPointerNotValid", ERROR, MS, "A local $ref must be a well-formed JSON Pointer (# then /-separated parts, ~ only as ~0 or ~1).")
def json_pointer_not_valid(t: Target) -> Iterable[Issue]:
    for node, p in _having(t, "$ref"):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and not _POINTER.fullmatch(ref):
            yield Issue(f"The JSON Pointer path is not valid. ('{ref}')", p + "/$ref")


@rule("BodyParameterSchemaRequired", ERROR, MS, "A body parameter must define its value with schema.")
def body_parameter_schema_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "body" and "schema" not in p:
                yield Issue("The 'body' parameter must define a 'schema' property.", where)


@rule("NonBodyParameterSchemaNotValid", ERROR, MS, "Only a body parameter may define schema; others use type.")
def non_body_parameter_schema(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") != "body" and "schema" in p:
                yield Issue("The parameter cannot define a schema as it is not in the 'body'.", where + "/schema")


@rule("RequiredLoopInSchemaNotAllowed", ERROR, MS, "Required properties may not lead, through $refs, back to the schema they start from: no value could be built.")
def required_loop(t: Target) -> Iterable[Issue]:
    defs = obj(t.definition.get("definitions"))

    def required_refs(node: Any) -> set[str]:
        """The definitions a value of this schema must contain, directly."""
        out = set()
        props = obj(node.get("properties")) if isinstance(node, dict) else {}
        for name in node.get("required") or [] if isinstance(node, dict) and isinstance(node.get("required"), list) else []:
            sub = props.get(name) if isinstance(name, str) else None
            ref = sub.get("$ref") if isinstance(sub, dict) else None
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                out.add(ref[len("#/definitions/"):].replace("~1", "/").replace("~0", "~"))
        for sub in node.get("allOf") or [] if isinstance(node, dict) and isinstance(node.get("allOf"), list) else []:
            ref = sub.get("$ref") if isinstance(sub, dict) else None
            out |= {ref[len("#/definitions/"):]} if isinstance(ref, str) and ref.startswith("#/definitions/") else required_refs(sub)
        return out

    graph = {name: required_refs(node) for name, node in defs.items()}
    for start in graph:
        stack, seen = list(graph[start]), set()
        while stack:
            name = stack.pop()
            if name == start:
                yield Issue(f"Loops of required schema properties are not allowed. ('{start}' requires itself through its required "
                            "properties)", ptr("definitions", start))
                break
            if name not in seen:
                seen.add(name)
                stack.extend(graph.get(name, ()))


@rule("ResponseExampleMustBeProducedByOperation", ERROR, MS, "A response example's MIME type must be one the operation produces.")
def response_example_produced(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        produces = op.node.get("produces", t.definition.get("produces"))
        if not isinstance(produces, list):
            continue
        types = {str(m).split(";")[0].strip().lower() for m in produces}
        for code, r in obj(op.node.get("responses")).items():
            for mime in obj(obj(r).get("examples")):
                if mime.split(";")[0].strip().lower() not in types:
                    yield Issue(f"The response example '{mime}' is not produced by the operation '{op.id or op.path}'.",
                                f"{op.pointer}/responses/{esc(code)}/examples/{esc(mime)}")


@rule("ResponseHeadersAreNotUnique", ERROR, MS, "A response declares each header once (names compared ignoring case, as HTTP does).")
def response_headers_unique(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for code, r in obj(op.node.get("responses")).items():
            seen: set[str] = set()
            for name in obj(obj(r).get("headers")):
                if name.lower() in seen:
                    yield Issue(f"The response headers are not unique. ('{name}')", f"{op.pointer}/responses/{esc(code)}/headers/{esc(name)}")
                seen.add(name.lower())


@rule("SchemaDefinitionSetIncorrectly", WARNING, MS, "A webhook trigger needs an output schema on its 200/201 response or in x-ms-notification-content, or the designer shows no outputs.")
def schema_definition_set_incorrectly(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = obj(op.node.get("responses"))
        if op.is_webhook and not any(obj(responses.get(c)).get("schema") for c in ("200", "201")) \
                and not obj(op.item.get("x-ms-notification-content")).get("schema"):
            yield Issue(f"The operation '{op.id or op.path}' should define an output schema on the 200 or 201 response code or in "
                        "'x-ms-notification-content' extension for a webhook to be visible in the designer.", op.pointer)


@rule("SchemaTypeFileNotValid", ERROR, MS, "type: file is valid only for formData parameters and at the root of a response schema.")
def schema_type_file(t: Target) -> Iterable[Issue]:
    roots = {f"{op.pointer}/responses/{esc(c)}/schema" for op in _ops(t) for c in obj(op.node.get("responses"))}
    roots |= {ptr("responses", name, "schema") for name in obj(t.definition.get("responses"))}
    for node, p in _schemas(t):
        if node.get("type") == "file" and p not in roots:
            yield Issue("The schema type 'file' is not valid. Only parameters in 'formData' and the root response schema may be of type "
                        "'file'.", p + "/type")


@rule("InvalidCustomEditorExtensionDictionaryValue", ERROR, MS, "x-ms-editor: dictionary only on an object schema that allows additional properties.")
def editor_dictionary(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        if node.get("x-ms-editor") == "dictionary" and (node.get("type", "object") != "object" or node.get("additionalProperties") is False):
            yield Issue("The 'x-ms-editor' extension can be specified as 'dictionary' only for schema with type object and additional "
                        "properties allowed.", p + "/x-ms-editor")


# Microsoft does not publish these three limits: ours sit above every connector of the public corpus (deepest 14,
# largest body 170 schemas, largest document 3,943), so they are warnings, adjustable with $PPCONNECTOR_CHECK_LIMITS.
MAX_SCHEMA_DEPTH, MAX_BODY_SCHEMAS, MAX_TOTAL_SCHEMAS = 20, 200, 5000


def _operation_schemas(t: Target) -> Iterable[tuple[Any, str]]:
    """(schema, pointer) of each body parameter and response of every operation."""
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "body":
                yield p.get("schema"), where + "/schema"
        for code, r in obj(op.node.get("responses")).items():
            if isinstance(r, dict) and "schema" in r:
                yield r["schema"], f"{op.pointer}/responses/{esc(code)}/schema"


@rule("SchemaTooDeep", WARNING, MS, f"A body or response schema nests at most {MAX_SCHEMA_DEPTH} levels, $refs followed (our estimate; "
      "Microsoft does not publish the limit).")
def schema_too_deep(t: Target) -> Iterable[Issue]:
    limit, note = _limit("SchemaTooDeep", MAX_SCHEMA_DEPTH)
    yield from [note] if note else []
    for schema, where in _operation_schemas(t):
        depth = _schema_size(t, schema)[1]
        if depth > limit:
            yield Issue("The schema exceeds the maximum allowed depth. Schemas must not exceed a depth of "
                        f"'{limit}', including referenced ('$ref') schemas. (depth {depth})", where)


@rule("BodySchemaCountExceedsMaxAllowed", WARNING, MS, f"A body parameter's schema holds at most {MAX_BODY_SCHEMAS} schemas, $refs "
      "expanded (our estimate; Microsoft does not publish the limit).")
def body_schema_count(t: Target) -> Iterable[Issue]:
    limit, note = _limit("BodySchemaCountExceedsMaxAllowed", MAX_BODY_SCHEMAS)
    yield from [note] if note else []
    for op in _ops(t):
        for p, where in _params(t, op):
            count = _schema_size(t, p.get("schema"))[0] if p.get("in") == "body" else 0
            if count > limit:
                yield Issue("The total number of schemas in the object exceeds the max schema count allowed value of "
                            f"'{limit}'. Please remove any unnecessary property or item definitions. ({count} schemas)", where + "/schema")


@rule("TotalSchemaCountExceedsMaxAllowed", WARNING, MS, f"The definition holds at most {MAX_TOTAL_SCHEMAS} schemas as written "
      "(our estimate; Microsoft does not publish the limit).")
def total_schema_count(t: Target) -> Iterable[Issue]:
    limit, note = _limit("TotalSchemaCountExceedsMaxAllowed", MAX_TOTAL_SCHEMAS)
    yield from [note] if note else []
    if len(_schemas(t)) > limit:
        yield Issue(f"The maximum allowed number of schemas in the swagger is '{limit}'. Please remove any unnecessary property "
                    f"or item definitions. ({len(_schemas(t))} schemas)", "")

"""Microsoft's Swagger Validator rules of the page's Operations section whose limit, list or condition Microsoft
does not publish: our readings (docs/check.md says where each comes from), warnings unless the corpus and the
page's wording leave no doubt."""

from __future__ import annotations

from typing import Any, Iterable

from ..registry import Issue, Target, rule
from ..walk import obj, resolve
from .common import _typed_having, ERROR, MS, WARNING, _having, _limit, _ops, _params, _schema_size

SECTION = "Operations"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules

# Ours, above every connector of the public corpus (longest operationId 77 characters, largest operation 401
# schemas); adjustable with $PPCONNECTOR_CHECK_LIMITS.
MAX_OPERATION_ID, MAX_OPERATION_SCHEMAS = 80, 500


@rule("OperationIdTooLong", WARNING, MS, f"An operationId is shorter than {MAX_OPERATION_ID} characters (our estimate; Microsoft "
      "does not publish the limit).")
def operation_id_too_long(t: Target) -> Iterable[Issue]:
    limit, note = _limit("OperationIdTooLong", MAX_OPERATION_ID)
    yield from [note] if note else []
    for op in _ops(t):
        if op.id and len(op.id) >= limit:
            yield Issue(f"The operationId length must be less than '{limit}'. ('{op.id}' has {len(op.id)})", op.pointer + "/operationId")


@rule("OperationSchemaCountExceedsMaxAllowed", WARNING, MS, f"An operation's parameters and responses hold at most "
      f"{MAX_OPERATION_SCHEMAS} schemas, $refs expanded (our estimate; Microsoft does not publish the limit).")
def operation_schema_count(t: Target) -> Iterable[Issue]:
    limit, note = _limit("OperationSchemaCountExceedsMaxAllowed", MAX_OPERATION_SCHEMAS)
    yield from [note] if note else []
    for op in _ops(t):
        count = sum(_schema_size(t, p.get("schema"))[0] if p.get("in") == "body" else 1 for p, _ in _params(t, op))
        for r in obj(op.node.get("responses")).values():
            r = resolve(t.definition, r["$ref"]) if isinstance(r, dict) and "$ref" in r else r
            count += _schema_size(t, r.get("schema"))[0] if isinstance(r, dict) else 0
        if count > limit:
            yield Issue("The total number of schemas in the operation has exceeded the maximum allowed value of "
                        f"'{limit}'. Please remove any unnecessary property or item definitions. ({count} schemas)", op.pointer)


# The formats Swagger 2.0 defines, with the types they describe; other formats are open (Swagger allows any).
# A numeric format on either numeric type is read as known: three corpus connectors put int32 on a number.
_FORMAT_TYPES = {**dict.fromkeys(("int32", "int64", "float", "double"), ("integer", "number")),
                 **dict.fromkeys(("byte", "binary", "date", "date-time", "password"), ("string",))}


@rule("UnrecognizedTypeFormat", WARNING, MS, "A format Swagger 2.0 defines is used with the type it describes (int32 on a "
      "number or integer, date-time on a string, ...).")
def unrecognized_type_format(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "format"):
        type_, format_ = node.get("type"), node.get("format")
        if isinstance(type_, str) and isinstance(format_, str) and type_ not in _FORMAT_TYPES.get(format_, (type_,)):
            yield Issue(f"The type/format '{type_}/{format_}' is not recognized.", p + "/format")


def _has_key(t: Target, key: str) -> bool:
    return bool(_having(t, key))


@rule("DynamicTreeExtensionMissing", ERROR, MS, "A connector that declares the file-picker capability (x-ms-capabilities) "
      "defines x-ms-dynamic-tree on the parameters it picks files for.")
def dynamic_tree_missing(t: Target) -> Iterable[Issue]:
    for node, p in _having(t, "x-ms-capabilities"):
        capabilities = node.get("x-ms-capabilities")
        if isinstance(capabilities, dict) and "file-picker" in capabilities and not _has_key(t, "x-ms-dynamic-tree"):
            yield Issue("The 'x-ms-dynamic-tree' extension must be defined to enable file picker support.",
                        f"{p}/x-ms-capabilities/file-picker")


# MIME types that can carry a JSON object or array: the platform sends it as JSON or encodes its properties as a form.
def _carries_objects(mime: Any) -> bool:
    kind = mime.split(";")[0].strip().lower() if isinstance(mime, str) else ""
    return (kind in ("application/json", "text/json", "application/x-www-form-urlencoded", "multipart/form-data", "*/*")
            or kind.endswith("+json"))


@rule("MimeTypeNotCompatibleWithRequestContentSchemaType", WARNING, MS, "An operation whose body is an object or array "
      "consumes a type that can carry one (JSON or a form), not only text, XML or binary types.")
def mime_type_not_compatible(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        consumes = op.node.get("consumes", t.definition.get("consumes"))
        if not isinstance(consumes, list) or not consumes or any(_carries_objects(m) for m in consumes):
            continue  # no consumes is sent as JSON (ConsumesMissing covers forms)
        for p, where in _params(t, op):
            schema = p.get("schema") if p.get("in") == "body" else None
            schema = resolve(t.definition, schema["$ref"]) if isinstance(schema, dict) and "$ref" in schema else schema
            kind = obj(schema).get("type") or ("object" if "properties" in obj(schema) else None)
            if kind in ("object", "array"):
                where = op.pointer + "/consumes" if "consumes" in op.node else "/consumes"
                yield Issue(f"The MIME type(s) are not compatible with the request content type '{kind}' for operation "
                            f"'{op.id or op.path}'.", where)

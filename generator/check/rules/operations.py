"""Microsoft's Swagger Validator rules of the page's Operations section."""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from ..registry import Issue, Target, rule
from ..walk import Op, obj, own_parameters, ptr, template_names
from .common import _typed_having, _ops_in, ERROR, LIMITS, MS, WARNING, _builds, _having, _has_type, _in, _json_type, _notification_urls, _ops, _params, _repeats

SECTION = "Operations"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("OperationIdRequired", ERROR, MS, "Every operation needs an operationId: flows refer to actions by it.")
def operation_id_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if not op.id:
            yield Issue(f"The operation 'operationId' property is required. ({op.method.upper()} {op.path})", op.pointer)


@rule("OperationIdNotUnique", ERROR, MS, "Two operations share an operationId (compared ignoring case, as the platform does).")
def operation_id_not_unique(t: Target) -> Iterable[Issue]:
    seen: dict[str, Op] = {}
    for op in _ops(t):
        if op.id:
            first = seen.setdefault(op.id.lower(), op)
            if first is not op:
                yield Issue(f"The operationId '{op.id}' is used multiple times. Operation identifiers must be unique. (also "
                            f"{first.method.upper()} {first.path})", op.pointer + "/operationId")


@rule("OperationIdSanitized", WARNING, MS, "An operationId with characters other than letters, digits and _ is sanitized by the platform, so its name changes.")
def operation_id_sanitized(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.id and not re.fullmatch(r"[A-Za-z0-9_]+", op.id):
            yield Issue(f"The 'operationId' property value is different from its sanitized value '{re.sub(r'[^A-Za-z0-9_]', '', op.id)}'. "
                        "Please avoid the useage of non-alphanumeric characters to have matching values.", op.pointer + "/operationId")


@rule("OperationSummaryTooLong", ERROR, MS, "An operation summary longer than 120 characters (in any locale) is refused.")
def operation_summary_too_long(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for op in _ops_in(t, d):
            s = op.node.get("summary")
            if isinstance(s, str) and len(s) > 120:
                yield Issue(f"The operation 'summary' should be fewer than 120 characters for improved readablity. ({len(s)}{_in(loc)})", op.pointer + "/summary")


_RESTRICTED_SUMMARY = re.compile(r"[/\\<>*%&?]")


@rule("RestrictedCharactersInSummary", ERROR, MS, r"An operation summary contains one of the restricted characters / \ < > * % & ?.")
def restricted_characters_in_summary(t: Target) -> Iterable[Issue]:
    for loc, d, _ in _builds(t):
        for op in _ops_in(t, d):
            s = op.node.get("summary")
            if isinstance(s, str) and (m := _RESTRICTED_SUMMARY.search(s)):
                yield Issue(f"Summary string contains any of the restricted characters [{m.group(0)}]{_in(loc)}", op.pointer + "/summary")


@rule("PathParameterMustBeRequired", ERROR, MS, "A path parameter must be required: true.")
def path_parameter_must_be_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "path" and p.get("required") is not True:
                yield Issue("The parameter must be marked as required as it is used in the operation path. Include the 'required' property, "
                            f"with the value 'true'. ('{p.get('name')}')", where)


@rule("PathParameterNotDefinedInTemplate", ERROR, MS, "A parameter in: path names no {variable} of the path.")
def path_parameter_not_in_template(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        names = template_names(op.path)
        for p, where in _params(t, op):
            if p.get("in") == "path" and p.get("name") not in names:
                yield Issue(f"The 'path' parameter '{p.get('name')}' is not defined in the URI path template. To include the parameter as a "
                            f"variable in the path, use '{{' and '}}' characters to enclose the name of the parameter in the path. ({op.path})",
                            where + "/name")


@rule("OperationMissingPathParameter", ERROR, MS, "A {variable} of the path has no parameter in: path.")
def operation_missing_path_parameter(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        defined = {str(p.get("name")) for p, _ in _params(t, op) if p.get("in") == "path"}
        for name in template_names(op.path):
            if name not in defined:
                yield Issue(f"The operation '{op.id or op.path}' does not define the '{name}' parameter which is required by the path.", op.pointer)


def _duplicates(t: Target, params: Any, base: str) -> Iterator[tuple[tuple[str, str], str]]:
    seen = set()
    for p, where in own_parameters(t.definition, params, base):
        key = (str(p.get("name")), str(p.get("in")))  # str: a malformed name may be a list or an object
        if key in seen:
            yield key, where
        seen.add(key)


@rule("OperationParametersContainDuplicateParameter", ERROR, MS, "Two parameters of an operation have the same name and location.")
def duplicate_parameter(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for (name, where_in), p in _duplicates(t, op.node.get("parameters"), op.pointer):
            yield Issue(f"The operation '{op.id or op.path}' contains duplicate parameters with name '{name}', location '{where_in}'.", p)


@rule("PathParametersContainDuplicateParameter", ERROR, MS, "Two parameters of a path item (shared by its operations) have the same name and location.")
def path_duplicate_parameter(t: Target) -> Iterable[Issue]:
    for path, item in obj(t.definition.get("paths")).items():
        for (name, where_in), p in _duplicates(t, obj(item).get("parameters"), ptr("paths", path)):
            yield Issue(f"The path '{path}' contains duplicate parameters with name '{name}', location '{where_in}'.", p)


@rule("PathParametersContainMultipleBodyParameters", ERROR, MS, "A path item's shared parameters have at most one body parameter.")
def path_multiple_body(t: Target) -> Iterable[Issue]:
    for path, item in obj(t.definition.get("paths")).items():
        body = [w for p, w in own_parameters(t.definition, obj(item).get("parameters"), ptr("paths", path)) if p.get("in") == "body"]
        for where in body[1:]:
            yield Issue(f"The path '{path}' contains multiple parameters in the location 'body', at most one is allowed.", where)


@rule("OperationParametersAreNotUnique", ERROR, MS, "An operation lists the same parameter (the same $ref or the same object) twice.")
def parameters_not_unique(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        params = op.node.get("parameters")
        for i, p in _repeats(params if isinstance(params, list) else []):
            yield Issue(f"The parameters in the operation '{op.id or op.path}' are not unique.", f"{op.pointer}/parameters/{i}")


@rule("OperationParametersContainMultipleBodyParameters", ERROR, MS, "An operation may have one body parameter only.")
def multiple_body(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        body = [w for p, w in _params(t, op) if p.get("in") == "body"]
        for where in body[1:]:
            yield Issue(f"The operation '{op.id or op.path}' contains multiple parameters in the location 'body', at most one is allowed.", where)


@rule("BodyOrFormDataParameterInFetchOperationNotAllowed", ERROR, MS, "A GET operation cannot have a body or formData parameter.")
def body_in_get(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.method == "get":
            for p, where in _params(t, op):
                if p.get("in") in ("body", "formData"):
                    yield Issue(f"Body or form data parameters are not supported in a fetch operation. (GET {op.path} has a {p.get('in')} "
                                f"parameter '{p.get('name')}')", where)


@rule("ConnectionIdParameterNotAllowed", ERROR, MS, 'No parameter may be named "connectionId": the platform reserves it.')
def connection_id_parameter(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if str(p.get("name", "")).lower() == "connectionid":
                yield Issue("A parameter cannot be named as 'connectionId'.", where + "/name")


@rule("InvalidFormDataParameterName", ERROR, MS, "A formData parameter name must be US-ASCII.")
def invalid_form_data_name(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            name = p.get("name")
            if p.get("in") == "formData" and isinstance(name, str) and not name.isascii():
                yield Issue(f"The form data parameter name '{name}' is invalid. All characters must be part of the US-ASCII character set.", where + "/name")


@rule("DynamicExtensionDefinitionNotAllowedInParameter", ERROR, MS, "x-ms-dynamic-* may not sit on a body parameter itself; put it in the parameter's schema.")
def dynamic_on_body_parameter(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "body":
                for key in ("x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-properties"):
                    if key in p:
                        yield Issue(f"Dynamic extensions are not allowed to be defined on the body parameter. It should be in the schema. ({key})", f"{where}/{key}")


@rule("OperationMustHaveResponse", ERROR, MS, "Every operation must declare at least one response.")
def operation_must_have_response(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if not op.node.get("responses"):
            yield Issue(f"The operation is not valid, it must contain at least one response definition. ({op.method.upper()} {op.path})", op.pointer)


@rule("OperationShouldHaveSuccessfulResponse", WARNING, MS, "An operation should declare a 2xx response.")
def operation_successful_response(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        responses = op.node.get("responses")
        if isinstance(responses, dict) and responses and not any(str(c).startswith("2") for c in responses):
            yield Issue(f"The operation '{op.id or op.path}' should have at least one successful response definition.", op.pointer + "/responses")


@rule("OperationPathMustStartWithSlash", ERROR, MS, "A path must start with /.")
def path_starts_with_slash(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        if not str(path).startswith("/") and not str(path).startswith("x-"):
            yield Issue(f"The path is not valid, it must start with a '/' character. ('{path}')", ptr("paths", path))


@rule("OperationPathMayNotContainQueryOrFragment", ERROR, MS, "A path may not contain ? or #: query parameters are parameters.")
def path_query_fragment(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        if "?" in str(path) or "#" in str(path):
            yield Issue("The path is not valid, it must not contain a query part or fragment identifier. To include '?' or '#' characters in "
                        f"the path, they must be URL encoded. ('{path}')", ptr("paths", path))


@rule("OperationPathContainsUnsupportedCharacters", ERROR, MS, "A path may not contain *.")
def path_unsupported_characters(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        if "*" in str(path):
            yield Issue(f"The operation path cannot contain wildcard character '*'. ('{path}')", ptr("paths", path))


@rule("OperationPathTemplateNotValid", ERROR, MS, "Path template braces must pair up around a non-empty name.")
def path_template_not_valid(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        stripped = re.sub(r"\{[^{}/]+\}", "", str(path))
        if "{" in stripped or "}" in stripped:
            yield Issue("The path is not valid, each path template variable enclosed by '{' and '}' characters must be contained within a "
                        "single URL segment. Individual '{' or '}' characters which are not enclosing a path template variable must be URL "
                        f"encoded. ('{path}')", ptr("paths", path))


@rule("PathRedefined", ERROR, MS, "Two paths differ only in letter case.")
def path_redefined(t: Target) -> Iterable[Issue]:
    seen: dict[str, str] = {}
    for path in obj(t.definition.get("paths")):
        first = seen.setdefault(str(path).lower(), path)
        if first != path:
            yield Issue(f"The path '{path}' is defined multiple times with different capitalization. Paths must be unique when compared "
                        f"case-insensitively. (also '{first}')", ptr("paths", path))


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
                both = sorted(set(a) & set(b) & {"get", "put", "post", "delete", "patch", "head", "options"})
                ids = [obj(item.get(both[0])).get("operationId") or both[0] for item in (a, b)]
                yield Issue(f"The operations '{ids[0]}' and '{ids[1]}' have the path templates '{first}' and '{path}' which are duplicate "
                            "and indistinguishable. They need to have a difference in static path segments for a deterministic routing.",
                            ptr("paths", path))


@rule("ArrayDuplicateValue", ERROR, MS, "An enum or required list repeats a value.")
def array_duplicate_value(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "enum", "required"):
        for key in ("enum", "required"):
            values = node.get(key)
            if isinstance(values, list):
                for i, v in _repeats(values):
                    yield Issue(f"The array contains duplicate values, values must be unique. ({key} lists {v!r} twice)", f"{p}/{key}/{i}")


@rule("DuplicateEnumValuesInExtension", ERROR, MS, "x-ms-enum-values lists the same value twice.")
def duplicate_enum_values_extension(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "x-ms-enum-values"):
        values = node.get("x-ms-enum-values")
        if isinstance(values, list):
            for i, value in _repeats([v.get("value") if isinstance(v, dict) else v for v in values]):
                yield Issue("The 'x-ms-enum-values' extension has duplicate values. You can only have one display name mapped to a value. "
                            f"({value!r})", f"{p}/x-ms-enum-values/{i}")


@rule("InvalidEnumValuesExtensionValue", ERROR, MS, "Every x-ms-enum-values value must be one of the enum's values.")
def enum_values_extension_value(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "x-ms-enum-values"):
        values, enum = node.get("x-ms-enum-values"), node.get("enum")
        if isinstance(values, list) and isinstance(enum, list):
            for i, v in enumerate(values):
                if isinstance(v, dict) and "value" in v and v["value"] not in enum:
                    yield Issue("The 'value' field must match one of the enums as defined in the 'enum' property of the schema. "
                            f"({v['value']!r})", f"{p}/x-ms-enum-values/{i}/value")


@rule("InvalidNextLinkNameValue", ERROR, MS, 'x-ms-pageable nextLinkName must be "nextLink" or "@odata.nextLink".')
def next_link_name(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        pageable = op.node.get("x-ms-pageable")
        name = pageable.get("nextLinkName") if isinstance(pageable, dict) else None
        # Letter case is not compared: Microsoft merged Almabase, whose API pages with "nextlink".
        if isinstance(pageable, dict) and not (isinstance(name, str) and name.lower() in ("nextlink", "@odata.nextlink")):
            yield Issue(f"The nextLinkName value for operation '{op.id}' is invalid. Supported values are 'nextLink' or '@odata.nextLink'.", op.pointer + "/x-ms-pageable/nextLinkName")


@rule("OperationMustHaveNotificationContentExtension", WARNING, MS, "A webhook trigger should describe what it receives with x-ms-notification-content on its path item.")
def notification_content(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.is_webhook and "x-ms-notification-content" not in op.item:
            yield Issue(f"The operation '{op.id}' is missing notification content extension as it has "
                        f"'{len(_notification_urls(t, op))}' properties marked as notification URL.", ptr("paths", op.path))


@rule("NotificationExtensionSupportedForTriggerOnly", ERROR, MS, "x-ms-notification belongs on trigger operations only (x-ms-notification-content on a path item is another extension).")
def notification_for_trigger_only(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if "x-ms-notification" in op.node and not op.is_trigger:
            yield Issue("The 'x-ms-notification' is supported for trigger operations only.", op.pointer + "/x-ms-notification")


MAX_OPERATIONS = 256


@rule("TotalOperationsCountExceedsMaxAllowed", ERROR, LIMITS, "A connector may have at most 256 operations.")
def total_operations(t: Target) -> Iterable[Issue]:
    if len(_ops(t)) > MAX_OPERATIONS:
        yield Issue(f"The total number of operations in the swagger exceeds the maximum allowed value of '{MAX_OPERATIONS}'. "
                    f"({len(_ops(t))} operations)", "/paths")


@rule("ConsumesMissing", ERROR, MS, "An operation with formData parameters names its MIME type (multipart/form-data or application/x-www-form-urlencoded) in consumes, its own or the document's.")
def consumes_missing(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if any(p.get("in") == "formData" for p, _ in _params(t, op)):
            consumes = op.node.get("consumes", t.definition.get("consumes"))
            # A JSON body with no (or empty) consumes is sent as JSON: 45 corpus connectors have the designer's "consumes": [].
            if not (isinstance(consumes, list) and any(isinstance(m, str) and m.strip() for m in consumes)):
                where = op.pointer + "/consumes" if "consumes" in op.node else op.pointer
                yield Issue(f"At least one supported MIME type must be provided in 'consumes' for operation '{op.id or op.path}'.", where)


@rule("StringBinaryNotSupportedForFormUrlEncoded", ERROR, MS, "An operation that consumes application/x-www-form-urlencoded cannot send string/binary (or file) parameters.")
def string_binary_form_urlencoded(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        consumes = op.node.get("consumes", t.definition.get("consumes"))
        if isinstance(consumes, list) and [str(m).split(";")[0].strip().lower() for m in consumes] == ["application/x-www-form-urlencoded"]:
            for p, where in _params(t, op):
                if p.get("in") == "formData" and (p.get("type") == "file" or (p.get("type"), p.get("format")) == ("string", "binary")):
                    yield Issue(f"String/binary parameters are not supported for operation '{op.id or op.path}' with "
                                "'application/x-www-form-urlencoded' consumes type.", where)


@rule("OperationPathVariablesContainDefaults", ERROR, MS, "A path template variable cannot set a default with = ({id=1}).")
def path_variable_defaults(t: Target) -> Iterable[Issue]:
    for path in obj(t.definition.get("paths")):
        if any("=" in name for name in template_names(str(path))):
            yield Issue("The operation path template variables cannot set default values with character '='.", ptr("paths", path))


@rule("PartialDuplicateOperationPath", WARNING, MS, "Two operations of one method whose paths differ only where one has a {variable} and the other a fixed segment: a value can route to the wrong one.")
def partial_duplicate_path(t: Target) -> Iterable[Issue]:
    groups: dict[tuple[str, int], list[tuple[Op, list[str], list[bool]]]] = {}  # method and segment count
    for op in _ops(t):
        segments = str(op.path).strip("/").split("/")
        groups.setdefault((op.method, len(segments)), []).append((op, segments, [s.startswith("{") for s in segments]))
    for ops in groups.values():
        for op, mine, my_vars in ops:
            similar = []
            for other, theirs, their_vars in ops:
                if other is op:
                    continue
                # Every segment matches or one side is a variable, and somewhere a variable faces a fixed segment.
                if all(a == b or va or vb for a, b, va, vb in zip(mine, theirs, my_vars, their_vars)) and my_vars != their_vars:
                    similar.append(other.path)
            if similar:
                yield Issue(f"The operation '{op.id or op.path}' has the path template '{op.path}' which is similar to other operation path "
                            "templates, this can lead to an unexpected routing to a different operation in case an input path parameter "
                            "value matches to a static value segment. It is better to have unconditional routing in all cases. Partially "
                            f"duplicated paths are: {', '.join(similar)}", ptr("paths", op.path))


@rule("OperationHasManyResponsesWithSchema", WARNING, MS, "Two success (2xx) responses with a schema: the designer uses only one for outputs (error responses' schemas are documentation).")
def many_responses_with_schema(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        with_schema = [c for c, r in obj(op.node.get("responses")).items() if isinstance(r, dict) and r.get("schema") and str(c).startswith("2")]
        if len(with_schema) > 1:
            yield Issue(f"The operation '{op.id or op.path}' has more than one response with specified schema, only one schema will be used "
                        "in the designer.", op.pointer + "/responses")


@rule("NotificationExtensionNotSupportedInWebhookOperation", ERROR, MS, "x-ms-notification belongs on the polling side of a trigger, not on the webhook (subscribe) operation.")
def notification_in_webhook(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if "x-ms-notification" in op.node and op.is_webhook:
            yield Issue("The 'x-ms-notification' extension must not be defined in a webhook operation.", op.pointer + "/x-ms-notification")


@rule("NotificationOperationMustBeWebhook", ERROR, MS, "x-ms-notification's operationId names a webhook (subscribe) operation.")
def notification_operation_webhook(t: Target) -> Iterable[Issue]:
    by_id = {op.id: op for op in _ops(t) if op.id}
    for op in _ops(t):
        target = by_id.get(obj(op.node.get("x-ms-notification")).get("operationId"))
        if target is not None and not target.is_webhook:
            yield Issue("The 'operationId' property in 'x-ms-notification' extension must be for a webhook operation.",
                        op.pointer + "/x-ms-notification/operationId")


@rule("InvalidEnumValue", ERROR, MS, "Every enum value has the schema's declared type (no 1 in a string enum).")
def invalid_enum_value(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "enum"):
        enum, type_ = node.get("enum"), node.get("type")
        if isinstance(enum, list) and isinstance(type_, str):
            for i, v in enumerate(enum):
                if v is not None and not _has_type(v, type_):
                    yield Issue(f"The type of the enum value is '{_json_type(v)}' but it should be '{type_}' as specified in the schema. "
                                f"({v!r})", f"{p}/enum/{i}")


@rule("SelectedItemValuePathNotAllowedInThisPosition", ERROR, MS, "selectedItemValuePath belongs only in the browse part of x-ms-dynamic-tree.")
def selected_item_value_path(t: Target) -> Iterable[Issue]:
    for node, p in _having(t, "selectedItemValuePath"):
        if "selectedItemValuePath" in node and "/x-ms-dynamic-tree/browse/" not in p + "/":
            yield Issue("The 'selectedItemValuePath' property is not allowed in this position. It is allowed only in 'browse' operation "
                        "of 'x-ms-dynamic-tree' extension.", p + "/selectedItemValuePath")


# --- x-ms-api-annotation: operation families and revisions


def _annotated(t: Target) -> Iterator[tuple[Op, dict]]:
    for op in _ops(t):
        note = op.node.get("x-ms-api-annotation")
        if isinstance(note, dict):
            yield op, note


def _families(t: Target) -> dict[str, list[tuple[Op, dict]]]:
    out: dict[str, list[tuple[Op, dict]]] = {}
    for op, note in _annotated(t):
        if isinstance(note.get("family"), str):
            out.setdefault(note["family"], []).append((op, note))
    return out


@rule("ApiAnnotationExtensionReplacementInfoForNonDeprecatedOperations", ERROR, MS, "x-ms-api-annotation's replacement belongs only on a deprecated operation.")
def replacement_not_deprecated(t: Target) -> Iterable[Issue]:
    for op, note in _annotated(t):
        if "replacement" in note and op.node.get("deprecated") is not True:
            yield Issue(f"The 'x-ms-api-annotation' extension for operation '{op.id}' is invalid. The replacement property should be "
                        "specified for deprecated operations only.", op.pointer + "/x-ms-api-annotation/replacement")


@rule("ApiAnnotationExtensionReplacementInfoMissingApiProperty", ERROR, MS, "x-ms-api-annotation's replacement names its api.")
def replacement_api(t: Target) -> Iterable[Issue]:
    for op, note in _annotated(t):
        if isinstance(note.get("replacement"), dict) and "api" not in note["replacement"]:
            yield Issue(f"The 'x-ms-api-annotation' extension for operation '{op.id}' is invalid. The replacement property must specify "
                        "'api' property.", op.pointer + "/x-ms-api-annotation/replacement")


@rule("ApiAnnotationExtensionReplacementInfoMissingOperationIdProperty", ERROR, MS, "x-ms-api-annotation's replacement names its operationId.")
def replacement_operation_id(t: Target) -> Iterable[Issue]:
    for op, note in _annotated(t):
        if isinstance(note.get("replacement"), dict) and "operationId" not in note["replacement"]:
            yield Issue(f"The 'x-ms-api-annotation' extension for operation '{op.id}' is invalid. The replacement property must specify "
                        "'operationId' property.", op.pointer + "/x-ms-api-annotation/replacement")


@rule("OperationRevisionEmpty", ERROR, MS, "An operation of a family (x-ms-api-annotation.family) gives its revision.")
def operation_revision_empty(t: Target) -> Iterable[Issue]:
    for members in _families(t).values():
        if len(members) > 1:
            for op, note in members:
                if note.get("revision") in (None, ""):
                    yield Issue(f"The operation '{op.id}' does not specify a revision in api annotation.", op.pointer + "/x-ms-api-annotation")


@rule("OperationFamilyHasDuplicateRevisions", ERROR, MS, "Two operations of one family share a revision.")
def family_duplicate_revisions(t: Target) -> Iterable[Issue]:
    for family, members in _families(t).items():
        revisions = [note.get("revision") for _, note in members if note.get("revision") not in (None, "")]
        for i, _ in _repeats(revisions):
            op = [op for op, note in members if note.get("revision") not in (None, "")][i]
            yield Issue(f"The operation family '{family}' has operations with duplicate revision.", op.pointer + "/x-ms-api-annotation/revision")


@rule("OperationFamilyHasManyEmptyRevisions", ERROR, MS, "At most one operation of a family may leave its revision empty.")
def family_empty_revisions(t: Target) -> Iterable[Issue]:
    for family, members in _families(t).items():
        empty = [op for op, note in members if note.get("revision") in (None, "")]
        for op in empty[1:]:
            yield Issue(f"The operation family '{family}' has several operations with empty revision. Only one operation can have empty "
                        "revision.", op.pointer + "/x-ms-api-annotation")


def _active(members: list[tuple[Op, dict]]) -> list[tuple[Op, dict]]:
    return [(op, note) for op, note in members if op.node.get("deprecated") is not True]


@rule("OperationFamilyHasManyActiveOperations", ERROR, MS, "At most two operations of a family are not deprecated.")
def family_many_active(t: Target) -> Iterable[Issue]:
    for family, members in _families(t).items():
        active = _active(members)
        if len(active) > 2:
            yield Issue(f"The operation family '{family}' has more than two active operations. Extra operations must be deprecated.",
                        active[2][0].pointer + "/x-ms-api-annotation/family")


@rule("OperationFamilyHasManyActiveProductionOperations", ERROR, MS, "At most one not-deprecated operation of a family is in Production status.")
def family_many_production(t: Target) -> Iterable[Issue]:
    for family, members in _families(t).items():
        production = [op for op, note in _active(members) if str(note.get("status", "")).lower() == "production"]
        if len(production) > 1:
            yield Issue(f"The operation family '{family}' has several active operations in Production status. Previous revisions should be "
                        "deprecated.", production[1].pointer + "/x-ms-api-annotation/status")


@rule("OperationIdShouldEndWithRevision", WARNING, MS, "An operation of revision n > 1 ends its operationId with _V<n> (Microsoft's convention).")
def operation_id_revision_suffix(t: Target) -> Iterable[Issue]:
    for op, note in _annotated(t):
        revision = note.get("revision")
        if isinstance(revision, int) and not isinstance(revision, bool) and revision > 1 and op.id and \
                not op.id.lower().endswith(f"v{revision}"):
            yield Issue(f"The operation Id '{op.id}' should end with revision suffix '_V{revision}'.", op.pointer + "/operationId")


@rule("OperationStatusAheadOfConnector", ERROR, MS, "No operation is in Production status while the connector (info's x-ms-api-annotation) is in Preview.")
def status_ahead_of_connector(t: Target) -> Iterable[Issue]:
    status = obj(obj(t.definition.get("info")).get("x-ms-api-annotation")).get("status")
    if str(status).lower() != "preview":
        return
    for op, note in _annotated(t):
        if str(note.get("status", "")).lower() == "production":
            yield Issue(f"The operation '{op.id}' cannot be in a Production status ahead of the connector.", op.pointer + "/x-ms-api-annotation/status")


@rule("WebhookOperationsMissingNotificationUrlProperty", ERROR, MS, "A webhook trigger must mark where the callback URL goes with x-ms-notification-url.")
def webhook_missing_notification_url(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        if op.is_webhook and not _notification_urls(t, op):
            yield Issue(f"The webhook operation '{op.id}' is missing notification URL property. (no parameter or body property says "
                        "x-ms-notification-url: true, so the platform cannot register its callback)", op.pointer)

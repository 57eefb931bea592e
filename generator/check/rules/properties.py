"""Microsoft's Swagger Validator rules of the page's Properties section."""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from ... import envvars
from ..registry import Issue, Target, rule
from ..walk import esc, obj, ptr, schemas_in
from .common import _certification_severity, _typed_having, ERROR, INFO, MS, WARNING, _having, _repeats, _has_type, _json_type, _metadata, _ops, _params, _schemas
from ...pointer import value_at

SECTION = "Properties"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("SpecificationVersionIncorrect", ERROR, MS, 'The definition must say "swagger": "2.0" (OpenAPI 3 is not supported).')
def specification_version(t: Target) -> Iterable[Issue]:
    if t.definition.get("swagger") != "2.0":
        found = t.definition.get("openapi") or t.definition.get("swagger")
        yield Issue(f'The \'swagger\' property must have the string value "2.0". (found {found!r})', "/swagger" if "swagger" in t.definition else "")


@rule("EnumMustContainAtLeastOneElement", ERROR, MS, "An enum must list at least one value.")
def enum_not_empty(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "enum"):
        if "enum" in node and isinstance(node["enum"], list) and not node["enum"]:
            yield Issue("The 'enum' array requires at least one value.", p + "/enum")


@rule("MissingEnumValuesDisplayName", ERROR, MS, "Each x-ms-enum-values entry needs a displayName.")
def enum_values_display_name(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "x-ms-enum-values"):
        values = node.get("x-ms-enum-values")
        if isinstance(values, list):
            for i, v in enumerate(values):
                if not isinstance(v, dict) or not v.get("displayName"):
                    yield Issue("The 'x-ms-enum-values' extension is invalid. Please specify the property 'displayName'.", f"{p}/x-ms-enum-values/{i}")


@rule("RequiredPropertyDefinitionMissing", ERROR, MS, "A schema lists a required property it does not define.")
def required_property_definition_missing(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        req, props = node.get("required"), node.get("properties")
        if isinstance(req, list) and isinstance(props, dict) and "allOf" not in node and "$ref" not in node:
            for i, name in enumerate(req):
                if isinstance(name, str) and name not in props:
                    yield Issue(f"The required property '{name}' is not defined in the object schema.", f"{p}/required/{i}")


@rule("DefaultValueMustMatchType", ERROR, MS, "A default value must be of the declared type (\"false\" is a string, not a boolean).")
def default_value_must_match_type(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "default"):
        value = node.get("default")  # null is taken as no default: Microsoft merged Morta and Motimate with it
        if value is not None and isinstance(node.get("type"), str) and not _has_type(value, node["type"]):
            yield Issue(f"The 'default' value is of type '{_json_type(value)}', but should match the given type '{node['type']}'.", p + "/default")


@rule("MultipleOfMustBeGreaterThanZero", ERROR, MS, "multipleOf must be greater than zero.")
def multiple_of(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, "multipleOf"):
        m = node.get("multipleOf")
        if isinstance(m, (int, float)) and not isinstance(m, bool) and m <= 0:
            yield Issue(f"The 'multipleOf' value must be greater than zero. ({m})", p + "/multipleOf")


@rule("AdditionalPropertyNotAllowedAdjacentToRef", WARNING, MS, "Keys beside a schema $ref are ignored; move them into the referenced definition.")
def adjacent_to_ref(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        if "$ref" in node:
            extra = [k for k in node if k != "$ref" and not k.startswith("x-ms-") and k not in ("description", "title")]
            if extra:
                yield Issue(f"When '$ref' is defined, no other properties may be specified. ({', '.join(sorted(extra))})", p)


@rule("BasePathNotValid", ERROR, MS, "basePath must start with /.")
def base_path_not_valid(t: Target) -> Iterable[Issue]:
    base = t.definition.get("basePath")
    if isinstance(base, str) and not base.startswith("/") and envvars.name_of(base) is None:  # Base URL from an environment variable
        yield Issue(f"The 'basePath' property, if present, must start with a '/' character. ('{base}')", "/basePath")


@rule("HostNameNotValid", ERROR, MS, "host is a name (and port) only: no scheme, path or spaces.")
def host_name_not_valid(t: Target) -> Iterable[Issue]:
    host = t.definition.get("host")
    if isinstance(host, str) and envvars.name_of(host) is None and not re.fullmatch(r"[A-Za-z0-9.\-_]+(:\d+)?|[A-Za-z0-9.\-_]*\{[^}]+\}[A-Za-z0-9.\-_{}]*(:\d+)?", host):
        yield Issue(f"The 'host' property, if present, must be a valid URI host without a scheme or path. ('{host}')", "/host")


@rule("MimeTypeNotValid", WARNING, MS, "consumes/produces should use a MIME type the platform handles (application/json, text/plain, multipart/form-data, application/x-www-form-urlencoded, ...).")
def mime_type_not_valid(t: Target) -> Iterable[Issue]:
    places = [(t.definition, "")] + [(op.node, op.pointer) for op in _ops(t)]
    for node, base in places:
        for key in ("consumes", "produces"):
            values = node.get(key)
            if isinstance(values, list):
                for i, v in enumerate(values):
                    if not isinstance(v, str) or not re.fullmatch(r"[\w.+\-*]+/[\w.+\-*]+(\s*;.*)?", v.strip()):
                        yield Issue(f"The MIME type '{v}' is not valid. ({key})", f"{base}/{key}/{i}")


@rule("PropertyMustBeRequired", WARNING, MS, "An internal parameter with a default must be required, or the default is never sent.")
def property_must_be_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("x-ms-visibility") == "internal" and "default" in p and p.get("required") is not True and p.get("in") != "body":
                yield Issue("The property is internal and has a default value, it must be required. Optional internal fields are ignored. "
                            f"('{p.get('name')}')", where)


_CATEGORIES = {"AI", "Business Management", "Business Intelligence", "Collaboration", "Commerce", "Communication",
               "Content and Files", "Finance", "Data", "Human Resources", "Internet of Things", "IT Operations",
               "Lifestyle and Entertainment", "Marketing", "Productivity", "Sales and CRM", "Security",
               "Social Media", "Website"}


@rule("ConnectorMetadataPropertiesMissing", WARNING, MS, "x-ms-connector-metadata must give Website, Privacy policy and Categories; "
      "none at all is an error for a certification target (stackOwner), as Microsoft's certification CI reports it (PR #1095).")
def connector_metadata_missing(t: Target) -> Iterable[Issue]:
    if "x-ms-connector-metadata" not in t.definition:
        yield Issue("The 'x-ms-connector-metadata' property is required. ('Website', 'Privacy policy' and 'Categories')", "",
                    severity=_certification_severity(t))
        return
    meta = _metadata(t)
    missing = [n for n in ("Website", "Privacy policy", "Categories") if n.lower() not in meta]
    if missing:
        where = "/x-ms-connector-metadata" if "x-ms-connector-metadata" in t.definition else ""
        yield Issue(f"The connector metadata property '{missing[0]}' is required." + (f" (also: {', '.join(repr(m) for m in missing[1:])})" if missing[1:] else ""),
                    where)


@rule("InvalidConnectorCategory", WARNING, MS, "Categories must come from Microsoft's list (AI, Communication, Data, ...).")
def invalid_category(t: Target) -> Iterable[Issue]:
    value, p = _metadata(t).get("categories", (None, ""))
    if isinstance(value, str):
        for c in (c.strip() for c in value.split(";")):
            if c and c not in _CATEGORIES:
                yield Issue(f"The connector category is invalid. Available categories are: [{', '.join(sorted(_CATEGORIES))}]. ('{c}')", p)


@rule("TooManyConnectorCategories", WARNING, MS, "At most two categories.")
def too_many_categories(t: Target) -> Iterable[Issue]:
    value, p = _metadata(t).get("categories", (None, ""))
    if isinstance(value, str) and len([c for c in value.split(";") if c.strip()]) > 2:
        yield Issue(f"The maximum allowed number of categories for the connector is '2'. ({len([c for c in value.split(';') if c.strip()])})",
                    p)


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
            yield Issue(f"The 'url' property must be a valid absolute URL. ({value!r})", p)


@rule("ContactEmailNotValid", WARNING, MS, "info.contact.email must be an e-mail address.")
def contact_email(t: Target) -> Iterable[Issue]:
    contact = obj(t.definition.get("info")).get("contact")
    if isinstance(contact, dict) and "email" in contact:
        if not isinstance(contact["email"], str) or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact["email"]):
            yield Issue(f"The contact 'email' property, if present, must be a valid email address. ({contact['email']!r})", "/info/contact/email")


_NOT_FOR_BODY = ("type", "format", "items", "collectionFormat", "allowEmptyValue", "enum", "default")


@rule("BodyParameterPropertyNotValid", ERROR, MS, "A body parameter defines its value in schema, not with type, format, items, enum or default of its own.")
def body_parameter_property(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "body":
                for key in _NOT_FOR_BODY:
                    if key in p:
                        yield Issue(f"The 'body' parameter cannot use property '{key}', instead, the 'schema' property should be used to define "
                                    "the type used by the parameter.", f"{where}/{key}")


@rule("RequiredPropertyNotOnObject", ERROR, MS, "A required list belongs only on a schema of type object.")
def required_not_on_object(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        if isinstance(node.get("required"), list) and isinstance(node.get("type"), str) and node["type"] != "object":
            yield Issue("The property 'required' is applicable to schemas with 'object' type only and should be removed.", p + "/required")


def _input_schemas(t: Target) -> Iterable[tuple[dict, str]]:
    """Every inline schema of a body parameter (a $ref'd definition may also be an output, so it is not followed)."""
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "body":
                yield from schemas_in(p.get("schema"), where + "/schema")


@rule("RequiredReadOnlyPropertyNotAllowedAsInput", ERROR, MS, "A property of a request body cannot be both readOnly and required.")
def required_read_only_input(t: Target) -> Iterable[Issue]:
    for node, p in _input_schemas(t):
        props, required = obj(node.get("properties")), node.get("required")
        for name in required if isinstance(required, list) else []:
            if isinstance(name, str) and obj(props.get(name)).get("readOnly") is True:
                yield Issue("An input property cannot be 'readonly' and required.", f"{p}/properties/{esc(name)}/readOnly")


@rule("InvalidStringBinaryProperty", ERROR, MS, "A string/binary value is a whole request body or formData parameter, never a property inside one.")
def invalid_string_binary(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("in") == "body":
                root = where + "/schema"
                for node, sp in schemas_in(p.get("schema"), root):
                    if sp != root and (node.get("type"), node.get("format")) == ("string", "binary"):
                        yield Issue("A schema with type/format 'string/binary' can only be at the top level of a body or formData parameter.", sp)


@rule("SchemeNotValid", ERROR, MS, "schemes lists transfer protocols only (http, https).")
def scheme_not_valid(t: Target) -> Iterable[Issue]:
    schemes = t.definition.get("schemes")
    for i, scheme in enumerate(schemes if isinstance(schemes, list) else []):
        if scheme not in ("http", "https", "ws", "wss"):  # ws/wss: SchemeNotSupported
            yield Issue("The 'schemes' property must only contain transfer protocols from the list: http, https.", f"/schemes/{i}")


_SCHEME_KEYS = {"basic": ({"type"}, set()), "apiKey": ({"type", "name", "in"}, {"name", "in"}),
                "oauth2": ({"type", "flow", "authorizationUrl", "tokenUrl", "scopes"}, {"flow", "scopes"})}
_OAUTH_URLS = {"implicit": ("authorizationUrl",), "password": ("tokenUrl",), "application": ("tokenUrl",),
               "accessCode": ("authorizationUrl", "tokenUrl")}


def _schemes(t: Target) -> Iterable[tuple[str, dict, str]]:
    for name, scheme in obj(t.definition.get("securityDefinitions")).items():
        if isinstance(scheme, dict) and scheme.get("type") in _SCHEME_KEYS:
            yield name, scheme, ptr("securityDefinitions", name)


@rule("SecuritySchemePropertyNotValid", ERROR, MS, "A security definition has only the members of its type (no flow on apiKey, no name on basic).")
def security_scheme_property_not_valid(t: Target) -> Iterable[Issue]:
    for _, scheme, p in _schemes(t):
        allowed = _SCHEME_KEYS[scheme["type"]][0] | {"description"}
        for key in scheme:
            if key not in allowed and not key.startswith("x-"):
                yield Issue(f"The security definition property '{key}' is not valid for definitions of type '{scheme['type']}'.", f"{p}/{esc(key)}")


@rule("SecuritySchemePropertyRequired", ERROR, MS, "A security definition has the members its type needs (apiKey: name, in; oauth2: flow, scopes and the flow's URLs).")
def security_scheme_property_required(t: Target) -> Iterable[Issue]:
    for _, scheme, p in _schemes(t):
        needed = set(_SCHEME_KEYS[scheme["type"]][1])
        if scheme["type"] == "oauth2":
            needed |= set(_OAUTH_URLS.get(scheme.get("flow"), ()))
        for key in sorted(needed - set(scheme)):
            yield Issue(f"The security definition property '{key}' is required for definitions of type '{scheme['type']}'.", p)


@rule("TagRedefined", ERROR, MS, "The top-level tags list defines each tag name once.")
def tag_redefined(t: Target) -> Iterable[Issue]:
    tags = t.definition.get("tags")
    names = [obj(tag).get("name") for tag in tags] if isinstance(tags, list) else []
    for i, name in _repeats(names):
        yield Issue(f"The 'tags' property defines tag '{name}' multiple times.", f"/tags/{i}")


@rule("InternalPropertyWithDefaultOptional", WARNING, MS, "An internal schema property with a default should be required: only required properties are sure to be sent.")
def internal_property_default_optional(t: Target) -> Iterable[Issue]:
    for node, p in _input_schemas(t):
        required = node.get("required") if isinstance(node.get("required"), list) else []
        for name, sub in obj(node.get("properties")).items():
            if isinstance(sub, dict) and sub.get("x-ms-visibility") == "internal" and "default" in sub and name not in required:
                yield Issue("The internal property has a default value but is optional. Only required properties are guaranteed to be "
                            "included in requests.", f"{p}/properties/{esc(name)}")


def _filter_functions(t: Target) -> Iterator[tuple[Any, str]]:
    for node, p in _having(t, "filterFunctions"):
        if "filterFunctions" in node:
            yield node["filterFunctions"], p + "/filterFunctions"


@rule("FilterFunctionsPropertyEmpty", ERROR, MS, "A filterFunctions list names at least one function.")
def filter_functions_empty(t: Target) -> Iterable[Issue]:
    for value, p in _filter_functions(t):
        if value == []:
            yield Issue("The 'filterFunctions' property must have at least one element.", p)


@rule("FilterFunctionsPropertyHasDuplicates", ERROR, MS, "A filterFunctions list names each function once.")
def filter_functions_duplicates(t: Target) -> Iterable[Issue]:
    for value, p in _filter_functions(t):
        for i, _ in _repeats(value if isinstance(value, list) else []):
            yield Issue("The 'filterFunctions' property cannot contain duplicates.", f"{p}/{i}")


@rule("FilterFunctionsPropertyInInputSchema", ERROR, MS, "filterFunctions belongs in a response schema, not in a request's.")
def filter_functions_input(t: Target) -> Iterable[Issue]:
    for _, p in _filter_functions(t):
        if "/parameters/" in p and "/responses/" not in p:  # under a parameter (a request body), not in a response
            yield Issue("The 'filterFunctions' property has to be in the response schema.", p)


def _structure(t: Target, keyword_rule: str) -> Iterator[tuple[str, str]]:
    from .swagger import STRUCTURE_RULES, structure

    for pointer, message, keyword in structure(t):
        if STRUCTURE_RULES.get(keyword) == keyword_rule:
            yield pointer, message


@rule("JsonTypeIncorrect", ERROR, MS, "A member has the JSON type the Swagger 2.0 schema gives it (required is a list, not a string).")
def json_type_incorrect(t: Target) -> Iterable[Issue]:
    for pointer, message in _structure(t, "JsonTypeIncorrect"):
        found = re.search(r"; expected (.+)$", message)  # check/swagger2.py's words
        expected = found.group(1) if found else "?"
        actual = _json_type(value_at(t.definition, pointer))
        yield Issue(f"The type of the property is incorrect. Expected type '{expected}', but value is of type '{actual}'. ({message})", pointer)


@rule("JsonValueNotInEnum", ERROR, MS, "A member holds one of the values the Swagger 2.0 schema allows (in, type, collectionFormat, ...).")
def json_value_not_in_enum(t: Target) -> Iterable[Issue]:
    for pointer, message in _structure(t, "JsonValueNotInEnum"):
        allowed = re.search(r"is not one of (.+)$", message)
        yield Issue(f"The property value must be one of the following: {allowed.group(1) if allowed else '?'}. ({message})", pointer)


@rule("RequiredPropertyMissing", ERROR, MS, "A member the Swagger 2.0 schema requires is present (info.title, a parameter's name and in, ...).")
def required_property_missing(t: Target) -> Iterable[Issue]:
    for pointer, message in _structure(t, "RequiredPropertyMissing"):
        found = re.search(r"missing required keys? (.+) in ", message)  # check/swagger2.py's words
        for name in re.findall(r'"([^"]+)"', found.group(1)) if found else ["?"]:
            yield Issue(f"The '{name}' property is required. ({message})", pointer)


@rule("ExtensionNameNotValid", ERROR, MS, "A member the Swagger 2.0 schema does not know is an extension, so its name begins with x-.")
def extension_name_not_valid(t: Target) -> Iterable[Issue]:
    for pointer, message in _structure(t, "ExtensionNameNotValid"):
        name = re.search(r'unknown key "([^"]+)"', message)
        yield Issue(f"The property '{name.group(1) if name else '?'}' is not valid. If this property is an extension, its name must "
                    f'begin with "x-". ({message})', pointer)


# OData's filter operators and functions (what a tabular connector can delegate); Microsoft's list is echoed only at
# run time, and no corpus connector uses filterFunctions.
FILTER_FUNCTIONS = frozenset(("eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "contains", "startswith", "endswith",
                              "length", "indexof", "substring", "substringof", "tolower", "toupper", "trim", "concat", "year",
                              "month", "day", "hour", "minute", "second", "date", "time", "now", "round", "floor", "ceiling",
                              "add", "sub", "mul", "div", "mod", "negate", "sum", "min", "max", "average", "countdistinct", "null"))


@rule("FilterFunctionsPropertyInvalidValue", WARNING, MS, "filterFunctions names OData filter operators and functions (eq, "
      "contains, startswith, ...; our reading: Microsoft's list is not published).")
def filter_functions_invalid(t: Target) -> Iterable[Issue]:
    for value, p in _filter_functions(t):
        for i, name in enumerate(value if isinstance(value, list) else []):
            if name not in FILTER_FUNCTIONS:
                yield Issue(f"The 'filterFunctions' property supports only these values: {', '.join(sorted(FILTER_FUNCTIONS))}\".",
                            f"{p}/{i}")


# The members of Microsoft's extension objects, as its OpenAPI extensions page documents them (plus capability and
# builtInOperation on x-ms-dynamic-values, which corpus connectors and our own schema carry, and AutoRest's itemName and
# operationName on x-ms-pageable): anything else there is a typo the platform ignores.
EXTENSION_MEMBERS = {
    "x-ms-dynamic-values": {"operationId", "parameters", "value-path", "value-title", "value-collection", "capability", "builtInOperation"},
    "x-ms-dynamic-schema": {"operationId", "parameters", "value-path"},
    "x-ms-dynamic-list": {"operationId", "parameters", "itemsPath", "itemValuePath", "itemTitlePath"},
    "x-ms-dynamic-properties": {"operationId", "parameters", "itemValuePath"},
    "x-ms-pageable": {"nextLinkName", "itemName", "operationName"},
    "x-ms-trigger-metadata": {"mode", "kind"},
    "x-ms-api-annotation": {"status", "family", "revision", "replacement"},
}


@rule("AdditionalPropertyNotAllowed", WARNING, MS, "Microsoft's extension objects (x-ms-dynamic-*, x-ms-pageable, "
      "x-ms-trigger-metadata, x-ms-api-annotation) hold only their documented members.")
def additional_property(t: Target) -> Iterable[Issue]:
    for node, p in _having(t, *EXTENSION_MEMBERS):
        for extension, members in EXTENSION_MEMBERS.items():
            value = node.get(extension)
            for key in value if isinstance(value, dict) else ():
                if key not in members:
                    yield Issue(f"The property '{key}' is not allowed and must be removed.", f"{p}/{esc(extension)}/{esc(key)}")


# How a dynamic call's parameter gets its value in the newer extensions (Microsoft's OpenAPI extensions page; the
# corpus has 116 of one and 111 of the other, nothing else): a constant or another parameter of the operation.
PARAMETER_SOURCES = ("value", "parameterReference")


@rule("OneOfPropertiesRequired", ERROR, MS, "Each parameter of an x-ms-dynamic-list or x-ms-dynamic-properties call says where "
      "its value comes from: value or parameterReference.")
def one_of_properties(t: Target) -> Iterable[Issue]:
    for node, p in _having(t, "x-ms-dynamic-list", "x-ms-dynamic-properties"):
        for extension in ("x-ms-dynamic-list", "x-ms-dynamic-properties"):
            params = obj(obj(node.get(extension)).get("parameters"))
            for name, entry in params.items():
                if not (isinstance(entry, dict) and any(k in entry for k in PARAMETER_SOURCES)):
                    yield Issue(f"At least one of the properties is required: [{', '.join(PARAMETER_SOURCES)}].",
                                f"{p}/{extension}/parameters/{esc(name)}")


@rule("ProductionStatusOnBetaService", INFO, MS, "A connector in Production status should not call a beta service (a heuristic: the platform knows; here, 'beta' in host or basePath).")
def production_on_beta(t: Target) -> Iterable[Issue]:
    status = obj(obj(t.definition.get("info")).get("x-ms-api-annotation")).get("status")
    where = f"{t.definition.get('host', '')}{t.definition.get('basePath', '')}".lower()
    if str(status).lower() == "production" and "beta" in where:
        yield Issue("The connector cannot be in Production status on a beta service. (the host or basePath says beta)", "/info/x-ms-api-annotation/status")

"""Microsoft's Swagger Validator rules of the page's Properties section."""

from __future__ import annotations

import re
from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import obj
from .common import ERROR, MS, WARNING, _has_type, _json_type, _metadata, _ops, _params, _schemas, _typed


@rule("SpecificationVersionIncorrect", ERROR, MS, 'The definition must say "swagger": "2.0" (OpenAPI 3 is not supported).')
def specification_version(t: Target) -> Iterable[Issue]:
    if t.definition.get("swagger") != "2.0":
        found = t.definition.get("openapi") or t.definition.get("swagger")
        yield Issue(f'expected "swagger": "2.0", found {found!r}', "/swagger" if "swagger" in t.definition else "")


@rule("EnumMustContainAtLeastOneElement", ERROR, MS, "An enum must list at least one value.")
def enum_not_empty(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        if "enum" in node and isinstance(node["enum"], list) and not node["enum"]:
            yield Issue("enum is empty", p + "/enum")


@rule("MissingEnumValuesDisplayName", ERROR, MS, "Each x-ms-enum-values entry needs a displayName.")
def enum_values_display_name(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        values = node.get("x-ms-enum-values")
        if isinstance(values, list):
            for i, v in enumerate(values):
                if not isinstance(v, dict) or not v.get("displayName"):
                    yield Issue("x-ms-enum-values entry without displayName", f"{p}/x-ms-enum-values/{i}")


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


@rule("MultipleOfMustBeGreaterThanZero", ERROR, MS, "multipleOf must be greater than zero.")
def multiple_of(t: Target) -> Iterable[Issue]:
    for node, p in _typed(t):
        m = node.get("multipleOf")
        if isinstance(m, (int, float)) and not isinstance(m, bool) and m <= 0:
            yield Issue(f"multipleOf is {m}", p + "/multipleOf")


@rule("AdditionalPropertyNotAllowedAdjacentToRef", WARNING, MS, "Keys beside a schema $ref are ignored; move them into the referenced definition.")
def adjacent_to_ref(t: Target) -> Iterable[Issue]:
    for node, p in _schemas(t):
        if "$ref" in node:
            extra = [k for k in node if k != "$ref" and not k.startswith("x-ms-") and k not in ("description", "title")]
            if extra:
                yield Issue(f"keys beside $ref are ignored: {', '.join(sorted(extra))}", p)


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


@rule("PropertyMustBeRequired", WARNING, MS, "An internal parameter with a default must be required, or the default is never sent.")
def property_must_be_required(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            if p.get("x-ms-visibility") == "internal" and "default" in p and p.get("required") is not True and p.get("in") != "body":
                yield Issue(f'internal parameter "{p.get("name")}" has a default but is not required', where)


_CATEGORIES = {"AI", "Business Management", "Business Intelligence", "Collaboration", "Commerce", "Communication",
               "Content and Files", "Finance", "Data", "Human Resources", "Internet of Things", "IT Operations",
               "Lifestyle and Entertainment", "Marketing", "Productivity", "Sales and CRM", "Security",
               "Social Media", "Website"}


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

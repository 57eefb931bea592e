"""Microsoft's Swagger Validator rules of the page's Not supported section."""

from __future__ import annotations

from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import obj, ptr
from .common import _typed_having, ERROR, MS, WARNING, _ops, _params

SECTION = "Not supported"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("PathItemRefNotSuppored", ERROR, MS, "A path item may not be a $ref (Microsoft's spelling of the rule name).")
def path_item_ref(t: Target) -> Iterable[Issue]:
    for path, item in obj(t.definition.get("paths")).items():
        if isinstance(item, dict) and "$ref" in item:
            yield Issue("The '$ref' property in a path is not supported.", ptr("paths", path, "$ref"))


# Request types the platform can encode a body in (its own list is echoed only at run time): JSON and its +json
# family, forms, text, XML and raw bytes: every type a corpus connector consumes is one of these.
def _sendable(mime: str) -> bool:
    kind = mime.split(";")[0].strip().lower()
    return (kind in ("application/json", "application/x-www-form-urlencoded", "multipart/form-data", "application/xml",
                     "application/octet-stream", "*/*") or kind.endswith("+json") or kind.startswith("text/"))


@rule("MimeTypeNotSupported", WARNING, MS, "An operation consumes a type the platform can send a body in: JSON (+json), "
      "forms, text/*, application/xml or application/octet-stream (our reading; Microsoft's list is not published).")
def mime_type_not_supported(t: Target) -> Iterable[Issue]:
    places = [("", t.definition)] + [(op.pointer, op.node) for op in _ops(t)]
    for base, node in places:
        consumes = node.get("consumes")
        for i, mime in enumerate(consumes if isinstance(consumes, list) else []):
            if isinstance(mime, str) and "/" in mime and not _sendable(mime):  # a malformed type is MimeTypeNotValid
                yield Issue(f"The MIME type '{mime}' is not supported. The supported mime types are: 'application/json, "
                            "application/x-www-form-urlencoded, multipart/form-data, text/*, application/xml, "
                            f"application/octet-stream'.", f"{base}/consumes/{i}")


# The page's own example; two merged corpus connectors carry it (DataMotion, Slascone), so: a warning.
UNSUPPORTED_KEYWORDS = ("uniqueItems",)


@rule("SwaggerKeywordNotSupported", WARNING, MS, "A schema or parameter uses uniqueItems, which the platform does not support "
      "(the page's example; the full list is not published).")
def swagger_keyword_not_supported(t: Target) -> Iterable[Issue]:
    for node, p in _typed_having(t, *UNSUPPORTED_KEYWORDS):
        for keyword in UNSUPPORTED_KEYWORDS:
            if keyword in node:
                yield Issue(f"The '{keyword}' keyword is not supported.", f"{p}/{keyword}")


# The custom connector wizard refuses collectionFormat multi with this very rule (richardawilson.com, 2024: "The
# 'collectionFormat' keyword value 'Multi' is not supported."), so multi is an error. csv, Swagger's default, is the
# only value the 300 corpus connectors use; ssv, tsv and pipes are unknown to us: warnings.
ACCEPTED_COLLECTION_FORMAT, REFUSED_COLLECTION_FORMAT = "csv", "multi"


@rule("CollectionFormatValueNotSupported", ERROR, MS, "An array parameter's collectionFormat is not multi, which the platform "
      "refuses; ssv, tsv and pipes are warnings (only csv is seen working).")
def collection_format_not_supported(t: Target) -> Iterable[Issue]:
    for op in _ops(t):
        for p, where in _params(t, op):
            for node, at in ((p, where), (obj(p.get("items")), where + "/items")):
                value = node.get("collectionFormat")
                if isinstance(value, str) and value.lower() != ACCEPTED_COLLECTION_FORMAT:
                    yield Issue(f"The 'collectionFormat' keyword value '{value}' is not supported.", at + "/collectionFormat",
                                severity=None if value.lower() == REFUSED_COLLECTION_FORMAT else WARNING)

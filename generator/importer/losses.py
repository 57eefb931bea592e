"""What a conversion to Swagger 2.0 could not carry over, or had to say otherwise: one kind per rule id.

Every kind is a finding with its place in the document converted (file:line:column and a JSON pointer),
so nothing is dropped silently. `lost` kinds (warning) change what the connector does or documents;
`changed` kinds (info) say the same thing in other words. docs/import.md lists them; tests/test_import_openapi.py
holds one document for each.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import INFO, WARNING


@dataclass(frozen=True)
class Kind:
    id: str
    severity: str
    summary: str


KINDS = {k.id: k for k in (
    # lost: Swagger 2.0 (or Power Platform) has no way to say it
    Kind("import-cookie-parameter", WARNING, "a cookie parameter (or an API key sent in a cookie): Swagger 2.0 has no cookie parameters"),
    Kind("import-servers", WARNING, "servers beyond the first, server variables (fixed at their default), servers of a path or operation"),
    Kind("import-callbacks", WARNING, "callbacks: requests the API sends back (a webhook trigger must be written by hand)"),
    Kind("import-links", WARNING, "response links between operations"),
    Kind("import-webhooks", WARNING, "OpenAPI 3.1 webhooks"),
    Kind("import-content-types", WARNING, "a request body or response in several content types: one is kept"),
    Kind("import-parameter-style", WARNING, "a parameter serialization Swagger 2.0 or the platform cannot do (style, explode, allowReserved)"),
    Kind("import-parameter-schema", WARNING, "a parameter or header whose value is an object or a composition: sent as text"),
    Kind("import-form-encoding", WARNING, "a form body's encoding or a nested object in a form: sent as text"),
    Kind("import-composition", WARNING, "oneOf/anyOf (one object with every option's properties) and not"),
    Kind("import-schema-keyword", WARNING, "a JSON Schema keyword Swagger 2.0 lacks (if/then/else, prefixItems, writeOnly, deprecated, several types, ...)"),
    Kind("import-external-ref", WARNING, "a $ref to another file or URL: the platform resolves local references only"),
    Kind("import-security", WARNING, "a sign-in the connection cannot use (openIdConnect, mutualTLS, HTTP digest, another scheme beside the chosen one)"),
    Kind("import-operation", WARNING, "an operation or path the platform cannot have (trace, a query in the path, a body on GET, a path that repeats another)"),
    Kind("import-unused", WARNING, "a part of the document with no Swagger 2.0 place (path summaries, unused request bodies, OpenAPI 3.1 info.summary, ...)"),
    Kind("import-postman", WARNING, "a Postman feature a connector has no place for (scripts, other hosts, unresolved variables, an auth type)"),
    # changed: the same meaning in other words
    Kind("import-const", INFO, "const, written as a one-value enum"),
    Kind("import-examples", INFO, "named examples: the first is kept as the example"),
    Kind("import-bearer", INFO, "an HTTP bearer scheme: an API key in the Authorization header with a policy that adds \"Bearer \""),
    Kind("import-key-header", INFO, "a header carrying an API key in every request of a collection without auth, made the connection's API key"),
    Kind("import-operation-id", INFO, "an operationId made from the method and path, or renamed to be unique or a valid name"),
    Kind("import-summary", INFO, "an operation summary shortened to 120 characters or rid of characters the platform refuses"),
    Kind("import-parameter-name", INFO, "a path parameter named connectionId, which the platform reserves, renamed (the request is the same)"),
    Kind("import-response-code", INFO, "a response code range (2XX) written as its first code (200)"),
    # to fill in: what the connector needs and the document does not say
    Kind("import-fill-in", WARNING, "no absolute server URL (set connector.host and base_path), an OAuth client id (set its client_id)"),
)}

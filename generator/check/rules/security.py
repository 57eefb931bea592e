"""Microsoft's Swagger Validator rules of the page's Security section."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..registry import Issue, Target, rule
from ..walk import esc, obj
from .common import ERROR, MS, _ops

SECTION = "Security"  # where Microsoft's "Fix Swagger Validator errors" page lists these rules


@rule("SecurityRequirementMustBeDefined", ERROR, MS, "A security requirement names a securityDefinitions entry that does not exist.")
def security_requirement_defined(t: Target) -> Iterable[Issue]:
    defs = obj(t.definition.get("securityDefinitions"))
    places = [(t.definition.get("security"), "/security")] + [(op.node.get("security"), op.pointer + "/security") for op in _ops(t)]
    for security, base in places:
        if isinstance(security, list):
            for i, req in enumerate(security):
                for name in (req or {}) if isinstance(req, dict) else {}:
                    if name not in defs:
                        yield Issue(f"The security requirement '{name}' is not defined in the 'securityDefinitions' object.", f"{base}/{i}/{esc(name)}")


def _requirements(t: Target) -> Iterator[tuple[str, Any, str]]:
    """(scheme name, its requirement value, pointer) of every security requirement, document-wide and per operation."""
    places = [(t.definition.get("security"), "/security")] + [(op.node.get("security"), op.pointer + "/security") for op in _ops(t)]
    for security, base in places:
        for i, req in enumerate(security if isinstance(security, list) else []):
            for name, value in req.items() if isinstance(req, dict) else ():
                yield name, value, f"{base}/{i}/{esc(name)}"


@rule("OAuthSecurityRequirementValueMustBeScopeName", ERROR, MS, "An OAuth security requirement lists only scopes that its scheme declares in scopes.")
def oauth_scope_name(t: Target) -> Iterable[Issue]:
    defs = obj(t.definition.get("securityDefinitions"))
    for name, value, p in _requirements(t):
        scheme = obj(defs.get(name))
        if scheme.get("type") == "oauth2" and isinstance(value, list):
            scopes = obj(scheme.get("scopes"))
            for i, scope in enumerate(value):
                if scope not in scopes:
                    yield Issue(f"The OAuth security requirement '{name}' refers to scope name '{scope}', but this is not defined in the "
                                "'securityDefinitions' object.", f"{p}/{i}")


@rule("SecurityRequirementMustHaveEmptyValue", ERROR, MS, "A security requirement for a basic or apiKey scheme lists no scopes ([]).")
def security_requirement_empty(t: Target) -> Iterable[Issue]:
    defs = obj(t.definition.get("securityDefinitions"))
    for name, value, p in _requirements(t):
        if obj(defs.get(name)).get("type") in ("basic", "apiKey") and isinstance(value, list) and value:
            yield Issue(f"The security requirement '{name}' cannot specify any scopes, an empty array should be provided.", p)


@rule("SecurityRequirementMustHaveValue", ERROR, MS, "A security requirement's value is a list of scopes ([] when none), never null or missing.")
def security_requirement_value(t: Target) -> Iterable[Issue]:
    for name, value, p in _requirements(t):
        if value is None:
            yield Issue(f"The security requirement '{name}' must have have a value. Provide an empty array if no OAuth scopes are required.", p)

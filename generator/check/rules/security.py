"""Microsoft's Swagger Validator rules of the page's Security section."""

from __future__ import annotations

from typing import Iterable

from ..registry import Issue, Target, rule
from ..walk import esc, obj
from .common import ERROR, MS, _ops


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

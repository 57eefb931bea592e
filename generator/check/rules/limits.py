"""The limits family: the platform's size limits for a connector."""

from __future__ import annotations

from typing import Iterable

from ..registry import Issue, Target, rule
from .common import ERROR, LIMITS

MAX_DEFINITION_BYTES = 1024 * 1024


@rule("definition-size", ERROR, LIMITS, "The definition must be smaller than 1 MB (Microsoft's limit for an OpenAPI file).")
def definition_size(t: Target) -> Iterable[Issue]:
    import json

    size = t.__dict__.get("definition_bytes")  # a folder's file as it is on disk
    if size is None:
        # The built file, as `ppconnector build` writes it; its compact form (the C encoder, fast) is a lower
        # bound, and only a definition near the limit pays for the exact, indented size.
        size = len(json.dumps(t.definition, ensure_ascii=True, separators=(",", ":")))
        if size * 3 >= MAX_DEFINITION_BYTES:
            from ...emit.files import json_bytes

            size = len(json_bytes(t.definition))
    if size >= MAX_DEFINITION_BYTES:
        yield Issue(f"the definition is {size} bytes; it must be under {MAX_DEFINITION_BYTES} (1 MB)", "")

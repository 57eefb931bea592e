"""JSON pointers (RFC 6901) into plain documents: one walk for every feature that follows one."""

from __future__ import annotations

from typing import Any


def value_at(document: Any, pointer: str) -> Any:
    """The value a JSON pointer ("/a/0/b~1c", or a local reference "#/a/b") names, through lists too, or None."""
    for part in pointer.removeprefix("#").split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(document, list) and part.isdigit() and int(part) < len(document):
            document = document[int(part)]
        elif isinstance(document, dict) and part in document:
            document = document[part]
        else:
            return None
    return document

"""Microsoft's connector JSON Schemas from ../shared/reference/powerplatform, loaded as the tests use them.

The files are JSON with `//` comments (VS Code's jsonc); they are stripped outside strings before
parsing.  The schemas date from 2020 and reject a few keys the platform accepts today
(`reference/research/powerplatform-connector-format.md` §1.5); OVERLAY allows exactly those, no more.
"""

from __future__ import annotations

import copy
import functools
import json

import jsonschema

from conftest import require_shared

# What the 2020 schemas reject although the platform (and paconn itself) writes and accepts it.
OVERLAY = {
    "apiProperties": {"scriptOperations": {"type": "array", "items": {"type": "string"}}},  # properties.scriptOperations
    "settings": {"script": {"type": "string"}},  # paconn writes "script": "script.csx" whenever there is a script
}


def strip_comments(text: str) -> str:
    """Remove // line comments outside JSON strings."""
    out, i, n, in_string = [], 0, len(text), False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=None)
def schema(name: str, overlay: bool = True) -> dict:
    files = {"apiDefinition": "apiDefinition.swagger.schema.json", "apiProperties": "paconn-apiProperties.schema.json",
             "settings": "paconn-settings.schema.json"}
    loaded = json.loads(strip_comments(require_shared("reference", "powerplatform", files[name]).read_text(encoding="utf-8")))
    if overlay and name in OVERLAY:
        loaded = copy.deepcopy(loaded)
        target = loaded["properties"]["properties"]["properties"] if name == "apiProperties" else loaded["properties"]
        target.update(OVERLAY[name])
    return loaded


def errors(name: str, document: dict, overlay: bool = True) -> list[str]:
    s = schema(name, overlay)
    validator = jsonschema.validators.validator_for(s)(s)
    return sorted(f"/{'/'.join(map(str, e.absolute_path))}: {_what(e)}" for e in validator.iter_errors(document))


def _what(error) -> str:
    """The keyword broken and, for an unknown key, the key: from the error's data, never jsonschema's wording."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        import re

        known = set(error.schema.get("properties") or {})
        patterns = list(error.schema.get("patternProperties") or {})
        extra = sorted(k for k in error.instance if k not in known and not any(re.search(p, k) for p in patterns))
        return f"unknown key {', '.join(extra)}"
    return f"breaks {error.validator}"

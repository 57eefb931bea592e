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
from generator.check.msschema import strip_comments  # the reading Microsoft's files get in check too

# What the 2020 schemas reject although the platform (and paconn itself) writes and accepts it.
OVERLAY = {
    "apiProperties": {"scriptOperations": {"type": "array", "items": {"type": "string"}}},  # properties.scriptOperations
    "settings": {"script": {"type": "string"}},  # paconn writes "script": "script.csx" whenever there is a script
}


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
    return sorted(f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document))

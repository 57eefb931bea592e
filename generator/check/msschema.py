"""Microsoft's JSON Schemas for apiDefinition and apiProperties, read at run time from ../shared.

They are Microsoft's files and are not shipped with ppconnector: `check` reads them from the shared
reference folder (``$PPCONNECTOR_SHARED/reference/powerplatform``, else ``../shared`` beside the project or
the working folder).  Without them the two schema rules say so in one info finding each.

The files are JSON with ``//`` comments (stripped here, outside strings) and date from 2020: they reject a
few keys the platform accepts and writes today (powerplatform-connector-format.md §1.5).  ``OVERLAY``
allows exactly those.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path

FILES = {"definition": "apiDefinition.swagger.schema.json", "properties": "paconn-apiProperties.schema.json"}


def shared_candidates() -> list[Path]:
    if os.environ.get("PPCONNECTOR_SHARED"):  # an explicit setting is the only place looked at
        return [Path(os.environ["PPCONNECTOR_SHARED"])]
    out = []
    out.append(Path(__file__).resolve().parents[2].parent / "shared")
    out.append(Path.cwd().parent / "shared")
    return out


def schema_folder() -> Path | None:
    for base in shared_candidates():
        folder = base / "reference" / "powerplatform"
        if all((folder / name).is_file() for name in FILES.values()):
            return folder
    return None


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


def _overlay(kind: str, schema: dict) -> dict:
    """What the platform accepts today and the 2020 schemas do not (counted over Microsoft's own repository)."""
    schema = copy.deepcopy(schema)
    extension = {}  # any value
    if kind == "definition":
        schema["properties"].update({"x-ms-openai-data": extension, "x-ms-openai-manifest": extension})
        schema["definitions"]["info"]["properties"].update({"x-ms-keywords": extension,
                                                            "x-ms-openai-published-to-copilots": extension})
        schema["definitions"]["operation"]["properties"].update({"x-ms-openai-data": extension})
    else:
        props = schema["properties"]["properties"]["properties"]
        props["scriptOperations"] = {"type": "array", "items": {"type": "string"}}
        props["connectionParameterSets"] = {"type": "object"}
        oauth = schema.get("definitions", {}).get("oAuthSettings", {})
        mode = oauth.get("properties", {}).get("redirectMode")
        if isinstance(mode, dict) and isinstance(mode.get("enum"), list):
            mode["enum"] = mode["enum"] + ["GlobalPerConnector"]
        for branch in oauth.get("oneOf", []):  # aad's on-behalf-of login
            custom = branch.get("properties", {}).get("customParameters", {})
            if "resourceUri" in custom.get("properties", {}):
                custom["properties"]["enableOnbehalfOfLogin"] = {}
    return schema


@functools.lru_cache(maxsize=None)
def load(kind: str) -> dict | None:
    folder = schema_folder()
    if folder is None:
        return None
    return _overlay(kind, json.loads(strip_comments((folder / FILES[kind]).read_text(encoding="utf-8"))))

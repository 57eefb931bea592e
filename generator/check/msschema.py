"""ppconnector's JSON Schemas for the Power Platform layer of a connector (generator/schemas/, in the wheel).

They say where each ``x-ms-*`` extension may appear in apiDefinition.swagger.json and what its value looks
like, and what apiProperties.json and paconn's settings.json hold, as the platform reads them today
(Microsoft's validator catalogue, the research notes, the merged corpus).  The Swagger 2.0 structure itself is
the official 2.0 schema (swagger2.py).  Microsoft's own 2020 schemas are only a test oracle
(tests/test_schemas.py compares verdicts on the corpus).  Editors use the same files for completion.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "schemas"
FILES = {"definition": "apiDefinition.schema.json", "properties": "apiProperties.schema.json", "settings": "settings.schema.json"}


@functools.lru_cache(maxsize=None)
def load(kind: str) -> dict:
    return json.loads((FOLDER / FILES[kind]).read_text(encoding="utf-8"))

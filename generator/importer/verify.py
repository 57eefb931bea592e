"""`ppconnector import --verify`: import, build and compare, for many folders in one process.

Each folder is imported into a scratch folder exactly as `ppconnector import` would write it, loaded back
with the source loader (schema and cross-references included), built, and compared with the original files
as JSON values, key order included.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import InputError, crash_site
from ..emit.properties import properties
from ..emit.swagger import definition
from ..source.loader import display_path, load_connector
from .pipeline import import_path

IDENTICAL, DIFFERENT, REFUSED, CRASHED = "identical", "different", "refused", "crashed"
STATUSES = (IDENTICAL, DIFFERENT, REFUSED, CRASHED)


@dataclass
class Result:
    folder: str
    status: str
    message: str = ""
    notes: dict[str, int] = field(default_factory=dict)
    normalized: list[str] = field(default_factory=list)  # findings from reading files that are not strict JSON

    def line(self) -> str:
        extra = f": {self.message}" if self.message else ""
        return f"{self.status:9} {self.folder}{extra}"


def verify(path: Path, scratch: Path) -> Result:
    """One folder's verdict; a bug of ours on it is a verdict too (`crashed`), so a batch goes on."""
    try:
        return _verify(path, scratch)
    except Exception as e:  # noqa: BLE001 - one bad connector never stops the batch
        return Result(display_path(path), CRASHED, f"internal error: {type(e).__name__}: {e}{crash_site(e)} (a bug in ppconnector)")


def _verify(path: Path, scratch: Path) -> Result:
    shown = display_path(path)
    out = scratch / "connector" / "imported.yaml"
    try:
        imported = import_path(path, out)
        if out.parent.exists():
            shutil.rmtree(out.parent)
        out.parent.mkdir(parents=True)
        out.write_text(imported.yaml, encoding="utf-8")
        for name, data in imported.beside.items():
            (out.parent / name).parent.mkdir(parents=True, exist_ok=True)
            (out.parent / name).write_bytes(data)
        connector, _ = load_connector(out)
    except InputError as e:
        return Result(shown, REFUSED, "; ".join(str(f) for f in e.findings[:3]))
    normalized = [str(f) for f in imported.folder.findings]
    notes = dict(imported.notes)
    for name, original, built in (("apiDefinition.swagger.json", imported.folder.definition, definition(connector, "en")),
                                  ("apiProperties.json", imported.folder.properties, properties(connector, "en"))):
        where = first_difference(original, built)
        if where is not None:
            return Result(shown, DIFFERENT, f"{name} differs at {where}", notes, normalized)
    if imported.folder.converted_from:
        return Result(shown, IDENTICAL, f"{imported.folder.converted_from}, converted with {len(normalized)} finding(s)", notes, normalized)
    return Result(shown, IDENTICAL, f"read with {len(normalized)} normalization(s)" if normalized else "", notes, normalized)


def verify_all(paths: list[Path]) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="ppconnector-verify-") as tmp:
        return [verify(path, Path(tmp)) for path in paths]


def first_difference(a: Any, b: Any, pointer: str = "") -> str | None:
    """The JSON pointer of the first place two values differ (in value, type or key order), or None."""
    if json.dumps(a) == json.dumps(b):
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            missing = [k for k in a if k not in b]
            added = [k for k in b if k not in a]
            if missing or added:
                return f"{pointer or '/'} (keys {'missing ' + repr(missing) if missing else ''}{' added ' + repr(added) if added else ''})"
            return f"{pointer or '/'} (key order: {list(a)[:8]} vs {list(b)[:8]})"
        for k in a:
            found = first_difference(a[k], b[k], f"{pointer}/{_escape(k)}")
            if found:
                return found
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{pointer}/{i}")
            if found:
                return found
    return f"{pointer or '/'} ({json.dumps(a)[:60]} vs {json.dumps(b)[:60]})"


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def tally(results: list[Result]) -> dict[str, int]:
    return {s: sum(r.status == s for r in results) for s in STATUSES}


def report_json(results: list[Result]) -> str:
    return json.dumps({"results": [r.__dict__ for r in results], "tally": tally(results)}, indent=2, ensure_ascii=False)


def tally_line(results: list[Result]) -> str:
    counts = tally(results)
    crashed = f", {counts[CRASHED]} crashed" if counts[CRASHED] else ""
    return f"{len(results)} folders: {counts[IDENTICAL]} identical, {counts[DIFFERENT]} different, {counts[REFUSED]} refused{crashed}"

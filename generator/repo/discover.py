"""Which connectors a command works on: every connector below a folder, or the ones its paths name.

A connector is a folder: either a YAML source (its files are built into its folder, or at the repo root
for the single-connector layout's connector/), or a plain folder holding apiDefinition.swagger.json
(PowerPlatformConnectors' layout) that no source builds into.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..build import LEGACY_FOLDER, out_root
from ..diagnostics import ERROR, Finding
from ..source.loader import NOT_SOURCES, display_path

DEFINITION = "apiDefinition.swagger.json"
SKIPPED = {"node_modules", "dist", "venv", "env", "__pycache__", "site-packages"}
_TOP_KEY = re.compile(rb"^connector:", re.MULTILINE)  # every source has a top-level connector: (fixtures and CI files do not)


def is_source(path: Path) -> bool:
    if path.suffix not in (".yaml", ".yml") or path.name in NOT_SOURCES or not path.is_file():
        return False
    try:
        return bool(_TOP_KEY.search(path.read_bytes()))
    except OSError:
        return False


def _skipped(folder: str, name: str) -> bool:
    return name.startswith(".") or name in SKIPPED or os.path.isfile(os.path.join(folder, name, "pyvenv.cfg"))


def sources_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if is_source(p)) if folder.is_dir() else []


def discover(root: Path, folders: bool = True) -> list[Path]:
    """Every connector below root, sorted: YAML sources, and (with folders) plain connector folders."""
    sources: list[Path] = []
    plain: list[Path] = []
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _skipped(here, d))
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")) and is_source(Path(here, name)):
                sources.append(Path(here, name))
        if folders and any(name.lower() == DEFINITION.lower() for name in files):  # any case, as Microsoft's CI matches it
            plain.append(Path(here))
    built = {out_root(s.parent).resolve() for s in sources}
    plain = [f for f in plain if f.resolve() not in built]
    return sorted(sources + plain, key=lambda p: p.as_posix().lower())


def expand(paths: tuple[str, ...], folders: bool = True) -> list[str]:
    """The connectors paths name: a file is itself, a folder every connector below it (or itself when it
    holds none, so the command reports what is wrong with it)."""
    out: list[str] = []
    for spec in paths:
        path = Path(spec)
        # connector/ of the single-connector layout goes to the command as it always has
        found = discover(path, folders) if path.is_dir() and path.resolve().name != LEGACY_FOLDER else []
        for unit in found or [path]:
            shown = spec if not found else display_path(unit)
            if shown not in out:
                out.append(shown)
    return out


def many(paths: tuple[str, ...], folders: bool = True) -> list[str] | None:
    """The connectors to run one by one, or None for a run on one connector exactly as before (no path in
    a folder with connector/, or paths naming a single connector)."""
    if not paths:
        if (Path.cwd() / LEGACY_FOLDER).is_dir():
            return None
        paths = (".",)
    units = expand(paths, folders)
    return units if len(units) > 1 else None


def single(paths: tuple[str, ...], folders: bool = True) -> str | None:
    """The one connector of a run that `many` left alone: the path given or the one connector found below
    the current folder; None lets the command find connector/*.yaml as it always has."""
    if not paths and (Path.cwd() / LEGACY_FOLDER).is_dir():
        return None
    units = expand(paths or (".",), folders)
    return None if units == ["."] else units[0]


def claimants(source: Path) -> list[Path]:
    """Every source that writes its files where source does (source included): more than one is an error."""
    root = out_root(source.resolve().parent)
    candidates = sources_in(root) + sources_in(root / LEGACY_FOLDER)
    return [p for p in candidates if out_root(p.parent) == root]


def collision(source: Path) -> list[Finding]:
    """An error for each other source that would write the same files as source (nothing is written)."""
    me = source.resolve()
    others = [p for p in claimants(source) if p.resolve() != me]
    root = display_path(out_root(me.parent))
    return [Finding("input", ERROR, f"{display_path(p)} writes its files into {root} too: keep one connector source "
                    "per folder (move one into a folder of its own)", display_path(source)) for p in others]

"""Every connector below a folder (what `repo.resolve` makes of a folder named).

A connector is a folder: either a YAML source (its files are built into its folder, or at the repo root
for the single-connector layout's connector/), or a plain folder holding apiDefinition.swagger.json
(PowerPlatformConnectors' layout) that no source builds into.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..layout import DEFINITION, LEGACY_FOLDER, out_root
from ..diagnostics import ERROR, Finding
from ..source.loader import NOT_SOURCES, display_path
from ..source.yamlfile import MAX_FILE_BYTES

SKIPPED = {"node_modules", "dist", "venv", "env", "__pycache__", "site-packages"}
_TOP_KEY = re.compile(rb"^connector:", re.MULTILINE)  # every source has a top-level connector: (fixtures and CI files do not)


def is_source(path: Path) -> bool:
    """A YAML file with a top-level connector: key; in the single-connector layout's connector/ folder, any YAML
    file (a source broken beyond that key is still the source: the loader says what is wrong with it)."""
    if path.suffix not in (".yaml", ".yml") or path.name in NOT_SOURCES or not path.is_file():
        return False
    if path.parent.name == LEGACY_FOLDER:
        return True
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return True  # read no further: the loader refuses it, saying why
        return bool(_TOP_KEY.search(path.read_bytes()))
    except OSError:
        return False


def legacy_sources(folder: Path) -> list[Path]:
    """Every YAML entry of a connector/ folder, whatever it is (a folder, a pipe): the one there is the source,
    and the loader says what is wrong with it."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.name not in NOT_SOURCES)


def _skipped(folder: str, name: str) -> bool:
    return name.startswith(".") or name in SKIPPED or os.path.isfile(os.path.join(folder, name, "pyvenv.cfg"))


def sources_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if is_source(p)) if folder.is_dir() else []


def discover(root: Path, folders: bool = True) -> list[Path]:
    """Every connector below root, sorted: YAML sources, and (with folders) plain connector folders; what the
    repository's exclude patterns name is left out (root itself never is: it was named)."""
    from .config import exclusions

    excluded = exclusions(root).excludes
    sources: list[Path] = []
    plain: list[Path] = []
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _skipped(here, d) and not excluded(Path(here, d)))
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")) and is_source(Path(here, name)) and not excluded(Path(here, name)):
                sources.append(Path(here, name))
        if folders and any(name.lower() == DEFINITION.lower() for name in files):  # any case, as Microsoft's CI matches it
            plain.append(Path(here))
    built = {out_root(s.parent).resolve() for s in sources}
    plain = [f for f in plain if f.resolve() not in built]
    return sorted(sources + plain, key=lambda p: p.as_posix().lower())


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


def clashes(sources: list[Path]) -> list[Finding]:
    """An error for each folder that two of these sources would write their files into (`collision` looks on disk)."""
    roots: dict[Path, list[Path]] = {}
    for s in sources:
        roots.setdefault(out_root(s.absolute().parent).resolve(), []).append(s)
    return [Finding("input", ERROR, f"{' and '.join(display_path(s) for s in group)} would all write their files here; keep one "
                    "connector source per folder", display_path(root)) for root, group in roots.items() if len(group) > 1]

"""The repository around the connectors: where its root is, and which folders discovery leaves out.

The repository root is the nearest folder, from a connector upwards, holding `.git`; without git, the nearest
holding `.ppconnector/` or `pyproject.toml`.  The editor schema lives there, whichever connector or folder a
command starts from.  Folders to leave out of discovery (test fixtures, vendored copies) are listed in
`[tool.ppconnector] exclude = [...]` of a `pyproject.toml`, or one a line in a `.ppconnectorignore`, in the
repository root or any folder between it and where discovery starts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..diagnostics import ERROR, Finding, InputError

IGNORE_FILE = ".ppconnectorignore"
PYPROJECT = "pyproject.toml"
EDITOR_SCHEMA = Path(".ppconnector") / "connector.schema.json"


def repository_root(start: Path) -> Path | None:
    """The nearest folder from start upwards holding .git; else one holding .ppconnector/ or pyproject.toml."""
    here = start.resolve()
    chain = [here, *here.parents] if here.is_dir() else list(here.parents)
    for folder in chain:
        if (folder / ".git").exists():
            return folder
    return next((f for f in chain if (f / EDITOR_SCHEMA.parent).is_dir() or (f / PYPROJECT).is_file()), None)


def editor_schema_path(source_folder: Path, fallback: Path) -> Path:
    """Where the YAML source's JSON Schema goes for editors: the repository root's .ppconnector/ (fallback:
    a folder to use when the connector is in no repository, its output root)."""
    return (repository_root(source_folder) or fallback) / EDITOR_SCHEMA


@dataclass(frozen=True)
class Pattern:
    base: Path  # the folder the pattern is relative to (where its file is)
    text: str  # as written, for messages
    regex: re.Pattern
    anchored: bool  # holds a "/": matched against the path from base, else against each name


def _compile(text: str, base: Path) -> Pattern:
    body = text.strip().rstrip("/")
    anchored = "/" in body
    body = body.lstrip("/")
    out = ""
    i = 0
    while i < len(body):
        if body.startswith("**", i):
            out += ".*"
            i += 2
        elif body[i] == "*":
            out += "[^/]*"
            i += 1
        elif body[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(body[i])
            i += 1
    return Pattern(base, text, re.compile(out + r"\Z"), anchored)


@dataclass(frozen=True)
class Exclusions:
    patterns: tuple[Pattern, ...] = ()

    def excludes(self, path: Path) -> bool:
        """Whether discovery leaves path (a folder or a source file) out."""
        if not self.patterns:
            return False
        full = path.resolve()
        for p in self.patterns:
            if p.anchored:
                if p.base == full or p.base in full.parents:
                    if p.regex.match(PurePosixPath(full.relative_to(p.base)).as_posix()):
                        return True
            elif p.regex.match(full.name):
                return True
        return False


def _from_pyproject(path: Path) -> list[str]:
    import tomllib

    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise InputError(Finding("config", ERROR, f"cannot read {PYPROJECT}: {e}", str(path))) from None
    table = doc.get("tool", {}).get("ppconnector", {}) if isinstance(doc.get("tool"), dict) else {}
    if not isinstance(table, dict):
        raise InputError(Finding("config", ERROR, "[tool.ppconnector] must be a table", str(path)))
    unknown = sorted(set(table) - {"exclude"})
    if unknown:
        raise InputError(Finding("config", ERROR, f'[tool.ppconnector]: unknown key "{unknown[0]}"; expected exclude', str(path)))
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise InputError(Finding("config", ERROR, "[tool.ppconnector] exclude must be a list of folder patterns", str(path)))
    return exclude


def _from_ignore_file(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(Finding("config", ERROR, f"cannot read {IGNORE_FILE}: {e}", str(path))) from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@functools.lru_cache(maxsize=64)
def exclusions(start: Path) -> Exclusions:
    """Every exclude pattern that applies below start: from start's folder up to the repository root."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    top = repository_root(here)
    chain = [here, *here.parents]
    chain = chain[: chain.index(top) + 1] if top in chain else chain
    patterns: list[Pattern] = []
    for folder in chain:
        found: list[str] = []
        if (folder / PYPROJECT).is_file():
            found += _from_pyproject(folder / PYPROJECT)
        if (folder / IGNORE_FILE).is_file():
            found += _from_ignore_file(folder / IGNORE_FILE)
        patterns += [_compile(text, folder) for text in found if text.strip().strip("/")]
    return Exclusions(tuple(patterns))

"""Which connectors changed since a git revision: the ones a pull request touches, and nothing else.

A changed file belongs to the innermost connector folder that holds it, now or at the revision (a
source's folder, or a plain connector folder).  A connector found only now was added; one found only at
the revision was removed.
"""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..diagnostics import ERROR, Finding, InputError
from ..layout import DEFINITION, out_root
from .discover import _TOP_KEY, SKIPPED, discover

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Changed:
    home: str  # the connector's folder, relative to the repo's top (posix)
    status: str  # added, removed or changed
    now: Path | None  # the source file or plain folder today (None when removed)
    then: str | None  # the same at the revision, relative to the repo's top (None when added)

    @property
    def shown(self) -> str:
        from ..source.loader import display_path

        return display_path(self.now) if self.now is not None else self.then or self.home


def _git(cwd: Path, *args: str) -> bytes:
    try:
        r = subprocess.run(["git", *args], check=False, cwd=cwd, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise InputError(Finding("input", ERROR, "git is not installed")) from None
    if r.returncode:
        raise InputError(Finding("input", ERROR, f"git {' '.join(args[:2])}: {r.stderr.decode('utf-8', 'replace').strip()}"))
    return r.stdout


def _lines(data: bytes) -> list[str]:
    return [line for line in data.decode("utf-8", "replace").split("\0") if line]


def _top_for(rev: str, cwd: Path | None) -> tuple[Path, Path]:
    """(the working folder, the repository's top), once rev is known to name a commit."""
    cwd = (cwd or Path.cwd()).resolve()
    top = Path(_git(cwd, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    try:
        _git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except InputError:
        raise InputError(Finding("input", ERROR, f'unknown git revision "{rev}"', f"git:{rev}")) from None
    return cwd, top


def _wanted(path: str) -> bool:
    return not any(part.startswith(".") or part in SKIPPED for part in PurePosixPath(path).parts[:-1])


def changed_since(rev: str, cwd: Path | None = None) -> list[Changed]:
    cwd, top = _top_for(rev, cwd)
    scope = cwd.relative_to(top).as_posix()
    scope = "" if scope == "." else scope
    where = [scope] if scope else []
    touched = set(_lines(_git(top, "diff", "--name-only", "-z", "--no-renames", rev, "--", *where)))
    touched |= set(_lines(_git(top, "ls-files", "-z", "--others", "--exclude-standard", "--", *where)))
    touched = {p for p in touched if _wanted(p)}

    now = {}
    for unit in discover(cwd):
        home = (unit.parent if unit.is_file() else unit).resolve().relative_to(top).as_posix()
        now[home] = unit
    then = _units_at(top, rev, where, touched)

    homes = set()
    for path in touched:
        owners = [h for h in set(now) | set(then) if h == "." or path.startswith(h + "/")]
        if owners:
            homes.add(max(owners, key=len))
    out = []
    for home in sorted(homes):
        status = CHANGED if home in now and home in then else ADDED if home in now else REMOVED
        out.append(Changed(home, status, now.get(home), then.get(home)))
    return out


def _units_at(top: Path, rev: str, where: list[str], touched: set[str]) -> dict[str, str]:
    """home -> the source or plain folder at rev, for the connectors whose folders hold a touched path."""
    listed = [p for p in _lines(_git(top, "ls-tree", "-r", "-z", "--name-only", rev, "--", *where)) if _wanted(p)]
    near = {str(PurePosixPath(p).parent) for p in touched}
    near |= {str(parent) for p in touched for parent in PurePosixPath(p).parents}
    sources, folders = {}, {}
    for p in listed:
        parent = str(PurePosixPath(p).parent)
        if parent not in near:
            continue
        if p.endswith((".yaml", ".yml")) and _TOP_KEY.search(_git(top, "show", f"{rev}:{p}")):
            sources[parent] = p
        elif PurePosixPath(p).name == DEFINITION:
            folders[parent] = parent
    built = {str(PurePosixPath(out_root(Path(h)).as_posix())) for h in sources}
    return {**{h: f for h, f in folders.items() if h not in built}, **sources}


def at_revision(rev: str, now: Path, cwd: Path | None = None) -> tuple[str, str | None]:
    """(home, then) of a connector at rev: its folder relative to the repository's top, and its source (the
    same file, else the one source in that folder) or plain folder at rev; then is None when it did not exist."""
    cwd, top = _top_for(rev, cwd)
    folder = (now.parent if now.is_file() else now).resolve()
    try:
        home = folder.relative_to(top).as_posix()
    except ValueError:
        raise InputError(Finding("input", ERROR, f"{now} is outside the git repository {top}", str(now))) from None
    from ..gittree import entries

    listed = [e.path for e in entries(top, rev, "" if home == "." else home, recursive=False)] if _exists(top, rev, home) else []
    if now.is_file():
        mine = now.resolve().relative_to(top).as_posix()
        if mine in listed:
            return home, mine
        sources = [p for p in listed if p.endswith((".yaml", ".yml")) and _TOP_KEY.search(_git(top, "show", f"{rev}:{p}"))]
        if len(sources) == 1:
            return home, sources[0]
    definition = DEFINITION if home == "." else f"{home}/{DEFINITION}"
    return home, (home if definition in listed else None)


def _exists(top: Path, rev: str, home: str) -> bool:
    return home == "." or subprocess.run(["git", "cat-file", "-e", f"{rev}:{home}"], cwd=top, capture_output=True, check=False).returncode == 0


@contextmanager
def checkout(rev: str, home: str, cwd: Path | None = None):
    """The connector folder `home` as it was at rev, in a temporary folder (yields that folder)."""
    cwd = (cwd or Path.cwd()).resolve()
    top = Path(_git(cwd, "rev-parse", "--show-toplevel").decode().strip())
    with tempfile.TemporaryDirectory(prefix="ppconnector-rev-") as tmp:
        from ..gittree import extract

        (Path(tmp) / home).mkdir(parents=True, exist_ok=True)
        extract(top, rev, "" if home == "." else home, Path(tmp))  # refuses a tree path that would climb out (exit 2)
        yield Path(tmp)

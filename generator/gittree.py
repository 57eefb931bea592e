"""Files of a git revision, written into a temporary folder without ever writing outside it.

A commit's tree is input like any other: `git mktree` makes entries named `..`, `.git` or with a path that
climbs out, and a pull request can carry such a commit. Every path is checked before anything is written, and
a tree holding one is refused as unusable input (exit 2), naming the path.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .diagnostics import ERROR, Finding, InputError


class UnsafeTree(InputError):
    """The revision's tree holds a path that would be written outside the checkout."""


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the repository's top, posix
    mode: str
    kind: str  # blob, tree or commit (a submodule)
    object: str


def _git(top: Path, *args: str) -> bytes:
    try:
        r = subprocess.run(["git", *args], cwd=top, capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise InputError(Finding("input", ERROR, "git is not installed")) from None
    if r.returncode:
        raise InputError(Finding("input", ERROR, f"git {' '.join(args[:2])}: {r.stderr.decode('utf-8', 'replace').strip()}"))
    return r.stdout


def unsafe(path: str) -> str | None:
    """Why a path from a tree must not be written under a folder, or None when it is safe."""
    if not path or path.startswith("/") or "\\" in path or ":" in path.split("/")[0][1:2]:
        return "it is absolute"
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return f"it has a {part or 'empty'!r} component"
        if part.lower().rstrip(". ") == ".git":
            return "it names a .git folder"
        if "\0" in part:
            return "it holds a NUL byte"
    return None


def entries(top: Path, rev: str, folder: str = "", recursive: bool = True) -> list[Entry]:
    """The entries of `folder` at rev (every file below it when recursive), names as git stores them (spaces,
    newlines and all), each path checked: one that could climb out of a folder is refused."""
    if folder and unsafe(folder) is not None:
        raise UnsafeTree(Finding("diff-input", ERROR, f"the tree holds the path {folder!r}, which is refused: {unsafe(folder)}; "
                                 "nothing of the revision was written", f"git:{rev}"))
    spec = f"{rev}:{folder}" if folder else f"{rev}^{{tree}}"
    raw = _git(top, "ls-tree", "-z", *(["-r"] if recursive else []), spec)
    out = []
    for record in raw.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        mode, kind, obj = (meta.split(" ") + ["", "", ""])[:3]
        why = unsafe(name)
        path = f"{folder.rstrip('/')}/{name}" if folder else name
        if why is not None:
            raise UnsafeTree(Finding("diff-input", ERROR, f"the tree holds the path {path!r}, which is refused: {why}; "
                                     "nothing of the revision was written", f"git:{rev}"))
        out.append(Entry(path, mode, kind, obj))
    return out


def extract(top: Path, rev: str, folder: str, dest: Path, recursive: bool = True) -> list[Path]:
    """Write the regular files of `folder` at rev under dest (keeping their paths relative to the repository's
    top). Symbolic links and submodules are left out. Returns the files written."""
    found = [e for e in entries(top, rev, folder, recursive) if e.kind == "blob" and e.mode in ("100644", "100755")]
    base = dest.resolve()
    written = []
    for e in found:
        target = dest / PurePosixPath(e.path)
        if base not in target.resolve().parents:  # a safe path cannot get here; checked all the same
            raise UnsafeTree(Finding("diff-input", ERROR, f"the path {e.path!r} leads out of the checkout; refused", f"git:{rev}"))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git(top, "cat-file", "blob", e.object))
        except OSError as err:  # a name this file system cannot hold, or a file where a folder should be
            raise InputError(Finding("diff-input", ERROR, f"cannot check out {e.path!r}: {err.strerror or err}", f"git:{rev}")) from None
        written.append(target)
    return written

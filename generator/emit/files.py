"""Serializing and writing outputs: same model, same bytes; all files of a command or none."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def json_bytes(value: Any) -> bytes:
    # ASCII-escaped: paconn opens files with the platform's default encoding, which mangles Czech on
    # Windows build agents; \u escapes survive any encoding.
    return (json.dumps(value, indent=2, ensure_ascii=True) + "\n").encode("ascii")


def stale_files(files: dict[Path, bytes]) -> list[Path]:
    """The files whose content on disk differs from what a build would write (missing included)."""
    out = []
    for path, data in files.items():
        try:
            if path.read_bytes() != data:
                out.append(path)
        except OSError:
            out.append(path)
    return out


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write every file or none: stage each beside its target, then swap them all in.

    A failure while staging leaves every target untouched; a failure while swapping puts back the
    targets already replaced.  Returns the files that changed.
    """
    changed = stale_files(files)
    staged: list[tuple[Path, Path]] = []
    try:
        for path in changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((Path(tmp), path))  # before writing: a failed write must not leave the .tmp behind
            with os.fdopen(fd, "wb") as handle:
                handle.write(files[path])
                handle.flush()
                os.fsync(handle.fileno())
        _swap(staged)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return changed


def _swap(staged: list[tuple[Path, Path]]) -> None:
    backups: list[tuple[Path, Path | None]] = []
    try:
        for tmp, target in staged:
            backup = None
            if target.exists():
                backup = target.with_name(f".{target.name}.{os.getpid()}.bak")
                os.replace(target, backup)
            backups.append((target, backup))
            os.replace(tmp, target)
    except BaseException:
        for target, backup in reversed(backups):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        raise
    for _, backup in backups:
        if backup is not None:
            backup.unlink(missing_ok=True)

"""Serializing and writing outputs: same model, same bytes; each file whole, old or new, never missing.

What "atomic" means here (docs/atomic-writes.md): every target is replaced with one ``os.replace`` of a
fully written and fsynced file beside it, so at any instant, even after a kill -9 or a power cut, each
target holds either its old or its new bytes.  Across several files: an error the command survives
(a full disk, a permission) puts back the targets already replaced, so the set is all old or all new;
a kill between two replaces leaves some files new and some old, each whole, which the next run (or
``build --check``) sees and finishes.  One writer at a time per output root (a lock on the folder).
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import stat
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..diagnostics import ERROR, Finding, InputError


def json_bytes(value: Any) -> bytes:
    # ASCII-escaped: paconn opens files with the platform's default encoding, which mangles Czech on
    # Windows build agents; \u escapes survive any encoding.
    return (json.dumps(value, indent=2, ensure_ascii=True) + "\n").encode("ascii")


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def stale_files(files: dict[Path, bytes]) -> list[Path]:
    """The files whose content on disk differs from what a build would write (missing included)."""
    return [path for path, data in files.items() if _current(path) != data]


# --- the writer ---------------------------------------------------------------------------------------

def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def _is_temp_of(name: str, target: str) -> bool:
    # ours: .NAME.<8 hex>.tmp; an older ppconnector's mkstemp: .NAME.<8 of [a-z0-9_]>.tmp
    return re.fullmatch(re.escape(f".{target}.") + r"[a-z0-9_]{8}\.tmp", name) is not None


def _clean_stale_temps(targets: list[Path]) -> None:
    """Temporary files a killed run left beside these targets (under the lock, no live writer owns them)."""
    by_folder: dict[Path, set[str]] = {}
    for t in targets:
        by_folder.setdefault(t.parent, set()).add(t.name)
    for folder, names in by_folder.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False) \
                    and any(_is_temp_of(entry.name, n) for n in names):
                Path(entry.path).unlink(missing_ok=True)


def _stream(path: Path) -> bool:
    """A character device or FIFO (-o /dev/stdout): written straight through, never replaced."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _stage(target: Path, data: bytes, mode: int | None) -> Path:
    """data in a new file beside target, fsynced, with the target's mode (or the umask's for a new file)."""
    tmp = _temp_name(target)
    try:
        keep = mode if mode is not None else stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        keep = None  # a new file: 0o666 through the umask, as any program creates one
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600 if keep is not None else 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep is not None:
            os.chmod(tmp, keep)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _fsync_folder(folder: Path) -> None:
    """The renames themselves made durable; not every platform can open a folder (Windows): best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_held = threading.local()  # the roots this thread holds the lock of: taking one again is a no-op


@contextmanager
def output_lock(root: Path) -> Iterator[None]:
    """One writer per output root: a second ppconnector writing into the same folder waits for the first.

    The lock is on the folder itself (flock), so no lock file is left behind and a killed writer's lock
    is released by the kernel.  Without flock (Windows) there is no lock.  It can be taken again inside
    itself (a read-modify-write holds it from the read, and write_all takes it once more).
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    key = os.path.realpath(root)
    held = _held.__dict__.setdefault("roots", set())
    if key in held:
        yield
        return
    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"{root}: another ppconnector is writing here; waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # releases the lock


def _problem(e: OSError, path: Path, changed_nothing: bool) -> InputError:
    """An OSError as what the user can do about it (exit 2): the environment, not a bug."""
    where = os.fspath(e.filename) if getattr(e, "filename", None) else os.fspath(path)
    what = {
        errno.ENOSPC: "the disk is full: free some space and run again",
        errno.EDQUOT: "the disk quota is used up: free some space and run again",
        errno.EACCES: "no permission to write here: make the folder writable or write somewhere else",
        errno.EPERM: "no permission to write here: make the folder writable or write somewhere else",
        errno.EROFS: "the file system is read-only: write somewhere else",
        errno.ENOTDIR: "a file stands where a folder is needed: move that file away or write somewhere else",
        errno.EEXIST: "a file stands where a folder is needed: move that file away or write somewhere else",
        errno.EISDIR: "a folder stands where a file is to be written: move that folder away or write somewhere else",
    }.get(e.errno, "the file system refused the write")
    state = "nothing was changed" if changed_nothing else "some files could not be put back: run the command again"
    return InputError(Finding("write", ERROR, f"cannot write: {e.strerror or e}; {what} ({state})", where))


def _preflight(targets: list[Path]) -> None:
    """Refuse before writing anything when a target is a folder or a folder is a file (never move them aside)."""
    for t in targets:
        if t.is_dir():
            raise OSError(errno.EISDIR, "Is a directory", os.fspath(t))
        for parent in t.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise OSError(errno.ENOTDIR, "Not a directory", os.fspath(parent))
                break


def _root_of(files: dict[Path, bytes]) -> Path:
    return Path(os.path.commonpath([os.path.abspath(p.parent) for p in files]))


def write_all(files: dict[Path, bytes], mode: int | None = None) -> list[Path]:
    """Write every changed file so that each target is always whole (old or new) and, when anything fails
    along the way, put back the ones already replaced.  ``mode`` forces a file mode (a private token file);
    otherwise a file keeps its mode and a new one gets the umask's.  Returns the files that changed.

    Environment problems (full disk, read-only folder, a file where a folder is needed) are InputError.
    """
    if not files:
        return []
    replaced: list[tuple[Path, bytes | str | None]] = []
    try:
        _preflight(list(files))
        root = _root_of(files)
        root.mkdir(parents=True, exist_ok=True)
        with output_lock(root):
            old = {path: _current(path) for path in files}
            changed = [path for path, data in files.items() if old[path] != data]
            _clean_stale_temps(list(files))
            streams = [p for p in changed if _stream(p)]
            changed_files = [p for p in changed if p not in streams]
            saved = {path: _saved(path) for path in changed_files}
            staged: list[tuple[Path, Path]] = []
            try:
                for path in changed_files:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    staged.append((_stage(path, files[path], mode), path))
                for tmp, target in staged:
                    os.replace(tmp, target)
                    replaced.append((target, saved[target]))
                for folder in {t.parent for _, t in staged}:
                    _fsync_folder(folder)
            except BaseException as failure:
                for tmp, _ in staged:
                    tmp.unlink(missing_ok=True)
                try:
                    _put_back(replaced, mode)
                except OSError as e:
                    if isinstance(failure, OSError):
                        raise _problem(failure, next(iter(files)), changed_nothing=False) from None
                    raise _problem(e, next(iter(files)), changed_nothing=False) from None
                raise
            for path in streams:
                with open(path, "wb") as handle:
                    handle.write(files[path])
            return changed
    except OSError as e:
        raise _problem(e, next(iter(files)), changed_nothing=True) from None


def _saved(path: Path) -> bytes | str | None:
    """What stands at path, to put back after a failure: a file's bytes, a symlink's destination (the link
    itself, not a copy of what it points to, nor nothing when it dangles), None when nothing does.
    A file that cannot be read is refused here, before anything changed: it could not be put back."""
    if path.is_symlink():
        return os.readlink(path)
    return path.read_bytes() if path.exists() else None


def _put_back(replaced: list[tuple[Path, bytes | str | None]], mode: int | None) -> None:
    """Undo replaced targets after a failure: what stood there back (a file that was new is removed).
    One that cannot be put back does not stop the others; the first such error is raised after."""
    failed: OSError | None = None
    for target, old in reversed(replaced):
        try:
            _restore(target, old, mode)
        except OSError as e:
            failed = failed or e
    if failed is not None:
        raise failed


def _restore(target: Path, old: bytes | str | None, mode: int | None) -> None:
    if old is None:
        target.unlink(missing_ok=True)
        return
    if isinstance(old, str):
        tmp = _temp_name(target)
        os.symlink(old, tmp)
    else:
        tmp = _stage(target, old, mode)
    try:
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)

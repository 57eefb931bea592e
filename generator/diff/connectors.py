"""`ppconnector diff` as library functions: two sides -> changes; connectors at a git revision -> changes.

Nothing is printed: the findings (acknowledgement notes) travel with the changes, and `render` formats them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError


@dataclass
class Compared:
    """One connector's changes; status added/removed/changed (repo.changed), shown as the user names it."""

    shown: str
    folder: str  # the connector's folder, relative to the repository's top (posix)
    status: str
    changes: list = field(default_factory=list)  # diff.compare.Change
    findings: list[Finding] = field(default_factory=list)


def _acknowledged(changes: list, path: Path | None) -> list[Finding]:
    from . import ack

    if path is None:
        return []
    if not path.is_file():
        raise InputError(Finding("diff-acknowledgements", ERROR, "acknowledgement file not found", str(path)))
    return ack.apply(changes, ack.load_acks(path, str(path)))


def diff_sides(old: str, new: str, locale: str | None = None, acknowledgements: Path | None = None) -> tuple[list, list[Finding]]:
    """The changes from OLD to NEW (each a YAML source, a connector folder, a definition or git:REV), with the
    acknowledgements applied (default: connector/diff-acknowledgements.yaml when it exists)."""
    from . import ack
    from .compare import diff
    from .load import load_side

    if old.startswith("git:") and not new.startswith("git:"):
        same = _in_this_repository(new)
        if same is not None:  # git:REV is NEW's connector as it was at REV
            return diff_connector_since(old[4:], same, locale, acknowledgements)
    sides, problems = [], []
    for spec in (old, new):  # both sides' errors in one run
        try:
            sides.append(load_side(spec, locale))
        except InputError as e:
            problems.extend(e.findings)
    if problems:
        raise InputError(problems)
    changes = diff(*sides)
    return changes, _acknowledged(changes, acknowledgements or (ack.DEFAULT if ack.DEFAULT.is_file() else None))


def _in_this_repository(spec: str):
    """The one connector spec names, when it is inside the git repository of the current folder; else None."""
    import subprocess

    from ..repo.resolve import resolve_one

    path = Path(spec)
    if not path.exists():
        return None
    try:
        r = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    top = Path(r.stdout.decode("utf-8", "replace").strip()).resolve() if r.returncode == 0 else None
    if top is None or (path.resolve() != top and top not in path.resolve().parents):
        return None
    return resolve_one(spec, what="diff")


def _at_revision(rev: str, home: str, then: str, locale: str | None):
    """The side of a connector as it was at rev (then: its source or folder, relative to the repository's top)."""
    from ..repo.changed import checkout
    from .load import _relabel, load_side

    spec = f"git:{rev}"
    with checkout(rev, home) as tmp:
        side = _relabel(lambda: load_side(str(Path(tmp) / then), locale), str(tmp), spec)
    return dataclasses.replace(side, shown=spec)


def _ack_file(now: Path) -> Path | None:
    from .ack import DEFAULT

    found = (now.parent if now.is_file() else now) / DEFAULT.name
    return found if found.is_file() else None


def diff_connector_since(rev: str, ref, locale: str | None = None, acknowledgements: Path | None = None) -> tuple[list, list[Finding]]:
    """One connector (a ConnectorRef) from git revision rev to the working tree."""
    from ..repo.changed import at_revision
    from .compare import diff
    from .load import load_side

    home, then = at_revision(rev, ref.path)
    if then is None:
        raise InputError(Finding("diff-input", ERROR, f"{ref.shown} did not exist at {rev}: every operation is new", f"git:{rev}"))
    old = _at_revision(rev, home, then, locale)
    changes = diff(old, load_side(str(ref.path), locale))
    return changes, _acknowledged(changes, acknowledgements or _ack_file(ref.path))


def diff_changed_since(rev: str, locale: str | None = None) -> list[Compared]:
    """Every connector below the current folder that changed since rev: added, removed, or compared as
    `diff` compares one (with the acknowledgements beside its source)."""
    from ..repo.changed import ADDED, REMOVED, changed_since
    from .compare import diff
    from .load import load_side

    out = []
    for c in changed_since(rev):
        item = Compared(c.shown, c.home, c.status)
        if c.status not in (ADDED, REMOVED):
            old = _at_revision(rev, c.home, c.then, locale)
            item.changes = diff(old, load_side(str(c.now), locale))
            item.findings = _acknowledged(item.changes, _ack_file(c.now))
        out.append(item)
    return out


def failed(item: Compared, fail_on: str) -> bool:
    from ..repo.changed import REMOVED
    from .kinds import RANK
    from .report import failed as report_failed

    if item.status == REMOVED:  # every flow that uses it breaks
        return fail_on != "never" and RANK["breaking"] <= RANK[fail_on]
    return report_failed(item.changes, fail_on)

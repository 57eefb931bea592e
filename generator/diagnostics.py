"""One error model for the whole toolkit: a problem is a Finding with a place and a plain message.

Problems are collected, not raised one at a time, so a user sees all of them in one run.  Input that
cannot be used at all ends in ``InputError`` carrying its findings; the CLI prints them and exits 2.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    pointer: str | None = None  # JSON pointer into the generated definition, where one exists

    def where(self) -> str:
        parts = [printable(self.file or "<input>")]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.severity}: {printable(self.message)} [{self.rule}]"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Text kept on its one line of output: a control character (a newline in an operationId or a locale)
    is shown as its escape, so connector text never starts a line of its own; in CI a line starting
    with `::` would be a GitHub workflow command."""
    return _CONTROL.sub(lambda m: ascii(m.group(0))[1:-1], text)


class InputError(Exception):
    """Input the toolkit cannot use; carries every problem found, each with its place."""

    def __init__(self, findings: Iterable[Finding] | Finding):
        self.findings = [findings] if isinstance(findings, Finding) else list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


@dataclass
class Collector:
    """Gathers findings during one command; ``raise_errors`` turns collected errors into InputError."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    def raise_errors(self) -> None:
        if self.errors():
            raise InputError(self.findings)


def _ratios(name: str, candidates: Iterable[str], floor: float) -> Iterator[tuple[float, str]]:
    """(similarity, candidate) for each candidate that may reach floor: the cheap upper bounds rule most out
    before the full comparison (a definition with many unknown keys asks for hundreds of suggestions)."""
    matcher = difflib.SequenceMatcher(None, name, "")
    for c in dict.fromkeys(candidates):
        matcher.set_seq2(c)
        if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
            ratio = matcher.ratio()
            if ratio >= floor:
                yield ratio, c


def did_you_mean(name: str, candidates: Iterable[str], likely: Iterable[str] = ()) -> str:
    """' (did you mean "x"?)' for the candidate most like name, else ''.  `likely` are the candidates a
    change points at (e.g. the operations a rename left without fixtures): unless another candidate is
    plainly a typo away, the likeliest of them is named, even when it looks less alike."""
    # Short names (locales, ids) differ by a letter at a lower similarity ratio than long ones.
    cutoff = 0.5 if len(name) <= 4 else 0.6
    scored = sorted(_ratios(name, candidates, 0.4), reverse=True)
    likely = set(likely)
    typo = [c for ratio, c in scored if ratio >= 0.85]
    pointed = [c for ratio, c in scored if c in likely and ratio >= 0.4]
    close = [c for ratio, c in scored if ratio >= cutoff]
    best = (typo or pointed or close or [None])[0]
    return f' (did you mean "{best}"?)' if best else ""


class Suggestions:
    """did_you_mean for many names against one list of candidates: only the first `limit` names get a
    suggestion, so a file of thousands of unknown names costs names + limit x candidates, not their product."""

    def __init__(self, candidates: Iterable[str], limit: int = 20):
        self.candidates, self.left = list(candidates), limit

    def __call__(self, name: str) -> str:
        if self.left <= 0:
            return ""
        self.left -= 1
        return did_you_mean(name, self.candidates)


def crash_site(e: BaseException) -> str:
    """ " at file.py:LINE" of the innermost frame of an unexpected exception (for an internal-error message
    that helps a bug report without printing a traceback), or "" when there is none."""
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return ""
    return f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"


INTERNAL = "internal-error"  # a bug in ppconnector, never the user's input: exit 3


def internal_error(e: BaseException, where: str | None = None) -> Finding:
    """A bug met while working on one thing, as a finding: the other things' results still count."""
    return Finding(INTERNAL, ERROR, f"internal error: {type(e).__name__}: {e}{crash_site(e)}; this is a bug in ppconnector", where)


def display_path(path) -> str:
    """A path as messages name it: relative to the current folder (absolute on another Windows drive)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 error', '2 errors': counts read right in every summary line."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"

"""What every click command shares, below `cli.py`: printing that survives its reader, and one exit code.

A reader that goes away (`ppconnector build 2>&1 | head -1`) never stops the work: the stream it held is sent
to /dev/null and the command finishes as if it had been read.  A standard output that cannot be written
(closed, on a full disk) is an environment problem: exit 2 with a message on stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from .diagnostics import ERROR, Finding, InputError, counted

ISSUES_URL = "https://github.com/ppconnector/ppconnector/issues"


_reader_gone = False  # a reader closed its pipe: the run ends with 141, as a shell reports SIGPIPE


def reader_gone() -> bool:
    return _reader_gone


class OutputError(Exception):
    """Standard output cannot be written (closed, or its disk full): exit 2."""


def silence(stream) -> None:
    """After the reader of a pipe went away, send the rest of that stream (and its final flush) nowhere."""
    global _reader_gone
    _reader_gone = True
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Print text on stdout (or stderr); a closed pipe silences the stream, and the command goes on."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        if err:
            return  # nowhere to say anything: the exit code still tells
        raise OutputError("standard output is closed")
    try:
        # A line at a time, as a terminal or `head` reads it: a reader that stops early is noticed at once.
        lines = text.splitlines(keepends=True) or [""]
        for line in lines[:-1]:
            click.echo(line, err=err, nl=False)
        click.echo(lines[-1], err=err, nl=nl)
    except BrokenPipeError:
        silence(stream)
    except OSError as e:
        if err:
            return
        raise OutputError(f"cannot write to standard output: {e.strerror or e}") from None


def echo_bytes(data: bytes) -> None:
    """Bytes on stdout as they are (a catalog, a PO file), with the same care as echo."""
    if sys.stdout is None:
        raise OutputError("standard output is closed")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        silence(sys.stdout)
    except OSError as e:
        raise OutputError(f"cannot write to standard output: {e.strerror or e}") from None


def show(out: str = "", err: str = "") -> None:
    """A rendered report: its stderr part (findings, stale files) first, then its stdout part."""
    if err:
        echo(err, err=True, nl=False)
    if out:
        echo(out, nl=False)


def echo_findings(findings: Sequence[Finding]) -> None:
    for f in findings:
        echo(str(f), err=True)


def exit_with(code: int) -> None:
    """End the command with code (nothing to do for 0)."""
    if code:
        sys.exit(code)


def one_unusable(outcomes: Sequence) -> None:
    """A run on one connector that could not use it ends as any unusable input does (its findings, exit 2);
    one that hit a bug, as a bug (exit 3)."""
    if len(outcomes) == 1 and not outcomes[0].ok:
        if outcomes[0].code == 2:
            raise InputError(outcomes[0].findings)
        echo_findings(outcomes[0].findings)
        echo(f"This is a bug in ppconnector, not in your input. Please report it at {ISSUES_URL} with the command you ran.",
             err=True)
        sys.exit(3)


def usage(message: str) -> InputError:
    return InputError(Finding("usage", ERROR, message))


def write_outcomes(outcomes: list, check: bool, command: str, nouns: tuple[str, str], extra: dict | None = None) -> int:
    """Write (or with check, compare) every connector's files in one atomic step, then report; the exit code.
    Files are written before anything is printed: a reader that stops early cannot stop the write."""
    from .diagnostics import ERROR, Finding
    from .emit.files import stale_files, write_all
    from .render import text
    from .repo.batch import exit_code

    codes = [o.code for o in outcomes]
    # A connector whose folder went away while it was built gets nothing: writing would bring the folder back.
    gone = [o for o in outcomes if o.ok and not o.connector.folder.exists()]
    for o in gone:
        o.findings.append(Finding("input", ERROR, "the connector's folder was removed while it was built; nothing written for it",
                                  o.connector.shown))
        o.code, o.value = 2, None
    codes = [o.code for o in outcomes]
    failed = sum(1 for c in codes if c)
    many = len(outcomes) > 1
    if failed and not check and not gone:
        echo_findings([f for o in outcomes for f in o.findings])
        echo(f"nothing written: {failed} of {len(outcomes)} connectors have errors", err=True)
        return exit_code(codes)
    files = {path: data for o in outcomes if o.ok for path, data in o.value.files.items()}
    if files:
        files.update(extra or {})
    changed = stale_files(files) if check else write_all(files)
    echo_findings([f for o in outcomes for f in o.findings])
    out, err = text.written(len(files), changed, check, command, nouns)
    show(out, err)
    if many:
        echo(f"{len(outcomes)} connectors" + (f", {failed} with errors" if failed else ""))
    refused = sum(o.value.check_errors for o in outcomes if o.ok)
    if refused:  # the exit code stays what it was: building is not checking, but the user should know
        echo(f"{counted(refused, 'error')} in what was built that paconn or Microsoft would refuse: run `ppconnector check`", err=True)
    return exit_code(codes + [1 if check and changed else 0])

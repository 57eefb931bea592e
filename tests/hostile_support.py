"""Helpers for the hostile-input, atomicity, fuzz and property tests.

- ``cli``: the real `ppconnector` command group run in this process (click's runner), so hundreds of
  fuzz examples do not each pay for a Python start-up; exit codes and output are what a user sees.
- ``Timeout``: a wall-clock guard (SIGALRM) so a hang fails the test instead of stalling CI.
- ``PROFILE``: hypothesis settings for CI (small, derandomized) or a long run (``HYPOTHESIS_PROFILE=long``).
- mutation helpers for YAML and JSON text, and a strategy for random valid connector sources.
"""

from __future__ import annotations

import os
import re
import signal
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# --- hypothesis profiles ---------------------------------------------------------------------------

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                     HealthCheck.function_scoped_fixture], database=None)
settings.register_profile("ci", derandomize=True, print_blob=True, **_COMMON)
settings.register_profile("long", derandomize=False, print_blob=True, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
LONG = PROFILE == "long"


def examples(ci: int, long: int = 0) -> int:
    """max_examples for a test: small in CI, thousands with HYPOTHESIS_PROFILE=long."""
    return (long or ci * 20) if LONG else ci


def profile(ci: int, long: int = 0) -> settings:
    return settings(settings.get_profile(PROFILE), max_examples=examples(ci, long))


# --- the CLI in this process -----------------------------------------------------------------------


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> Result:
    """Run `ppconnector ARGS` in-process, as the console script would (standalone mode, exit codes)."""
    from click.testing import CliRunner

    from ppconnector.cli import main

    runner = CliRunner()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        # catch_exceptions=False: an exception escaping the command group is itself the failure under test.
        r = runner.invoke(main, list(args), catch_exceptions=False, env=env)
    finally:
        os.chdir(old)
    return Result(r.exit_code, r.stdout, r.stderr)


def assert_clean_failure(result: Result, codes=(2,)) -> None:
    """The failure contract: an expected exit code, a message, never a traceback or an internal error."""
    assert result.exit_code in codes, (result.exit_code, result.output)
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output


LOCATED = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+)(?::(?P<col>\d+))?: (?:error|warning|info): ", re.M)


def located_lines(text: str) -> list[re.Match]:
    return list(LOCATED.finditer(text))


# --- no hangs ----------------------------------------------------------------------------------------


class Hang(Exception):
    pass


@contextmanager
def timeout(seconds: int):
    """Fail with Hang when the block runs longer than seconds (a generous bound: a hang, not a timing)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def _raise(signum, frame):
        raise Hang(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- snapshots -----------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes (temporary files included: a leftover is a change too)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- mutations -------------------------------------------------------------------------------------------

# Fragments that break YAML in the ways hand edits and bad merges do.
YAML_FRAGMENTS = [
    "", " ", "  ", "\t", "\n", ":", ": ", "- ", "-", "{", "}", "[", "]", ",", "'", '"', "#", "&a ", "*a", "*nope",
    "!!python/object:os.system ", "!!binary ", "!custom ", "<<: *a", "? ", "|", ">-", "%YAML 1.2\n", "---\n", "...\n",
    "~", "null", "true", "yes", "no", "0x1F", "1e400", "-.inf", ".nan", "0o17", "2024-01-01", "123456789012345678901234567890",
    "ref: Nope", "ref: ", "type: object", "type: bogus", "required: true", "request: GET /x/{id}", "request: ",
    "operation: nope", "in: path", "en", "cs", "cs@", "xx: ", "x-ms-visibility: internal", "visibility: hidden",
    "\ufeff", "\u2028", "\x85", "\u00e9", "\U0001F600", "\x7f", "\x1b[31m", "\r", "\r\n", "\\", "%", "@", "`",
]


@st.composite
def yaml_mutation(draw, text: str):
    """text with 1-4 edits: lines deleted, duplicated, swapped, re-indented, or fragments inserted/replaced."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "insert", "replace", "truncate", "splice"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i].lstrip()
        elif kind in ("insert", "replace"):
            line = lines[i]
            col = draw(st.integers(0, len(line)))
            frag = draw(st.one_of(st.sampled_from(YAML_FRAGMENTS), st.text(max_size=6)))
            end = col + (draw(st.integers(0, 8)) if kind == "replace" else 0)
            lines[i] = line[:col] + frag + line[end:]
        elif kind == "truncate":
            lines = lines[:i]
        else:  # copy a block of lines elsewhere (a bad merge)
            j = draw(st.integers(i, min(len(lines), i + 12)))
            k = draw(st.integers(0, len(lines)))
            lines[k:k] = lines[i:j]
    return "\n".join(lines)


JSON_FRAGMENTS = [
    "", ",", ":", "{", "}", "[", "]", '"', "\\", "null", "true", "false", "0", "-1", "1e999", "1.5", '""', "{}", "[]",
    '"$ref": "#/definitions/Nope"', '"$ref": "#/"', '"$ref": 5', '"type": "bogus"', '"in": "path"', '"required": true',
    '"x-ms-visibility": "bogus"', '"paths": []', '"parameters": {}', "// c\n", "/* c */", "\ufeff", "\u00e9", "\x7f",
    '"\\ud800"', '"\\u0000"', "NaN", "Infinity", "'s'", ",,", '"a":1,"a":2',
]


@st.composite
def json_mutation(draw, text: str):
    """text with 1-4 character-level edits: deletions, insertions of JSON fragments, replacements, truncation."""
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "swap-values"]))
        if kind == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 40)):]
        elif kind == "insert":
            text = text[:i] + draw(st.sampled_from(JSON_FRAGMENTS)) + text[i:]
        elif kind == "replace":
            text = text[:i] + draw(st.one_of(st.sampled_from(JSON_FRAGMENTS), st.text(max_size=4))) + text[i + draw(st.integers(1, 12)):]
        elif kind == "truncate":
            text = text[:i]
        else:  # a string value becomes another JSON type: the shape errors rules must survive
            strings = [m for m in re.finditer(r'(?<=: )"(?:[^"\\]|\\.)*"', text)]
            if strings:
                m = draw(st.sampled_from(strings))
                text = text[:m.start()] + draw(st.sampled_from(["5", "null", "true", "[]", "{}", '[""]', '{"a": 1}'])) + text[m.end():]
    return text


_ODD_VALUES = [None, True, False, 0, -1, 1.5, 10**30, "", "x", "{id}", "#/definitions/Nope", "../../etc/passwd", [], {}, [None],
               {"$ref": "#/definitions/Nope"}, {"$ref": 5}, {"type": "bogus"}, {"in": "path", "name": "x"}, ["a", 1],
               {"x-ms-dynamic-values": {"operationId": "nope"}}, {"schema": "s"}, {"": {}}, "\u0000", "\ud83d\ude00"]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


@st.composite
def tree_mutation(draw, value):
    """A deep copy of a parsed JSON value with 1-4 structural edits: a value replaced by one of another
    type, a key deleted or renamed, an entry duplicated.  The text stays valid JSON; only its shape breaks."""
    import copy

    value = copy.deepcopy(value)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(value) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = value
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        kind = draw(st.sampled_from(["replace", "delete", "rename", "copy"]))
        if kind == "replace":
            parent[last] = copy.deepcopy(draw(st.sampled_from(_ODD_VALUES)))
        elif kind == "delete":
            del parent[last]
        elif kind == "rename" and isinstance(parent, dict):
            new = draw(st.sampled_from(["", "x-ms-bogus", "$ref", "type", "items", "properties", "in", "name", "schema",
                                        "required", "enum", "x-ms-summary", last + "x", last.upper()]))
            parent[new] = parent.pop(last)
        elif kind == "copy" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif kind == "copy":
            parent[str(last) + "_copy"] = copy.deepcopy(parent[last])
    return value


# --- work, counted ---------------------------------------------------------------------------------------


def lines_run(fn):
    """(how many lines of Python fn ran, its result): a measure of work that, unlike a timing, is the same
    on a busy machine.  Growth that is quadratic shows as a ratio of 4 when the input doubles."""
    import sys

    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: local)
    try:
        result = fn()
    finally:
        sys.settrace(previous)
    return count, result

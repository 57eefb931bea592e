"""Reading the JSON files of a connector folder (paconn download, the public corpus) as they really are.

Strict JSON takes the fast path (the C parser).  Files that are not strict JSON but are what people
and tools write anyway (a UTF-8 BOM, cp1252 text, `//` and `/* */` comments, trailing commas,
duplicate keys) are read by a small tolerant parser, with a finding for each deviation; anything else
is refused with the line and column where it went wrong, as is what JSON cannot carry safely: NaN and
Infinity, a number out of range, a lone surrogate ("\ud800"), nesting deeper than MAX_DEPTH.

Positions are needed only when something is reported, so for strict JSON they are computed on
first use: ``JsonDocument.position(pointer)`` parses the text once more with the tolerant parser.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ERROR, WARNING, Finding, InputError
from .yamlfile import MAX_DEPTH, MAX_NUMBER_CHARS, Map, Pos, Seq, position_of, read_limited

_WS = re.compile(r"(?:[ \t\r\n]+|//[^\n]*|/\*.*?\*/)*", re.S)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.S)


@dataclass
class JsonDocument:
    path: Path
    shown: str
    text: str
    value: Any
    findings: list[Finding] = field(default_factory=list)
    _positioned: Any = None

    def position(self, pointer_parts: list | tuple) -> Pos | None:
        """Line and column of the value at a pointer (or of its nearest existing parent)."""
        if self._positioned is None:
            self._positioned, _ = _Parser(self.text, self.shown).parse()
        return position_of(self._positioned, [int(p) if isinstance(self._at(pointer_parts, i), list) else p
                                              for i, p in enumerate(pointer_parts)])

    def _at(self, parts, index):
        node = self.value
        for p in parts[:index]:
            try:
                node = node[int(p)] if isinstance(node, list) else node[p]
            except (KeyError, IndexError, ValueError, TypeError):
                return None
        return node


def read_json(path: Path, shown: str | None = None) -> JsonDocument:
    shown = shown or str(path)
    data = read_limited(path, "JSON file", shown)  # a regular file of bounded size, checked before reading
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1  # where the first one is
        raise InputError(Finding("input", ERROR, "JSON file is binary (it contains NUL bytes), expected text", shown, line))
    findings: list[Finding] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        findings.append(Finding("json-bom", WARNING, "file starts with a UTF-8 byte order mark; JSON files should not", shown, 1, 1))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(Finding("json-encoding", ERROR, f"file is neither UTF-8 nor cp1252 (byte 0x{data[e.start]:02x})", shown, line)) from None
        findings.append(Finding("json-encoding", WARNING, "file is not UTF-8; read as Windows-1252 (cp1252)", shown, line))
    if not text.strip():
        raise InputError(Finding("input", ERROR, "JSON file is empty", shown, 1, 1))
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        if not _safe(value, strings=_SURROGATE_ESCAPE.search(text) is not None):
            raise _Duplicate  # the tolerant parser below says where
    except (ValueError, RecursionError, _Duplicate):
        value, lenient = _Parser(text, shown).parse()
        findings.extend(lenient)
        return JsonDocument(path, shown, text, value, findings, _positioned=value)
    return JsonDocument(path, shown, text, value, findings)


class _Duplicate(Exception):
    pass


def _no_constant(word: str):
    raise ValueError(word)  # NaN, Infinity: not JSON, though Python's parser takes them


def _unsafe_text(text: str) -> bool:
    """A lone surrogate: no UTF-8 file can be written with it."""
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


# Text decoded from UTF-8 (or cp1252) holds no surrogate: one can only come from a JSON escape \ud800-\udfff.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _safe(value: Any, strings: bool = True) -> bool:
    """No float out of range, no lone surrogate (looked for only when strings: the text has a surrogate escape),
    no nesting past MAX_DEPTH (walked without recursion)."""
    if not isinstance(value, (dict, list)):
        return _safe_scalar(value, strings)
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return False
        if isinstance(node, dict):
            if strings and any(_unsafe_text(k) for k in node):
                return False
            children = node.values()
        else:
            children = node
        for child in children:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
            elif (isinstance(child, float) or strings) and not _safe_scalar(child, strings):
                return False
    return True


def _safe_scalar(value: Any, strings: bool) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return not (strings and isinstance(value, str) and _unsafe_text(value))


def _no_duplicates(pairs: list) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Duplicate
    return out


class _Parser:
    """A tolerant JSON parser that records positions and says what was not strict JSON."""

    def __init__(self, text: str, shown: str):
        self.text, self.shown, self.i = text, shown, 0
        self.findings: list[Finding] = []
        self._lines = [m.start() for m in re.finditer("\n", text)]
        self._noted: set[str] = set()

    def pos(self, offset: int | None = None) -> Pos:
        import bisect

        offset = self.i if offset is None else offset
        line = bisect.bisect_right(self._lines, offset - 1)
        start = self._lines[line - 1] + 1 if line else 0
        return (line + 1, offset - start + 1)

    def fail(self, message: str) -> None:
        line, col = self.pos()
        raise InputError(Finding("json-syntax", ERROR, f"JSON syntax: {message}", self.shown, line, col))

    def note(self, rule: str, message: str, offset: int) -> None:
        line, col = self.pos(offset)
        if rule in ("json-comment", "json-trailing-comma") and rule in self._noted:
            return  # one finding per kind of laxity is enough to tell the author
        self._noted.add(rule)
        self.findings.append(Finding(rule, WARNING, message, self.shown, line, col))

    def ws(self) -> None:
        m = _WS.match(self.text, self.i)
        if m.group(0) and ("//" in m.group(0) or "/*" in m.group(0)):
            where = self.i + min(x for x in (m.group(0).find("//"), m.group(0).find("/*")) if x >= 0)
            self.note("json-comment", "comments are not JSON; they were skipped", where)
        self.i = m.end()

    def parse(self) -> tuple[Any, list[Finding]]:
        self.ws()
        value = self.value(0)
        self.ws()
        if self.i != len(self.text):
            self.fail("unexpected text after the end of the document")
        return value, self.findings

    def value(self, depth: int) -> Any:
        text, i = self.text, self.i
        if i >= len(text):
            self.fail("unexpected end of file")
        ch = text[i]
        if ch in "{[" and depth >= MAX_DEPTH:  # as _safe counts: containers inside MAX_DEPTH containers
            self.fail(f"values nested more than {MAX_DEPTH} levels deep; refused")
        if ch == "{":
            return self.obj(depth)
        if ch == "[":
            return self.arr(depth)
        if ch == '"':
            m = _STRING.match(text, i)
            if not m:
                self.fail("unterminated string or a control character inside it")
            try:
                value = json.loads(m.group(0))
            except ValueError as e:  # an escape JSON does not have (\q, \u12): said where, not a crash
                self.i += e.pos
                self.fail(f"{e.msg.lower()} in a string")
            if _unsafe_text(value):
                self.fail("a lone surrogate escape (\\ud800-\\udfff without its pair) is not text")
            self.i = m.end()
            return value
        for word in ("NaN", "Infinity", "-Infinity"):
            if text.startswith(word, i):
                self.fail(f"{word} is not a JSON number")
        m = _NUMBER.match(text, i)
        if m and m.end() > i:
            if len(m.group(0)) > MAX_NUMBER_CHARS:
                self.fail(f"a number of {len(m.group(0))} characters is longer than any connector value")
            number = json.loads(m.group(0))
            if isinstance(number, float) and not math.isfinite(number):
                self.fail(f"{m.group(0)} is out of the range of a JSON number")
            self.i = m.end()
            return number
        for word, val in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, i):
                self.i += len(word)
                return val
        self.fail(f"unexpected {ch!r}; expected a value")

    def obj(self, depth: int) -> Map:
        result = Map(self.pos())
        self.i += 1
        self.ws()
        if self.text.startswith("}", self.i):
            self.i += 1
            return result
        while True:
            self.ws()
            if self.text.startswith("}", self.i):  # trailing comma
                self.note("json-trailing-comma", "trailing comma before } is not JSON", self.i)
                self.i += 1
                return result
            if not self.text.startswith('"', self.i):
                self.fail("expected a quoted key")
            key_pos = self.pos()
            key = self.value(depth + 1)
            self.ws()
            if not self.text.startswith(":", self.i):
                self.fail(f'expected ":" after the key "{key}"')
            self.i += 1
            self.ws()
            value_pos = self.pos()
            value = self.value(depth + 1)
            if key in result:
                first = result.key_pos[key][0]
                self.findings.append(Finding("json-duplicate-key", WARNING,
                                             f'duplicate key "{key}" (first at line {first}); the last one is used, as the platform does',
                                             self.shown, *key_pos))
            result[key] = value
            result.key_pos[key] = key_pos
            result.value_pos[key] = value_pos
            self.ws()
            if self.text.startswith(",", self.i):
                self.i += 1
                continue
            if self.text.startswith("}", self.i):
                self.i += 1
                return result
            self.fail('expected "," or "}"')

    def arr(self, depth: int) -> Seq:
        result = Seq(self.pos())
        self.i += 1
        self.ws()
        if self.text.startswith("]", self.i):
            self.i += 1
            return result
        while True:
            self.ws()
            if self.text.startswith("]", self.i):
                self.note("json-trailing-comma", "trailing comma before ] is not JSON", self.i)
                self.i += 1
                return result
            result.item_pos.append(self.pos())
            result.append(self.value(depth + 1))
            self.ws()
            if self.text.startswith(",", self.i):
                self.i += 1
                continue
            if self.text.startswith("]", self.i):
                self.i += 1
                return result
            self.fail('expected "," or "]"')

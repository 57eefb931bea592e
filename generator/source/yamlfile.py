"""Safe YAML loading that remembers where every value came from.

PyYAML composes the document into nodes (which carry line and column); we build plain dicts and lists
from them ourselves so that:
- no tag ever constructs an object (only the core scalar types exist),
- duplicate keys are findings, not silent overwrites,
- alias expansion is bounded in values and in text (a "billion laughs" or a "string bomb" is refused quickly),
- nesting is bounded, and a number JSON cannot carry (.inf, .nan, 5,000 digits) is refused where it is written,
- every mapping and sequence knows the line:column of itself and of each of its entries.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import ERROR, Collector, Finding, InputError, printable

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_BaseLoader):
    """libyaml's parser, with the implicit tag of each short plain scalar remembered: the resolver (Python, a
    regex per value) is the composer's main cost, and keys and short values repeat across a source and its
    fixtures."""

    _scalar_tags: dict[tuple, str] = {}

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode or len(value) > 64:  # long texts are unique: remembering them only costs memory
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._scalar_tags.get(key)
        if tag is None:
            if len(self._scalar_tags) > 100_000:  # a bound for a long-running process
                self._scalar_tags.clear()
            tag = self._scalar_tags[key] = super().resolve(kind, value, implicit)
        return tag


MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000  # values built, aliases counted each time they are expanded
MAX_TEXT = 2 * MAX_FILE_BYTES  # characters of text built, aliases counted each time: more than any plain file holds
MAX_NUMBER_CHARS = 1000  # Python converts at most 4300 digits; no connector value comes near
MAX_DEPTH = 100  # levels of nesting; the public corpus of 300 connectors needs under 30

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as the text written: a date is not a connector value
}
_constructor = yaml.constructor.SafeConstructor()
_STR, _NULL, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_CONSTRUCT = {"tag:yaml.org,2002:int": _constructor.construct_yaml_int,
              "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
              _BOOL: _constructor.construct_yaml_bool}

Pos = tuple[int, int]  # 1-based line, column


class Map(dict):
    """A YAML mapping: a dict that also knows the position of itself, its keys and its values."""

    __slots__ = ("pos", "key_pos", "value_pos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.value_pos: dict[str, Pos] = {}


class Seq(list):
    """A YAML sequence: a list that also knows the position of itself and of each item."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []


def position_of(root: Any, path: tuple | list, key: bool = False) -> Pos | None:
    """The line:column of the value at path, or of the nearest enclosing value that exists; with key, of its key
    (a list item's key is the item)."""
    node, best = root, getattr(root, "pos", None)
    for step in path:
        if isinstance(node, Map) and step in node:
            best = (key and node.key_pos.get(step)) or node.value_pos.get(step, best)
            node = node[step]
        elif isinstance(node, Seq) and isinstance(step, int) and 0 <= step < len(node):
            best = node.item_pos[step]
            node = node[step]
        else:
            break
    return best


def key_position(root: Any, path: tuple | list) -> Pos | None:
    """The position of the last key of path (where a user would look for a misspelt key)."""
    if not path:
        return getattr(root, "pos", None)
    parent = root
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return position_of(root, path)
    if isinstance(parent, Map) and path[-1] in parent.key_pos:
        return parent.key_pos[path[-1]]
    return position_of(root, path)


def read_limited(path: Path, what: str = "file", shown: str | None = None) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, checked before reading: a huge (even sparse)
    file, a device such as /dev/zero or a FIFO is refused at once, never read or waited on."""
    shown = shown or str(path)
    if not path.exists():
        raise InputError(Finding("input", ERROR, f"{what} not found", shown))
    if path.is_dir():
        raise InputError(Finding("input", ERROR, f"expected a {what}, found a directory", shown))
    try:  # O_NONBLOCK: opening a FIFO does not wait for a writer; the type is then read from the open file
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise InputError(Finding("input", ERROR, f"cannot read the {what}: {e.strerror}", shown)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a device or other special file"
            raise InputError(Finding("input", ERROR, f"expected a {what}, found {kind}; refused", shown))
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(
                Finding("input", ERROR, f"{what} is {info.st_size} bytes; more than {MAX_FILE_BYTES} is refused", shown)
            )
        data = handle.read(MAX_FILE_BYTES + 1)  # a file that grew since fstat is still bounded
    if len(data) > MAX_FILE_BYTES:
        raise InputError(Finding("input", ERROR, f"{what} is more than {MAX_FILE_BYTES} bytes; refused", shown))
    return data


def read_text(path: Path, what: str = "file", shown: str | None = None) -> str:
    """Read a UTF-8 text file, refusing clearly what is not one (directory, device, binary, huge, empty)."""
    shown = shown or str(path)
    data = read_limited(path, what, shown)
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1  # where the first one is
        raise InputError(Finding("input", ERROR, f"{what} is binary (it contains NUL bytes), expected text", shown, line))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            Finding("input", ERROR, f"{what} is not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})", shown, line)
        ) from None
    if not text.strip():
        raise InputError(Finding("input", ERROR, f"{what} is empty", shown, 1, 1))
    return text


def load(path: Path, display_name: str | None = None) -> Map:
    """Load one YAML document into Map/Seq/scalars; every problem is an InputError with file:line:col."""
    shown = display_name or str(path)
    return loads(read_text(path, "YAML file"), shown)


def _nesting_checked(text: str, shown: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before composing: libyaml's composer recurses in C and
    crashes the process (no exception) somewhere past 20,000 levels.  Only a text that could be that
    deep pays for a pass over its events: flow nesting needs a [ or { per level, and block nesting moves
    right by a column per level at least every second level, so these bound the depth."""
    flow = text.count("[") + text.count("{")
    if flow + 2 * max(map(len, text.split("\n"))) + 2 <= 10_000:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the top mapping is level 0 to the builder, as here
                    mark = event.start_mark
                    raise _too_deep(shown, mark.line + 1, mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as e:
        # PyYAML 6.0.4 and later refuse deep flow nesting in their scanner, which reads ahead of the events
        # above: the text is refused either way, and the message must not depend on the parser's version.
        deep = _flow_too_deep(text, e.problem_mark.index if e.problem_mark else len(text))
        if deep is None:
            raise
        before = text[:deep]
        raise _too_deep(shown, before.count("\n") + 1, deep - (before.rfind("\n") + 1) + 1) from None


def _indenting_tab(text: str, line: int) -> int | None:
    """The column (from 0) of a tab in the leading whitespace of the line the parser stopped at, else None:
    a tab there is why it stopped, whatever the parser's own words for it."""
    lines = text.split("\n")
    if line >= len(lines):
        return None
    indent = lines[line][: len(lines[line]) - len(lines[line].lstrip(" \t"))]
    return indent.index("\t") if "\t" in indent else None


def _too_deep(shown: str, line: int, column: int) -> InputError:
    return InputError(Finding("yaml-depth", ERROR, f"values nested more than {MAX_DEPTH} levels deep; refused", shown, line, column))


def _flow_too_deep(text: str, end: int) -> int | None:
    """The offset of the first [ or { past MAX_DEPTH levels of flow nesting before end, counting brackets
    only (a lower bound on the depth: quoted brackets are rare, and this runs only once the parser failed)."""
    depth = 0
    for index, char in enumerate(text[: end + 1]):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


CACHED_CHARS = 32 * 1024  # a source this large is read back from generator/source/treecache.py; fixtures parse faster


def cached_tree(text: str) -> Map | None:
    """The tree of text from generator/source/treecache.py (built from Map and Seq only), or None."""
    from .treecache import cached

    return cached(text, Path(__file__), (Map, Seq))


def loads(text: str, shown: str = "<input>") -> Map:
    if len(text) < CACHED_CHARS:
        return _parse(text, shown)
    from .treecache import store

    tree = cached_tree(text)
    if tree is None:
        tree = _parse(text, shown)
        store(text, tree, Path(__file__))
    return tree


def _parse(text: str, shown: str) -> Map:
    try:
        _nesting_checked(text, shown)
        nodes = list(yaml.compose_all(text, Loader=Loader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        tab = _indenting_tab(text, mark.line) if mark else None
        if tab is not None:
            raise InputError(Finding("yaml-syntax", ERROR, "YAML syntax: tab characters are not allowed in YAML indentation; use spaces",
                                     shown, mark.line + 1, tab + 1)) from None
        msg = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError(Finding("yaml-syntax", ERROR, f"YAML syntax: {msg}", shown, line, col)) from None
    except yaml.reader.ReaderError as e:  # a control character: no mark, but its offset in the text
        before = text[: e.position]
        line, col = before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1
        char = e.character if isinstance(e.character, str) else chr(e.character)
        raise InputError(Finding("yaml-syntax", ERROR, f"YAML syntax: control character U+{ord(char):04X} is not allowed",
                                 shown, line, col)) from None
    except yaml.YAMLError as e:
        raise InputError(Finding("yaml-syntax", ERROR, f"YAML syntax: {e}", shown)) from None
    if len(nodes) != 1:
        raise InputError(
            Finding("yaml-syntax", ERROR, f"expected exactly one YAML document, found {len(nodes)}", shown, 1, 1)
        )
    builder = _Builder(shown)
    value = builder.build(nodes[0])
    builder.collector.raise_errors()
    if not isinstance(value, Map):
        raise InputError(Finding("yaml-type", ERROR, "expected a mapping at the top of the file", shown, 1, 1))
    return value


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _pos(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, shown: str):
        self.shown = shown
        self.count = 0
        self.text = 0
        self.collector = Collector()

    def error(self, node: yaml.Node, rule: str, message: str) -> None:
        line, col = _pos(node)
        self.collector.add(Finding(rule, ERROR, message, self.shown, line, col))

    def refuse(self, node: yaml.Node, rule: str, message: str) -> None:
        line, col = _pos(node)
        raise InputError(Finding(rule, ERROR, message, self.shown, line, col))

    def build(self, node: yaml.Node, path: tuple = ()) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self.refuse(node, "yaml-aliases", f"the document expands to more than {MAX_NODES} values (aliases expanding aliases?); refused")
        if len(path) > MAX_DEPTH:
            self.refuse(node, "yaml-depth", f"values nested more than {MAX_DEPTH} levels deep; refused")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.CollectionNode) and node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            self.error(node, "yaml-tag", f"tag {node.tag!r} is not allowed; only plain YAML values are")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            seq = Seq(_pos(node))
            for index, item in enumerate(node.value):
                seq.append(self.build(item, path + (index,)))
                seq.item_pos.append(_pos(item))
            return seq
        return self._scalar(node)  # a node of no known kind: _scalar refuses its tag

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        self.text += len(node.value)
        if self.text > MAX_TEXT:
            self.refuse(node, "yaml-aliases", f"the document expands to more than {MAX_TEXT} characters of text (an alias of a long text repeated?); refused")
        tag = node.tag
        if tag == _STR:  # most values: text as written
            return node.value
        if tag not in _SCALAR_TAGS:
            self.error(node, "yaml-tag", f"tag {tag!r} is not allowed; only plain YAML values are")
            return None
        construct = _CONSTRUCT.get(tag)
        if tag == _NULL:
            return None
        if construct is None:
            return node.value
        if len(node.value) > MAX_NUMBER_CHARS and tag != _BOOL:
            self.error(node, "yaml-value", f"a number of {len(node.value)} characters is longer than any connector value; quote it if it is text")
            return None
        try:
            value = construct(node)
        except (ValueError, TypeError, KeyError, AttributeError):  # `!!int "abc"`, `!!bool "maybe"`
            words = {"tag:yaml.org,2002:int": "a whole number", "tag:yaml.org,2002:float": "a number"}.get(tag, "true or false")
            self.error(node, "yaml-value", f"{_shorten(node.value)!r} is not {words}; quote it if it is text")
            return None
        if isinstance(value, float) and not math.isfinite(value):  # JSON has no Infinity or NaN
            self.error(node, "yaml-value", f"{_shorten(node.value)!r} is not a number JSON can hold; write a finite number, or quote it for text")
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> Map:
        result = Map(_pos(node))
        key_pos, value_pos, build = result.key_pos, result.value_pos, self.build  # the hot loop of loading
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.error(key_node, "yaml-merge", "merge keys (<<) are not supported; write the keys out or use ref")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, "yaml-key", "a mapping key must be a plain scalar")
                continue
            key = self._scalar(key_node)
            if isinstance(key, bool) or key is None:
                key = key_node.value  # `on:`/`yes:`/`null:` as keys mean the word, not YAML 1.1 booleans
            key = str(key)
            if printable(key) != key:  # a newline in an operationId or a locale would reach file names and reports
                self.error(key_node, "yaml-key", f'the key "{printable(key)}" holds a control character; keys are names, on one line')
                continue
            if key in result:
                first = result.key_pos[key]
                what = "operationId" if path == ("operations",) else "key"
                self.error(key_node, "duplicate-key", f'duplicate {what} "{key}" (first defined at line {first[0]})')
                continue
            key_pos[key] = _pos(key_node)
            value_pos[key] = _pos(value_node)
            result[key] = build(value_node, path + (key,))
        return result

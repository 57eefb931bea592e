"""Safe YAML loading that remembers where every value came from.

PyYAML composes the document into nodes (which carry line and column); we build plain dicts and lists
from them ourselves so that:
- no tag ever constructs an object (only the core scalar types exist),
- duplicate keys are findings, not silent overwrites,
- alias expansion is bounded (a "billion laughs" document is refused quickly),
- every mapping and sequence knows the line:column of itself and of each of its entries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import ERROR, Collector, Finding, InputError

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000  # values built, aliases counted each time they are expanded

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as the text written: a date is not a connector value
}
_constructor = yaml.constructor.SafeConstructor()

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


def position_of(root: Any, path: tuple | list) -> Pos | None:
    """The line:column of the value at path, or of the nearest enclosing value that exists."""
    node, best = root, getattr(root, "pos", None)
    for step in path:
        if isinstance(node, Map) and step in node:
            best = node.value_pos.get(step, best)
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


def read_text(path: Path, what: str = "file", shown: str | None = None) -> str:
    """Read a UTF-8 text file, refusing clearly what is not one (directory, binary, huge, empty)."""
    shown = shown or str(path)
    if not path.exists():
        raise InputError(Finding("input", ERROR, f"{what} not found", shown))
    if path.is_dir():
        raise InputError(Finding("input", ERROR, f"expected a {what}, found a directory", shown))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            Finding("input", ERROR, f"{what} is {size} bytes; more than {MAX_FILE_BYTES} is refused", shown)
        )
    data = path.read_bytes()
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


def loads(text: str, shown: str = "<input>") -> Map:
    try:
        nodes = list(yaml.compose_all(text, Loader=Loader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
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


def _pos(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, shown: str):
        self.shown = shown
        self.count = 0
        self.collector = Collector()

    def error(self, node: yaml.Node, rule: str, message: str) -> None:
        line, col = _pos(node)
        self.collector.add(Finding(rule, ERROR, message, self.shown, line, col))

    def build(self, node: yaml.Node, path: tuple = ()) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            line, col = _pos(node)
            raise InputError(
                Finding(
                    "yaml-aliases",
                    ERROR,
                    f"the document expands to more than {MAX_NODES} values (aliases expanding aliases?); refused",
                    self.shown,
                    line,
                    col,
                )
            )
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
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self.error(node, "yaml-tag", f"tag {tag!r} is not allowed; only plain YAML values are")
            return None
        if tag == "tag:yaml.org,2002:int":
            return _constructor.construct_yaml_int(node)
        if tag == "tag:yaml.org,2002:float":
            return _constructor.construct_yaml_float(node)
        if tag == "tag:yaml.org,2002:bool":
            return _constructor.construct_yaml_bool(node)
        if tag == "tag:yaml.org,2002:null":
            return None
        return node.value

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> Map:
        result = Map(_pos(node))
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
            if key in result:
                first = result.key_pos[key]
                what = "operationId" if path == ("operations",) else "key"
                self.error(key_node, "duplicate-key", f'duplicate {what} "{key}" (first defined at line {first[0]})')
                continue
            result.key_pos[key] = _pos(key_node)
            result.value_pos[key] = _pos(value_node)
            result[key] = self.build(value_node, path + (key,))
        return result

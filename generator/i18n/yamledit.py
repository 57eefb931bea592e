"""Change display strings inside the YAML source while leaving every other byte as it was.

A round-trip dump keeps comments but not layout: ruamel.yaml with default settings re-indents every
``enum:`` list of the ClickSend source, and indent settings that match a file exist only when the whole
file uses one style.  So instead of dumping the document, this module splices: it
composes the text with PyYAML (whose marks give each node's start and end offsets), finds the node of
each string to change, and replaces only that node's characters (or inserts one entry into its map).
Comments, quoting, flow/block style and key order of everything else stay byte-identical, and the
result is parsed again and compared with what was meant before anyone writes it.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import yaml

from ..diagnostics import ERROR, Finding, InputError
from ..source.yamlfile import loads

Updates = dict[tuple, dict[str, str]]  # YAML path of a display string -> {locale or "<locale>@": text}

_NUMBER_LIKE = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?")
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _double_quoted(value: str) -> str:
    out = json.dumps(value, ensure_ascii=False)  # JSON escapes are YAML double-quoted escapes
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def _plain_ok(value: str, flow: bool) -> bool:
    if not value or value != value.strip() or "\n" in value or "\t" in value or _UNPRINTABLE.search(value):
        return False
    if _NUMBER_LIKE.fullmatch(value):
        return False  # a string to PyYAML (YAML 1.1) but a number to YAML 1.2 readers and editors
    doc = f"{{k: {value}}}" if flow else f"k: {value}"
    try:
        return yaml.safe_load(doc) == {"k": value}
    except yaml.YAMLError:
        return False


def render_scalar(value: str, flow: bool, style: str | None = None) -> str:
    """value as a YAML scalar on one line: in the style it had where that is safe, else double-quoted."""
    if style == "'" and "\n" not in value and not _UNPRINTABLE.search(value):
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and _plain_ok(value, flow):
        return value
    return _double_quoted(value)


@functools.lru_cache(maxsize=1)
def _composer() -> type:
    """libyaml's composer (10x faster) if its marks count characters here, else PyYAML's pure-Python one."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        probe = "a: žluťoučký\nb: x\n"
        try:
            node = yaml.compose(probe, Loader=fast)
            if node.value[1][1].start_mark.index == probe.index("x"):
                return fast
        except yaml.YAMLError:
            pass
    return yaml.SafeLoader


def _find(node: yaml.Node, path: tuple, keys: dict[int, dict[str, yaml.Node]]) -> yaml.Node | None:
    """The node at path; keys caches each mapping's key -> value (scanning a map of thousands of
    operations once per string would make an import of every string quadratic)."""
    for step in path:
        if isinstance(node, yaml.MappingNode):
            if id(node) not in keys:
                keys[id(node)] = {}
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode):
                        keys[id(node)].setdefault(k.value, v)  # the first, as the scan did
            node = keys[id(node)].get(str(step))
            if node is None:
                return None
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return None
    return node


def _trailing_breaks(text: str, start: int, end: int) -> str:
    """A block scalar's span ends after its line breaks; a replacement on one line must keep them."""
    m = re.search(r"\r?\n[\r\n ]*$", text[start:end])
    return m.group() if m else ""


def _line_end(text: str, index: int) -> int:
    """Where the line holding index ends (before its line break): after a comment, if there is one."""
    nl = text.find("\n", index)
    if nl == -1:
        return len(text)
    return nl - 1 if nl > 0 and text[nl - 1] == "\r" else nl


class _Splices:
    def __init__(self) -> None:
        self.items: list[tuple[int, int, int, str]] = []  # start, end, order, replacement

    def add(self, start: int, end: int, replacement: str) -> None:
        self.items.append((start, end, len(self.items), replacement))

    def apply(self, text: str) -> str:
        out, pos = [], 0
        for start, end, _, replacement in sorted(self.items):
            if start < pos:
                raise ValueError("overlapping edits")
            out.append(text[pos:start])
            out.append(replacement)
            pos = end
        out.append(text[pos:])
        return "".join(out)


def _edit_mapping(text: str, node: yaml.MappingNode, changes: dict[str, str], splices: _Splices, nl: str) -> None:
    flow = bool(node.flow_style)
    pairs = [(k.value, k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
    index = {name: (k, v) for name, k, v in pairs}
    inserts: dict[int, list[str]] = {}  # insertion point -> entries, in order
    last_value = pairs[-1][2]
    indent = " " * pairs[0][1].start_mark.column
    for key, value in changes.items():
        if key in index:
            old = index[key][1]
            if isinstance(old, yaml.ScalarNode) and old.value == value:
                continue
            style = old.style if isinstance(old, yaml.ScalarNode) else None
            start, end = old.start_mark.index, old.end_mark.index
            rendered = render_scalar(value, flow, style if style in ("'", '"') else None)
            splices.add(start, end, rendered + _trailing_breaks(text, start, end))
            continue
        # A new key: a hash goes right after its translation, anything else after the last entry.
        anchor = index[key[:-1]][1] if key.endswith("@") and key[:-1] in index else last_value
        inserts.setdefault(anchor.end_mark.index, []).append(f"{key}: {render_scalar(value, flow)}")
    for at, entries in inserts.items():
        if flow:
            splices.add(at, at, "".join(f", {e}" for e in entries))
        elif at > 0 and text[at - 1] == "\n":  # after a block scalar: the next line starts here
            splices.add(at, at, "".join(f"{indent}{e}{nl}" for e in entries))
        else:
            end = _line_end(text, at)
            splices.add(end, end, "".join(f"{nl}{indent}{e}" for e in entries))


def _edit_scalar(text: str, node: yaml.ScalarNode, source_locale: str, changes: dict[str, str], splices: _Splices) -> None:
    """Plain text (source locale only) becomes a flow map {source: text, locale: translation, ...}."""
    entries = {source_locale: node.value}
    entries.update(changes)
    body = ", ".join(f"{k}: {render_scalar(v, True)}" for k, v in entries.items())
    start, end = node.start_mark.index, node.end_mark.index
    splices.add(start, end, "{" + body + "}" + _trailing_breaks(text, start, end))


def edit_texts(text: str, shown: str, source_locale: str, updates: Updates) -> str:
    """The YAML text with each display string at its path given the new entries; nothing else changes."""
    try:
        root = yaml.compose(text, Loader=_composer())
    except yaml.YAMLError as e:
        raise InputError(Finding("yaml-syntax", ERROR, f"YAML syntax: {e}", shown)) from None
    splices = _Splices()
    problems = []
    nl = "\r\n" if "\r\n" in text else "\n"  # the file's line break, for inserted lines
    keys: dict[int, dict[str, yaml.Node]] = {}
    for path, changes in updates.items():
        node = _find(root, path, keys) if root is not None else None
        where = "/".join(str(p) for p in path)
        if isinstance(node, yaml.MappingNode) and node.value:
            _edit_mapping(text, node, changes, splices, nl)
        elif isinstance(node, yaml.ScalarNode):
            _edit_scalar(text, node, source_locale, changes, splices)
        else:
            problems.append(Finding("i18n-edit", ERROR, f"{where}: no display string to change there", shown))
    if problems:
        raise InputError(problems)
    try:
        new_text = splices.apply(text)
    except ValueError:  # one node reached by two paths (a YAML alias): editing it would change both
        raise InputError(Finding("i18n-edit", ERROR, "two of the strings to change are one YAML node (an alias *name?); "
                                 "write them out separately; nothing was written", shown)) from None
    _verify(new_text, shown, source_locale, updates)
    return new_text


def _verify(new_text: str, shown: str, source_locale: str, updates: Updates) -> None:
    """Parse the result and compare every changed string with what was meant, before anything is written."""
    try:
        root = loads(new_text, shown)
    except InputError as e:
        raise InputError([Finding("i18n-edit", ERROR, f"internal: the edited YAML does not parse ({f.message}); nothing was written", shown, f.line, f.column) for f in e.findings]) from None
    for path, changes in updates.items():
        node: Any = root
        for step in path:
            node = node[step]
        for key, value in changes.items():
            got = node.get(key) if isinstance(node, dict) else None
            if got != value:
                where = "/".join(str(p) for p in path)
                raise InputError(Finding("i18n-edit", ERROR, f"internal: {where}/{key} reads back as {got!r}, not {value!r}; nothing was written", shown))

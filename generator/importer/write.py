"""The source tree -> YAML text in the style of the ClickSend source.

A small writer of our own rather than a YAML library's dumper, because the style is the point: short
leaf mappings (a property's type and display strings) on one line as `{type: string, summary: To}`,
nesting in block style, text plain where YAML reads it back as the same text and double-quoted (JSON
escapes, which YAML shares) where it would not. The import verifies every file it writes by loading it
back with the source loader, so a quoting mistake here shows as a failed round trip, never silently.
"""

from __future__ import annotations

import json
import re
from typing import Any

WIDTH = 110  # the ClickSend source's line length
# Text YAML reads back as the same text: starts with a letter (not a number, date, indicator or quote),
# no ": " or " #", nothing flow syntax means (",?[]{}"), no trailing space or colon.
_PLAIN = re.compile(r"[A-Za-z_/$][^\x00-\x1f\x7f-\x9f,?\[\]{}\u2028\u2029\ufeff]*")
_PLAIN_BLOCK = re.compile(r"[A-Za-z_/$][^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*")  # outside {...}, [...]: ",?[]{}" are text
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
# Characters YAML does not allow raw in a document (nor in a double-quoted scalar): escape those.
_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


def scalar(value: Any, flow: bool = True) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"  # YAML 1.1 reads 1e+16 as text; 1.0e+16 is a number
        if text in ("inf", "-inf", "nan"):
            return {"inf": ".inf", "-inf": "-.inf", "nan": ".nan"}[text]
        return text
    text = str(value)
    if ((_PLAIN if flow else _PLAIN_BLOCK).fullmatch(text) and text.lower() not in _RESERVED and ": " not in text and " #" not in text
            and not text.endswith((":", " ")) and not text.startswith("- ") and "  " not in text):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    if _UNPRINTABLE.search(out):
        out = json.dumps(text, ensure_ascii=True)
    return out


def key(name: Any, flow: bool = True) -> str:
    text = str(name)
    return text if scalar(text, flow) == text else quoted(text)


def _flow(value: Any) -> str | None:
    """One-line form of a leaf mapping or list, or None when it has nesting or multi-line text."""
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                inner = _flow(v) if _small(v) else None
                if inner is None:
                    return None
                parts.append(f"{key(k)}: {inner}")
            else:
                parts.append(f"{key(k)}: {scalar(v)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        parts = []
        for v in value:
            if isinstance(v, (dict, list)):
                inner = _flow(v) if _small(v) else None
                if inner is None:
                    return None
                parts.append(inner)
            else:
                parts.append(scalar(v))
        return "[" + ", ".join(parts) + "]"
    return scalar(value)


def _small(value: Any) -> bool:
    """Small enough to nest inside a flow collection: a flat list or map of at most a few scalars."""
    items = value.values() if isinstance(value, dict) else value
    return len(value) <= 4 and all(not isinstance(v, (dict, list)) for v in items)


def _block_text(text: str, indent: str) -> str | None:
    """A literal block (`|`) for multi-line text, when it reads back exactly; else None."""
    if "\n" not in text or _UNPRINTABLE.search(text) or "\r" in text or "\t" in text:
        return None
    body = text[:-1] if text.endswith("\n") else text
    if body.endswith("\n") or text.startswith((" ", "\n")):
        return None  # trailing blank lines or leading indentation need indicators: quote instead
    lines = body.split("\n")
    if any(line != line.rstrip(" ") for line in lines):
        return None
    head = "|" if text.endswith("\n") else "|-"
    return head + "".join("\n" + (indent + line if line else "") for line in lines)


def _folded_text(text: str, indent: str, room: int) -> str | None:
    """Long one-line prose as a folded block (`>-`) wrapped at word breaks, as the ClickSend source writes
    descriptions; only where folding gives back the same text (single spaces, nothing YAML would keep)."""
    if len(text) <= room or "\n" in text or "  " in text or text != text.strip() or _UNPRINTABLE.search(text) or "\t" in text:
        return None
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(indent) + len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    if len(lines) < 2:
        return None
    return ">-" + "".join("\n" + indent + part for part in lines)


def dump(value: Any, header: str = "") -> str:
    lines: list[str] = [header.rstrip("\n")] if header else []
    _mapping(value, 0, lines)
    return "\n".join(lines) + "\n"


def _mapping(mapping: dict, depth: int, lines: list[str], first_prefix: str | None = None) -> None:
    indent = "  " * depth
    for i, (k, v) in enumerate(mapping.items()):
        prefix = first_prefix if (i == 0 and first_prefix is not None) else indent
        _entry(f"{prefix}{key(k, flow=False)}:", v, depth, lines)
        if depth == 0 and i < len(mapping) - 1:
            lines.append("")  # a blank line between top-level sections, as the ClickSend source has


def _entry(head: str, v: Any, depth: int, lines: list[str]) -> None:
    indent = "  " * (depth + 1)
    if isinstance(v, (dict, list)):
        if not v:
            lines.append(f"{head} {'{}' if isinstance(v, dict) else '[]'}")
            return
        flow = _flow(v)
        if flow is not None and len(head) + 1 + len(flow) <= WIDTH:
            lines.append(f"{head} {flow}")
            return
        lines.append(head)
        if isinstance(v, dict):
            _mapping(v, depth + 1, lines)
        else:
            _sequence(v, depth + 1, lines)
        return
    if isinstance(v, str):
        block = _block_text(v, indent) or _folded_text(v, indent, WIDTH - len(head) - 1)
        if block is not None:
            lines.append(f"{head} {block}")
            return
    lines.append(f"{head} {scalar(v, flow=False)}")


def _sequence(items: list, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    for item in items:
        if isinstance(item, dict) and item:
            flow = _flow(item)
            if flow is not None and len(indent) + 2 + len(flow) <= WIDTH:
                lines.append(f"{indent}- {flow}")
            else:
                _mapping(item, depth + 1, lines, first_prefix=f"{indent}- ")
        elif isinstance(item, list) and item:
            flow = _flow(item)
            if flow is not None and len(indent) + 2 + len(flow) <= WIDTH:
                lines.append(f"{indent}- {flow}")
            else:
                lines.append(f"{indent}-")
                _sequence(item, depth + 1, lines)
        elif isinstance(item, (dict, list)):
            lines.append(f"{indent}- {'{}' if isinstance(item, dict) else '[]'}")
        elif isinstance(item, str) and _block_text(item, indent + "  "):
            lines.append(f"{indent}- {_block_text(item, indent + '  ')}")
        else:
            lines.append(f"{indent}- {scalar(item, flow=False)}")

"""Connector text inside Markdown, inert: whatever a name or description holds, it renders as the same
text and nothing else (no link, image, HTML, code span break-out, heading, list, or GitHub @mention).

One helper for every Markdown the toolkit writes (reference pages, the diff's pull-request comment).
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Characters that start Markdown's inline constructs: with them escaped, no text of a connector makes a code
# span or fence, a link or image (so no javascript: or data: link), or HTML.  `|` only matters in a table cell.
_INLINE = {"\\": "\\\\", "`": "\\`", "*": "\\*", "[": "\\[", "]": "\\]", "<": "&lt;"}
# GitHub notifies a user or team named after an @ that does not follow a letter or digit (an e-mail address
# does not mention anyone); inside a code span it does not.
_MENTION = re.compile(r"(?<![\w`\\])@[A-Za-z0-9][\w-]*(?:/[\w.-]+)?")


def one_line(value: Any) -> str:
    """The text on one line, without control characters (a newline in a name must not start a new block)."""
    return _CONTROL.sub("", " ".join(str(value).split()))


def para(value: Any) -> str:
    """Text safe as a paragraph or heading: inline markup escaped, @mentions made inert, and a start that
    would open a block (a heading, quote, list, rule or fence) escaped too."""
    text = "".join(_INLINE.get(ch, ch) for ch in one_line(value))
    text = _MENTION.sub(lambda m: f"`{m.group(0)}`", text)
    return re.sub(r"^(?:[#>+=~_-]|\d{1,9}(?=[.)]))", lambda m: "\\" + m.group(0) if not m.group(0)[0].isdigit()
                  else m.group(0) + "\\", text, count=1)


def cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: one line, inline markup and pipes escaped."""
    return para(value).replace("|", "\\|")


def code(value: Any) -> str:
    """A key, path or value as a code span (underscores and dots read literally), fenced with more backticks
    than any run inside it, so the text cannot close it early."""
    text = one_line(value).replace("|", "\\|")
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"

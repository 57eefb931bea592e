"""Line and column of a JSON pointer in strict JSON text, at the speed of the C JSON scanner.

The tolerant reader (generator.source.jsonfile) positions a document by parsing it again in Python, which
takes about 0.3 s for Encodian's 1.1 MB definition.  Here only the containers along the wanted pointers are
opened: each child's start is recorded once, and every value not on the way is skipped by the C scanner.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re

_WS = re.compile(r"[ \t\n\r]*")


class FastLocator:
    def __init__(self, text: str):
        self.text = text
        self._scan = json.scanner.make_scanner(json.JSONDecoder())
        self._children: dict[int, dict] = {}
        self._lines = [m.start() for m in re.finditer("\n", text)]

    def _skip(self, i: int) -> int:
        return _WS.match(self.text, i).end()

    def _open(self, offset: int) -> dict:
        kids = self._children.get(offset)
        if kids is not None:
            return kids
        text, kids = self.text, {}
        ch = text[offset] if offset < len(text) else ""
        i = self._skip(offset + 1)
        if ch == "{":
            while i < len(text) and text[i] != "}":
                key, i = json.decoder.scanstring(text, i + 1)
                i = self._skip(i)
                i = self._skip(i + 1)  # the colon
                kids[key] = i
                _, i = self._scan(text, i)
                i = self._skip(i)
                if text[i] == ",":
                    i = self._skip(i + 1)
        elif ch == "[":
            index = 0
            while i < len(text) and text[i] != "]":
                kids[str(index)] = i
                index += 1
                _, i = self._scan(text, i)
                i = self._skip(i)
                if text[i] == ",":
                    i = self._skip(i + 1)
        self._children[offset] = kids
        return kids

    def offset(self, parts) -> int:
        """The offset of the value at the pointer parts, or of its nearest existing parent."""
        off = self._skip(0)
        for part in parts:
            kids = self._open(off)
            if str(part) not in kids:
                break
            off = kids[str(part)]
        return off

    def position(self, parts) -> tuple[int, int]:
        off = self.offset(parts)
        line = bisect.bisect_right(self._lines, off - 1)
        start = self._lines[line - 1] + 1 if line else 0
        return line + 1, off - start + 1

"""Line and column of a JSON pointer in strict JSON text, at the speed of the C JSON scanner.

The tolerant reader (ppconnector.source.jsonfile) positions a document by parsing it again in Python, which
takes about 0.3 s for Encodian's 1.1 MB definition.  Here only the containers along the wanted pointers are
opened: each child's start is recorded once, and every value not on the way is skipped by the C scanner.
"""

from __future__ import annotations

import bisect
import json
from itertools import accumulate
import json.decoder
import json.scanner
import re

_WS = re.compile(r"[ \t\n\r]*")


class FastLocator:
    def __init__(self, text: str):
        self.text = text
        self._scan = json.scanner.make_scanner(json.JSONDecoder())
        self._children: dict[int, dict] = {}
        # Where each line starts, summed in C (a list comprehension over every newline cost more than the search).
        self._starts = [0, *accumulate(map((1).__add__, map(len, text.split("\n"))))]

    def _skip(self, i: int) -> int:
        return _WS.match(self.text, i).end()

    def _open(self, offset: int) -> dict:
        kids = self._children.get(offset)
        if kids is not None:
            return kids
        text, kids, n = self.text, {}, len(self.text)
        skip, scan, scanstring = _WS.match, self._scan, json.decoder.scanstring  # locals: this loop is the hot one
        ch = text[offset] if offset < n else ""
        i = skip(text, offset + 1).end()
        if ch == "{":
            while i < n and text[i] != "}":
                key, i = scanstring(text, i + 1)
                i = skip(text, skip(text, i).end() + 1).end()  # past the colon
                kids[key] = i
                i = skip(text, scan(text, i)[1]).end()
                if text[i] == ",":
                    i = skip(text, i + 1).end()
        elif ch == "[":
            index = 0
            while i < n and text[i] != "]":
                kids[str(index)] = i
                index += 1
                i = skip(text, scan(text, i)[1]).end()
                if text[i] == ",":
                    i = skip(text, i + 1).end()
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
        line = bisect.bisect_right(self._starts, off)
        return line, off - self._starts[line - 1] + 1

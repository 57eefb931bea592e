"""A connector icon in its brand colour, as PNG bytes: the same colour always gives the same bytes.

paconn and the maker portal take a PNG; Microsoft's certification asks for a square icon of 100 to 230 pixels
on a background of the brand colour (https://learn.microsoft.com/en-us/connectors/custom-connectors/certification-submission).
A white ring on that colour is a placeholder the author replaces with their logo; zlib writes it, no imaging library.
"""

from __future__ import annotations

import struct
import zlib

SIZE = 230


def icon_png(brand_color: str, size: int = SIZE) -> bytes:
    """A size x size RGB PNG: the brand colour (#rrggbb), a white ring in the middle."""
    background = bytes.fromhex(brand_color.lstrip("#"))
    white = b"\xff\xff\xff"
    centre, outer, inner = (size - 1) / 2, size * 0.30, size * 0.20
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # filter type 0: the row as it is
        for x in range(size):
            d2 = (x - centre) ** 2 + (y - centre) ** 2
            row += white if inner * inner <= d2 <= outer * outer else background
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8 bits per channel, RGB, no interlace
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

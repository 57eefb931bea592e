"""Names the toolkit turns into file and folder names (locales, fixture cases, operation folders), checked
for what would make the repository unusable on Windows.

Windows reserves the device names CON, PRN, AUX, NUL, COM0-COM9 and LPT0-LPT9 (and COM/LPT with a
superscript ¹ ² ³), in any letter case, also followed by an extension (``NUL.txt`` and ``nul.tar.gz`` are both
NUL) and with trailing spaces or dots: https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file.
A repository holding ``dist/con/`` or ``fixtures/op/aux.yaml`` cannot be checked out there.
"""

from __future__ import annotations

_DIGITS = "0123456789\u00b9\u00b2\u00b3"
RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{p}{d}" for p in ("COM", "LPT") for d in _DIGITS})


def windows_reserved(name: str) -> str | None:
    """The device name `name` stands for on Windows (e.g. "CON" for "con.json"), or None."""
    stem = name.split(".", 1)[0].rstrip(" .").upper()
    return stem if stem in RESERVED else None

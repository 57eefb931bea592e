"""Deterministic zip files: the same entries give the same bytes (sorted names, a fixed timestamp, fixed
permissions, deflate at a fixed level), and reading one back with limits, for import."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Mapping

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: nothing of the build machine leaks in
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 10_000


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip of entries (name -> bytes), names sorted, every entry a file (folders are implied by the names,
    as in the zips Power Platform exports)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0  # MS-DOS, as the exports are: no Unix owner or mode leaks in
            archive.writestr(info, entries[name], compresslevel=6)
    return buffer.getvalue()


class ZipProblem(ValueError):
    """The zip cannot be read as one: not a zip, too big, or an entry outside it."""


def read_zip(data: bytes) -> "ZipEntries":
    """Every file entry of a zip (name -> bytes, read when asked for); folders are skipped.  Refuses, before
    reading anything, an entry that would land outside the archive (../, an absolute path), a link, two
    entries whose names differ only in letter case (which one a reader takes is up to it), and archives
    past the limits above."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ZipProblem(f"not a zip file ({e})") from None
    return ZipEntries(archive)


class ZipEntries(Mapping):
    """A zip's file entries, checked as a whole and read one at a time: a zip of many large members (a zip
    bomb) costs only what is read, at most MAX_ENTRY_BYTES an entry."""

    def __init__(self, archive: zipfile.ZipFile):
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ZipProblem(f"{len(infos)} entries; at most {MAX_ENTRIES} are read")
        self._archive, self._infos, seen = archive, {}, {}
        for info in infos:
            name = info.filename.replace("\\", "/")
            if info.is_dir():
                continue
            if name.startswith("/") or ".." in name.split("/") or ":" in name.split("/")[0]:
                raise ZipProblem(f'entry "{info.filename}" points outside the archive')
            if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
                raise ZipProblem(f'entry "{info.filename}" is a symbolic link, which an export never holds')
            twin = seen.setdefault(name.casefold(), info.filename)
            if twin != info.filename or name in self._infos:
                raise ZipProblem(f'entries "{twin}" and "{info.filename}" have the same name (letter case aside): '
                                 "which one counts is up to the reader; refused")
            self._infos[name] = info

    def __iter__(self):
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    def __getitem__(self, name: str) -> bytes:
        info = self._infos[name]
        if info.file_size > MAX_ENTRY_BYTES:
            raise ZipProblem(f'entry "{info.filename}" is {info.file_size} bytes; at most {MAX_ENTRY_BYTES} are read')
        try:  # zipfile stops at the size the entry declares, and a wrong checksum is an error
            return self._archive.read(info)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as e:
            raise ZipProblem(f'entry "{info.filename}" cannot be read ({e})') from None

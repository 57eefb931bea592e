"""`ppconnector build` as library functions: connectors -> the files to write, made across the cores."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError
from . import default_out, refuse_links_out, select_locales


@dataclass
class Made:
    """Files a command made for one connector (path -> bytes), and the errors `check` would report on them."""

    files: dict[Path, bytes]
    check_errors: int = 0


def connector_files(ref, locale: str = "all", out: Path | None = None, count_errors: bool = True) -> tuple[Made, list[Finding]]:
    """One connector's deployable files (every locale, or one), with count_errors how many errors `check` reports
    that paconn or Microsoft would refuse them for, and its source's warnings."""
    from ..check.engine import refusals
    from ..source.loader import load_connector
    from . import build

    connector, warnings = load_connector(ref.path)
    root = out or default_out(connector)
    if out is None:
        from ..repo.discover import collision

        problems = collision(ref.path)  # another source on disk writing the same files: nothing is made
        if problems:
            raise InputError(problems)
    files: dict[Path, bytes] = {}
    for loc in select_locales(connector, locale):
        files.update(build(connector, loc, root).files)
    refuse_links_out(root, files)  # never through a link to outside the connector's folder
    return Made(files, len(refusals(connector)) if count_errors else 0), warnings


def build_connectors(connectors: list, locale: str = "all", out: Path | None = None, count_errors: bool = True) -> list:
    """Every connector's files (an Outcome each, in order; the value is a Made), made across the cores.
    Nothing is written: `emit.files.write_all` writes them, all or none.  Two sources that would write one
    folder are an InputError before anything is made.  count_errors=False leaves out the count of check's errors
    (it runs check's rules: about as long again as the build)."""
    from ..repo.batch import each
    from ..repo.discover import clashes
    from ..repo.resolve import require_sources

    require_sources(connectors, "build")
    if out is not None and len(connectors) > 1:
        raise InputError(Finding("usage", ERROR, f"--out takes one connector; these paths name {len(connectors)}"))
    if out is None:
        problems = clashes([c.path for c in connectors])  # two of these writing one folder: before anything is made
        if problems:
            raise InputError(problems)
    return each(connector_files, connectors, locale, out, count_errors)


def editor_schemas(connectors: list) -> dict[Path, bytes]:
    """The YAML source's JSON Schema where `# yaml-language-server: $schema=` points: .ppconnector/ at the
    repository root (of each connector; outside any repository, at its output root)."""
    from ..repo.config import editor_schema_path
    from ..source.loader import SCHEMA_FILE

    data = SCHEMA_FILE.read_bytes()
    return {editor_schema_path(c.folder, c.out_root): data for c in connectors}

"""The certification folder of one locale: the five files a pull request to microsoft/PowerPlatformConnectors
holds (apiDefinition.swagger.json, apiProperties.json, script.csx, icon.png) and a readme.md generated from
the YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError

README = "readme.md"


def package_files(connector, locale: str, out: Path) -> dict[Path, bytes]:
    """The certification folder's files (the script and icon only when the connector has them)."""
    from ..build import build
    from ..emit import settings as names
    from ..emit.files import json_bytes
    from ..emit.properties import properties
    from .readme import render

    wanted = (names.DEFINITION, names.SCRIPT, names.ICON)
    built = build(connector, locale, out).files
    files = {out / path.name: data for path, data in built.items() if path.name in wanted}
    files[out / names.PROPERTIES] = json_bytes(properties(connector, locale))  # with stackOwner, which certification needs
    files[out / README] = render(connector, locale).encode("utf-8")
    return dict(sorted(files.items()))


def others_in(out: Path, files: dict[Path, bytes]) -> list[str]:
    """Entries of out that are not the certification folder's: packaging would leave them beside it."""
    if not out.is_dir():
        return []
    ours = {p.name for p in files}
    return sorted(p.name for p in out.iterdir() if p.name not in ours)


@dataclass
class Package:
    out: Path
    locale: str
    files: dict[Path, bytes]
    findings: list[Finding] = field(default_factory=list)


def certification_folder(ref, locale: str | None, out: Path) -> Package:
    """The certification folder of one connector in one locale (default: its source locale), to write into
    out: an empty or new folder, or one written by `ppconnector package`."""
    from ..build import select_locales
    from ..repo.resolve import require_sources
    from ..source.loader import display_path, load_connector

    require_sources([ref], "package")
    connector, warnings = load_connector(ref.path)
    [loc] = select_locales(connector, locale or connector.source_locale)
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise InputError(Finding("usage", ERROR, "--out must be a folder", display_path(out)))
    files = package_files(connector, loc, out)
    others = others_in(out, files)
    if others:  # a certification folder holds exactly these files: never mix in a stale build or settings.json
        raise InputError(Finding("usage", ERROR, f"{display_path(out)} holds other files ({', '.join(others)}); "
                                 "give an empty or new folder, or one written by `ppconnector package`", display_path(out)))
    return Package(out, loc, files, [w for w in warnings if w.rule != "missing-translation"])

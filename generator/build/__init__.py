"""`ppconnector build`: the source -> one deployable file set per locale.

The source locale's build goes to the output root, every other locale to ``dist/<locale>/``.  The
output root is the connector's own folder (a connector is a folder), except in the single-connector
layout, where the source lives in ``connector/`` and its files at the repo root beside that folder.
Builds differ only in display strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError
from ..emit import settings as names
from ..emit.files import json_bytes
from ..emit.properties import properties
from ..emit.script import script
from ..emit.settings import settings
from ..emit.swagger import definition
from ..layout import LEGACY_FOLDER, out_root  # noqa: F401 - where files go, for the modules that build
from ..model import Connector


@dataclass(frozen=True)
class Build:
    locale: str
    folder: Path
    files: dict[Path, bytes]


def default_out(c: Connector) -> Path:
    """Where c's files go (see out_root), judged from the path the user named: when the source or its folder
    is a link, outputs still go to this repo, never to where the link points."""
    return out_root((c.named or c.file).parent)


def refuse_links_out(root: Path, files: dict[Path, bytes]) -> None:
    """Nothing is written through a link (dist/, docs/, a locale folder) to a place outside root."""
    from ..source.loader import display_path

    inside = root.resolve()
    for target in files:
        folder = target.parent
        if folder.resolve() != inside and inside not in folder.resolve().parents:
            link = next((p for p in [folder, *folder.parents] if p.is_symlink()), folder)
            raise InputError(Finding("output-link", ERROR, f"{display_path(link)} is a link to {link.resolve()}, outside "
                                     f"{inside}; refused, so nothing is written there (remove the link)",
                                     display_path(target)))


def locale_folder(c: Connector, out: Path, locale: str) -> Path:
    return out if locale == c.source_locale else out / "dist" / locale


def select_locales(c: Connector, wanted: str) -> list[str]:
    if wanted == "all":
        return list(c.locales)
    if wanted not in c.locales:
        from ..diagnostics import did_you_mean

        raise InputError(Finding("usage", ERROR, f'locale "{wanted}" is not one of {", ".join(c.locales)}{did_you_mean(wanted, c.locales)}', c.shown))
    return [wanted]


def deployable_properties(c: Connector, locale: str) -> dict:
    """apiProperties without stackOwner: paconn refuses it outside certification ("Could not find member
    'stackOwner'"), so only the certification folder (`ppconnector package`) carries it."""
    props = properties(c, locale)
    props["properties"].pop("stackOwner", None)
    return props


def build(c: Connector, locale: str, out: Path) -> Build:
    folder = locale_folder(c, out, locale)
    files = {
        folder / names.DEFINITION: json_bytes(definition(c, locale)),
        folder / names.PROPERTIES: json_bytes(deployable_properties(c, locale)),
    }
    code = script(c)
    if code is not None:
        files[folder / names.SCRIPT] = code.encode("utf-8")
    icon = c.info.get("icon")
    if icon:
        files[folder / names.ICON] = (c.folder / icon).read_bytes()
    files[folder / names.SETTINGS] = json_bytes(settings(c, locale))
    return Build(locale, folder, files)

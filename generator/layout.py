"""Where a connector's files are.  A connector is a folder: its source's deployable files are built into that
folder (other locales into its dist/<locale>/), except in the single-connector layout, where the source lives
in connector/ and its files at the repository root beside that folder."""

from __future__ import annotations

from pathlib import Path

LEGACY_FOLDER = "connector"  # the single-connector layout: source in connector/, files at the repo root
DEFINITION = "apiDefinition.swagger.json"


def out_root(source_folder: Path) -> Path:
    """Where a source in source_folder writes its files: the repo root for connector/, else that folder itself."""
    return source_folder.parent if source_folder.name == LEGACY_FOLDER else source_folder

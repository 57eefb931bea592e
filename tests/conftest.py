"""Shared test fixtures: where the project and ../shared are, and a runner for the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CONNECTORGEN_SHARED", ROOT.parent / "shared"))
SOURCE = ROOT / "connector" / "clicksend.yaml"


def require_shared(*parts: str) -> Path:
    """A path inside ../shared, failing with a clear message (not an obscure error) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(
            f"{path} is missing: these tests read ../shared/ beside the project (CI provides it); "
            "set CONNECTORGEN_SHARED to its location",
            pytrace=False,
        )
    return path


@pytest.fixture
def microsoft_schemas() -> Path:
    """Microsoft's connector schemas in ../shared: check validates against them only where they are found."""
    return require_shared("reference", "powerplatform")


def pytest_report_header(config) -> str:
    where = "found" if SHARED.is_dir() else "ABSENT: the tests that read it fail, each saying so"
    return f"../shared (corpus, seed, Microsoft's schemas): {SHARED} {where}"


def run_cli(*args: str, cwd: Path = ROOT, input: str | None = None) -> subprocess.CompletedProcess:
    """Run `connectorgen` as a user would, in a separate process, and capture what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=input,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A scratch copy of the repo's connector folder and generated files, to break and rebuild freely."""
    dest = tmp_path / "repo"
    shutil.copytree(ROOT / "connector", dest / "connector")
    for name in ("apiDefinition.swagger.json", "apiProperties.json", "script.csx", "settings.json", "icon.png"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "dist", dest / "dist")
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes, to prove a failed command changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

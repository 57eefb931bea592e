"""Shared test fixtures: where the project and ../shared are, and a runner for the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared"))
SOURCE = ROOT / "connector" / "clicksend.yaml"


def require_shared(*parts: str) -> Path:
    """A path inside ../shared. Without it the test is skipped with one clear reason (a fresh clone has no
    ../shared), except under CI=true, where CI provides it and its absence must fail, never skip silently."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = (f"{path} is missing: this test reads ../shared/ beside the project (the public corpus, the seed "
                  "page, Microsoft's schemas); set PPCONNECTOR_SHARED to its location")
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}. CI=true: CI must provide it", pytrace=False)
        pytest.skip(reason)
    return path


def pytest_report_header(config) -> str:
    if SHARED.is_dir():
        where = "found"
    elif os.environ.get("CI") == "true":
        where = "ABSENT under CI=true: the tests that read it fail"
    else:
        where = "absent: the tests that read it are skipped"
    return f"../shared (corpus, seed, Microsoft's schemas): {SHARED} {where}"


def run_cli(*args: str, cwd: Path = ROOT, input: str | None = None) -> subprocess.CompletedProcess:
    """Run `ppconnector` as a user would, in a separate process, and capture what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "ppconnector.cli", *args],
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
    shutil.copytree(ROOT / ".ppconnector", dest / ".ppconnector")
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes, to prove a failed command changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

"""docs/getting-started.md is the test's input: its shell blocks run in order, in a fresh folder, as a reader
would type them; the page cannot go stale."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys

import pytest

from conftest import ROOT

PAGE = ROOT / "docs" / "getting-started.md"


def _blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_the_page_has_about_ten_steps_and_is_linked_from_the_readmes_first_screen():
    text = PAGE.read_text(encoding="utf-8")
    assert 8 <= len(re.findall(r"^## \d+\. ", text, re.M)) <= 12
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    assert "docs/getting-started.md" in first_screen


def test_every_command_on_the_page_runs_in_order(tmp_path):
    for tool in ("git", "perl", "bash"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "ppconnector"  # this tree's ppconnector, as the installed script would run it
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ppconnector.cli "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    work = tmp_path / "work"
    work.mkdir()
    script = "set -euo pipefail\n" + "".join(f"echo '>>> block {i}'\n{block}" for i, block in enumerate(_blocks()))
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "GIT_AUTHOR_NAME": "Reader", "GIT_AUTHOR_EMAIL": "reader@example.com", "GIT_COMMITTER_NAME": "Reader",
           "GIT_COMMITTER_EMAIL": "reader@example.com"}
    result = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    repo = work / "acme-orders"
    assert (repo / ".github" / "workflows" / "connector.yml").is_file()
    assert (repo / "connector" / "fixtures" / "list_items" / "fake-200.yaml").is_file()
    assert "List items -> List orders" in result.stdout
    assert (repo / "dist" / "certification" / "readme.md").is_file()
    assert "paconn create" in result.stdout and "api.acme-orders.example" in (repo / "apiDefinition.swagger.json").read_text(encoding="utf-8")

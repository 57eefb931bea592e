"""What a newcomer types first: the CLI from any folder of the repo, -h, a pipe closed early, counts that read right."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli
from ppconnector.diagnostics import counted


@pytest.mark.parametrize("folder", ["connector", "docs", "generator/check"])
def test_a_subfolder_finds_the_repo_by_walking_up(folder):
    result = run_cli("build", "--check", cwd=ROOT / folder)
    assert result.returncode == 0, result.stderr
    assert "are up to date" in result.stdout


def test_outside_any_repo_says_where_it_looked(tmp_path):
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "no connector here or in a folder above: expected a YAML source" in result.stderr


@pytest.mark.parametrize("args", [["-h"], ["check", "-h"], ["diff", "-h"]])
def test_dash_h_is_help(args):
    result = run_cli(*args)
    assert result.returncode == 0 and result.stdout.startswith("Usage:"), result.stderr


def test_a_reader_that_stops_early_ends_it_quietly():
    import fcntl

    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), 4096)  # smaller than `rules` prints: it must meet the closed pipe
    proc = subprocess.Popen([sys.executable, "-m", "ppconnector.cli", "rules"], cwd=ROOT, stdout=write_end,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        reader.readline()  # what `| head -1` reads before it closes the pipe
    stderr = proc.communicate(timeout=60)[1].decode()
    assert (proc.returncode, stderr) == (141, "")


def test_counts_read_right():
    assert [counted(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert counted(1, "translation") == "1 translation"

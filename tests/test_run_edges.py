"""How a run ends when its surroundings go wrong: SIGTERM and Ctrl-C to a batch over many connectors (no worker
outlives it, no temporary file stays, no worker's traceback), a connector folder removed while it was built,
and standard output closed or on a full disk."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PPCONNECTOR_JOBS": "2"}


def _connectors(root: Path, n: int) -> None:
    for i in range(n):
        shutil.copytree(ROOT / "connector", root / f"c{i}", ignore=shutil.ignore_patterns("deploy.*.json", "fixtures"))


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ppconnector.cli", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=ENV, start_new_session=True)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait_for_workers(proc: subprocess.Popen, timeout: float = 60) -> list[int]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        workers = _children(proc.pid)
        if len(workers) >= 2:
            return workers
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    pytest.skip("the pool did not start in time on this machine")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the pool's workers")
def test_sigterm_to_a_batch_stops_its_workers_and_leaves_no_temporary_file(tmp_path):
    _connectors(tmp_path, 8)
    proc = _start(["build"], tmp_path)
    workers = _wait_for_workers(proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)  # returns only when nothing holds the pipes open any more
    assert proc.returncode == 143, err
    assert "terminated; no output was changed" in err.decode() and b"Traceback" not in err
    time.sleep(0.2)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]] == []
    assert [p for p in tmp_path.rglob("*.tmp")] == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the pool's workers")
def test_ctrl_c_in_import_all_prints_no_worker_traceback(tmp_path):
    for i in range(8):
        folder = tmp_path / f"f{i}"
        folder.mkdir()
        for name in ("apiDefinition.swagger.json", "apiProperties.json", "script.csx", "icon.png"):
            shutil.copy2(ROOT / name, folder / name)
    proc = _start(["import", "--all", "."], tmp_path)
    _wait_for_workers(proc)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err.decode()
    assert "interrupted" in err.decode()
    assert list(tmp_path.glob("f*/*.yaml")) == []  # all or nothing: nothing was written


def test_a_connector_folder_removed_while_it_was_built_is_not_brought_back(tmp_path, monkeypatch, capsys):
    from ppconnector.build.connectors import build_connectors
    from ppconnector.commandline import write_outcomes
    from ppconnector.repo.resolve import resolve

    _connectors(tmp_path, 2)
    monkeypatch.chdir(tmp_path)
    outcomes = build_connectors(resolve())
    shutil.rmtree(tmp_path / "c1")  # gone after it was built, before anything was written
    code = write_outcomes(outcomes, False, "build", ("generated file", "files"))
    assert code == 2 and not (tmp_path / "c1").exists()
    assert (tmp_path / "c0" / "apiDefinition.swagger.json").is_file()
    assert "c1/clicksend.yaml: error: the connector's folder was removed while it was built" in capsys.readouterr().err


def test_standard_output_closed_or_full_is_unusable_environment_not_a_bug():
    full = subprocess.run(f"{sys.executable} -m ppconnector.cli rules > /dev/full", shell=True, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=ENV)
    assert full.returncode == 2 and "cannot write to standard output: No space left on device" in full.stderr
    closed = subprocess.run(f"{sys.executable} -m ppconnector.cli check >&-", shell=True, cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env=ENV)
    assert closed.returncode == 2 and "standard output is closed" in closed.stderr
    assert "Traceback" not in full.stderr + closed.stderr and "internal error" not in full.stderr + closed.stderr


def test_a_closed_pipe_is_quiet():
    from ppconnector.check.registry import all_rules

    piped = subprocess.run(f"{sys.executable} -m ppconnector.cli rules | head -1", shell=True, cwd=ROOT, capture_output=True, text=True,
                           timeout=120, env=ENV)
    first_family = min(r.family for r in all_rules().values())
    assert piped.stderr == "" and piped.stdout == f"{first_family}\n"  # the first family; no empty first line
    assert run_cli("rules").returncode == 0


def test_stopping_the_pool_prints_no_traceback_from_its_manager_thread(monkeypatch):
    """SIGTERM to `import --all` printed, one run in ten, Python 3.11's executor failing futures the stop had
    cancelled (InvalidStateError from its manager thread). Stopped with work pending, five times over: no
    thread's exception reaches the terminal."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from ppconnector.repo import batch

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the batch forks its workers only where fork exists")
    raised: list[str] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(f"{args.thread.name}: {args.exc_type.__name__}"))
    for _ in range(5):
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
        answers = pool.map(time.sleep, [0.02] * 200, chunksize=1)
        next(answers)
        batch._stop(pool)
        del answers  # cancels what is still pending, as leaving run_all does
        manager = pool._executor_manager_thread
        if manager is not None:
            manager.join(timeout=30)
    assert raised == []

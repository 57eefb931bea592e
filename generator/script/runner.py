"""Run a compiled script under mono: each case's request goes in, ``Context.SendAsync`` answers with
the case's upstream responses, and what the script sent and returned comes back.

All cases of one run share one mono process (the test host loops over them), so a run costs one
start of the runtime, not one per fixture.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .toolchain import find

TIMEOUT_MS = 5000  # the platform's limit for custom code


def timeout_ms() -> int:
    """The platform's 5 seconds, unless $PPCONNECTOR_SCRIPT_TIMEOUT_MS says otherwise."""
    try:
        return int(os.environ.get("PPCONNECTOR_SCRIPT_TIMEOUT_MS", TIMEOUT_MS))
    except ValueError:
        return TIMEOUT_MS


@dataclass
class Case:
    operation_id: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    upstream: list[dict] = field(default_factory=list)  # [{status, headers, body}], the last one repeats
    correlation_id: str = "00000000-0000-0000-0000-000000000000"
    original_url: str | None = None  # the connector's own URL (Context.OriginalRequestUri); default: url

    def to_json(self) -> dict:
        return {
            "operationId": self.operation_id,
            "correlationId": self.correlation_id,
            "timeoutMs": timeout_ms(),
            "request": {"method": self.method, "url": self.url, "headers": self.headers, "body": self.body},
            "upstream": self.upstream,
            "originalUrl": self.original_url or self.url,
        }


@dataclass
class Outcome:
    response: dict | None  # {status, headers, body} the script returned
    sent: list[dict]  # [{method, url, headers, body}] what it passed to Context.SendAsync
    logs: list[dict]
    exception: str | None
    timeout_ms: int | None
    elapsed_ms: float


def quiet_env(base, **extra) -> dict:
    """An environment in which mono never touches the terminal: with TERM set and a terminal on stdin, its
    console driver configures the terminal, and a process in a background job is stopped for that (SIGTTOU)."""
    env = {k: v for k, v in base.items() if k != "TERM"}
    env["TERM"] = "dumb"
    env.update(extra)
    return env


class RunError(Exception):
    """mono itself failed (not the script): the message says how."""


def run(exe: Path, cases: list[Case]) -> tuple[list[Outcome], float]:
    """Outcomes in the order of cases, and the wall time of the mono process in seconds."""
    tc = find()
    with tempfile.TemporaryDirectory(prefix="ppconnector-run-") as tmp:
        given = Path(tmp) / "cases.json"
        given.write_text(json.dumps([c.to_json() for c in cases]), encoding="utf-8")
        env = quiet_env(os.environ, MONO_PATH=os.path.dirname(tc.json_dll))
        # Each case has its own time limit inside the host; a mono process that still does not finish
        # (seen rarely on a loaded machine) is the runtime's problem, not the script's: try once more.
        limit = 20 + (timeout_ms() / 1000 + 1) * len(cases)
        for attempt in (1, 2):
            got = Path(tmp) / f"outcomes-{attempt}.json"
            started = time.perf_counter()
            code, stderr = _mono(tc.mono, exe, given, got, env, limit)
            seconds = time.perf_counter() - started
            if got.exists():
                break
            if code is not None:
                raise RunError(f"mono exited with {code}: {stderr.strip()[-800:]}")
        else:
            raise RunError(f"mono did not finish within {limit:g} seconds, twice")
        raw = json.loads(got.read_text(encoding="utf-8"))
    outcomes = [Outcome(r.get("response"), r.get("sent") or [], r.get("logs") or [], r.get("exception"),
                        r.get("timeout"), r.get("elapsedMs") or 0.0) for r in raw]
    return outcomes, seconds


def _mono(mono: str, exe: Path, given: Path, got: Path, env: dict, limit: float) -> tuple[int | None, str]:
    """Run the host; (exit code, stderr), or (None, stderr) when it had to be killed."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([mono, "--debug", str(exe), str(given), str(got)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, env=env)
        deadline = time.monotonic() + limit
        code = None
        while time.monotonic() < deadline:
            try:
                code = proc.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                if got.exists():  # the results are written: give the process a moment to exit, no more
                    try:
                        code = proc.wait(timeout=2)
                    except subprocess.TimeoutExpired:
                        code = 0
                    break
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        err.seek(0)
        return code, err.read().decode("utf-8", "replace")

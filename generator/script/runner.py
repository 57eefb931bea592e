"""Run a compiled script under mono: each case's request goes in, ``Context.SendAsync`` answers with
the case's upstream responses, and what the script sent and returned comes back.

All cases of one run share one mono process (the test host loops over them), so a run costs one
start of the runtime, not one per fixture.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

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
    root: str = ""  # the service's URL the request went to (after a host policy); judging compares under it

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


# --- isolation ------------------------------------------------------------------------------------------
# A script is someone's code.  It runs with an environment of its own (nothing of yours: no tokens, no
# keys), in a temporary folder of its own, in a process group that is killed when the run ends, with
# bounded memory, file size and output.  Where the kernel lets an unprivileged user make namespaces
# (``unshare -rnmp``), it also has no network, a read-only file system except its folder, and its own
# process tree, which dies with it.  docs/script.md says what holds where.

MEMORY = 1 << 30  # bytes of address space for mono and the script
FILE_SIZE = 64 << 20  # bytes a file it writes may reach
OUTPUT = 64 << 20  # bytes of the channel's lines the harness reads (answers and bodies travel there)
STDERR = 64 << 10  # the last bytes of mono's stderr kept for a message

# Inside the namespaces: the temporary folder becomes a mount of its own, every other mount read-only.
ISOLATE = """set -e
T="$1"; shift
mount --bind "$T" "$T"
awk '{print $2}' /proc/self/mounts | while read -r m; do
  [ "$m" = "$T" ] || mount -o remount,bind,ro "$m" 2>/dev/null || true
done
cd "$T"
exec "$@"
"""
_isolation: bool | None = None


def isolated() -> bool:
    """Whether scripts run without network, with a read-only file system and in their own process tree here."""
    global _isolation
    if _isolation is None:
        unshare = shutil.which("unshare")
        _isolation = False
        if unshare and sys.platform.startswith("linux") and os.environ.get("PPCONNECTOR_SCRIPT_ISOLATION") != "off":
            with tempfile.TemporaryDirectory(prefix="ppconnector-probe-") as tmp:
                try:
                    probe = subprocess.run(_wrap([sys.executable, "-c", "open('ok', 'w').write('1')"], tmp),
                                           stdin=subprocess.DEVNULL, capture_output=True, timeout=20, env=_env(tmp, ""))
                    _isolation = probe.returncode == 0 and (Path(tmp) / "ok").exists()
                except (OSError, subprocess.TimeoutExpired):
                    _isolation = False
    return _isolation


def _wrap(argv: list[str], folder: str) -> list[str]:
    return [shutil.which("unshare") or "unshare", "--user", "--map-root-user", "--net", "--mount", "--pid", "--fork",
            "--mount-proc", "--kill-child", "sh", "-c", ISOLATE, "sh", folder, *argv]


def _env(folder: str, mono_path: str) -> dict[str, str]:
    """Nothing from the caller's environment: a script must not read a token or a key there."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": folder, "TMPDIR": folder, "LANG": "C.UTF-8", "TERM": "dumb"}
    if mono_path:
        env["MONO_PATH"] = mono_path
    return env


def _limits() -> None:  # runs in the child before exec
    import resource

    for limit, value in ((resource.RLIMIT_AS, MEMORY), (resource.RLIMIT_FSIZE, FILE_SIZE), (resource.RLIMIT_CORE, 0)):
        try:
            soft, hard = resource.getrlimit(limit)
            resource.setrlimit(limit, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))
        except (ValueError, OSError):
            pass


@dataclass
class Channel:
    """What the host said on its channel: results in order, and lines that did not carry the nonce."""
    results: list[dict] = field(default_factory=list)
    foreign: int = 0  # lines without the nonce: the script writing to the harness's channel
    ended: bool = False
    code: int | None = None
    stderr: str = ""


def run(exe: Path, cases: list[Case], live: Callable[[dict], dict] | None = None) -> tuple[list[Outcome], float]:
    """Outcomes in the order of cases, and the wall time of the mono process in seconds.

    ``live`` makes the run live (record): each ``Context.SendAsync`` of the script is handed to it, and its
    answer ({status, headers, bodyBase64} or {error}) goes back to the script."""
    tc = find()
    started = time.perf_counter()
    # Each case has its own time limit inside the host; a mono process that still does not finish
    # (seen rarely on a loaded machine) is the runtime's problem, not the script's: try once more.
    limit = 20 + (timeout_ms() / 1000 + 1) * len(cases) + (120 if live else 0)
    for attempt in (1, 2):
        with tempfile.TemporaryDirectory(prefix="ppconnector-run-") as tmp:
            os.chmod(tmp, 0o700)
            given = Path(tmp) / "cases.json"
            given.write_text(json.dumps([dict(c.to_json(), live=live is not None) for c in cases]), encoding="utf-8")
            started = time.perf_counter()
            got = _host(tc.mono, exe, given, tmp, os.path.dirname(tc.json_dll), limit, live)
        seconds = time.perf_counter() - started
        if got.foreign:
            raise RunError(f"the script wrote {got.foreign} line(s) to the harness's own channel (its stdout, bypassing "
                           "Console): results it could have forged are not used")
        if got.ended and len(got.results) == len(cases):
            break
        if got.code is not None or live is not None:
            raise RunError(f"mono exited with {got.code} before the results were written: {got.stderr.strip()[-800:]}")
    else:
        raise RunError(f"mono did not finish within {limit:g} seconds, twice")
    outcomes = [Outcome(r.get("response"), r.get("sent") or [], r.get("logs") or [], r.get("exception"),
                        r.get("timeout"), r.get("elapsedMs") or 0.0) for r in got.results]
    return outcomes, seconds


def _host(mono: str, exe: Path, given: Path, folder: str, mono_path: str, limit: float,
          live: Callable[[dict], dict] | None) -> Channel:
    """Run the test host and read its channel until it says end, exits or runs out of time; then kill its group."""
    import queue
    import secrets
    import signal
    import threading

    argv = [mono, "--debug", str(exe), str(given)]
    if isolated():
        argv = _wrap(argv, folder)
    nonce = secrets.token_hex(16)
    out = Channel()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=folder,
                            env=_env(folder, mono_path), start_new_session=True, preexec_fn=_limits)
    lines: queue.Queue = queue.Queue()
    tail = bytearray()

    def read_out() -> None:
        total = 0
        for raw in iter(lambda: proc.stdout.readline(OUTPUT), b""):
            total += len(raw)
            if total > OUTPUT:
                lines.put(b"\0too-much")
                break
            lines.put(raw)
        lines.put(None)

    def read_err() -> None:
        for chunk in iter(lambda: proc.stderr.read1(65536), b""):
            tail.extend(chunk)
            del tail[:-STDERR]

    readers = [threading.Thread(target=read_out, daemon=True), threading.Thread(target=read_err, daemon=True)]
    for t in readers:
        t.start()
    deadline = time.monotonic() + limit
    prefix = nonce.encode() + b" "
    try:
        proc.stdin.write(nonce.encode() + b"\n")
        proc.stdin.flush()
        while time.monotonic() < deadline:
            try:
                raw = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if raw is None:
                break
            if raw == b"\0too-much":
                out.stderr = f"the host wrote more than {OUTPUT >> 20} MB"
                break
            if not raw.startswith(prefix):
                out.foreign += 1
                continue
            kind, _, payload = raw[len(prefix):].rstrip(b"\n").partition(b" ")
            if kind == b"end":
                out.ended = True
                break
            if kind == b"result":
                out.results.append(json.loads(payload))
            elif kind == b"send" and live is not None:
                answer = live(json.loads(payload))
                proc.stdin.write(json.dumps(answer).encode() + b"\n")
                proc.stdin.flush()
    except (BrokenPipeError, ValueError) as e:  # the host died mid-conversation, or wrote no JSON
        out.stderr = f"{type(e).__name__}: {e}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the host, and anything the script started
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        for t in readers:
            t.join(timeout=2)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            try:
                stream.close()
            except OSError:
                pass
    timed_out = not out.ended and time.monotonic() >= deadline
    out.code = 0 if out.ended else None if timed_out else proc.returncode
    out.stderr = out.stderr or bytes(tail).decode("utf-8", "replace")
    return out

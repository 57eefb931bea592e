"""What every deployment tool run (paconn, pac) is held to: where the token may go, what its output may show,
and how long it may take.  Functions only, so each tool's runner uses the same three guards.

1. **Endpoints.** paconn sends ``Authorization: Bearer <token>`` to ``powerAppsUrl`` (and, listing
   environments, to ``flowUrl``).  Both come from files a pull request can change (the YAML ``deploy:``
   section, a ``--settings`` file), so only Microsoft's own hosts are accepted, over https: the public cloud,
   the US Government clouds (GCC, GCC High, DoD), China (21Vianet), the two air-gapped clouds, and Microsoft's
   preview/test rings.  Sources: Microsoft's Terraform provider for Power Platform
   (microsoft/terraform-provider-power-platform, internal/constants/constants.go: the Power Apps API host per
   cloud), the ``-Endpoint`` values of Microsoft's Power Apps PowerShell module
   (https://learn.microsoft.com/en-us/power-platform/admin/powerapps-powershell), and Power Automate's
   IP address configuration page (https://learn.microsoft.com/en-us/power-automate/ip-address-configuration)
   for China's ``api.powerautomate.cn``.  Tests against a fake API on 127.0.0.1 point paconn there with
   ``$PPCONNECTOR_INSECURE_POWER_APPS_URL`` (a loopback URL only; never read from a file).
2. **Masking.** Everything relayed from the tool passes through ``Masker``: each secret (the OAuth client
   secret, paconn's stored tokens) is found raw, JSON-escaped, URL-encoded, as an HTML entity, in base64 (the
   project's one redaction engine, ``ppconnector.fixtures.secrets``), and also when a line break splits it.
3. **Deadline.** ``run_tool`` stops a tool that has not finished in time (its whole process group), and
   keeps at most ``MAX_OUTPUT`` bytes of what it printed.
"""

from __future__ import annotations

import bisect
from array import array
import os
import re
import signal
import subprocess
import threading
from dataclasses import dataclass
from typing import Iterable

# --- 1. endpoints --------------------------------------------------------------------------------------

POWER_APPS_HOSTS = {
    "api.powerapps.com": "public cloud (paconn's default)",
    "gov.api.powerapps.us": "US Government GCC",
    "high.api.powerapps.us": "US Government GCC High",
    "api.apps.appsplatform.us": "US Government DoD",
    "api.powerapps.cn": "China (21Vianet)",
    "api.powerapps.eaglex.ic.gov": "US air-gapped cloud (EX)",
    "api.powerapps.microsoft.scloud": "US air-gapped cloud (RX)",
    "preview.api.powerapps.com": "Microsoft's preview ring",
    "tip1.api.powerapps.com": "Microsoft's test ring 1",
    "tip2.api.powerapps.com": "Microsoft's test ring 2",
}
FLOW_HOSTS = {
    "api.flow.microsoft.com": "public cloud (paconn's default)",
    "gov.api.flow.microsoft.us": "US Government GCC",
    "high.api.flow.microsoft.us": "US Government GCC High",
    "api.flow.appsplatform.us": "US Government DoD",
    "api.powerautomate.cn": "China (21Vianet)",
    "preview.api.flow.microsoft.com": "Microsoft's preview ring",
    "tip1.api.flow.microsoft.com": "Microsoft's test ring 1",
    "tip2.api.flow.microsoft.com": "Microsoft's test ring 2",
}
ENDPOINT_HOSTS = {"powerAppsUrl": POWER_APPS_HOSTS, "flowUrl": FLOW_HOSTS}
INSECURE_URL_ENV = "PPCONNECTOR_INSECURE_POWER_APPS_URL"  # tests only: a loopback fake of the Power Apps API
_NAME_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def endpoint_problem(key: str, url: str) -> str | None:
    """Why ``url`` may not receive the deployment token as ``key`` (powerAppsUrl or flowUrl), or None.  The
    whole text is matched (no parser's leniency: a space, tab or line break that one URL parser strips and
    another keeps is refused)."""
    hosts = ENDPOINT_HOSTS[key]
    m = re.fullmatch(r"https://([a-z0-9.-]+)(?::443)?/?", url, re.IGNORECASE)
    if m and m.group(1).lower() in hosts:
        return None
    listed = ", ".join(f"https://{h}" for h in list(hosts)[:5])
    return (f"{key} {url!r} is not a Microsoft endpoint: paconn would send your access token there; "
            f"expected https:// and one of Microsoft's hosts ({listed}, ...; docs/deploy.md lists them all)")


def target_problems(settings: dict, origin: dict) -> list[str]:
    """Every reason the resolved deployment target is unsafe: a token endpoint that is not Microsoft's, or a
    name with a line break or space (it goes into URLs and into lines a CI log reads as commands)."""
    out = []
    for key in ("environment", "connectorId", "powerAppsApiVersion", "flowApiVersion"):
        value = settings.get(key)
        if isinstance(value, str) and _NAME_UNSAFE.search(value):
            out.append(f"{key} {ascii(value)} (from {origin.get(key, 'the settings')}) holds a space, line break or "
                       "control character: it is a name, on one line")
    for key in ENDPOINT_HOSTS:
        value = settings.get(key)
        if isinstance(value, str):
            problem = endpoint_problem(key, value)
            if problem:
                out.append(f"{problem} (from {origin.get(key, 'the settings')})")
    return out


_LOOPBACK_URL = re.compile(r"https?://(?:127(?:\.[0-9]{1,3}){3}|localhost|\[::1\])(?::[0-9]{1,5})?/?", re.IGNORECASE)


def insecure_power_apps_url() -> str | None:
    """The loopback URL ``$PPCONNECTOR_INSECURE_POWER_APPS_URL`` sends paconn to instead of Microsoft's
    (tests against a fake API only), or None when it is not set.  Anything but loopback is refused."""
    url = os.environ.get(INSECURE_URL_ENV)
    if not url:
        return None
    if not _LOOPBACK_URL.fullmatch(url):
        from ..diagnostics import ERROR, Finding, InputError

        raise InputError(Finding("deploy", ERROR, f"${INSECURE_URL_ENV} {url!r}: only a loopback URL "
                                 "(http://127.0.0.1:PORT) is accepted; it exists for tests against a fake Power Apps API"))
    return url


# --- 2. masking ----------------------------------------------------------------------------------------

MASK = "***"
_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n|(?:\\r)?\\n|\\r)[ \t]*")  # also as JSON escapes inside a string


class Masker:
    """Replaces every secret in a text, in every encoding ``ppconnector.fixtures.secrets`` knows, also where a
    line break (with the indentation around it, or as the escape \\n inside a JSON string) splits one."""

    def __init__(self, secrets: Iterable[str | None]):
        from ..fixtures.secrets import Secrets

        self.secrets = [s for s in dict.fromkeys(secrets) if s]
        self._finders = [Secrets(s) for s in self.secrets]

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def __call__(self, text: str) -> str:
        if not self.secrets:
            return text
        spans = [m.span() for f in self._finders if f.pattern is not None for m in f.pattern.finditer(text)]
        spans += self._split_spans(text)
        for secret in self.secrets:  # too short for a pattern: only where it stands alone on a line
            if len(secret) < 4:
                spans += [(m.start(), m.end()) for m in re.finditer(rf"(?m)^{re.escape(secret)}$", text)]
        if not spans:
            return text
        out, at = [], 0
        for start, end in sorted(spans):
            if end <= at:
                continue
            if start > at:
                out.append(text[at:start])
            if start >= at:
                out.append(MASK)
            at = max(at, end)
        out.append(text[at:])
        return "".join(out)

    def _split_spans(self, text: str) -> list[tuple[int, int]]:
        """Matches in the text with its line breaks taken out, as spans of the original text.  The map from
        the joined text back to the original is built only when something matched (compact arrays)."""
        whole = _LINE_BREAK.sub("", text)
        if len(whole) == len(text):
            return []
        found = [m.span() for f in self._finders if f.pattern is not None for m in f.pattern.finditer(whole)]
        if not found:
            return []
        starts, offsets = array("q", [0]), array("q", [0])  # joined piece i starts at starts[i] there, offsets[i] here
        removed = 0
        for b in _LINE_BREAK.finditer(text):
            removed += b.end() - b.start()
            starts.append(b.end() - removed)
            offsets.append(b.end())

        def original(i: int) -> int:
            piece = bisect.bisect_right(starts, i) - 1
            return offsets[piece] + i - starts[piece]

        return [(original(a), original(b - 1) + 1) for a, b in found]


# --- 3. the deadline -----------------------------------------------------------------------------------

DEFAULT_TIMEOUT = 600.0  # seconds; paconn create/update takes well under a minute when the service answers
TIMEOUT_ENV = "PPCONNECTOR_DEPLOY_TIMEOUT"
MAX_OUTPUT = 1024 * 1024  # bytes of a tool's output kept for relaying; the rest is counted, not kept
_TAIL = 64 * 1024  # dropped from kept output that was cut: a secret cut in half there is not found whole


@dataclass
class ToolRun:
    code: int | None  # None: stopped at the deadline
    output: str  # what the tool printed (stdout and stderr), already masked
    dropped: int  # bytes of output not shown


def run_tool(argv: list[str], *, cwd: str, env: dict, timeout: float, masker: Masker) -> ToolRun:
    """Run a tool with no input, its stdout and stderr together, for at most ``timeout`` seconds; stop it and
    every process it started when the time is up.  Its output comes back masked."""
    posix = os.name == "posix"
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=posix,
                            creationflags=0 if posix else getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
    kept: list[bytes] = []
    size = [0, 0]  # kept, dropped

    def read() -> None:
        assert proc.stdout is not None
        while True:
            chunk = proc.stdout.read1(65536)
            if not chunk:
                return
            room = MAX_OUTPUT - size[0]
            kept.append(chunk[:max(room, 0)])
            size[0] += min(len(chunk), max(room, 0))
            size[1] += max(len(chunk) - max(room, 0), 0)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    code: int | None = None
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    finally:
        # Stopped at the deadline, interrupted (Ctrl-C), or done but with processes it started still running:
        # none of them outlives the run.
        if proc.poll() is None or (posix and _group_alive(proc.pid)):
            _stop(proc, posix)
    reader.join(timeout=5)  # a grandchild in a session of its own may hold the pipe: not waited for
    masked = masker(b"".join(kept).decode("utf-8", "replace"))
    if size[1]:
        masked = masked[:-_TAIL]
    return ToolRun(code, masked, size[1] + (_TAIL if size[1] else 0))


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _stop(proc: subprocess.Popen, posix: bool) -> None:
    """SIGTERM to the tool's process group, SIGKILL five seconds later if it is still there."""
    for sig, grace in ((signal.SIGTERM, 5), (getattr(signal, "SIGKILL", signal.SIGTERM), 5)):
        try:
            if posix:
                os.killpg(proc.pid, sig)
            else:
                proc.kill()
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=grace)
            if posix:
                os.killpg(proc.pid, 0)  # raises once the whole group is gone
            else:
                return
        except subprocess.TimeoutExpired:
            continue
        except (ProcessLookupError, PermissionError):
            return


QUIET = 0.2  # seconds without output after which a partial line (a prompt) is shown


def relay_tool(argv: list[str], *, env: dict, timeout: float, masker: Masker, write) -> int | None:
    """Run a tool the user drives (``deploy paconn ARGS``: a device-code login, a prompt to pick an
    environment) with the terminal's input, relaying its output as it comes, masked, through ``write(text)``;
    stop it and everything it started after ``timeout`` seconds (then None).  Whole lines are masked
    together; a partial line (a prompt) is shown once the tool has been quiet for ``QUIET`` seconds.

    On a terminal the tool's process group is made the foreground one, so it can read its prompts' answers
    and Ctrl-C reaches it, and the terminal is handed back afterwards."""
    import sys
    import time

    posix = os.name == "posix"
    tty = _terminal() if posix else None

    def foreground() -> None:  # in the child, before paconn starts: its own group, in front (as shells do)
        os.setpgid(0, 0)
        _hand_terminal(tty, os.getpgrp())

    proc = subprocess.Popen(argv, env=env, stdin=None, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            process_group=0 if posix and tty is None else None,
                            preexec_fn=foreground if tty is not None else None,
                            creationflags=0 if posix else getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
    handed = tty is not None
    pending = bytearray()
    lock = threading.Condition()
    done = [False]

    def read() -> None:
        assert proc.stdout is not None
        while True:
            chunk = proc.stdout.read1(65536)
            with lock:
                if not chunk:
                    done[0] = True
                    lock.notify()
                    return
                pending.extend(chunk)
                lock.notify()

    def flush(all_: bool) -> None:
        cut = len(pending) if all_ else pending.rfind(b"\n") + 1
        if cut:
            write(masker(bytes(pending[:cut]).decode("utf-8", "replace")))
            del pending[:cut]

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    code: int | None = None
    try:
        with lock:
            while not done[0] and time.monotonic() < deadline:
                quiet = not lock.wait(timeout=min(QUIET, max(deadline - time.monotonic(), 0)))
                flush(all_=quiet)
                if len(pending) > MAX_OUTPUT:  # one endless line: shown in pieces rather than kept whole
                    flush(all_=True)
        if done[0]:
            code = proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        pass
    finally:
        if proc.poll() is None or (posix and _group_alive(proc.pid)):
            _stop(proc, posix)
        if handed:
            _hand_terminal(tty, os.getpgrp())
        reader.join(timeout=5)
        with lock:
            flush(all_=True)
        sys.stdout.flush()
    return code


def _terminal() -> int | None:
    """The controlling terminal's descriptor when our standard input is it, else None."""
    import sys

    try:
        fd = sys.stdin.fileno()
        return fd if os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp() else None
    except (OSError, ValueError, AttributeError):
        return None


def _hand_terminal(fd: int, pgid: int) -> bool:
    """Make ``pgid`` the terminal's foreground process group (SIGTTOU ignored meanwhile, as shells do)."""
    old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(fd, pgid)
        return True
    except OSError:
        return False
    finally:
        signal.signal(signal.SIGTTOU, old if old is not None else signal.SIG_DFL)

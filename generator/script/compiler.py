"""Compile a connector's script with mono's ``mcs`` against the harness's stubs; errors become findings.

The script is compiled as the platform sees it: Microsoft's supported namespaces pre-imported (one
prepended line, then ``#line 1`` so mcs counts the author's lines), C# 8+ syntax that mcs lacks rewritten
line for line (``lower.py``).  A successful compile is an executable (stubs + test host + script)
cached by content hash, so ``script test`` and repeated runs do not compile again.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, INFO, WARNING, Finding
from . import stubs
from .lower import Syntax, lower, mask, modern_syntax
from .toolchain import Toolchain, find

HARNESS_VERSION = "1"
SCRIPT_MARK = "ppconnector-script.csx"
_MCS_LINE = re.compile(r"^(?P<file>.*?)\((?P<line>\d+),(?P<col>\d+)\): (?P<sev>error|warning) (?P<code>CS\d+): (?P<msg>.*)$")
_PARSE_ERRORS = {"CS1525", "CS1002", "CS1519", "CS1513", "CS1514", "CS8025", "CS1026", "CS1003", "CS1001",
                 "CS1031", "CS1041", "CS1056", "CS1644", "CS0116", "CS1022", "CS1733", "CS0106", "CS1585"}


@dataclass
class Compiled:
    findings: list[Finding] = field(default_factory=list)
    exe: Path | None = None  # the test host with the script, when it compiled
    seconds: float = 0.0  # time spent in mcs (0 when the cache answered)
    cached: bool = False
    lowered: list[Syntax] = field(default_factory=list)  # newer syntax rewritten for mcs

    @property
    def ok(self) -> bool:
        return self.exe is not None


def cache_dir() -> Path:
    base = os.environ.get("PPCONNECTOR_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ppconnector")
    path = Path(base) / "script"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: a private folder under the temporary directory
        path = Path(tempfile.gettempdir()) / f"ppconnector-script-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
        path.mkdir(parents=True, exist_ok=True)
    return path


def prelude(text: str = "") -> str:
    """The pre-imported namespaces on one line.  System.Xml and Newtonsoft.Json both have a
    `Formatting`; scripts mean Json.NET's (Formatting.Indented/None), so an alias settles it unless the
    script declares its own."""
    names = list(stubs.ALLOWED_NAMESPACES) + [stubs.PLATFORM_NAMESPACE]
    out = "".join(f"using {n};" for n in names)
    if not re.search(r"(?m)^\s*using\s+Formatting\s*=", text):
        out += "using Formatting = Newtonsoft.Json.Formatting;"
    return out


def _prepare(text: str) -> tuple[str, list[Syntax]]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # C# script directives (#r, #load) have no meaning to the platform or to mcs.
    text = re.sub(r"(?m)^(\s*)#(r|load)\b", r"\1//\2", text)
    lowered, done = lower(text)
    return lowered, done


def namespace_findings(text: str, shown: str) -> list[Finding]:
    """`using` directives for namespaces outside Microsoft's supported list, each at its line."""
    out = []
    masked = mask(text.lstrip("\ufeff"))
    allowed = set(stubs.ALLOWED_NAMESPACES)
    for m in re.finditer(r"(?m)^[ \t]*using\s+(static\s+)?(?:([A-Za-z_]\w*)\s*=\s*)?([A-Za-z_][\w.]*)\s*;", masked):
        is_static, alias, name = m.group(1), m.group(2), m.group(3)
        line = masked.count("\n", 0, m.start()) + 1
        column = m.start(3) - (masked.rfind("\n", 0, m.start(3)) + 1) + 1
        candidates = {name}
        if is_static or alias:
            candidates.add(name.rsplit(".", 1)[0])  # a type: its namespace counts
        if candidates & allowed:
            continue
        if name == stubs.PLATFORM_NAMESPACE:
            out.append(Finding("script-namespace", WARNING,
                               f'"using {name};" is not on Microsoft\'s list of supported namespaces; the platform '
                               "imports ScriptBase itself, so remove this line", shown, line, column))
            continue
        # A warning: the platform compiles what its assemblies have (a namespace they lack fails to compile, which
        # script-compile reports), and merged updates shipped such usings; certification reviewers ask for the list.
        out.append(Finding("script-namespace", WARNING,
                           f'namespace "{name}" is not on Microsoft\'s list of supported namespaces; certification reviewers '
                           "reject scripts that use others, and if the script does not use it, remove the line (supported: "
                           + ", ".join(stubs.ALLOWED_NAMESPACES) + ")", shown, line, column))
    return out


def _key(source: str) -> str:
    h = hashlib.sha256()
    for part in (HARNESS_VERSION, stubs.STUBS, stubs.HOST, source):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def _run_mcs(tc: Toolchain, folder: Path, source: str, out: Path) -> subprocess.CompletedProcess:
    (folder / "stubs.cs").write_text(stubs.STUBS, encoding="utf-8")
    (folder / "host.cs").write_text(stubs.HOST, encoding="utf-8")
    (folder / "script.cs").write_text(source, encoding="utf-8")
    refs = [f"-r:{name}.dll" for name in stubs.REFERENCES] + [f"-r:{tc.json_dll}"]
    cmd = [tc.mcs, "-langversion:experimental", "-warn:0", "-nologo", "-debug-", "-target:exe",
           f"-out:{out}", *refs, "stubs.cs", "host.cs", "script.cs"]
    from .runner import quiet_env

    return subprocess.run(cmd, cwd=folder, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=quiet_env(os.environ), timeout=120)


# The rewriting's own code is part of a script's key: a change to it compiles the scripts again.
_REWRITER = hashlib.sha256(b"".join(Path(__file__).with_name(n).read_bytes() for n in ("lower.py", "compiler.py"))).hexdigest()


def compile_script(text: str, shown: str) -> Compiled:
    """Compile a script's text; findings carry the author's file, line and column."""
    tc = find()
    # A script compiled before is found by its own text (a small file naming its executable), so that checking an
    # unchanged connector again does not rewrite its C# (the regular expressions cost more than the rest).
    seen = cache_dir() / f"{_key(_REWRITER + text)}.seen"
    try:
        known = cache_dir() / seen.read_text(encoding="ascii").strip()
        if known.suffix == ".exe" and known.exists():
            return Compiled(exe=known, cached=True)
    except (OSError, ValueError):
        pass
    lowered, done = _prepare(text)
    source = prelude(lowered) + f'\n#line 1 "{SCRIPT_MARK}"\n' + lowered
    result = Compiled(lowered=done)
    key = _key(source)
    exe = cache_dir() / f"{key}.exe"
    if exe.exists():
        result.exe, result.cached = exe, True
        _remember(seen, exe)
        return result
    with tempfile.TemporaryDirectory(prefix="ppconnector-mcs-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        proc = _run_mcs(tc, folder, source, folder / "script.exe")
        result.seconds = time.perf_counter() - started
        if proc.returncode == 0:
            staged = cache_dir() / f".{key}.{os.getpid()}.tmp"
            staged.write_bytes((folder / "script.exe").read_bytes())  # the cache may be on another file system
            os.replace(staged, exe)
            result.exe = exe
            _remember(seen, exe)
            return result
        output = proc.stdout + proc.stderr
        crash = _crash(output, lowered, shown)
        result.findings = [crash] if crash else _findings(output, shown, lowered, tc)
    if not result.findings:
        result.findings = [Finding("script-compile", ERROR, "mcs failed without naming a place: " + (proc.stdout + proc.stderr).strip()[-500:], shown)]
    return result


def _remember(seen: Path, exe: Path) -> None:
    try:
        staged = seen.with_name(f".{seen.name}.{os.getpid()}.tmp")
        staged.write_text(exe.name, encoding="ascii")
        os.replace(staged, seen)
    except OSError:
        pass  # a cache that cannot be written only costs the rewriting next time


def _crash(output: str, lowered: str, shown: str) -> Finding | None:
    """mcs's own crash (InternalErrorException) as what it is: a limit of the local compiler, at `info`,
    naming the construct it crashed on where the output says, never an error in the script."""
    if "InternalErrorException" not in output:
        return None
    places = [(int(m.group(1)), int(m.group(2))) for m in re.finditer(rf"{re.escape(SCRIPT_MARK)}\((\d+),(\d+)\)", output)]
    line, column = places[-1] if places else (None, None)
    construct = "the code"
    hoisted = re.search(r"c__async\d+\.<(\w+)>__\d+", output)  # a local an async method keeps across an await
    if hoisted:
        name = hoisted.group(1)
        declared = re.search(rf"\bout\s+var\s+{name}\b", mask(lowered))
        if declared:
            line = lowered.count("\n", 0, declared.start()) + 1
            column = declared.start() - (lowered.rfind("\n", 0, declared.start()) + 1) + 1
            construct = f"`out var {name}` in an async method (its type could not be inferred to write it out)"
        else:
            construct = f"the local `{name}` of an async method"
    where = f" at line {line}" if line else ""
    return Finding("script-harness-limit", INFO,
                   f"mono's mcs crashed (its own internal error) on {construct}{where}; this is a limit of the local "
                   "compiler, not an error in the script; the script was not compiled locally", shown, line, column)


def _findings(output: str, shown: str, lowered: str, tc: Toolchain) -> list[Finding]:
    modern: dict[int, list[Syntax]] = {}
    for s in modern_syntax(lowered):
        modern.setdefault(s.line, []).append(s)
    errors, limits, other = [], [], []
    for raw in output.splitlines():
        m = _MCS_LINE.match(raw.strip())
        if not m:
            if "error" in raw and "CS" in raw and raw.strip():
                other.append(raw.strip())
            continue
        if m.group("sev") != "error":
            continue
        line, col, code, msg = int(m.group("line")), int(m.group("col")), m.group("code"), m.group("msg")
        in_script = m.group("file").endswith(SCRIPT_MARK)
        if not in_script:
            other.append(f"{code}: {msg} (in the harness's {os.path.basename(m.group('file'))} line {line})")
            continue
        source_line = lowered.split("\n")[line - 1] if 0 < line <= lowered.count("\n") + 1 else ""
        if code == "CS0453" and "Nullable<" not in source_line:  # `T?` on a class or type parameter: C# 8 and 9 allow it, mcs does not
            limits.append(Finding("script-harness-limit", INFO,
                                  f"mcs cannot compile a nullable annotation on a reference type or type parameter at line {line} "
                                  "(C# 8 and 9 allow it); this is a limit of the local compiler, not an error in the script; "
                                  "the script was not compiled", shown, line, col))
            continue
        feature = re.match(r"Feature `(.+?)' cannot be used because it is not part of the C# ([\d.]+)", msg)
        if code == "CS1644" and feature:
            limits.append(Finding("script-harness-limit", INFO,
                                  f"mcs cannot compile {feature.group(1)} (newer than C# {feature.group(2)}) at line {line}; "
                                  "this is a limit of the local compiler, not an error in the script; the script was not compiled",
                                  shown, line, col))
            continue
        if line in modern:  # whatever mcs says about a line it cannot read, it cannot tell
            s = modern[line][0]
            limits.append(Finding("script-harness-limit", INFO,
                                  f"mcs cannot compile C# {s.version} syntax {s.name} at line {line}; this is a limit of "
                                  "the local compiler (mono's mcs knows most of C# 7), not an error in the script; the script was not compiled",
                                  shown, line, col))
            continue
        errors.append(Finding("script-compile", ERROR, f"{code}: {msg}", shown, line, col))
    if limits:
        first = min(f.line or 0 for f in limits)
        # Parse errors after syntax mcs cannot read are its confusion, not the author's errors.
        kept = []
        for e in errors:
            if (e.line or 0) > first and e.message.split(":", 1)[0] in _PARSE_ERRORS:
                limits.append(Finding("script-harness-limit", INFO,
                                      f"mcs could not read line {e.line} ({e.message}) after the newer syntax at line {first}; "
                                      "it may be more of the same, or a syntax error: mcs cannot tell", shown, e.line, e.column))
            else:
                kept.append(e)
        errors = kept
        seen, unique = set(), []
        for f in limits:
            if (f.line, f.message) not in seen:
                seen.add((f.line, f.message))
                unique.append(f)
        limits = unique
    harness = [Finding("script-harness", ERROR, "the harness failed to compile: " + o, shown) for o in other]
    return sorted(errors + limits, key=lambda f: (f.line or 0, f.column or 0)) + harness

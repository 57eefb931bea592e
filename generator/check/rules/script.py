"""The static script rules: what a script.csx must declare, read without compiling it."""

from __future__ import annotations

import re
from typing import Iterable

from ..registry import SCRIPT, Issue, Target, rule
from .common import ERROR, SCRIPTS, WARNING, _op_ids

MAX_SCRIPT_BYTES = 1024 * 1024


def _script_line(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _strip_comments(code: str) -> str:
    """Blank out comments (keeping offsets) so that commented-out code is not checked."""
    def blank(m: re.Match) -> str:
        s = m.group(0)
        return s if s.startswith(('"', "@", "$")) else re.sub(r"[^\n]", " ", s)
    return re.sub(r'@"(?:[^"]|"")*"|\$?"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', blank, code, flags=re.S)


@rule("script-class", ERROR, SCRIPTS, "script.csx must declare `public class Script : ScriptBase`.")
def script_class(t: Target) -> Iterable[Issue]:
    if t.script is None:
        return
    code = _strip_comments(t.script)
    if not re.search(r"\bclass\s+Script\s*:\s*ScriptBase\b", code):
        loose = re.search(r"\bclass\s+(\w+)\s*:\s*ScriptBase\b", code)
        if loose:
            yield Issue(f"the class is named {loose.group(1)}; it must be Script", file=SCRIPT, line=_script_line(code, loose.start(1))[0], column=_script_line(code, loose.start(1))[1])
        else:
            yield Issue("no `class Script : ScriptBase`", file=SCRIPT, line=1, column=1)


@rule("script-execute-async", ERROR, SCRIPTS, "The Script class must override `Task<HttpResponseMessage> ExecuteAsync()`.")
def script_execute_async(t: Target) -> Iterable[Issue]:
    if t.script is None:
        return
    if not re.search(r"\boverride\s+(async\s+)?Task\s*<\s*HttpResponseMessage\s*>\s*ExecuteAsync\s*\(\s*\)", _strip_comments(t.script)):
        yield Issue("no `public override async Task<HttpResponseMessage> ExecuteAsync()`", file=SCRIPT, line=1, column=1)


@rule("script-size", ERROR, SCRIPTS, "script.csx must be smaller than 1 MB.")
def script_size(t: Target) -> Iterable[Issue]:
    if t.script is not None and len(t.script.encode("utf-8")) >= MAX_SCRIPT_BYTES:
        yield Issue(f"the script is {len(t.script.encode('utf-8'))} bytes; it must be under 1 MB", file=SCRIPT, line=1, column=1)


@rule("script-httpclient", WARNING, SCRIPTS, "Do not create an HttpClient: send with this.Context.SendAsync (own clients will be blocked).")
def script_httpclient(t: Target) -> Iterable[Issue]:
    if t.script is None:
        return
    code = _strip_comments(t.script)
    for m in re.finditer(r"\bnew\s+(System\.Net\.Http\.)?HttpClient\s*\(", code):
        line, col = _script_line(code, m.start())
        yield Issue("`new HttpClient` bypasses the platform: use this.Context.SendAsync", file=SCRIPT, line=line, column=col)


@rule("script-operation-id", ERROR, SCRIPTS, 'Every `Context.OperationId == "x"` (or case "x") compares with a real operationId.')
def script_operation_id(t: Target) -> Iterable[Issue]:
    if t.script is None:
        return
    from ...diagnostics import did_you_mean

    code = t.script
    stripped = _strip_comments(code)
    ids = _op_ids(t)
    found = []
    for pattern in (r'OperationId\s*==\s*"([^"]*)"', r'"([^"]*)"\s*==\s*(?:this\.)?Context\.OperationId',
                    r'OperationId\s*\.\s*Equals\(\s*"([^"]*)"'):
        found += [(m.start(1), m.group(1)) for m in re.finditer(pattern, stripped)]
    for switch in re.finditer(r"switch\s*\(\s*(?:this\.)?Context\.OperationId\s*\)\s*\{", stripped):
        depth, i = 1, switch.end()
        while i < len(stripped) and depth:  # the switch's body: up to its closing brace
            depth += {"{": 1, "}": -1}.get(stripped[i], 0)
            i += 1
        body = re.compile(r'\bcase\s+"([^"]*)"\s*:')
        found += [(m.start(1), m.group(1)) for m in body.finditer(stripped, switch.end(), i)]
    for start, name in sorted(set(found)):
        if name not in ids:
            line, col = _script_line(code, start)
            yield Issue(f'the script compares Context.OperationId with "{name}", which is no operationId{did_you_mean(name, ids)}',
                        file=SCRIPT, line=line, column=col)

"""The three outputs of `ppconnector diff`: text for a terminal, markdown for a PR comment, json for tools."""

from __future__ import annotations

import json
from typing import Any

from ..diagnostics import printable
from .compare import Change
from .kinds import DISPLAY, KINDS, RANK, SEVERITIES

MAX_ROWS = 100  # per table: a pull-request comment holds at most 65536 characters
TITLES = {"breaking": "Breaking", "warning": "Warnings", "non-breaking": "Non-breaking", "display-only": "Display-only"}


def ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (RANK[c.severity], c.operation or "", c.location, c.kind))


def summary(changes: list[Change], fail_on: str) -> dict[str, Any]:
    counts = {s: sum(1 for c in changes if c.severity == s and c.acknowledged is None) for s in SEVERITIES}
    acknowledged = {s: sum(1 for c in changes if c.severity == s and c.acknowledged is not None) for s in SEVERITIES}
    return {**counts, "acknowledged": acknowledged, "total": len(changes), "fail_on": fail_on,
            "failed": failed(changes, fail_on)}


def failed(changes: list[Change], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return any(c.acknowledged is None and RANK[c.severity] <= RANK[fail_on] for c in changes)


HEADS = {"breaking": "breaking changes", "warning": "changes to review", "non-breaking": "compatible changes",
         "display-only": "display-only changes"}


def verdict(changes: list[Change], fail_on: str) -> str:
    """One line: the most severe open (unacknowledged) severity, then the count per severity."""
    if not changes:
        return "no changes"
    s = summary(changes, fail_on)
    parts = []
    for sev in SEVERITIES:
        n, a = s[sev], s["acknowledged"][sev]
        if n or a:
            parts.append(f"{n} {sev}" + (f" (+{a} acknowledged)" if a else ""))
    open_ = [sev for sev in SEVERITIES if s[sev]]
    head = HEADS[open_[0]] if open_ else "acknowledged changes only"
    return f"{head}: {', '.join(parts)}"


def _value(v: Any) -> str:
    """A value on one line: a newline in connector text must not start a line of the report."""
    if v is None:
        return ""
    return printable(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))


def text(changes: list[Change], fail_on: str) -> str:
    lines = []
    for c in ordered(changes):
        where = printable(" ".join(x for x in (c.operation or "(connector)", c.location) if x))
        delta = ""
        if c.old is not None or c.new is not None:
            delta = f" [{_value(c.old) or '-'} -> {_value(c.new) or '-'}]"
        ack = f" (acknowledged: {c.acknowledged})" if c.acknowledged is not None else ""
        lines.append(f"{c.severity}: {where}: {printable(c.message)}{delta} [{c.kind}]{printable(ack)}")
    lines.append(("FAIL: " if failed(changes, fail_on) else "") + verdict(changes, fail_on))
    return "\n".join(lines) + "\n"


def _cell(v: Any) -> str:
    s = _value(v).replace("|", "\\|")
    return f"`{s}`" if s else ""


def markdown(changes: list[Change], fail_on: str) -> str:
    bad = failed(changes, fail_on)
    icon = ":x:" if bad else ":warning:" if any(c.severity == "warning" and c.acknowledged is None for c in changes) \
        else ":white_check_mark:"
    out = [f"**ppconnector diff** {icon} {verdict(changes, fail_on)}", ""]
    for sev in SEVERITIES:
        group = [c for c in ordered(changes) if c.severity == sev]
        if not group:
            continue
        table = ["| kind | operation | location | old | new | message |", "|---|---|---|---|---|---|"]
        for c in group[:MAX_ROWS]:
            msg = printable(c.message + (f" **Acknowledged:** {c.acknowledged}" if c.acknowledged is not None else ""))
            table.append(f"| `{c.kind}` | {_cell(c.operation)} | {_cell(c.location)} | {_cell(c.old)} | {_cell(c.new)} | {msg.replace('|', '/')} |")
        if len(group) > MAX_ROWS:
            table.append(f"| | | *{len(group) - MAX_ROWS} more* | | | run `ppconnector diff` with `--format text` for all |")
        title = f"### {TITLES[sev]} ({len(group)})"
        if sev == DISPLAY:
            out += [f"<details><summary>{TITLES[sev]} ({len(group)})</summary>", "", *table, "", "</details>", ""]
        else:
            out += [title, "", *table, ""]
    return "\n".join(out).rstrip() + "\n"


def as_json(changes: list[Change], fail_on: str) -> str:
    return json.dumps({"changes": [c.as_json() for c in ordered(changes)], "summary": summary(changes, fail_on)},
                      indent=2, ensure_ascii=False) + "\n"


def kinds_table(fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{"kind": k.id, "severity": k.severity, "message": k.message, "doc": k.doc} for k in KINDS.values()], indent=2) + "\n"
    if fmt == "markdown":
        rows = ["| kind | severity | message | when |", "|---|---|---|---|"]
        rows += [f"| `{k.id}` | {k.severity} | {k.message} | {k.doc} |" for k in KINDS.values()]
        return "\n".join(rows) + "\n"
    return "".join(f"{k.id:28} {k.severity:13} {k.doc}\n" for k in KINDS.values())

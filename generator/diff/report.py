"""The three outputs of `ppconnector diff`: text for a terminal, markdown for a PR comment, json for tools.

Text and json list every change.  Markdown is a pull-request comment: it always fits GitHub's 65,536
characters (breaking first, then warnings, then the rest, then a count of what did not fit and where the full
report is), folds long lists, and groups repeated changes of one kind in one action into one row.
"""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any

from ..diagnostics import counted, printable
from ..mdtext import cell, code
from .compare import Change
from .kinds import BREAKING, CERTIFICATION, DISPLAY, KINDS, NON_BREAKING, OPERATION_LEVEL, RANK, SEVERITIES, WARNING

COMMENT_LIMIT = 65536  # characters in one GitHub comment
GROUP_AT = 3  # this many changes of one kind in one action become one row
LISTED_IN_GROUP = 40  # places named in a grouped row of a non-breaking severity; the rest are counted
FOLD_AT = 20  # a warnings table longer than this is folded
FULL_REPORT = "the job summary, or `ppconnector diff OLD NEW --format json`"
DEPLOY = "deploy target"
TITLES = {DEPLOY: ":rotating_light: Deploy target changed", BREAKING: "Breaking", WARNING: "Warnings", NON_BREAKING: "Non-breaking", DISPLAY: "Display-only"}
HEADS = {BREAKING: "breaking changes", WARNING: "changes to review", NON_BREAKING: "compatible changes",
         DISPLAY: "display-only changes"}
CELL = 120  # characters of a value in a text line or a table cell (json carries it whole)


def _gate(c: Change) -> bool:
    return KINDS[c.kind].gate


def _operation_level(c: Change) -> int:
    return 0 if c.kind in OPERATION_LEVEL or not c.location else 1


def ordered(changes: list[Change]) -> list[Change]:
    """Gating changes (the deploy target) first, then by severity; in each action, the action's own change first."""
    return sorted(changes, key=lambda c: (not _gate(c), RANK[c.severity], c.operation or "", _operation_level(c), c.location,
                                          c.kind, _value(c.old), _value(c.new)))


def summary(changes: list[Change], fail_on: str) -> dict[str, Any]:
    counts = {s: sum(1 for c in changes if c.severity == s and c.acknowledged is None) for s in SEVERITIES}
    acknowledged = {s: sum(1 for c in changes if c.severity == s and c.acknowledged is not None) for s in SEVERITIES}
    return {**counts, "acknowledged": acknowledged, "total": len(changes),
            "breaks_flows": sum(1 for c in changes if c.breaks_flows and c.acknowledged is None),
            "certification": sum(1 for c in changes if c.certification and c.acknowledged is None),
            "deploy_target": sum(1 for c in changes if _gate(c) and c.acknowledged is None),
            "fail_on": fail_on, "failed": failed(changes, fail_on)}


def failed(changes: list[Change], fail_on: str) -> bool:
    """breaking (the default): a change breaks flows; certification: it breaks flows or Microsoft's validator flags it.
    A change of the deploy target fails whatever the level (except never) until acknowledged."""
    if fail_on == "never":
        return False
    for c in changes:
        if c.acknowledged is not None:
            continue
        if _gate(c) or RANK[c.severity] <= RANK[fail_on] or (fail_on == CERTIFICATION and c.certification):
            return True
    return False


def verdict(changes: list[Change], fail_on: str) -> str:
    """One line: the most severe open (unacknowledged) severity, then the count per severity."""
    if not changes:
        return "no changes"
    s = summary(changes, fail_on)
    parts = []
    for sev in SEVERITIES:
        n, a = s[sev], s["acknowledged"][sev]
        if n or a:
            count = counted(n, sev) if sev == WARNING else f"{n} {sev}"  # the others are adjectives: "2 breaking"
            parts.append(count + (f" (+{a} acknowledged)" if a else ""))
    open_ = [sev for sev in SEVERITIES if s[sev]]
    head = HEADS[open_[0]] if open_ else "acknowledged changes only"
    if s["deploy_target"]:
        head = "the deploy target changed; " + head
    cert = f"; Microsoft's certification would flag {s['certification']}" if s["certification"] else ""
    return f"{head}: {', '.join(parts)}{cert}"


def action(change: Change) -> str:
    """The action as the designer shows it, its operationId beside it: `Resend the envelope (ResendEnvelope)`."""
    if not change.operation:
        return "(connector)"
    title = change.operation_summary
    return f"{title} ({change.operation})" if title and title != change.operation else change.operation


def field(change: Change) -> str:
    """The field as the designer shows it, its wire location beside it: `Recipient (body/to)`."""
    title = change.field_summary
    return f"{title} ({change.location})" if title and change.location else change.location


def _value(v: Any, limit: int | None = CELL) -> str:
    """A value on one line (a newline in connector text must not start a line of the report), cut to limit."""
    if v is None:
        return ""
    text = printable(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True))
    return text if limit is None or len(text) <= limit else text[:limit - 3] + "..."


def _facts(c: Change) -> str:
    """What the kind's message does not say: why it got its kind, and Microsoft's validator's view."""
    out = f" ({c.detail})" if c.detail else ""
    if c.certification and c.certification != c.message:
        out += f" Microsoft's certification flags it: \"{c.certification}\""
    elif c.certification:
        out += " Microsoft's certification flags it too."
    return out


def text(changes: list[Change], fail_on: str) -> str:
    lines = []
    for c in ordered(changes):
        where = printable(" ".join(x for x in (action(c), field(c)) if x))
        delta = ""
        if c.old is not None or c.new is not None:
            delta = f" [{_value(c.old) or '-'} -> {_value(c.new) or '-'}]"
        ack = f" (acknowledged: {c.acknowledged})" if c.acknowledged is not None else ""
        lines.append(f"{c.severity}: {where}: {printable(c.message + _facts(c))}{delta} [{c.kind}]{printable(ack)}")
    lines.append(("FAIL: " if failed(changes, fail_on) else "") + verdict(changes, fail_on))
    return "\n".join(lines) + "\n"


# --- markdown -------------------------------------------------------------------------------------


def _cell(v: Any) -> str:
    s = _value(v)
    return code(s) if s else ""


def _plain(s: str) -> str:
    """Connector text in a cell: shown as it is, never a link, image, mention or code span break-out."""
    return cell(printable(s))


def _rows(group: list[Change]) -> list[tuple[int, str]]:
    """(how many changes, table row) for one severity: the actions' own changes (removed, renamed, moved) first,
    then their fields'; repeated changes of one kind in one action share a row."""
    def key(c: Change):
        return (_operation_level(c), c.operation or "", c.kind, c.acknowledged or "")

    rows = []
    for _, same in groupby(sorted(group, key=key), key=key):
        same = ordered(list(same))
        for part in ([same] if len(same) >= GROUP_AT else [[c] for c in same]):
            rows.append((len(part), _row(part)))
    return rows


def _row(part: list[Change]) -> str:
    c = part[0]
    msg = _plain(c.message + _facts(c)) + (f" **Acknowledged:** {_plain(c.acknowledged)}" if c.acknowledged is not None else "")
    if len(part) == 1:
        where = code(printable(c.location)) if c.location else ""
        if c.field_summary and c.location:
            where = f"{_plain(c.field_summary)} ({where})"
        return f"| `{c.kind}` | {_plain(action(c))} | {where} | {_cell(c.old)} | {_cell(c.new)} | {msg} |"
    olds, news = {_value(x.old) for x in part}, {_value(x.new) for x in part}
    same = len(olds) == 1 and len(news) == 1

    def place(x: Change) -> str:  # which place changed how, when the values differ between places
        shown = _plain(field(x)) or "(the action)"
        return shown if same else f"{shown}: {_cell(x.old) or '-'} &rarr; {_cell(x.new) or '-'}"

    places = [place(x) for x in part]
    listed = len(places) if c.severity == BREAKING else LISTED_IN_GROUP  # a reviewer must see every breaking place
    shown = "<br>".join(places[:listed]) + (f"<br>and {len(places) - listed} more" if len(places) > listed else "")
    old, new = (_cell(c.old), _cell(c.new)) if same else ("(each place)", "(each place)")
    return (f"| `{c.kind}` | {_plain(action(c))} | <details><summary>{len(part)} places</summary>{shown}</details> "
            f"| {old} | {new} | {msg} |")


def markdown(changes: list[Change], fail_on: str, limit: int = COMMENT_LIMIT, full_report: str = FULL_REPORT) -> str:
    """A pull-request comment of at most `limit` characters."""
    bad = failed(changes, fail_on)
    icon = ":x:" if bad else ":warning:" if any(c.severity == WARNING and c.acknowledged is None for c in changes) \
        else ":white_check_mark:"
    out = [f"**ppconnector diff** {icon} {verdict(changes, fail_on)}", ""]
    reserve = 600  # the closing line about what did not fit
    used = sum(len(line) + 1 for line in out) + reserve
    left_out = {s: 0 for s in (DEPLOY, *SEVERITIES)}
    head = "| kind | action | field | old | new | message |\n|---|---|---|---|---|---|"
    # a change of where deploy sends the connector and its token comes first, whatever its severity
    sections = [(DEPLOY, [c for c in changes if _gate(c)])] + [(sev, [c for c in changes if c.severity == sev and not _gate(c)])
                                                               for sev in SEVERITIES]
    for sev, group in sections:
        if not group:
            continue
        rows = _rows(group)
        folded = sev in (NON_BREAKING, DISPLAY) or (sev == WARNING and len(rows) > FOLD_AT)
        title = f"{TITLES[sev]} ({len(group)})"
        opening = (f"<details><summary>{title}</summary>\n\n" if folded else f"### {title}\n\n") + head
        closing = "\n\n</details>\n" if folded else "\n"
        # once a more severe change is left out, nothing less severe is shown in its place
        if any(left_out.values()) or used + len(opening) + len(closing) + len(rows[0][1]) + 2 > limit:
            left_out[sev] += len(group)
            continue
        section = [opening]
        used += len(opening) + len(closing)
        for count, row in rows:
            if used + len(row) + 1 > limit:
                left_out[sev] += count
                continue
            section.append(row)
            used += len(row) + 1
        out += ["\n".join(section) + closing]
    if any(left_out.values()):
        counts = ", ".join(f"{n} {s}" for s, n in left_out.items() if n)
        out.append(f"*Not shown here, to fit one comment: {counts}. The full report is in {full_report}.*")
    return "\n".join(out).rstrip() + "\n"


def as_json(changes: list[Change], fail_on: str) -> str:
    return json.dumps({"changes": [c.as_json() for c in ordered(changes)], "summary": summary(changes, fail_on)},
                      indent=2, ensure_ascii=False) + "\n"


# --- the kinds ------------------------------------------------------------------------------------


def kinds_table(fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{"kind": k.id, "severity": k.severity, "message": k.message, "doc": k.doc, "flow": k.flow,
                            "certification": k.certification, "fails_by_default": k.gate or k.severity == BREAKING}
                           for k in KINDS.values()], indent=2) + "\n"
    if fmt == "markdown":
        rows = ["| kind | severity | message | when | what an existing flow experiences | Microsoft's certification |",
                "|---|---|---|---|---|---|"]
        rows += [f"| `{k.id}` | {k.severity} | {k.message} | {k.doc} | {k.flow} | {_cert_cell(k.certification)} |"
                 for k in KINDS.values()]
        return "\n".join(rows) + "\n"
    return "".join(f"{k.id:28} {k.severity:13} {k.doc}\n{'':42} flow: {k.flow}\n"
                   + (f"{'':42} certification: {k.certification}\n" if k.certification else "") for k in KINDS.values())


def _cert_cell(message: str | None) -> str:
    return f"flags it: \"{message}\"" if message else "not known to flag it (or flags it as the change it replaces)"


def explain(kind_id: str) -> str:
    """Everything about one kind, and the acknowledgement that accepts it."""
    k = KINDS[kind_id]
    fails = ("fails the run by default" if k.severity == BREAKING or k.gate
             else f"fails the run with --fail-on {CERTIFICATION if k.certification else k.severity}")
    cert = f"Microsoft's certification flags it: \"{k.certification}\"" if k.certification else "Microsoft's certification: not known to flag it"
    return (f"{k.id} ({k.severity}; {fails})\n\n"
            f"Message:  {k.message}\n"
            f"Reported: {k.doc}\n"
            f"Flows:    {k.flow}\n"
            f"{cert}\n\n"
            "If you have checked that existing flows are not affected, accept the change in\n"
            "connector/diff-acknowledgements.yaml (or the file given with --acknowledgements):\n\n"
            "acknowledged:\n"
            f"  - kind: {k.id}\n"
            "    operation: OPERATION_ID   # optional: the operationId diff printed; any operation when left out\n"
            "    location: LOCATION        # optional: the location diff printed, or a prefix ending in /*\n"
            "    reason: who accepted it, and why\n\n"
            "An acknowledged change is still listed, marked with its reason, and no longer fails the run.\n")

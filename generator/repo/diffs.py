"""`diff git:REV` at a root: every connector changed since REV compared as `diff` compares one, grouped by
connector; the Markdown stays within one GitHub comment (65,536 characters)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .batch import count
from .changed import ADDED, REMOVED, Changed, changed_since, checkout

COMMENT_LIMIT = 65_000  # GitHub's limit is 65,536 characters; room for the heading and the cut note


@dataclass
class Compared:
    connector: Changed
    changes: list  # generator.diff.compare.Change


def compare_all(rev: str, locale: str | None) -> list[Compared]:
    from ..cli import _echo_findings
    from ..diff import ack
    from ..diff.compare import diff
    from ..diff.load import load_side

    out = []
    for c in changed_since(rev):
        changes = []
        if c.status not in (ADDED, REMOVED):
            with checkout(rev, c.home) as tmp:
                old = load_side(str(Path(tmp) / c.then), locale)
            changes = diff(old, load_side(str(c.now), locale))
            acks = (c.now.parent if c.now.is_file() else c.now) / ack.DEFAULT.name
            if acks.is_file():
                _echo_findings(ack.apply(changes, ack.load_acks(acks, str(acks))))
        out.append(Compared(c, changes))
    return out


def failed(item: Compared, fail_on: str) -> bool:
    from ..diff.kinds import RANK
    from ..diff.report import failed as report_failed

    if item.connector.status == REMOVED:  # every flow that uses it breaks
        return fail_on != "never" and RANK["breaking"] <= RANK[fail_on]
    return report_failed(item.changes, fail_on)


def _headline(item: Compared, fail_on: str) -> str:
    from ..diff.report import verdict

    c = item.connector
    if c.status == ADDED:
        return "added: a new connector"
    if c.status == REMOVED:
        return "removed: every flow that uses this connector breaks"
    return verdict(item.changes, fail_on)


MIN_TABLE = 1500  # below this a connector's table would show nothing but its verdict


def markdown(rev: str, items: list[Compared], fail_on: str) -> str:
    from ..diff.report import markdown as one

    bad = sum(failed(i, fail_on) for i in items)
    icon = ":x:" if bad else ":white_check_mark:"
    head = [f"**ppconnector diff** {icon} {count(len(items), 'connector')} changed since `{rev}`" + (f", {bad} failing" if bad else ""), ""]
    # Tables in order while they fit, always leaving room for a one-line verdict of every connector after them.
    lines = [f"- {i.connector.shown}: {_headline(i, fail_on)}" for i in items]
    later = sum(len(line) + 1 for line in lines)
    out, used, cut = [], sum(len(h) + 1 for h in head), []
    for i, line in zip(items, lines):
        later -= len(line) + 1
        room = COMMENT_LIMIT - 400 - used - later
        title = f"### {i.connector.shown}"
        if i.connector.status in (ADDED, REMOVED) or not i.changes:
            section = f"{title}\n\n{_headline(i, fail_on)}\n"
        elif not cut and room >= MIN_TABLE:
            section = f"{title}\n\n" + one(i.changes, fail_on, limit=room).replace("**ppconnector diff** ", "", 1).replace("### ", "#### ")
        else:
            section = ""
        if section and not cut and len(section) + 1 <= room:
            out.append(section)
            used += len(section) + 1
        else:
            cut.append(line)
    if cut:
        note = ["### More connectors", "", "Their tables did not fit in one comment; run `ppconnector diff git:REV` locally for them.", ""]
        tail = []
        for line in cut:
            if used + len(line) + 1 > COMMENT_LIMIT - 100:
                tail.append(f"- and {len(cut) - len(tail)} more")
                break
            tail.append(line)
            used += len(line) + 1
        out.append("\n".join(note + tail) + "\n")
    return "\n".join(head + out)


def text(items: list[Compared], fail_on: str) -> str:
    from ..diff.report import text as one

    out = []
    for i in items:
        body = one(i.changes, fail_on) if i.connector.status not in (ADDED, REMOVED) else _headline(i, fail_on) + "\n"
        out.append(f"== {i.connector.shown}\n{body}")
    out.append(f"{count(len(items), 'connector')} changed" + (f", {sum(failed(i, fail_on) for i in items)} failing\n" if items else "\n"))
    return "\n".join(out)


def as_json(items: list[Compared], fail_on: str) -> str:
    from ..diff.report import as_json as one

    return json.dumps({"connectors": [{"connector": i.connector.shown, "folder": i.connector.home, "status": i.connector.status,
                                       "failed": failed(i, fail_on), **json.loads(one(i.changes, fail_on))} for i in items]},
                      indent=2, ensure_ascii=False) + "\n"


def diff_many(rev: str, fmt: str, fail_on: str, locale: str | None) -> None:
    items = compare_all(rev, locale)
    render = {"text": text, "json": as_json}.get(fmt)
    click.echo(render(items, fail_on) if render else markdown(rev, items, fail_on), nl=False)
    sys.exit(1 if any(failed(i, fail_on) for i in items) else 0)

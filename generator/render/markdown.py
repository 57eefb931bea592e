"""Markdown: the pull-request comment of `diff` over many connectors, within one GitHub comment."""

from __future__ import annotations

from ..diagnostics import counted

COMMENT_LIMIT = 65_000  # GitHub's limit is 65,536 characters; room for the heading and the cut note
MIN_TABLE = 1500  # below this a connector's table would show nothing but its verdict


def headline(item, fail_on: str) -> str:
    from ..diff.report import verdict
    from ..repo.changed import ADDED, REMOVED

    if item.status == ADDED:
        return "added: a new connector"
    if item.status == REMOVED:
        return "removed: every flow that uses this connector breaks"
    return verdict(item.changes, fail_on)


def diff_changed(rev: str, items: list, fail_on: str) -> str:
    from ..diff.connectors import failed
    from ..diff.report import markdown as one
    from ..repo.changed import ADDED, REMOVED

    bad = sum(failed(i, fail_on) for i in items)
    icon = ":x:" if bad else ":white_check_mark:"
    head = [f"**ppconnector diff** {icon} {counted(len(items), 'connector')} changed since `{rev}`" + (f", {bad} failing" if bad else ""), ""]
    # Tables in order while they fit, always leaving room for a one-line verdict of every connector after them.
    lines = [f"- {i.shown}: {headline(i, fail_on)}" for i in items]
    later = sum(len(line) + 1 for line in lines)
    out, used, cut = [], sum(len(h) + 1 for h in head), []
    for i, line in zip(items, lines):
        later -= len(line) + 1
        room = COMMENT_LIMIT - 400 - used - later
        title = f"### {i.shown}"
        if i.status in (ADDED, REMOVED) or not i.changes:
            section = f"{title}\n\n{headline(i, fail_on)}\n"
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

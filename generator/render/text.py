"""Text for a terminal: every command's readable output, for one connector and for many."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import ERROR, Finding, counted, printable
from .json import tally


def lines(findings: list[Finding]) -> str:
    """file:line:column: severity: message [rule], one a line (what every command prints for its input)."""
    return "".join(f"{f}\n" for f in findings)


def findings(found: list[Finding], texts: dict[str, str], show_info: bool = False, counts: bool = True) -> str:
    """Findings grouped by file, each with its source line; infos only when asked for (they are advice).
    counts: end with the count line ("2 errors, 1 warning, 0 infos" or "no findings")."""
    out: list[str] = []
    by_file: dict[str, list[Finding]] = {}
    for f in found:
        if show_info or f.severity != "info":
            by_file.setdefault(f.file or "<input>", []).append(f)
    cache: dict[str, list[str]] = {}
    for file, group in by_file.items():
        out.append(printable(file))
        source = cache.setdefault(file, texts[file].splitlines() if file in texts else [])
        for f in sorted(group, key=lambda f: (f.line or 0, f.column or 0, f.rule)):
            where = f"{f.line}:{f.column}" if f.line and f.column else (str(f.line) if f.line else "-")
            out.append(f"  {where}: {f.severity}: {printable(f.message)} [{f.rule}]")
            if f.line and 0 < f.line <= len(source):
                shown = source[f.line - 1].strip()
                if len(shown) > 140:
                    shown = shown[:137] + "..."
                out.append(f"      | {shown}")
        out.append("")
    if not counts:
        return "\n".join(out)
    s = tally(found)
    hint = " (--show-info lists them)" if s["infos"] and not show_info else ""
    line = ", ".join(counted(s[k + "s"], k) for k in ("error", "warning", "info"))
    out.append(f"{line}{hint}" if found else "no findings")
    return "\n".join(out)


def check(outcomes: list, show_info: bool) -> str:
    """`check`: one connector's findings with their count line; many connectors' grouped one after another,
    then one summary line."""
    if len(outcomes) == 1:
        o = outcomes[0]
        return findings(o.findings, o.value or {}, show_info) + "\n"
    parts = []
    for o in outcomes:
        if not o.ok:
            parts.append(lines(o.findings) + "\n")
        elif any(show_info or f.severity != "info" for f in o.findings):
            parts.append(findings(o.findings, o.value or {}, show_info, counts=False).rstrip("\n") + "\n\n")
    s = tally([f for o in outcomes for f in o.findings])
    failing = sum(any(f.severity == ERROR for f in o.findings) for o in outcomes)
    unusable = sum(o.code == 2 for o in outcomes)
    hint = " (--show-info lists them)" if s["infos"] and not show_info else ""
    head = f"{len(outcomes)} connectors checked, {failing} with errors" + (f" ({unusable} unusable)" if unusable else "")
    return "".join(parts) + f"{head}: {s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos{hint}\n"


def written(total: int, changed: list[Path], check: bool, command: str, nouns: tuple[str, str]) -> tuple[str, str]:
    """(stdout, stderr) of a command that writes files: how many were written, or with --check the stale ones."""
    from ..diagnostics import printable
    from ..source.loader import display_path

    what, short = nouns
    if check:  # a folder's name is anyone's text: kept on its line
        stale = "".join(f"{printable(display_path(p))}: stale; run `ppconnector {command}` and commit the result\n" for p in changed)
        return ("" if changed else f"{total} {what}s are up to date\n"), stale
    return (f"{len(changed)} of {total} {short} written\n" if changed else f"{total} {short} already up to date\n"), ""


def connectors_line(outcomes: list) -> str:
    """The last line of a batch of many connectors: how many, and which failed."""
    failed = [o.connector.shown for o in outcomes if o.code]
    if not failed:
        return f"{len(outcomes)} connectors, all passed\n"
    return (f"{len(outcomes)} connectors, {len(failed)} failed: {', '.join(printable(f) for f in failed[:10])}"
            + (", ..." if len(failed) > 10 else "") + "\n")


def status(outcomes: list, verbose: bool) -> str:
    """`i18n status`: per connector, a table of locales by state."""
    from ..i18n.strings import STATES

    categories = list(STATES) + ["over_length"]
    out = []
    for o in outcomes:
        if not o.ok:
            continue
        c = o.value
        rows = c.rows
        out.append(f"{printable(c.source)}: {c.strings} display strings, source locale {c.source_locale}")
        header = ["locale", "translated", "missing", "stale", "unverified", "over-length"]
        out.append("  ".join(f"{h:>11}" if i else f"{h:<6}" for i, h in enumerate(header)))
        for r in rows:
            own = r.locale == c.source_locale
            cells = [r.locale] + [str(r.count(k)) if not (own and k in ("missing", "stale", "unverified")) else "-" for k in categories]
            out.append("  ".join(f"{v:>11}" if i else f"{v:<6}" for i, v in enumerate(cells)))
        if verbose:
            for r in rows:
                for k in categories[1:]:
                    out.extend(f"{r.locale} {k.replace('_', '-')}: {sid}" for sid in r.ids[k])
    return "".join(f"{line}\n" for line in out)


def rules(listed: list, width: int = 100) -> str:
    """`rules`: the check rules by family, one a rule, wrapped to width columns.  The id column is as wide as
    most ids need; a longer id (Microsoft's run to 63 characters) has a line of its own, so it does not pad
    every other line."""
    import textwrap

    column = min(max(len(r.id) for r in listed), 32)
    indent = " " * (2 + column + 2 + 7 + 2)
    out, family = [], None
    for r in listed:
        if r.family != family:
            out.extend([""] * bool(out) + [r.family])
            family = r.family
        if len(r.id) > column:
            out.append(f"  {r.id}")
        head = f"  {r.id if len(r.id) <= column else '':<{column}}  {r.severity:<7}  "
        doc = textwrap.wrap(r.doc, max(width - len(indent), 30)) or [""]
        out.append(head + doc[0])
        out.extend(indent + line for line in doc[1:])
    out.extend(["", f"{len(listed)} rules"])
    return "".join(f"{line}\n" for line in out)


def catalog_imported(imported, dry_run: bool) -> str:
    """`i18n import`: what the catalog changed (or would change)."""
    from ..diagnostics import counted

    outcome = imported.outcome
    n = counted(len(outcome.imported), "translation")
    parts = [f"would import {n}" if dry_run else f"{n} imported"]
    if outcome.confirmed:
        parts.append(f"{len(outcome.confirmed)} confirmed as current (source hash recorded)")
    parts.append(f"{outcome.unchanged} already current")
    if outcome.held:
        parts.append(f"{len(outcome.held)} marked fuzzy/needs review left as they were")
    if outcome.untranslated:
        parts.append(f"{outcome.untranslated} untranslated")
    summary = f"{imported.connector} ({outcome.locale}): " + ", ".join(parts)
    if outcome.new_text is None:
        return summary + "; nothing to change"
    if dry_run:
        return summary + " (dry run: nothing written)"
    # Hashes alone do not change what a build writes; new texts do.
    return summary + ("; run `ppconnector build` and `ppconnector docs` to rebuild" if outcome.imported else "")


def scripts(outcomes: list, tested: bool) -> tuple[str, str]:
    """`script compile` / `script test`: a line per script (stdout); a line per connector without one (stderr)."""
    out, err = [], []
    for o in outcomes:
        if not o.ok:
            continue
        shown, report = o.value
        shown = printable(shown)
        if report is None:
            err.append(f"{shown}: " + ("the connector has no script" if tested else "no script to compile"))
            continue
        took = "cached" if report.compiled.cached else f"{report.compile_seconds:.2f}s"
        if not tested:
            out.append(f"{shown}: {'compiled' if report.compiled.ok else 'did not compile'} ({took})")
        elif report.compiled.ok:
            out.append(f"{shown}: compiled ({took}); {report.passed} of {report.cases} fixtures passed"
                       + (f" ({report.run_seconds:.2f}s)" if report.cases else ""))
        else:
            out.append(f"{shown}: did not compile; no fixture was run")
    return "".join(f"{line}\n" for line in out), "".join(f"{line}\n" for line in err)


def diff_changed(items: list, fail_on: str) -> str:
    """`diff git:REV` over many connectors: each one's changes under its name, then one count line."""
    from ..diff.connectors import failed
    from ..diff.report import text as one
    from ..repo.changed import ADDED, REMOVED
    from .markdown import headline

    out = []
    for i in items:
        body = one(i.changes, fail_on) if i.status not in (ADDED, REMOVED) else headline(i, fail_on) + "\n"
        out.append(f"== {printable(i.shown)}\n{body}")
    out.append(f"{counted(len(items), 'connector')} changed" + (f", {sum(failed(i, fail_on) for i in items)} failing\n" if items else "\n"))
    return "\n".join(out)


def tree_imported(outcomes: list) -> str:
    """`import --all`: a line per folder left as it was, then the tally."""
    from ..source.loader import display_path

    out, left = [], 0
    for o in outcomes:
        if o.ok and o.value.status == "imported":
            continue
        left += 1
        if o.ok:
            status, message = o.value.status, o.value.message
        else:
            status = "refused" if o.code == 2 else "internal error"
            message = "; ".join(str(f) for f in o.findings[:3])
        out.append(f"{printable(display_path(o.connector.path))}: {status}: {message}")
    out.append(f"{counted(len(outcomes), 'connector folder')}: {len(outcomes) - left} imported, {left} left as they were")
    return "".join(f"{line}\n" for line in out)

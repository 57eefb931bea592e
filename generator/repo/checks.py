"""`check` over many connectors: each checked in the pool, one report (grouped by connector, one summary;
JSON and SARIF hold every connector's files) and one exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..diagnostics import ERROR, Finding, InputError, crash_site
from .batch import exit_code, run_all

Checked = tuple[int, list[Finding], str]  # exit code, findings, the text report without its summary line


def check_job(args: tuple[str, list[str], list[str], bool, bool, bool]) -> Checked:
    from ..check import report
    from ..check.engine import INTERNAL, check

    unit, select, ignore, show_info, run_scripts, locate_infos = args
    try:
        findings, loaded = check(Path(unit), select, ignore, run_scripts, locate_infos)
    except InputError as e:
        return 2, e.findings, "".join(f"{f}\n" for f in e.findings) + "\n"
    except Exception as e:  # noqa: BLE001 - one connector's bug must not hide the others' results
        bug = Finding(INTERNAL, ERROR, f"internal error: {type(e).__name__}: {e}{crash_site(e)}; this is a bug in ppconnector", unit)
        return 3, [bug], f"{bug}\n\n"
    shown = [f for f in findings if show_info or f.severity != "info"]
    text = report.as_text(findings, loaded.texts, show_info).rsplit("\n", 1)[0].rstrip("\n") + "\n\n" if shown else ""
    return (3 if any(f.rule == INTERNAL for f in findings) else 0), findings, text


def check_many(units: list[str], fmt: str, fail_on: str, select: list[str], ignore: list[str], show_info: bool,
               run_scripts: bool = False) -> None:
    from ..check import report
    from ..check.engine import SEVERITY_RANK, select_rules

    select_rules(select, ignore)  # a wrong --select is one usage error, not one per connector
    locate_infos = show_info or fmt != "text"  # the text report counts infos it does not list: their places are not needed
    results = run_all(check_job, [(u, select, ignore, show_info, run_scripts, locate_infos) for u in units], label=lambda a: a[0])
    every = [f for _, findings, _ in results for f in findings]
    if fmt == "json":
        pairs = [(u, f) for u, (_, found, _) in zip(units, results) for f in found]
        click.echo(json.dumps({
            "connectors": [{"connector": u, "exit": code, "summary": report.summary(f)} for u, (code, f, _) in zip(units, results)],
            "findings": [{"connector": u, "rule": f.rule, "severity": f.severity, "message": f.message, "file": f.file,
                          "line": f.line, "column": f.column, "pointer": f.pointer} for u, f in pairs],
            "summary": report.summary(every)}, indent=2, ensure_ascii=False))
    elif fmt == "sarif":
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("ppconnector")
        except PackageNotFoundError:
            v = "0"
        click.echo(report.as_sarif(every, select_rules(select, ignore), v))
    elif fmt == "github":
        if every:
            click.echo(report.as_github(every))
    else:
        click.echo("".join(text for _, _, text in results), nl=False)
        click.echo(summary_line(units, results, show_info))
    threshold = SEVERITY_RANK[fail_on]
    codes = [code for code, _, _ in results]
    codes.append(1 if any(SEVERITY_RANK.get(f.severity, 0) >= threshold for f in every) else 0)
    sys.exit(exit_code(codes))


def summary_line(units: list[str], results: list[Checked], show_info: bool) -> str:
    from ..check.report import summary

    s = summary([f for _, findings, _ in results for f in findings])
    failing = sum(any(f.severity == ERROR for f in findings) for _, findings, _ in results)
    unusable = sum(code == 2 for code, _, _ in results)
    hint = " (--show-info lists them)" if s["infos"] and not show_info else ""
    parts = [f"{len(units)} connectors checked", f"{failing} with errors" + (f" ({unusable} unusable)" if unusable else "")]
    return ", ".join(parts) + f": {s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos{hint}"

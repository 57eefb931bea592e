"""`ppconnector check` and `ppconnector rules`: thin click commands over generator.check.engine."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def _ids(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
              help="Output: readable text, JSON, SARIF 2.1.0 (code scanning) or GitHub workflow annotations.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="Exit 1 when a finding of this severity or worse is found.")
@click.option("--select", multiple=True, help="Only these rule ids or families (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, help="Leave out these rule ids or families (comma-separated, repeatable).")
@click.option("--show-info", is_flag=True, help="Also list info findings (advice) in the text format; other formats always carry them.")
@click.option("--run-scripts", is_flag=True, help="Also run the script on its fixtures (runs the folder's C# code; without it the script is only compiled).")
def check(paths: tuple[str, ...], fmt: str, fail_on: str, select: tuple[str, ...], ignore: tuple[str, ...], show_info: bool,
          run_scripts: bool) -> None:
    """Check connectors offline: YAML sources (default: connector/*.yaml) or connector folders; a folder
    holding several connectors checks every one of them, in one report.

    Exit 0 clean, 1 findings at or above --fail-on, 2 unusable input, 3 a rule crashed (a bug).
    """
    from ..repo.discover import many, single
    from . import report
    from .engine import INTERNAL, SEVERITY_RANK, check as run_check, select_rules

    units = many(paths)
    if units is not None:
        from ..repo.checks import check_many

        check_many(units, fmt, fail_on, _ids(select), _ids(ignore), show_info, run_scripts)
    path = single(paths)
    findings, loaded = run_check(Path(path) if path else None, _ids(select), _ids(ignore), run_scripts,
                                 locate_infos=show_info or fmt != "text")
    if fmt == "json":
        click.echo(report.as_json(findings))
    elif fmt == "sarif":
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("ppconnector")
        except PackageNotFoundError:
            v = "0"
        click.echo(report.as_sarif(findings, select_rules(_ids(select), _ids(ignore)), v))
    elif fmt == "github":
        text = report.as_github(findings)
        if text:
            click.echo(text)
    else:
        click.echo(report.as_text(findings, loaded.texts, show_info))
    if any(f.rule == INTERNAL for f in findings):
        sys.exit(3)
    threshold = SEVERITY_RANK[fail_on]
    if any(SEVERITY_RANK.get(f.severity, 0) >= threshold for f in findings):
        sys.exit(1)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule of `ppconnector check`: id, severity, family and what it checks."""
    import json

    from .registry import all_rules

    listed = sorted(all_rules().values(), key=lambda r: (r.family, r.id))
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "severity": r.severity, "family": r.family, "section": r.section, "doc": r.doc}
                               for r in listed], indent=2))
        return
    width = max(len(r.id) for r in listed)
    family = None
    for r in listed:
        if r.family != family:
            family = r.family
            click.echo(f"\n{family}")
        click.echo(f"  {r.id:<{width}}  {r.severity:<7}  {r.doc}")
    click.echo(f"\n{len(listed)} rules")


commands = [check, rules]

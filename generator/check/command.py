"""`ppconnector check` and `ppconnector rules`: thin click commands over ppconnector.check.engine."""

from __future__ import annotations

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
    """Check connectors offline: YAML sources or connector folders (default: every connector below this
    folder, or the one this folder is in), in one report.

    Exit 0 clean, 1 findings at or above --fail-on, 2 unusable input, 3 a rule crashed (a bug).
    """
    from ..commandline import echo, exit_with, one_unusable
    from ..diagnostics import INTERNAL
    from ..render import github, json, sarif, text
    from ..repo.batch import exit_code
    from ..repo.resolve import resolve
    from .engine import SEVERITY_RANK, check_connectors, select_rules

    # the text report counts infos it does not list: their places are not needed
    outcomes = check_connectors(resolve(paths), _ids(select), _ids(ignore), run_scripts, locate_infos=show_info or fmt != "text")
    one_unusable(outcomes)
    if fmt == "json":
        echo(json.check(outcomes))
    elif fmt == "sarif":
        echo(sarif.check(outcomes, select_rules(_ids(select), _ids(ignore))))
    elif fmt == "github":
        annotations = github.check(outcomes)
        if annotations:
            echo(annotations)
    else:
        echo(text.check(outcomes, show_info), nl=False)
    every = [f for o in outcomes for f in o.findings]
    threshold = SEVERITY_RANK[fail_on]
    codes = [o.code for o in outcomes] + [3 if any(f.rule == INTERNAL for f in every) else 0]
    codes.append(1 if any(SEVERITY_RANK.get(f.severity, 0) >= threshold for f in every) else 0)
    exit_with(exit_code(codes))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule of `ppconnector check`: id, severity, family and what it checks."""
    import shutil

    from ..commandline import echo
    from ..render import json, text
    from .registry import all_rules

    listed = sorted(all_rules().values(), key=lambda r: (r.family, r.id))
    width = shutil.get_terminal_size((100, 24)).columns  # COLUMNS, the terminal, or 100 into a pipe
    echo(json.rules(listed) if fmt == "json" else text.rules(listed, width), nl=fmt == "json")


commands = [check, rules]

"""`ppconnector diff OLD NEW`: classify every change between two versions of a connector."""

from __future__ import annotations

import sys
from pathlib import Path

import click

commands: list[click.Command] = []


@click.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["breaking", "certification", "warning", "non-breaking", "display-only", "never"]),
              default="breaking", show_default=True,
              help="Exit 1 when an unacknowledged change is at least this severe (breaking: it breaks flows; certification: "
                   "it breaks flows or Microsoft's certification flags it). A changed deploy target fails unless never.")
@click.option("--locale", help="Locale to build a YAML side in (default: its source locale).")
@click.option("--acknowledgements", "ack_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Acknowledgement file (default: connector/diff-acknowledgements.yaml when it exists).")
@click.option("--kinds", "list_kinds", is_flag=True, help="List every kind of change with its severity and what a flow experiences, and exit.")
@click.option("--explain", "explain_kind", metavar="KIND", help="Explain one kind: what a flow experiences, and how to acknowledge it.")
def diff(old: str | None, new: str | None, fmt: str, fail_on: str, locale: str | None, ack_file: Path | None, list_kinds: bool,
         explain_kind: str | None) -> None:
    """Compare two versions of a connector the way existing flows see them.

    OLD and NEW are each a YAML source, a connector folder, an apiDefinition.swagger.json or git:REV
    (the repo's connector at that revision, built on the fly); without NEW, the working tree's source
    (`ppconnector diff git:origin/main` shows what a branch changes), and in a repository of many connectors,
    every connector below this folder that changed since REV. Exit 0 when nothing reaches --fail-on,
    1 when a change does, 2 for unusable input.
    """
    from .report import explain, kinds_table

    if explain_kind is not None:
        from ..diagnostics import did_you_mean
        from .kinds import KINDS

        if explain_kind not in KINDS:
            raise click.UsageError(f'unknown kind "{explain_kind}"{did_you_mean(explain_kind, KINDS)}; `ppconnector diff --kinds` lists them')
        click.echo(explain(explain_kind), nl=False)
        return
    if list_kinds:
        click.echo(kinds_table(fmt), nl=False)
        return
    if not old:
        raise click.UsageError("diff needs OLD (e.g. `ppconnector diff git:origin/main`: against the working tree)")
    if old.startswith("git:") and not new:
        from ..repo.discover import many

        if many(()) is not None:  # a repository of many connectors: each one changed since REV
            from ..repo.diffs import diff_many

            diff_many(old[4:], fmt, fail_on, locale)
    from ..cli import _echo_findings
    from . import ack, report
    from .compare import diff as compare
    from .load import load_side

    from ..diagnostics import InputError

    if not new:  # the working tree's connector: the one below this folder, else connector/*.yaml
        from ..repo.discover import single
        from ..source.loader import find_source

        new = single(()) or str(find_source())
    sides, problems = [], []
    for spec in (old, new):  # both sides' errors in one run
        try:
            sides.append(load_side(spec, locale))
        except InputError as e:
            problems.extend(e.findings)
    if problems:
        raise InputError(problems)
    changes = compare(*sides)
    path = ack_file or (ack.DEFAULT if ack.DEFAULT.is_file() else None)
    if path is not None:
        from ..diagnostics import ERROR, Finding, InputError

        if not path.is_file():
            raise InputError(Finding("diff-acknowledgements", ERROR, "acknowledgement file not found", str(path)))
        _echo_findings(ack.apply(changes, ack.load_acks(path, str(path))))
    render = {"text": report.text, "markdown": report.markdown, "json": report.as_json}[fmt]
    click.echo(render(changes, fail_on), nl=False)
    if report.failed(changes, fail_on):
        sys.exit(1)


commands.append(diff)

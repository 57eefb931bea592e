"""`ppconnector diff OLD NEW`: classify every change between two versions of a connector."""

from __future__ import annotations

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
    from ..commandline import echo, echo_findings, exit_with
    from . import report
    from .report import explain, kinds_table

    if explain_kind is not None:
        from ..diagnostics import did_you_mean
        from .kinds import KINDS

        if explain_kind not in KINDS:
            raise click.UsageError(f'unknown kind "{explain_kind}"{did_you_mean(explain_kind, KINDS)}; `ppconnector diff --kinds` lists them')
        echo(explain(explain_kind), nl=False)
        return
    if list_kinds:
        echo(kinds_table(fmt), nl=False)
        return
    if not old:
        raise click.UsageError("diff needs OLD (e.g. `ppconnector diff git:origin/main`: against the working tree)")
    from .connectors import diff_changed_since, diff_connector_since, diff_sides, failed

    if new:
        changes, notes = diff_sides(old, new, locale, ack_file)
    elif not old.startswith("git:"):
        from ..repo.resolve import resolve_one

        changes, notes = diff_sides(old, str(resolve_one(what="diff OLD without NEW").path), locale, ack_file)
    else:
        from ..repo.resolve import resolve

        connectors = resolve()
        if len(connectors) > 1:  # a repository of many connectors: each one changed since REV, in one report
            from ..render import json, markdown, text

            items = diff_changed_since(old[4:], locale)
            echo_findings([f for i in items for f in i.findings])
            render = {"text": text.diff_changed, "json": json.diff_changed}.get(fmt)
            echo(render(items, fail_on) if render else markdown.diff_changed(old[4:], items, fail_on), nl=False)
            exit_with(1 if any(failed(i, fail_on) for i in items) else 0)
            return
        changes, notes = diff_connector_since(old[4:], connectors[0], locale, ack_file)
    echo_findings(notes)
    render = {"text": report.text, "markdown": report.markdown, "json": report.as_json}[fmt]
    echo(render(changes, fail_on), nl=False)
    exit_with(1 if report.failed(changes, fail_on) else 0)


commands.append(diff)

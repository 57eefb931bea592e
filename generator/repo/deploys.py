"""`deploy update --changed-since REV`: deploy the connectors changed since REV, one after another, each
with its own settings (its source's deploy: section and recorded ids); stop at the first failure and say
what was and was not deployed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .batch import cli_live, count
from .changed import REMOVED, changed_since


def deploy_changed(rev: str, locale: str, dry_run: bool, print_: str | None, secret_env: str, timeout: float | None = None) -> None:
    items = changed_since(rev)
    todo = []
    for c in items:
        if c.status == REMOVED:
            click.echo(f"{c.shown}: removed since {rev}; not deployed (delete it in the maker portal if that is meant)", err=True)
        elif c.now is None or not c.now.is_file():
            click.echo(f"{c.shown}: changed, but has no YAML source to deploy from (`ppconnector import` it first)", err=True)
        else:
            todo.append(c)
    if not todo:
        click.echo(f"no connector with a source changed since {rev}: nothing to deploy")
        return
    deploy_each([str(c.now) for c in todo], locale, dry_run, print_, secret_env, timeout)


def deploy_each(units: list[str], locale: str, dry_run: bool, print_: str | None, secret_env: str, timeout: float | None = None) -> None:
    """`deploy update` for each connector in turn; the first failure stops the rest, and says so."""
    from ..source.loader import display_path

    shown = [display_path(Path(u)) for u in units]
    done: list[str] = []
    for i, unit in enumerate(units):
        argv = ["deploy", "update", "--locale", locale, "--secret-env", secret_env]
        argv += ["--dry-run"] if dry_run else []
        argv += ["--print", print_] if print_ else []
        argv += ["--timeout", str(timeout)] if timeout else []
        click.echo(f"== {shown[i]}", err=True)
        code = cli_live([*argv, unit])
        if code:
            click.echo(f"stopped: {shown[i]} failed (exit {code}); deployed: {', '.join(done) or 'none'}; "
                       f"not deployed: {', '.join(shown[i:])}", err=True)
            sys.exit(code)
        done.append(shown[i])
    verb = "printed" if dry_run or print_ else "deployed"
    click.echo(f"{count(len(done), 'connector')} {verb}: {', '.join(done)}")

"""`ppconnector script compile|test`: the connector's custom code, compiled and run offline with mono."""

from __future__ import annotations

import click


@click.group()
def script() -> None:
    """Compile and run the connector's script.csx offline (mono's mcs)."""


_FAIL_ON = click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
                        help="Exit 1 when a finding has this severity or a higher one.")


def _finish(outcomes: list, fail_on: str, tested: bool) -> None:
    from ..commandline import echo, echo_findings, exit_with, one_unusable, show
    from ..diagnostics import ERROR, INFO, WARNING
    from ..render import text
    from ..repo.batch import exit_code

    one_unusable(outcomes)
    out, err = text.scripts(outcomes, tested)
    show(out, err)
    echo_findings([f for o in outcomes for f in o.findings])
    if len(outcomes) > 1:
        echo(text.connectors_line(outcomes), err=True, nl=False)
    order = {INFO: 0, WARNING: 1, ERROR: 2}
    findings = [f for o in outcomes if o.ok for f in o.findings]
    exit_with(exit_code([o.code for o in outcomes] + [1 if any(order[f.severity] >= order[fail_on] for f in findings) else 0]))


@script.command("compile")
@click.argument("targets", nargs=-1)
@_FAIL_ON
def compile_command(targets: tuple[str, ...], fail_on: str) -> None:
    """Compile scripts: .csx files, connector folders or YAML sources (default: the connector this folder
    is in, or every one below it).

    Errors are printed as file:line:column with mcs's code; syntax newer than mcs knows is reported as a
    limit of the harness, not as an error.
    """
    from .connectors import compile_scripts, resolve_scripts

    _finish(compile_scripts(resolve_scripts(targets)), fail_on, tested=False)


@script.command("test")
@click.argument("targets", nargs=-1)
@_FAIL_ON
def test_command(targets: tuple[str, ...], fail_on: str) -> None:
    """Run the script on every fixture of an operation in scriptOperations and check what it did.

    TARGET is a YAML source or a connector folder (default: the connector this folder is in, or every one
    below it); fixtures are fixtures/<operationId>/*.yaml beside it.
    """
    from ..repo.resolve import resolve
    from .connectors import script_tests

    _finish(script_tests(resolve(targets)), fail_on, tested=True)


commands = [script]

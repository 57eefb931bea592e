"""`ppconnector script compile|test`: the connector's custom code, compiled and run offline with mono."""

from __future__ import annotations

import sys

import click


def _echo(findings) -> None:
    for f in findings:
        click.echo(str(f), err=True)


def _require_toolchain() -> None:
    from ..diagnostics import ERROR, Finding, InputError
    from .toolchain import ToolchainMissing, find

    try:
        find()
    except ToolchainMissing as e:
        raise InputError(Finding("script-not-compiled", ERROR, f"cannot compile the script: {e}", "mcs")) from None


def _exit(findings, fail_on: str) -> None:
    from ..diagnostics import ERROR, INFO, WARNING

    order = {INFO: 0, WARNING: 1, ERROR: 2}
    if any(order[f.severity] >= order[fail_on] for f in findings):
        sys.exit(1)


@click.group()
def script() -> None:
    """Compile and run the connector's script.csx offline (mono's mcs)."""


@script.command("compile")
@click.argument("targets", nargs=-1)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="Exit 1 when a finding has this severity or a higher one.")
def compile_command(targets: tuple[str, ...], fail_on: str) -> None:
    """Compile scripts: .csx files, connector folders or YAML sources (default: the source in ./connector).

    Errors are printed as file:line:column with mcs's code; syntax newer than mcs knows is reported as a
    limit of the harness, not as an error.
    """
    from .harness import compile_source, resolve

    _require_toolchain()
    findings = []
    for target in targets or (None,):
        for src, shown in resolve(target):
            if src is None:
                click.echo(f"{shown}: no script to compile", err=True)
                continue
            report = compile_source(src)
            findings.extend(report.findings)
            state = "compiled" if report.compiled.ok else "did not compile"
            took = "cached" if report.compiled.cached else f"{report.compile_seconds:.2f}s"
            click.echo(f"{src.shown}: {state} ({took})")
    _echo(findings)
    _exit(findings, fail_on)


@script.command("test")
@click.argument("targets", nargs=-1)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="Exit 1 when a finding has this severity or a higher one.")
def test_command(targets: tuple[str, ...], fail_on: str) -> None:
    """Run the script on every fixture of an operation in scriptOperations and check what it did.

    TARGET is a YAML source or a connector folder (default: the source in ./connector); fixtures are
    fixtures/<operationId>/*.yaml beside it. A folder holding several connectors tests every one of them.
    """
    from ..repo.discover import many, single

    units = many(targets)
    if units is not None:
        from ..repo.batch import report_many

        report_many({u: ["script", "test", "--fail-on", fail_on, u] for u in units})
    target = single(targets)
    from .harness import resolve, run_fixtures

    _require_toolchain()
    findings = []
    for src, shown in resolve(target):
        if src is None:
            click.echo(f"{shown}: the connector has no script", err=True)
            continue
        report = run_fixtures(src)
        findings.extend(report.findings)
        if report.compiled.ok:
            took = "cached" if report.compiled.cached else f"{report.compile_seconds:.2f}s"
            click.echo(f"{src.shown}: compiled ({took}); {report.passed} of {report.cases} fixtures passed"
                       + (f" ({report.run_seconds:.2f}s)" if report.cases else ""))
        else:
            click.echo(f"{src.shown}: did not compile; no fixture was run")
    _echo(findings)
    _exit(findings, fail_on)


commands = [script]

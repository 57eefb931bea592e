"""Running the pac path of `ppconnector deploy`: sign in as the service principal, create or update the
connector in the solution, sign out; relay pac's output masked; record a created connector's GUID.
The decisions (arguments, refusals) are generator/deploy/pac.py's."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from ..diagnostics import ERROR, Finding, InputError
from . import CREATE, UPDATE
from . import pac as P
from . import plan


def paconn_refusals(targets: list, yaml_shown: str) -> list[Finding]:
    """paconn makes a connector outside any solution, where an @environmentVariables reference is literal text."""
    from .. import envvars

    out = []
    for t in targets:
        names = sorted(envvars.referenced({}, t.properties)) + sorted(_definition_refs(t))
        if names:
            out.append(Finding("deploy", ERROR, f"{t.locale}: the connector refers to environment variables ({', '.join(dict.fromkeys(names))}), "
                               "which the platform resolves only in a solution connector: paconn would deploy the references as text; "
                               "deploy with --tool pac into a solution", yaml_shown))
    return out


def _definition_refs(t) -> list[str]:
    import json

    from .. import envvars

    definition = json.loads(Path(t.files["apiDefinition"]).read_bytes()) if "apiDefinition" in t.files else {}
    return list(envvars.referenced(definition, {}))


def _solution_name(connector, given: str | None) -> str | None:
    if given:
        return given
    section = connector.node.get("solution") or {}
    if section.get("unique_name"):
        return section["unique_name"]
    from ..solution.layout import plan as solution_plan
    import json

    from ..build import build
    from ..emit import settings as names

    files = {p.name: d for p, d in build(connector, connector.source_locale, Path(connector.folder)).files.items()}
    return solution_plan(connector, connector.source_locale, json.loads(files[names.DEFINITION]),
                         json.loads(files[names.PROPERTIES])).unique_name


def deploy_pac(action: str, targets: list, others: list, connector, root: Path, solution: str | None, mode: str,
               printing: bool, where, timeout: float) -> None:
    targets = [P.retarget(t, P.record_path(connector.folder, t.locale)) for t in targets]
    others = [P.retarget(t, P.record_path(connector.folder, t.locale)) for t in others]
    solution = _solution_name(connector, solution)
    if action == UPDATE and printing and not any(t.settings.get("connectorId") for t in targets):
        click.echo("nothing to update yet (no pac connector id recorded): `ppconnector deploy create --tool pac` would run:", err=True)
        action = CREATE
    problems = plan.refusals(action, targets, others, P.SECRET_ENV, None, connector.shown, "pac")
    problems += P.refusals(action, targets, solution, mode, printing, connector.shown)
    if problems:
        raise InputError(problems)
    pac = str(P.find_pac() or "pac")
    if printing:
        for t in targets:
            profile = "ppconnector-<random>"
            click.echo(f"# {t.locale}: {where(t, root)}, as the service principal in ${P.APP_ID_ENV}")
            for argv in (P.auth_argv(pac, profile, t.settings["environment"], mode, {}),
                         P.connector_argv(pac, action, t, solution), P.delete_argv(pac, profile)):
                line = plan.shown_command(argv, P.SECRET_ENV)
                for name in (P.APP_ID_ENV, P.TENANT_ENV):  # not secrets, but the reader's own: shown as the variables
                    line = line.replace(f"'${name}'", f'"${name}"')
                click.echo(line.replace("'ppconnector-<random>'", "ppconnector-<random>"))
        return
    found = P.find_pac()
    if found is None or not (found.exists() or os.path.sep not in str(found)):
        raise InputError(Finding("deploy", ERROR, "pac not found: install the Power Platform CLI (a .NET tool: `dotnet tool install "
                                 f"--global Microsoft.PowerApps.CLI.Tool`) or set ${P.PAC_ENV} to the pac executable"))
    values, _ = P.credentials(mode)
    for t in targets:
        _run_target(action, t, str(found), solution, mode, values, root, where, timeout)


def _call(argv: list, secret: str | None, masker, work: str, label: str, timeout: float) -> tuple[int | None, str]:
    """Run pac once in the empty work folder, without a terminal and within the deadline (the same guard as
    paconn's: its process group stopped at the deadline, its output masked in every encoding); relay the output.
    (exit code, or None when stopped; output)."""
    from ..diagnostics import printable
    from . import guard

    env = {k: v for k, v in os.environ.items() if k != P.SECRET_ENV}  # the secret goes on pac's command line only
    try:
        run = guard.run_tool(plan.real_argv(argv, secret), cwd=work, env=env, timeout=timeout, masker=masker)
    except OSError as e:
        raise InputError(Finding("deploy", ERROR, f"pac could not be started: {e.strerror}", argv[0])) from None
    for line in run.output.splitlines():
        click.echo("  pac: " + printable(line), err=True)
    if run.dropped:
        click.echo(f"  pac: ... ({run.dropped} more bytes of output not shown)", err=True)
    if run.code is None:
        click.echo(f"  pac: {label} did not finish within {timeout:g} s (--timeout); stopped it and everything it started", err=True)
    return run.code, run.output


def _run_target(action: str, t, pac: str, solution: str, mode: str, values: dict, root: Path, where, timeout: float) -> None:
    from ..emit.files import write_all
    from ..source.loader import display_path
    from . import guard

    secret = values.get(P.SECRET_ENV) if mode == "secret" else None
    masker = guard.Masker([secret])
    profile = P.profile_name()
    env = t.settings["environment"]
    target = f"connector {t.settings['connectorId']}" if action == UPDATE else "a new connector"
    click.echo(f"{t.locale}: pac connector {action} {target} in solution {solution}, environment {env}, from {where(t, root)}", err=True)
    with tempfile.TemporaryDirectory(prefix="ppconnector-pac-") as work:
        auth = P.auth_argv(pac, profile, env, mode, values)
        click.echo(f"  {plan.shown_command(auth, P.SECRET_ENV)}", err=True)
        code, _ = _call(auth, secret, masker, work, "auth create", timeout)
        if code != 0:
            click.echo(f"{t.locale}: pac auth create failed ({'exit ' + str(code) if code is not None else 'stopped'}); "
                       "nothing was deployed", err=True)
            sys.exit(1)
        try:
            argv = P.connector_argv(pac, action, t, solution)
            click.echo(f"  {plan.shown_command(argv, P.SECRET_ENV)}", err=True)
            code, output = _call(argv, None, masker, work, f"connector {action}", timeout)
        finally:
            _call(P.delete_argv(pac, profile), None, masker, work, "auth delete", timeout)  # the profile never outlives the run
    if code != 0:
        how = f"exit {code}" if code is not None else "stopped at the deadline: look in the maker portal whether it changed"
        click.echo(f"{t.locale}: pac connector {action} failed ({how}); nothing was recorded", err=True)
        sys.exit(1)
    if action == UPDATE:
        click.echo(f"{t.locale}: updated {t.settings['connectorId']} in solution {solution}")
        return
    cid = P.created_id(output, env)
    if cid is None:
        click.echo(f"{t.locale}: pac reported success but its output names no single connector id; find the connector's id "
                   f"with `pac connector list --environment {env}` and put it in {display_path(t.record)}", err=True)
        sys.exit(1)
    write_all({t.record: plan.record_bytes({**t.record_ids, env: cid})})
    click.echo(f"{t.locale}: created {cid} in solution {solution}; recorded in {display_path(t.record)} "
               "(commit it: `deploy update --tool pac` reads it)")

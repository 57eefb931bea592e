"""`ppconnector deploy create|update`: build and check, refuse what would lose data, then run paconn.

Exit codes: 0 deployed (or printed), 1 stale generated files, check errors or paconn failed,
2 refused (each reason listed) or unusable input.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import CREATE, SECRET_ENV, UPDATE
from .guard import DEFAULT_TIMEOUT, TIMEOUT_ENV


def _options(f):
    f = click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True, envvar=TIMEOUT_ENV,
                     metavar="SECONDS", help=f"Stop paconn (and everything it started) after this long; also ${TIMEOUT_ENV}.")(f)
    f = click.option("--secret-env", default=SECRET_ENV, show_default=True, metavar="VAR",
                     help="Environment variable holding the OAuth client secret (passed to paconn --secret, never printed).")(f)
    f = click.option("--pac-auth", default="secret", show_default=True, type=click.Choice(["secret", "github", "azure-devops"]),
                     help="How pac signs in as the service principal: a client secret, or a GitHub or Azure DevOps federated credential.")(f)
    f = click.option("--solution", metavar="NAME", help="With --tool pac: the solution's unique name (default: solution.unique_name in the YAML).")(f)
    f = click.option("--tool", type=click.Choice(["paconn", "pac"]), default="paconn", show_default=True,
                     help="paconn, or the Power Platform CLI signed in as a service principal, into a solution (docs/deploy.md).")(f)
    f = click.option("--print", "print_", type=click.Choice(["paconn", "pac"]),
                     help="Print the paconn command (same as --dry-run) or the `pac connector` command for the same build; run nothing.")(f)
    f = click.option("--dry-run", is_flag=True, help="Build, check and print the exact paconn command; run nothing.")(f)
    f = click.option("--settings", "settings_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="A paconn-style settings file whose environment, connectorId, powerAppsUrl, powerAppsApiVersion "
                          "override the build's settings.json.")(f)
    f = click.option("--locale", default="all", show_default=True, help="Locale whose build to deploy, or all.")(f)
    f = click.argument("source", required=False)(f)
    return f


@click.group()
def deploy() -> None:
    """Deploy the built connector with paconn (or pac).

    It deploys the files `ppconnector build` wrote and never builds: a stale build (files that differ from the
    YAML) is refused with "run `ppconnector build`", so what deploys is what was reviewed. It checks first and
    refuses check errors and what would lose data."""


def _say(text: str, err: bool = False) -> None:
    from ..commandline import echo

    echo(text, err=err)


def _deploy(action: str, source: str | None, settings_file: Path | None, **options) -> None:
    from ..commandline import exit_with
    from ..repo.resolve import resolve_one
    from .run import deploy_connector

    exit_with(deploy_connector(resolve_one(source, what=f"deploy {action}"), action, settings_file=settings_file, say=_say, **options))


@deploy.command()
@_options
def create(**options) -> None:
    """Create the connector (once per locale and environment); records the new connector id."""
    _deploy(CREATE, **options)


@deploy.command()
@_options
@click.option("--changed-since", metavar="REV", help="Every connector below this folder changed since git revision REV, one after "
              "another, each with its own settings; stops at the first failure.")
def update(changed_since: str | None, **options) -> None:
    """Update the connector recorded by create (always with its script and icon); at a root of many connectors,
    each in turn."""
    from ..commandline import exit_with

    if changed_since:
        if options["source"] or options["settings_file"]:
            raise click.UsageError("--changed-since finds the connectors itself, each with its own settings: no SOURCE or --settings")
        from .run import deploy_changed

        del options["source"], options["settings_file"]
        exit_with(deploy_changed(changed_since, say=_say, **options))
        return
    from ..repo.resolve import resolve

    source, settings_file = options.pop("source"), options.pop("settings_file")
    connectors = resolve([source] if source else [], folders=False)
    if len(connectors) > 1:  # a repository of many connectors: each in turn, with its own settings
        if settings_file:
            raise click.UsageError(f"--settings takes one connector; {len(connectors)} found here: name one")
        from .run import deploy_connectors

        exit_with(deploy_connectors(connectors, say=_say, **options))
        return
    from .run import deploy_connector

    exit_with(deploy_connector(connectors[0], UPDATE, settings_file=settings_file, say=_say, **options))


@deploy.command()
@click.option("--token-env", default="PACONN_ACCESS_TOKEN", show_default=True, metavar="VAR",
              help="Environment variable holding a bearer token for https://service.powerapps.com/.")
def login(token_env: str) -> None:
    """Write paconn's token file from an access token in the environment (for CI; never printed).

    paconn itself only knows the interactive device-code login, and never refreshes the token it stores.
    In CI, get a token for https://service.powerapps.com/ (e.g. `az account get-access-token`) and let
    this command write ~/.paconn/accessTokens.json the way paconn reads it.  See docs/deploy.md.
    """
    import os
    import time

    from ..diagnostics import ERROR, Finding, InputError
    from ..emit.files import write_all
    from .paconn import shown, token_file, token_from_jwt

    token = os.environ.get(token_env, "")
    if not token.strip():
        raise InputError(Finding("deploy", ERROR, f"${token_env} is empty: put an access token for https://service.powerapps.com/ in it"))
    data, problem = token_from_jwt(token)
    if data is None:
        raise InputError(Finding("deploy", ERROR, f"${token_env}: {problem}"))
    if problem:
        click.echo(f"${token_env}: {problem}", err=True)
    left = data["expires_on"] - time.time()
    if left < 600:
        raise InputError(Finding("deploy", ERROR, f"${token_env} expires in {max(0, int(left))} s: paconn refuses tokens with "
                                 "less than 10 minutes left; get a fresh one"))
    import json

    path = token_file()
    write_all({path: json.dumps(data).encode("ascii")}, mode=0o600)  # a token: private from its first byte
    click.echo(f"paconn token written to {shown(path)} (valid for {int(left // 60)} more minutes, object id {data['oid']})")


@deploy.command("paconn", context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def paconn_(args: tuple[str, ...]) -> None:
    """Run the paconn that .ci/deploy-setup.sh installed (in a virtual environment of its own, so not on
    PATH), e.g. `ppconnector deploy paconn login`.  Its output is relayed with every secret masked, and it is
    stopped after $PPCONNECTOR_DEPLOY_TIMEOUT seconds (default 600), as in `deploy create|update`."""
    import os

    from ..commandline import echo, exit_with
    from ..diagnostics import ERROR, Finding, InputError
    from . import guard
    from .paconn import find_paconn, stored_tokens

    paconn = find_paconn()
    if paconn is None or not paconn.exists():
        raise InputError(Finding("deploy", ERROR, "paconn not found: run .ci/deploy-setup.sh (it installs paconn in its own "
                                 "virtual environment), or set PPCONNECTOR_PACONN to the paconn executable",
                                 str(paconn) if paconn else None))
    timeout = _timeout_from_env()
    # Secrets it may print: the client secret (from the environment or typed after --secret / -r), the
    # tokens paconn stores, a CI token.
    typed = [b for a, b in zip(args, args[1:]) if a in ("--secret", "-r")] + \
        [a.split("=", 1)[1] for a in args if a.startswith("--secret=")]
    masker = guard.Masker([os.environ.get(SECRET_ENV), *typed, *stored_tokens(), os.environ.get("PACONN_ACCESS_TOKEN")])
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    code = guard.relay_tool([str(paconn), *args], env=env, timeout=timeout, masker=masker,
                            write=lambda text: echo(text, nl=False))
    if code is None:
        echo(f"paconn did not finish within {timeout:g} s (${TIMEOUT_ENV}): stopped it and everything it started", err=True)
        exit_with(1)
    exit_with(code if code >= 0 else 128 - code)


def _timeout_from_env() -> float:
    import os

    from ..diagnostics import ERROR, Finding, InputError

    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value >= 1 or value == float("inf"):
        raise InputError(Finding("deploy", ERROR, f"${TIMEOUT_ENV} {raw!r}: expected a number of seconds, at least 1"))
    return value


commands = [deploy]

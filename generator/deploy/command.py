"""`ppconnector deploy create|update`: build and check, refuse what would lose data, then run paconn.

Exit codes: 0 deployed (or printed), 1 stale generated files, check errors or paconn failed,
2 refused (each reason listed) or unusable input.
"""

from __future__ import annotations

from dataclasses import replace
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
    """Deploy the built connector with paconn: builds and checks first, refuses what would lose data."""


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
    """Update the connector recorded by create (always with its script and icon)."""
    if changed_since:
        if options["source"] or options["settings_file"]:
            raise click.UsageError("--changed-since finds the connectors itself, each with its own settings: no SOURCE or --settings")
        from ..repo.deploys import deploy_changed

        deploy_changed(changed_since, options["locale"], options["dry_run"], options["print_"], options["secret_env"], options["timeout"])
        return
    from ..repo.discover import many

    units = None if options["source"] or options["settings_file"] else many((), folders=False)
    if units:  # a repository of many connectors: each in turn, with its own settings
        from ..repo.deploys import deploy_each

        deploy_each(units, options["locale"], options["dry_run"], options["print_"], options["secret_env"], options["timeout"])
        return
    _deploy(UPDATE, **options)


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
    PATH), e.g. `ppconnector deploy paconn login`."""
    import subprocess
    import sys

    from ..diagnostics import ERROR, Finding, InputError
    from .paconn import find_paconn

    paconn = find_paconn()
    if paconn is None or not paconn.exists():
        raise InputError(Finding("deploy", ERROR, "paconn not found: run .ci/deploy-setup.sh (it installs paconn in its own "
                                 "virtual environment), or set PPCONNECTOR_PACONN to the paconn executable",
                                 str(paconn) if paconn else None))
    sys.exit(subprocess.call([str(paconn), *args]))


def _deploy(action: str, source: str | None, locale: str, settings_file: Path | None, dry_run: bool,
            print_: str | None, secret_env: str, timeout: float = DEFAULT_TIMEOUT, tool: str = "paconn",
            solution: str | None = None, pac_auth: str = "secret") -> None:
    import os
    import sys

    from ..build import build, default_out, select_locales
    from ..diagnostics import ERROR, Finding, InputError
    from ..emit.files import stale_files
    from ..source.loader import display_path, find_source, load_connector
    from . import guard, plan
    from .paconn import find_paconn, token_problem
    from .paconn import shown as tilde

    path = Path(source) if source else find_source()
    connector, warnings = load_connector(path)
    for w in warnings:
        click.echo(str(w), err=True)
    root = default_out(connector)
    wanted = select_locales(connector, locale)
    builds = {loc: build(connector, loc, root) for loc in connector.locales}

    # 1. What would be deployed must be what is committed: the same test as `ppconnector build --check`.
    built = {p: data for b in builds.values() for p, data in b.files.items()}
    stale = stale_files(built)
    for p in stale:
        click.echo(f"{display_path(p)}: stale; run `ppconnector build` and commit the result", err=True)
    if stale:
        click.echo(f"refusing to deploy: {len(stale)} generated file(s) differ from the YAML source", err=True)
        sys.exit(1)

    # 2. The check command, where this toolkit has it.
    status = _check(path)
    if status:
        click.echo(f"refusing to deploy: `ppconnector check` found errors (exit {status})", err=True)
        sys.exit(1)

    # 3. The targets, and every reason not to deploy them.
    override, notes = plan.read_override(settings_file) if settings_file else ({}, [])
    for n in notes:
        click.echo(str(n), err=True)
    shown = display_path(settings_file) if settings_file else None

    def target(loc: str, settings: dict) -> plan.Target:
        b = builds[loc]
        return plan.resolve(loc, b.folder, b.files, plan.record_path(connector.folder, loc), settings, shown, connector.shown)

    targets = [target(loc, override) for loc in wanted]
    others = [target(loc, {k: v for k, v in override.items() if k != "connectorId"}) for loc in connector.locales if loc not in wanted]
    secret = os.environ.get(secret_env) or None
    tool = print_ or tool
    if tool == "pac":
        from .pac_run import deploy_pac

        deploy_pac(action, targets, others, connector, root, solution, pac_auth, dry_run or print_ == "pac", _where, timeout)
        return
    from .pac_run import paconn_refusals

    refused = paconn_refusals(targets, connector.shown)
    if refused:
        raise InputError(refused)
    if action == UPDATE and (dry_run or print_ == "paconn") and not _ever_deployed(targets):
        # A pull request's dry run before the first deployment: nothing to update yet, so show the create.
        click.echo(f"nothing to update yet (no environment, no recorded connector id): set deploy.environment in "
                   f"{connector.shown} and run `ppconnector deploy create` once; it would run:", err=True)
        action = CREATE
        targets = [replace(t, settings={**t.settings, "environment": t.settings.get("environment") or "<environment>"})
                   for t in targets]
    problems = plan.refusals(action, targets, others, secret_env, secret, connector.shown, tool)
    if problems:
        raise InputError(problems)

    if action == UPDATE:
        for t in targets:
            if not t.has_script:
                click.echo(f"{t.locale}: warning: this build has no script.csx: the update removes any custom code the "
                           "connector has", err=True)

    paconn = find_paconn()
    commands = [(t, plan.paconn_argv(action, t, str(paconn or "paconn"), secret_env, secret is not None and plan.uses_oauth(t.properties)))
                for t in targets]
    insecure = guard.insecure_power_apps_url()
    if insecure:
        click.echo(f"warning: ${guard.INSECURE_URL_ENV} is set: paconn talks to {insecure}, not to Microsoft, and "
                   "sends it the access token (for tests against a fake Power Apps API only)", err=True)
    if dry_run or print_ == "paconn":
        for t, argv in commands:
            click.echo(f"# {t.locale}: {_where(t, root)}" + ("; run in an empty folder: paconn create writes settings.json "
                                                               "into its working folder" if action == CREATE else ""))
            click.echo(plan.shown_command(argv, secret_env))
        return

    if paconn is None or not paconn.exists():
        raise InputError(Finding("deploy", ERROR, "paconn not found: run .ci/deploy-setup.sh (it installs paconn in its own "
                                 "virtual environment), or set PPCONNECTOR_PACONN to the paconn executable",
                                 str(paconn) if paconn else None))
    problem = token_problem()
    if problem:
        raise InputError(Finding("deploy", ERROR, problem[1], tilde(problem[0])))

    for t, argv in commands:
        _run(action, t, argv, secret, secret_env, connector, root, timeout)


def _ever_deployed(targets) -> bool:
    return any(t.settings.get("environment") or t.settings.get("connectorId") or t.record_ids for t in targets)


def _where(t, root: Path) -> str:
    if t.folder == root and not (root / "connector").is_dir():  # a connector folder of a repository of many
        from ..source.loader import display_path

        return f"the build in {display_path(root)}/"
    return "the build at the repo root" if t.folder == root else f"the build in {t.folder.relative_to(root).as_posix()}/"


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def _check(source: Path) -> int:
    """Run `ppconnector check SOURCE` when this toolkit has it; its findings go to stderr.  0 = clean."""
    import contextlib
    import importlib
    import sys

    try:
        module = importlib.import_module("generator.check.command")
    except ModuleNotFoundError as e:
        if e.name in ("generator.check.command", "generator.check"):
            return 0  # no check command in this build of the toolkit
        raise
    command = next((c for c in getattr(module, "commands", []) if c.name == "check"), None)
    if command is None:
        return 0

    def run(args: list[str]) -> int:
        with contextlib.redirect_stdout(sys.stderr):
            try:
                result = command.main(args, prog_name="ppconnector check", standalone_mode=False)
            except SystemExit as e:
                return int(e.code or 0)
            except click.exceptions.Exit as e:
                return e.exit_code
        return result if isinstance(result, int) else 0

    try:
        return run([str(source)])
    except click.UsageError:
        # A check command that takes no SOURCE finds the one connector/*.yaml itself, as build does.
        try:
            return run([])
        except click.ClickException as e:
            click.echo(f"could not run `ppconnector check`: {e.format_message()}", err=True)
            return 2


def _run(action: str, t, argv: list, secret: str | None, secret_env: str, connector, root: Path,
         timeout: float = DEFAULT_TIMEOUT) -> None:
    """Run paconn for one target in an empty folder, relaying its output masked; record a created id."""
    import json
    import os
    import sys
    import tempfile

    from ..build import build
    from ..diagnostics import printable
    from ..emit.files import write_all
    from ..source.loader import display_path
    from . import guard, plan
    from .paconn import stored_tokens

    target = f"connector {t.settings['connectorId']}" if action == UPDATE else "a new connector"
    click.echo(f"{t.locale}: paconn {action} {target} in environment {t.settings['environment']} from {_where(t, root)}", err=True)
    click.echo(f"  {plan.shown_command(argv, secret_env)}", err=True)
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    with tempfile.TemporaryDirectory(prefix="ppconnector-paconn-") as work:
        # An empty working folder: paconn create writes settings.json there (and would stop to ask
        # before overwriting the build's own).
        masker = guard.Masker([secret, *stored_tokens(), os.environ.get("PACONN_ACCESS_TOKEN")])
        run = guard.run_tool(plan.real_argv(argv, secret), cwd=work, env=env, timeout=timeout, masker=masker)
        for line in run.output.splitlines():
            click.echo("  paconn: " + printable(line), err=True)
        if run.dropped:
            click.echo(f"  paconn: ... ({run.dropped} more bytes of output not shown)", err=True)
        code = run.code
        if code is None:
            click.echo(f"{t.locale}: paconn {action} did not finish within {timeout:g} s (--timeout): stopped it and "
                       "everything it started; nothing was recorded. Look in the maker portal whether the connector "
                       "changed before running again", err=True)
            sys.exit(1)
        if code != 0:
            click.echo(f"{t.locale}: paconn {action} failed (exit {code}); nothing was recorded", err=True)
            sys.exit(1)
        if action == UPDATE:
            click.echo(f"{t.locale}: updated {t.settings['connectorId']}")
            return
        written = os.path.join(work, "settings.json")
        try:
            with open(written, encoding="utf-8") as handle:
                cid = json.load(handle)["connectorId"]
        except (OSError, ValueError, KeyError, TypeError):
            click.echo(f"{t.locale}: paconn reported success but wrote no connector id; look the connector up in the "
                       "maker portal and put its id in a --settings file", err=True)
            sys.exit(1)
    ids = {**t.record_ids, t.settings["environment"]: cid}
    # The record and the build files it goes with are written together (all or none): a failure part way
    # must not leave a record of a connector whose generated files were not rewritten.
    files = {p: data for loc in connector.locales for p, data in build(connector, loc, root).files.items()}
    write_all({t.record: plan.record_bytes(ids), **files})
    click.echo(f"{t.locale}: created {cid}; recorded in {display_path(t.record)} (commit it: `deploy update` reads it)")


commands = [deploy]

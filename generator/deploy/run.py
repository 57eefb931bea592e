"""`ppconnector deploy` as library functions: build and check, refuse what would lose data, then run paconn.

What a deployment says as it goes (paconn's output, relayed masked) goes to `say(text, to_stderr)`, which the
command points at the terminal; nothing here prints.  Return values are exit codes: 0 deployed (or printed),
1 stale generated files, check errors or paconn failed; refusals and unusable input are InputError (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from . import CREATE, SECRET_ENV, UPDATE
from .guard import DEFAULT_TIMEOUT

Say = Callable[..., None]


def _quiet(text: str, err: bool = False) -> None:
    pass


def deploy_connector(ref, action: str, locale: str = "all", settings_file: Path | None = None, dry_run: bool = False,
                     print_: str | None = None, secret_env: str = SECRET_ENV, timeout: float = DEFAULT_TIMEOUT,
                     tool: str = "paconn", solution: str | None = None, pac_auth: str = "secret", say: Say = _quiet) -> int:
    """Deploy one connector (a ConnectorRef) with paconn, or with dry_run/print_ only say the commands; the exit
    code (0 done, 1 stale, check errors or paconn failed).  Refusals are an InputError, each reason listed."""
    import os

    from ..build import build, default_out, select_locales
    from ..diagnostics import ERROR, Finding, InputError, printable
    from ..emit.files import stale_files
    from ..repo.resolve import require_sources
    from ..source.loader import display_path, load_connector
    from . import guard, plan
    from .paconn import find_paconn, token_problem
    from .paconn import shown as tilde

    require_sources([ref], "deploy")
    connector, warnings = load_connector(ref.path)
    for w in warnings:
        say(str(w), True)
    root = default_out(connector)
    wanted = select_locales(connector, locale)
    builds = {loc: build(connector, loc, root) for loc in connector.locales}

    # 1. What would be deployed must be what is committed: the same test as `ppconnector build --check`.
    built = {p: data for b in builds.values() for p, data in b.files.items()}
    stale = stale_files(built)
    for p in stale:
        say(f"{printable(display_path(p))}: stale; run `ppconnector build` and commit the result", True)
    if stale:
        say(f"refusing to deploy: {len(stale)} generated file(s) differ from the YAML source", True)
        return 1

    # 2. The check command, where this toolkit has it.
    status = _check(ref, say)
    if status:
        say(f"refusing to deploy: `ppconnector check` found errors (exit {status})", True)
        return 1

    # 3. The targets, and every reason not to deploy them.
    override, notes = plan.read_override(settings_file) if settings_file else ({}, [])
    for n in notes:
        say(str(n), True)
    shown = display_path(settings_file) if settings_file else None

    def target(loc: str, settings: dict) -> plan.Target:
        b = builds[loc]
        return plan.resolve(loc, b.folder, b.files, plan.record_path(connector.folder, loc), settings, shown, connector.shown)

    targets = [target(loc, override) for loc in wanted]
    others = [target(loc, {k: v for k, v in override.items() if k != "connectorId"}) for loc in connector.locales if loc not in wanted]
    secret = os.environ.get(secret_env) or None
    tool = print_ or tool
    if tool == "pac":  # the Power Platform CLI as a service principal, into a solution (deploy/pac_run.py says what it runs)
        from .pac_run import deploy_pac

        deploy_pac(action, targets, others, connector, root, solution, pac_auth, dry_run or print_ == "pac", _where, timeout)
        return 0
    from .pac_run import paconn_refusals

    refused = paconn_refusals(targets, connector.shown)
    if refused:
        raise InputError(refused)
    if action == UPDATE and (dry_run or print_ == "paconn") and not _ever_deployed(targets):
        # A pull request's dry run before the first deployment: nothing to update yet, so show the create.
        say(f"nothing to update yet (no environment, no recorded connector id): set deploy.environment in "
                   f"{connector.shown} and run `ppconnector deploy create` once; it would run:", True)
        action = CREATE
        targets = [replace(t, settings={**t.settings, "environment": t.settings.get("environment") or "<environment>"})
                   for t in targets]
    problems = plan.refusals(action, targets, others, secret_env, secret, connector.shown, tool)
    if problems:
        raise InputError(problems)

    if action == UPDATE:
        for t in targets:
            if not t.has_script:
                say(f"{t.locale}: warning: this build has no script.csx: the update removes any custom code the "
                    "connector has", True)

    paconn = find_paconn()
    commands = [(t, plan.paconn_argv(action, t, str(paconn or "paconn"), secret_env, secret is not None and plan.uses_oauth(t.properties)))
                for t in targets]
    insecure = guard.insecure_power_apps_url()
    if insecure:
        say(f"warning: ${guard.INSECURE_URL_ENV} is set: paconn talks to {insecure}, not to Microsoft, and "
            "sends it the access token (for tests against a fake Power Apps API only)", True)
    if dry_run or print_ == "paconn":
        for t, argv in commands:
            say(f"# {t.locale}: {_where(t, root)}" + ("; run in an empty folder: paconn create writes settings.json "
                                                               "into its working folder" if action == CREATE else ""))
            say(plan.shown_command(argv, secret_env))
        return 0

    if paconn is None or not paconn.exists():
        raise InputError(Finding("deploy", ERROR, "paconn not found: run .ci/deploy-setup.sh (it installs paconn in its own "
                                 "virtual environment), or set PPCONNECTOR_PACONN to the paconn executable",
                                 str(paconn) if paconn else None))
    problem = token_problem()
    if problem:
        raise InputError(Finding("deploy", ERROR, problem[1], tilde(problem[0])))

    for t, argv in commands:
        code = _run(action, t, argv, secret, secret_env, connector, root, say, timeout)
        if code:
            return code
    return 0


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


def _check(ref, say: Say) -> int:
    """`ppconnector check` on the connector, its report on stderr; 0 = no errors."""
    from ..check.engine import check_connectors
    from ..render import text
    from ..repo.batch import exit_code

    [outcome] = check_connectors([ref])
    if not outcome.ok:
        say(text.lines(outcome.findings).rstrip("\n"), True)
        return outcome.code
    say(text.check([outcome], show_info=False).rstrip("\n"), True)
    return exit_code([1 if any(f.severity == "error" for f in outcome.findings) else 0])


def _run(action: str, t, argv: list, secret: str | None, secret_env: str, connector, root: Path, say: Say,
         timeout: float = DEFAULT_TIMEOUT) -> int:
    """Run paconn for one target in an empty folder, relaying its output masked; record a created id."""
    import json
    import os
    import tempfile

    from ..build import build
    from ..diagnostics import printable
    from ..emit.files import write_all
    from ..source.loader import display_path
    from . import guard, plan
    from .paconn import stored_tokens

    target = f"connector {t.settings['connectorId']}" if action == UPDATE else "a new connector"
    say(f"{t.locale}: paconn {action} {target} in environment {t.settings['environment']} from {_where(t, root)}", True)
    say(f"  {plan.shown_command(argv, secret_env)}", True)
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    with tempfile.TemporaryDirectory(prefix="ppconnector-paconn-") as work:
        # An empty working folder: paconn create writes settings.json there (and would stop to ask
        # before overwriting the build's own).
        masker = guard.Masker([secret, *stored_tokens(), os.environ.get("PACONN_ACCESS_TOKEN")])
        run = guard.run_tool(plan.real_argv(argv, secret), cwd=work, env=env, timeout=timeout, masker=masker)
        for line in run.output.splitlines():
            say("  paconn: " + printable(line), True)
        if run.dropped:
            say(f"  paconn: ... ({run.dropped} more bytes of output not shown)", True)
        code = run.code
        if code is None:
            say(f"{t.locale}: paconn {action} did not finish within {timeout:g} s (--timeout): stopped it and "
                "everything it started; nothing was recorded. Look in the maker portal whether the connector "
                "changed before running again", True)
            return 1
        if code != 0:
            say(f"{t.locale}: paconn {action} failed (exit {code}); nothing was recorded", True)
            return 1
        if action == UPDATE:
            say(f"{t.locale}: updated {t.settings['connectorId']}")
            return 0
        written = os.path.join(work, "settings.json")
        try:
            with open(written, encoding="utf-8") as handle:
                cid = json.load(handle)["connectorId"]
        except (OSError, ValueError, KeyError, TypeError):
            say(f"{t.locale}: paconn reported success but wrote no connector id; look the connector up in the "
                "maker portal and put its id in a --settings file", True)
            return 1
    ids = {**t.record_ids, t.settings["environment"]: cid}
    # The record and the build files it goes with are written together (all or none): a failure part way
    # must not leave a record of a connector whose generated files were not rewritten.
    files = {p: data for loc in connector.locales for p, data in build(connector, loc, root).files.items()}
    write_all({t.record: plan.record_bytes(ids), **files})
    say(f"{t.locale}: created {cid}; recorded in {display_path(t.record)} (commit it: `deploy update` reads it)")
    return 0


def deploy_connectors(refs: list, locale: str = "all", dry_run: bool = False, print_: str | None = None,
                      secret_env: str = SECRET_ENV, timeout: float = DEFAULT_TIMEOUT, tool: str = "paconn",
                      solution: str | None = None, pac_auth: str = "secret", say: Say = _quiet) -> int:
    """`deploy update` for each connector in turn, each with its own settings; the first failure stops the rest,
    and says what was and was not deployed."""
    from ..diagnostics import InputError, counted, printable

    done: list[str] = []
    for i, ref in enumerate(refs):
        say(f"== {printable(ref.shown)}", True)
        try:
            code = deploy_connector(ref, UPDATE, locale, None, dry_run, print_, secret_env, timeout, tool, solution, pac_auth, say)
        except InputError as e:
            for f in e.findings:
                say(str(f), True)
            code = 2
        if code:
            say(f"stopped: {printable(ref.shown)} failed (exit {code}); deployed: {', '.join(done) or 'none'}; "
                f"not deployed: {', '.join(printable(r.shown) for r in refs[i:])}", True)
            return code
        done.append(printable(ref.shown))
    verb = "printed" if dry_run or print_ else "deployed"
    say(f"{counted(len(done), 'connector')} {verb}: {', '.join(done)}")
    return 0


def deploy_changed(rev: str, locale: str = "all", dry_run: bool = False, print_: str | None = None,
                   secret_env: str = SECRET_ENV, timeout: float = DEFAULT_TIMEOUT, tool: str = "paconn",
                   solution: str | None = None, pac_auth: str = "secret", say: Say = _quiet) -> int:
    """`deploy update --changed-since REV`: the connectors changed since rev (added ones included), in turn."""
    from ..repo.changed import REMOVED, changed_since
    from ..diagnostics import printable
    from ..repo.resolve import ConnectorRef

    todo = []
    for c in changed_since(rev):
        if c.status == REMOVED:
            say(f"{printable(c.shown)}: removed since {rev}; not deployed (delete it in the maker portal if that is meant)", True)
        elif c.now is None or not c.now.is_file():
            say(f"{printable(c.shown)}: changed, but has no YAML source to deploy from (`ppconnector import` it first)", True)
        else:
            todo.append(ConnectorRef(c.now, c.shown))
    if not todo:
        say(f"no connector with a source changed since {rev}: nothing to deploy")
        return 0
    return deploy_connectors(todo, locale, dry_run, print_, secret_env, timeout, tool, solution, pac_auth, say)

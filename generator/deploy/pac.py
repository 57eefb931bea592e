"""`ppconnector deploy --tool pac`: the Power Platform CLI, signed in as a service principal, into a solution.

What pac's published reference says, and what this module does with it
(https://learn.microsoft.com/en-us/power-platform/developer/cli/reference/connector and .../reference/auth):

- `pac auth create --name N --applicationId ID --clientSecret S --tenant T --environment ENV` signs in as a
  service principal; `--githubFederated` / `--azureDevOpsFederated` do it with a federated credential and no
  secret at all.  The reference gives no way to pass a client secret other than `--clientSecret`, so with a
  secret it is on pac's command line while `pac auth create` runs (as paconn's `--secret` is): never printed,
  never written.  The profile gets a name of our own and is deleted (`pac auth delete --name N`) afterwards.
- `pac connector create|update --environment ENV --solution-unique-name SOL --api-definition-file ...
  --api-properties-file ... --icon-file ... --script-file ...`; update also `--connector-id GUID` ("must be a
  valid Guid": the connector's Dataverse id, not paconn's shared_... id).  `--environment` is "a Guid or
  absolute https URL".  pac has no option for an OAuth client secret: a connector deployed through pac takes
  it from an environment variable (`clientSecret: {environment_variable: ..., secret: true}`).
- The reference does not document what `create` prints; we take the connector's id from the one GUID in its
  output that is not the environment's (docs/deploy.md says what was and was not run for real).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import replace
from pathlib import Path

from ..diagnostics import ERROR, Finding
from . import CREATE, UPDATE
from .plan import GUID, SECRET_PLACEHOLDER, Target, read_record

APP_ID_ENV = "PPCONNECTOR_PAC_APPLICATION_ID"
TENANT_ENV = "PPCONNECTOR_PAC_TENANT_ID"
SECRET_ENV = "PPCONNECTOR_PAC_CLIENT_SECRET"
PAC_ENV = "PPCONNECTOR_PAC"  # the pac executable, else `pac` on PATH
AUTH_MODES = ("secret", "github", "azure-devops")
_ANY_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def find_pac() -> Path | None:
    named = os.environ.get(PAC_ENV)
    if named:
        return Path(named)
    found = shutil.which("pac")
    return Path(found) if found else None


def record_path(connector_folder: Path, locale: str) -> Path:
    """connector/deploy.<locale>.pac.json: pac's connector GUIDs per environment, in paconn's record format
    ({"connectorIds": {...}}) but a file of their own, since pac and paconn ids are not interchangeable."""
    return connector_folder / f"deploy.{locale}.pac.json"


# An environment's Dataverse URL in each cloud Microsoft's global discovery service serves: commercial
# (<org>.crm[N].dynamics.com, GCC included), US Government GCC High (microsoftdynamics.us), DoD (appsplatform.us)
# and China (dynamics.cn). https://learn.microsoft.com/power-apps/developer/data-platform/discovery-service
# pac signs in for the URL it is given: any other host is refused, as deploy's paconn endpoints are.
DATAVERSE_URL = re.compile(
    r"https://[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.(?:crm\d{0,2}\.dynamics\.com|crm\.microsoftdynamics\.us"
    r"|crm\.appsplatform\.us|crm\.dynamics\.cn)/?", re.IGNORECASE)


def valid_environment(env: str) -> bool:
    return bool(GUID.fullmatch(env) or DATAVERSE_URL.fullmatch(env))


def retarget(t: Target, record: Path) -> Target:
    """The target with pac's record instead of paconn's: the connector id pac knows for the environment (a
    --settings connectorId that is a GUID is kept; a paconn id is not pac's)."""
    ids = read_record(record)
    settings = dict(t.settings)
    origin = dict(t.origin)
    cid = settings.get("connectorId")
    if cid and not (GUID.match(cid) and origin.get("connectorId", "").startswith("--settings")):
        settings.pop("connectorId")
        origin.pop("connectorId", None)
    env = settings.get("environment")
    if "connectorId" not in settings and env in ids:
        settings["connectorId"], origin["connectorId"] = ids[env], str(record)
    return replace(t, settings=settings, origin=origin, record=record, record_ids=ids)


def credentials(mode: str) -> tuple[dict[str, str], list[str]]:
    """The service principal from the environment (application id, tenant, and for mode "secret" the
    secret) and the names of the variables that are missing."""
    wanted = [APP_ID_ENV, TENANT_ENV] + ([SECRET_ENV] if mode == "secret" else [])
    values = {name: os.environ.get(name, "").strip() for name in wanted}
    return values, [name for name, value in values.items() if not value]


def refusals(action: str, targets: list[Target], solution: str | None, mode: str, printing: bool, yaml_shown: str) -> list[Finding]:
    """The pac path's own reasons not to start (beside plan.refusals): each says why."""
    from .. import envvars

    out: list[Finding] = []

    def refuse(message: str, locale: str | None = None) -> None:
        out.append(Finding("deploy", ERROR, f"{locale}: {message}" if locale else message, yaml_shown))

    if not solution:
        refuse("no solution: pac creates the connector in a solution (--solution-unique-name); set solution.unique_name in the "
               "YAML or give --solution")
    if not printing:
        _, missing = credentials(mode)
        if missing:
            refuse(f"no service principal: set {', '.join('$' + m for m in missing)} (pac auth create signs in with them; "
                   "nothing is printed)")
    for t in targets:
        env = t.settings.get("environment")
        if not env:
            refuse("no environment: set deploy.environment (pac's --environment: the environment's GUID or https URL)", t.locale)
        elif not valid_environment(env):
            refuse(f'environment "{env}" is neither a GUID nor a Dataverse https URL, the two forms pac connector takes for '
                   "--environment (a Default-<tenant> name is paconn's; give the environment id or its https://<org>.crm.dynamics.com "
                   "URL: pac signs in to it, so no other host is accepted)", t.locale)
        cid = t.settings.get("connectorId")
        if action == UPDATE and cid and not GUID.match(cid):
            refuse(f"connector id {cid} is not a GUID: pac connector update wants the connector's Dataverse id", t.locale)
        oauth = _oauth_secrets(t.properties)
        if any(envvars.name_of(value) is None for value in oauth):
            refuse("the connection uses OAuth and pac has no option for the client secret: give clientSecret as an environment "
                   "variable of type Secret ({environment_variable: prefix_ClientSecret, secret: true}), which the solution resolves",
                   t.locale)
    return out


def _oauth_secrets(properties: dict) -> list:
    """The clientSecret values (or None where an OAuth setting has none) of every OAuth connection parameter."""
    props = properties.get("properties", {})
    params = list((props.get("connectionParameters") or {}).values())
    for value in (props.get("connectionParameterSets") or {}).get("values", []) or []:
        params += list((value.get("parameters") or {}).values()) if isinstance(value, dict) else []
    return [p["oAuthSettings"].get("clientSecret") for p in params
            if isinstance(p, dict) and isinstance(p.get("oAuthSettings"), dict) and p["oAuthSettings"].get("identityProvider")]


def profile_name() -> str:
    return f"ppconnector-{secrets.token_hex(4)}"  # pac: "between 1 and 30" characters


def auth_argv(pac: str, profile: str, environment: str, mode: str, values: dict[str, str]) -> list:
    argv: list = [pac, "auth", "create", "--name", profile, "--environment", environment,
                  "--applicationId", values.get(APP_ID_ENV, f"${APP_ID_ENV}"), "--tenant", values.get(TENANT_ENV, f"${TENANT_ENV}")]
    if mode == "secret":
        argv += ["--clientSecret", SECRET_PLACEHOLDER]
    else:
        argv += ["--githubFederated" if mode == "github" else "--azureDevOpsFederated"]
    return argv


def connector_argv(pac: str, action: str, t: Target, solution: str) -> list:
    argv: list = [pac, "connector", action, "--environment", t.settings["environment"], "--solution-unique-name", solution]
    if action == UPDATE:
        argv += ["--connector-id", t.settings.get("connectorId", "<connector-guid>")]
    argv += ["--api-definition-file", str(t.files["apiDefinition"]), "--api-properties-file", str(t.files["apiProperties"])]
    if "icon" in t.files:
        argv += ["--icon-file", str(t.files["icon"])]
    if "script" in t.files:
        argv += ["--script-file", str(t.files["script"])]
    assert ("script" in t.files) == ("--script-file" in argv)  # a build with a script is never deployed without it
    return argv


def delete_argv(pac: str, profile: str) -> list:
    return [pac, "auth", "delete", "--name", profile]


def created_id(output: str, environment: str) -> str | None:
    """The new connector's GUID in pac connector create's output: the one GUID that is not the environment's."""
    found = {g.lower() for g in _ANY_GUID.findall(output)} - {environment.lower()}
    return found.pop() if len(found) == 1 else None


__all__ = ["APP_ID_ENV", "TENANT_ENV", "SECRET_ENV", "CREATE", "UPDATE", "find_pac", "record_path", "retarget", "refusals",
           "auth_argv", "connector_argv", "delete_argv", "created_id", "credentials", "profile_name"]

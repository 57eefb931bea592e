"""What one deployment does, decided before anything runs: the target of each locale's build, the
combinations refused because they would lose data, and the exact paconn (or pac) command line.

Facts about paconn 0.0.21 this module is built on (read from its source, proven by tests/test_deploy_e2e.py):

- With ``--settings FILE`` paconn ignores every other flag (``SettingsBuilder.get_settings``), so a
  settings file and explicit files cannot be combined.  We pass everything as flags and no ``--settings``;
  the command line is then the whole truth, and ``--script`` is visibly there.
- ``update`` without a script sets ``scriptDefinitionUrl`` to "" and so deletes the connector's custom code.
- ``create`` writes ``settings.json`` (with the new ``connectorId``) into its working folder, and asks
  before overwriting one that exists: without a terminal that question fails *after* the connector was
  created.  We run it in an empty temporary folder and read the id from there.
- Without ``--env`` it asks for the environment (listing them from ``flowUrl``), without ``--cid`` on
  update it asks for the connector: both are refused here instead, so CI never waits on a prompt.  As
  ``--env`` is always passed, paconn never calls ``flowUrl``.
- ``displayName`` is only sent on create; OAuth ``clientSecret`` only comes from ``--secret``.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, WARNING, Finding, InputError, did_you_mean
from ..emit import settings as names
from ..source.loader import display_path
from ..source.yamlfile import read_text

from . import CREATE, SECRET_ENV, UPDATE, guard  # noqa: F401 (re-exported for callers of the plan)
TARGET_KEYS = ("environment", "connectorId", "powerAppsUrl", "powerAppsApiVersion", "flowUrl", "flowApiVersion")
FILE_KEYS = ("apiDefinition", "apiProperties", "icon", "script")
DEFAULTS = {"powerAppsUrl": "https://api.powerapps.com", "powerAppsApiVersion": "2016-11-01",
            "flowUrl": "https://api.flow.microsoft.com", "flowApiVersion": "2016-11-01"}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass
class Target:
    """One locale's build and where it goes."""

    locale: str
    folder: Path  # the build folder: the repo root for the source locale, dist/<locale>/ otherwise
    files: dict[str, Path]  # apiDefinition, apiProperties, icon, script -> the built file (only those built)
    properties: dict  # the built apiProperties.json, parsed
    settings: dict  # environment, connectorId, powerAppsUrl, ... as resolved
    origin: dict[str, str] = field(default_factory=dict)  # key -> where its value came from (for messages)
    record: Path | None = None  # connector/deploy.<locale>.json: the connector ids create recorded
    record_ids: dict[str, str] = field(default_factory=dict)  # environment -> connectorId, from the record

    @property
    def has_script(self) -> bool:
        return "script" in self.files


# --- the record of created connectors ----------------------------------------------------------------


def record_path(connector_folder: Path, locale: str) -> Path:
    return connector_folder / f"deploy.{locale}.json"


def read_record(path: Path) -> dict[str, str]:
    """environment -> connectorId, as `deploy create` recorded them ({"connectorIds": {...}})."""
    if not path.exists():
        return {}
    shown = display_path(path)
    try:
        data = json.loads(read_text(path, "deploy record", shown))  # refuses a directory, binary, non-UTF-8, empty file
    except json.JSONDecodeError as e:
        raise InputError(Finding("deploy", ERROR, f"not valid JSON: {e.msg}", shown, e.lineno, e.colno))
    ids = data.get("connectorIds") if isinstance(data, dict) else None
    if not isinstance(ids, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in ids.items()):
        raise InputError(Finding("deploy", ERROR, 'expected {"connectorIds": {"<environment>": "<connector id>"}}', shown, 1, 1))
    return dict(ids)


def record_bytes(ids: dict[str, str]) -> bytes:
    return (json.dumps({"connectorIds": dict(sorted(ids.items()))}, indent=2, ensure_ascii=True) + "\n").encode("ascii")


# --- --settings FILE -------------------------------------------------------------------------------------


def read_override(path: Path) -> tuple[dict, list[Finding]]:
    """The deployment target from a paconn-style settings file; its file names are not used."""
    shown = display_path(path)
    try:
        data = json.loads(read_text(path, "settings file", shown))  # refuses a directory, binary, non-UTF-8, empty file
    except OSError as e:
        raise InputError(Finding("usage", ERROR, f"cannot read the settings file: {e.strerror}", shown))
    except json.JSONDecodeError as e:
        raise InputError(Finding("usage", ERROR, f"not valid JSON: {e.msg}", shown, e.lineno, e.colno))
    if not isinstance(data, dict):
        raise InputError(Finding("usage", ERROR, "expected a JSON object like paconn's settings.json", shown, 1, 1))
    notes: list[Finding] = []
    out = {}
    for key, value in data.items():
        if key in TARGET_KEYS:
            if not isinstance(value, str) or not value:
                raise InputError(Finding("usage", ERROR, f'"{key}" must be a non-empty string', shown))
            out[key] = value
        elif key in FILE_KEYS:
            notes.append(Finding("deploy", WARNING, f'"{key}" ignored: deploy always sends the files of the build it checked', shown))
        else:
            notes.append(Finding("deploy", WARNING, f'unknown key "{key}" ignored{did_you_mean(key, TARGET_KEYS + FILE_KEYS)}; '
                                 f'expected {", ".join(TARGET_KEYS)}', shown))
    return out, notes


# --- resolving a target --------------------------------------------------------------------------------


def resolve(locale: str, folder: Path, built: dict[Path, bytes], record: Path,
            override: dict, override_shown: str | None, yaml_shown: str) -> Target:
    """A target from the build's own bytes (already proven equal to the files on disk), the record of
    created connectors, and the --settings override (highest precedence)."""
    base = json.loads(built[folder / names.SETTINGS])
    files = {}
    for key in FILE_KEYS:
        if key in base and folder / base[key] in built:
            files[key] = folder / base[key]
    properties = json.loads(built[folder / names.PROPERTIES])
    settings: dict = {}
    origin: dict[str, str] = {}
    base_from = f"{display_path(folder / names.SETTINGS)} (from deploy: in {yaml_shown})"
    for key in TARGET_KEYS:
        if key in override:
            settings[key], origin[key] = override[key], f"--settings {override_shown}"
        elif key in base and key != "connectorId":
            settings[key], origin[key] = base[key], base_from
        elif key in DEFAULTS:
            settings[key], origin[key] = DEFAULTS[key], "default"
    ids = read_record(record)
    env = settings.get("environment")
    if "connectorId" not in settings and env:
        if env in ids:
            settings["connectorId"], origin["connectorId"] = ids[env], display_path(record)
        elif "connectorId" in base and base.get("environment") == env:
            settings["connectorId"], origin["connectorId"] = base["connectorId"], base_from
    return Target(locale, folder, files, properties, settings, origin, record, ids)


# --- refusals --------------------------------------------------------------------------------------------


def uses_oauth(properties: dict) -> bool:
    props = properties.get("properties", {})
    tokens = [props.get("connectionParameters", {}).get("token")]
    tokens += [(v.get("parameters") or {}).get("token") for v in props.get("connectionParameterSets", {}).get("values", [])]
    return any(isinstance(t, dict) and t.get("oAuthSettings") for t in tokens)


def refusals(action: str, targets: list[Target], others: list[Target], secret_env: str, secret: str | None,
             yaml_shown: str, tool: str = "paconn") -> list[Finding]:
    """Every reason not to run paconn, each saying why; `others` are the locales not being deployed.
    For tool "pac" (only printed, never run) a missing environment or secret is left to pac."""
    out: list[Finding] = []

    def refuse(target: Target, message: str, where: str | None = None) -> None:
        out.append(Finding("deploy", ERROR, f"{target.locale}: {message}", where or yaml_shown))

    for t in targets:
        props = t.properties.get("properties", {})
        for problem in guard.target_problems(t.settings, t.origin):
            refuse(t, problem)
        if not t.settings.get("environment") and tool == "paconn":
            refuse(t, "no environment: set deploy.environment in the YAML or \"environment\" in a --settings file "
                      "(paconn would stop to ask for one, which fails in CI)")
        if "stackOwner" in props:
            refuse(t, "apiProperties.json has stackOwner, which only certification accepts: paconn create/update "
                      "fail outside certification with \"Could not find member 'stackOwner'\"; remove "
                      "connector.stack_owner for a custom-connector deployment")
        if uses_oauth(t.properties) and not secret and tool == "paconn":
            refuse(t, f"the connection uses OAuth and ${secret_env} is not set: paconn would "
                      + ("refuse to create it" if action == CREATE else "send the OAuth settings without the client secret")
                      + f"; put the client secret in ${secret_env} (it is never printed)")
        cid = t.settings.get("connectorId")
        if action == CREATE and cid:
            refuse(t, f"this build is already connector {cid} in environment {t.settings.get('environment')} "
                      f"(from {t.origin.get('connectorId')}): create would make a second connector; use `ppconnector deploy update`")
        if action == UPDATE:
            if not cid:
                refuse(t, f"no connector id for environment {t.settings.get('environment') or '(none)'}: run "
                          "`ppconnector deploy create` once (it records the id in "
                          f"{display_path(t.record) if t.record else 'connector/deploy.<locale>.json'}), or give \"connectorId\" "
                          "in a --settings file (paconn would stop to ask which connector to replace)")
            if "script" not in t.files and props.get("scriptOperations"):
                refuse(t, "apiProperties.json routes operations to a script but the build has no script.csx: "
                          "paconn update without --script deletes the connector's custom code")
    # Two builds must never share a connector: deploying one would replace the other's display strings.
    deploying = {t.locale for t in targets}
    sharing: dict[tuple[str, str], list[str]] = {}
    for t in targets + others:
        if t.settings.get("connectorId"):
            sharing.setdefault((t.settings.get("environment") or "", t.settings["connectorId"]), []).append(t.locale)
    for (_, cid), locales in sharing.items():
        if len(locales) > 1 and deploying.intersection(locales):
            out.append(Finding("deploy", ERROR, f"the {' and '.join(locales)} builds resolve to the same connector {cid}: "
                               "deploying one would overwrite the other; give each locale its own connector id", yaml_shown))
    return out


# --- command lines ---------------------------------------------------------------------------------------

SECRET_PLACEHOLDER = object()


def paconn_argv(action: str, t: Target, paconn: str, secret_env: str, with_secret: bool) -> list:
    """paconn's arguments; the secret is SECRET_PLACEHOLDER, filled in only when paconn is started."""
    argv: list = [paconn, action, "--env", t.settings["environment"]]
    if action == UPDATE:
        argv += ["--cid", t.settings["connectorId"]]
    argv += ["--api-def", str(t.files["apiDefinition"]), "--api-prop", str(t.files["apiProperties"])]
    if "icon" in t.files:
        argv += ["--icon", str(t.files["icon"])]
    if "script" in t.files:
        argv += ["--script", str(t.files["script"])]
    # refusals() accepted only Microsoft's endpoints; tests point paconn at a loopback fake instead.
    argv += ["--pau", guard.insecure_power_apps_url() or t.settings["powerAppsUrl"], "--pav", t.settings["powerAppsApiVersion"]]
    if with_secret:
        argv += ["--secret", SECRET_PLACEHOLDER]
    # The invariant this module exists for: a build with a script is never deployed without it.
    assert ("script" in t.files) == ("--script" in argv)
    return argv


def shown_command(argv: list, secret_env: str) -> str:
    """The command as a shell line; the secret appears as "$VAR", never as its value."""
    return " ".join(f'"${secret_env}"' if a is SECRET_PLACEHOLDER else shlex.quote(str(a)) for a in argv)


def real_argv(argv: list, secret: str | None) -> list[str]:
    return [secret if a is SECRET_PLACEHOLDER else str(a) for a in argv]  # type: ignore[misc]


def pac_argv(action: str, t: Target) -> tuple[list[str], list[str]]:
    """`pac connector create|update` for the same build, and warnings about what pac cannot do."""
    notes = []
    argv = ["pac", "connector", action]
    if t.settings.get("environment"):
        argv += ["--environment", t.settings["environment"]]
    if action == UPDATE:
        cid = t.settings.get("connectorId", "<connector-guid>")
        argv += ["--connector-id", cid]
        if not GUID.match(cid):
            notes.append(f"{t.locale}: pac wants the connector's Dataverse GUID; {cid} is a paconn-style id (pac rejects it)")
    argv += ["--api-definition-file", display_path(t.files["apiDefinition"]),
             "--api-properties-file", display_path(t.files["apiProperties"])]
    if "icon" in t.files:
        argv += ["--icon-file", display_path(t.files["icon"])]
    if "script" in t.files:
        argv += ["--script-file", display_path(t.files["script"])]
    if uses_oauth(t.properties):
        notes.append(f"{t.locale}: pac has no option for the OAuth client secret; set it in the maker portal after deploying")
    return argv, notes

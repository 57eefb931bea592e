#!/usr/bin/env python3
"""A stand-in for the Power Platform CLI (`pac`), which these machines cannot install (a NuGet .NET tool).

It accepts exactly the commands and parameters that pac's published reference lists, and checks every
argument against it; anything else fails as pac fails (exit 1, "Error: ..."):

- https://learn.microsoft.com/en-us/power-platform/developer/cli/reference/auth       (pac auth create / delete / list)
- https://learn.microsoft.com/en-us/power-platform/developer/cli/reference/connector  (pac connector create / update / list)

It keeps its state (auth profiles, connectors) in the JSON file $PAC_STANDIN_STATE and appends every call to
its "calls" list, with a client secret replaced by its SHA-256 (a stand-in writes no secret either).  What it
cannot know, it invents and says so: the text `connector create` prints ("Connector created with ID: <guid>").
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import uuid
from pathlib import Path

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SWITCH = object()

# command -> {long name: (alias, kind)}; kind is "value", SWITCH or a tuple of allowed values (the reference's lists).
REFERENCE = {
    ("auth", "create"): {
        "--applicationId": ("-id", "value"), "--azureDevOpsFederated": ("-adof", SWITCH), "--certificateDiskPath": ("-cdp", "value"),
        "--certificatePassword": ("-cp", "value"), "--clientSecret": ("-cs", "value"),
        "--cloud": ("-ci", ("Public", "UsGov", "UsGovHigh", "UsGovDod", "China")), "--deviceCode": ("-dc", SWITCH),
        "--environment": ("-env", "value"), "--githubFederated": ("-ghf", SWITCH), "--kind": ("-k", "value"),
        "--managedIdentity": ("-mi", SWITCH), "--name": ("-n", "value"), "--password": ("-p", "value"), "--tenant": ("-t", "value"),
        "--url": ("-u", "value"), "--username": ("-un", "value")},
    ("auth", "delete"): {"--index": ("-i", "value"), "--name": ("-n", "value")},
    ("auth", "list"): {},
    ("connector", "create"): {
        "--api-definition-file": ("-df", "value"), "--api-properties-file": ("-pf", "value"), "--environment": ("-env", "value"),
        "--icon-file": ("-if", "value"), "--script-file": ("-sf", "value"), "--settings-file": (None, "value"),
        "--solution-unique-name": ("-sol", "value")},
    ("connector", "update"): {
        "--api-definition-file": ("-df", "value"), "--api-properties-file": ("-pf", "value"), "--connector-id": ("-id", "value"),
        "--environment": ("-env", "value"), "--icon-file": ("-if", "value"), "--script-file": ("-sf", "value"),
        "--settings-file": (None, "value"), "--solution-unique-name": ("-sol", "value")},
    ("connector", "list"): {"--environment": ("-env", "value")},
}


class PacError(Exception):
    pass


def parse(command: tuple[str, str], args: list[str]) -> dict[str, object]:
    spec = REFERENCE[command]
    aliases = {alias: name for name, (alias, _) in spec.items() if alias}
    out: dict[str, object] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        name = aliases.get(arg, arg)
        if name not in spec:
            raise PacError(f"Unrecognized command or argument '{arg}' for 'pac {' '.join(command)}'")
        if name in out:
            raise PacError(f"Argument '{name}' was given more than once")
        kind = spec[name][1]
        if kind is SWITCH:
            out[name] = True
            i += 1
            continue
        if i + 1 >= len(args) or args[i + 1].startswith("-") and args[i + 1] in set(spec) | set(aliases):
            raise PacError(f"Required argument missing for option: '{name}'")
        value = args[i + 1]
        if isinstance(kind, tuple) and value not in kind:
            raise PacError(f"Argument '{name}' value '{value}' is not one of {', '.join(kind)}")
        out[name] = value
        i += 2
    return out


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"profiles": {}, "connectors": {}, "calls": []}


def environment_ok(value: str) -> bool:
    return bool(GUID.match(value)) or value.startswith("https://")


def auth_create(state: dict, a: dict) -> str:
    name = a.get("--name")
    if name is not None and not 1 <= len(name) <= 30:
        raise PacError("Argument --name value is incorrect: The length of the name should be between 1 and 30")
    federated = a.get("--githubFederated") or a.get("--azureDevOpsFederated")
    if "--clientSecret" in a or federated:
        missing = [n for n in ("--applicationId", "--tenant") if n not in a]
        if missing:
            raise PacError(f"{'Federation' if federated else 'A client secret'} requires {' and '.join(missing)}")
    if "--clientSecret" in a and federated:
        raise PacError("Choose one way to authenticate: --clientSecret or a federated credential")
    if not ("--clientSecret" in a or federated or a.get("--managedIdentity") or "--certificateDiskPath" in a):
        raise PacError("this stand-in signs in only as a service principal or managed identity (no interactive sign-in)")
    if "--applicationId" in a and not GUID.match(str(a["--applicationId"])):
        raise PacError("Argument --applicationId value is incorrect: it must be a valid Guid")
    if "--environment" in a and not a["--environment"]:
        raise PacError("Argument --environment value is empty")
    profile = {"name": name, "applicationId": a.get("--applicationId"), "tenant": a.get("--tenant"),
               "environment": a.get("--environment"), "kind": "federated" if federated else "secret" if "--clientSecret" in a else "other",
               "secretSha256": hashlib.sha256(str(a["--clientSecret"]).encode()).hexdigest() if "--clientSecret" in a else None}
    state["profiles"][name or f"profile{len(state['profiles']) + 1}"] = profile
    if os.environ.get("PAC_STANDIN_ECHO_SECRET") and "--clientSecret" in a:  # a tool that leaks what it was given
        print(f"debug: clientSecret={a['--clientSecret']} json={json.dumps(a['--clientSecret'])}")
    state["active"] = name
    return f"Authenticated successfully as application {a.get('--applicationId')}.\nAuthentication profile created\n  * {name}"


def _file(a: dict, option: str, suffix: str | None = None) -> str | None:
    value = a.get(option)
    if value is None:
        return None
    path = Path(str(value))
    if not path.is_file():
        raise PacError(f"Argument {option} value is incorrect: the file {value} does not exist")
    if suffix and path.suffix.lower() != suffix:
        raise PacError(f"Argument {option} value is incorrect: expected a {suffix} file")
    return str(path)


def connector_upsert(state: dict, a: dict, action: str) -> str:
    # Arguments are checked before anything else, as pac's parser does.
    if action == "update" and not GUID.match(str(a.get("--connector-id") or "")):
        raise PacError("Argument --connector-id value is incorrect: The Connector ID must be a valid Guid.")
    if "--environment" in a and not environment_ok(str(a["--environment"])):
        raise PacError(f"Argument --environment value is incorrect: '{a['--environment']}' is neither a Guid nor an absolute https URL")
    if not state.get("active") or state["active"] not in state["profiles"]:
        raise PacError("No active authentication profile: run pac auth create")
    env = a.get("--environment") or state["profiles"][state["active"]]["environment"]
    if not env or not environment_ok(str(env)):
        raise PacError(f"Argument --environment value is incorrect: '{env}' is neither a Guid nor an absolute https URL")
    if "--api-definition-file" not in a and "--settings-file" not in a:
        raise PacError("Either --api-definition-file or --settings-file must be given")
    files = {"apiDefinition": _file(a, "--api-definition-file"), "apiProperties": _file(a, "--api-properties-file"),
             "icon": _file(a, "--icon-file", ".png"), "script": _file(a, "--script-file", ".csx")}
    for key in ("apiDefinition", "apiProperties"):
        if files[key]:
            json.loads(Path(files[key]).read_text(encoding="utf-8"))  # pac reads them as JSON
    record = {"environment": env, "solution": a.get("--solution-unique-name"),
              "files": {k: hashlib.sha256(Path(v).read_bytes()).hexdigest() for k, v in files.items() if v},
              "definition": json.loads(Path(files["apiDefinition"]).read_text(encoding="utf-8")) if files["apiDefinition"] else None,
              "properties": json.loads(Path(files["apiProperties"]).read_text(encoding="utf-8")) if files["apiProperties"] else None,
              "profile": state["active"]}
    if action == "update":
        cid = str(a.get("--connector-id") or "")
        if not GUID.match(cid):
            raise PacError("Argument --connector-id value is incorrect: The Connector ID must be a valid Guid.")
        if cid not in state["connectors"] or state["connectors"][cid]["environment"] != env:
            raise PacError(f"Connector {cid} was not found in environment {env}")
        state["connectors"][cid] = {**state["connectors"][cid], **record, "updates": state["connectors"][cid].get("updates", 0) + 1}
        return f"Connector {cid} updated."
    cid = str(uuid.uuid4())
    state["connectors"][cid] = {**record, "updates": 0}
    return f"Connector created with ID: {cid}"


def main(argv: list[str]) -> int:
    state_path = Path(os.environ.get("PAC_STANDIN_STATE", "pac-standin-state.json"))
    state = load(state_path)
    shown = ["<sha256:" + hashlib.sha256(v.encode()).hexdigest()[:12] + ">" if i and argv[i - 1] in ("--clientSecret", "-cs") else v
             for i, v in enumerate(argv)]
    state["calls"].append(shown)
    try:
        if len(argv) < 2 or (argv[0], argv[1]) not in REFERENCE:
            raise PacError(f"Unknown command: pac {' '.join(argv[:2])}")
        command = (argv[0], argv[1])
        a = parse(command, argv[2:])
        if command == ("auth", "create"):
            print(auth_create(state, a))
        elif command == ("auth", "delete"):
            name = a.get("--name")
            if name not in state["profiles"]:
                raise PacError(f"No authentication profile named {name}")
            del state["profiles"][name]
            state["active"] = None if state.get("active") == name else state.get("active")
            print(f"Authentication profile {name} deleted")
        elif command == ("auth", "list"):
            print("\n".join(state["profiles"]) or "No profiles were found on this computer.")
        elif command[0] == "connector" and command[1] in ("create", "update"):
            print(connector_upsert(state, a, command[1]))
        else:
            env = a.get("--environment")
            print("\n".join(cid for cid, c in state["connectors"].items() if not env or c["environment"] == env))
        return 0
    except PacError as e:
        print(f"Error: {e}")
        return 1
    finally:
        state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

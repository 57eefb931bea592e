"""The solution family's rules that only a YAML source can decide (a folder does not say a variable's type,
nor what its solution's publisher prefix will be): registered with `check` through registry.FAMILY_MODULES.
The folder-decidable ones live in generator/check/rules/solution.py, beside Microsoft's families."""

from __future__ import annotations

from typing import Iterable

from .. import envvars
from ..check.registry import Issue, Target, rule
from ..check.rules.common import ERROR, WARNING
from ..check.rules.solution import PAC_UNPACK_NAME, SOLUTION, _refs, meant_for_solution


@rule("environment-variable-secret", WARNING, SOLUTION,
      "A client secret from an environment variable should be a variable of type Secret (Key Vault): Microsoft says a Text one is not encrypted.")
def environment_variable_secret(t: Target) -> Iterable[Issue]:
    if t.connector is None:
        return  # a folder does not say a variable's type; the YAML's sugar does
    declared, _ = envvars.declared(t.connector.node)
    for file, pointer, value in _refs(t):
        name = envvars.name_of(value)
        if name is not None and pointer.endswith("/clientSecret") and not (name in declared and declared[name].secret):
            yield Issue(f"the client secret comes from {name}, which is not declared secret: true; Microsoft: \"An environment "
                        "variable created for Client Secret with the Text data type isn't secure. These values aren't encrypted.\" "
                        "Use a Secret variable backed by Azure Key Vault", pointer, file=file)


@rule("environment-variable-sugar", ERROR, SOLUTION,
      "The YAML's {environment_variable: ...} sugar is well formed and gives each variable one default.")
def environment_variable_sugar(t: Target) -> Iterable[Issue]:
    if t.connector is None:
        return
    from ..source.yamlfile import position_of

    _, problems = envvars.declared(t.connector.node)
    for path, message in problems:
        line, column = position_of(t.connector.node, path) or (None, None)
        yield Issue(message, file=t.connector.shown, line=line, column=column)


@rule("solution-connector-name-length", WARNING, SOLUTION,
      "pac solution unpack leaves out a connector whose logical name is longer than 30 characters (powerplatform-build-tools#882).")
def solution_connector_name_length(t: Target) -> Iterable[Issue]:
    if t.connector is None or not meant_for_solution(t):
        return
    from .layout import encode_name

    section = t.connector.node.get("solution") or {}
    prefix = (section.get("publisher") or {}).get("prefix")
    if not prefix:
        names = [envvars.name_of(v) for _, _, v in _refs(t)]
        prefix = next((n.split("_", 1)[0] for n in names if n and "_" in n), "new")
    title = t.definition.get("info", {}).get("title") if isinstance(t.definition.get("info"), dict) else None
    if not isinstance(title, str):
        return
    name = f"{prefix}_{encode_name(title)}"
    if len(name) > PAC_UNPACK_NAME:
        yield Issue(f"the connector's logical name in a solution is {name} ({len(name)} characters): `pac solution unpack` leaves "
                    f"out connectors whose name is longer than {PAC_UNPACK_NAME} (microsoft/powerplatform-build-tools#882); "
                    "export and import of the zip are not affected", "/info/title")

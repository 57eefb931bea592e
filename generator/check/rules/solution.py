"""The solution family: environment variables in a connector, and what Dataverse holds of a connector in a solution.

Sources: Microsoft's "Use environment variables in solution custom connectors"
(https://learn.microsoft.com/en-us/connectors/custom-connectors/environment-variables) for where a reference
is resolved; the Dataverse connector table's reference
(https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/connector) for the
500,000-character columns; microsoft/powerplatform-build-tools#882 for the name `pac solution unpack` drops.
"""

from __future__ import annotations

from typing import Iterable

from ... import envvars
from ..registry import DEFINITION, PROPERTIES, SCRIPT, Issue, Target, rule
from .common import ERROR, INFO, WARNING, _cached

SOLUTION = "solution"
SECTION = SOLUTION
DATAVERSE_COLUMN = 500_000  # MaxLength of openapidefinition, connectionparameters, policytemplateinstances, customcodeblobcontent
PAC_UNPACK_NAME = 30  # pac solution unpack leaves out a connector whose name is longer (powerplatform-build-tools#882)


def meant_for_solution(t: Target) -> bool:
    """A YAML source with a `solution:` section, or any connector that refers to an environment variable
    (the platform resolves them only in a solution)."""
    if t.connector is not None and "solution" in t.connector.node:
        return True
    return bool(_refs(t))


def _refs(t: Target) -> list[tuple[str, str, str]]:
    """Every string mentioning @environmentVariables, found in one walk shared by the family's rules."""
    return _cached(t, "environment-variables", lambda: list(envvars.references(
        t.definition, t.properties if isinstance(t.properties, dict) else {})))


@rule("environment-variable-reference", WARNING, SOLUTION,
      'A value naming an environment variable is exactly @environmentVariables("prefix_Name"), the one form Microsoft documents; '
      "anything else is sent as literal text.")
def environment_variable_reference(t: Target) -> Iterable[Issue]:
    for file, pointer, value in _refs(t):
        if envvars.name_of(value) is None:
            yield Issue(f'{value!r} is not one reference of the documented form @environmentVariables("prefix_Name") (double quotes, '
                        "the whole value): the platform would take it as text", pointer, file=file)


@rule("environment-variable-place", WARNING, SOLUTION,
      "Environment variables are resolved in Host, Base URL and the Security tab only; Microsoft says they are not supported in "
      "actions, triggers or policies, where the text is sent as it is.")
def environment_variable_place(t: Target) -> Iterable[Issue]:
    for file, pointer, value in _refs(t):
        if envvars.name_of(value) is None or envvars.documented(file, pointer):
            continue
        where = ("an action or trigger" if pointer.startswith("/paths/") else "a policy" if "policyTemplateInstances" in pointer
                 else "this place")
        yield Issue(f"an environment variable in {where}: Microsoft documents them for Host, Base URL and the Security tab only "
                    f"({envvars.DOC_URL}); here the platform sends {value} as text", pointer, file=file)


@rule("environment-variable-name", WARNING, SOLUTION,
      "An environment variable's schema name starts with its solution publisher's prefix and an underscore (cr123_ApiHost).")
def environment_variable_name(t: Target) -> Iterable[Issue]:
    for file, pointer, value in _refs(t):
        name = envvars.name_of(value)
        if name is not None and not envvars.SCHEMA_NAME.fullmatch(name):
            yield Issue(f'"{name}" is not a schema name: Dataverse names every environment variable with its publisher\'s prefix, '
                        "an underscore and letters, digits or underscores (cr123_ApiHost)", pointer, file=file)


@rule("solution-column-size", ERROR, SOLUTION,
      "Dataverse stores a solution connector's definition, connection parameters, policies and script in columns of at most "
      "500,000 characters: a bigger one cannot be added to a solution.")
def solution_column_size(t: Target) -> Iterable[Issue]:
    import json

    props = t.properties.get("properties") if isinstance(t.properties, dict) else None
    props = props if isinstance(props, dict) else {}  # a folder's apiProperties may hold anything (the fuzz test)
    in_solution = meant_for_solution(t)
    severity = None if in_solution else INFO
    # Measured compact (no indentation, non-ASCII as \u escapes): a lower bound of what any client sends, the same
    # for a folder and its YAML, so an error is never a matter of formatting.
    compact = lambda value: len(json.dumps(value, ensure_ascii=True, separators=(",", ":")))  # noqa: E731
    columns = [("openapidefinition", compact(t.definition), DEFINITION, "")]
    for key, column in (("connectionParameters", "connectionparameters"), ("policyTemplateInstances", "policytemplateinstances")):
        if key in props:
            columns.append((column, compact(props[key]), PROPERTIES, f"/properties/{key}"))
    if t.script is not None:
        columns.append(("customcodeblobcontent", len(t.script), SCRIPT, ""))
    for column, length, file, pointer in columns:
        if length > DATAVERSE_COLUMN:
            why = ("it cannot be added to a solution" if in_solution else
                   "fine for a connector outside a solution, but it could never be moved into one")
            issue = Issue(f"{length} characters for Dataverse's {column} column, which holds at most {DATAVERSE_COLUMN}: {why}",
                          pointer, file=file, severity=severity)
            if file == SCRIPT:
                issue = Issue(issue.message, file=SCRIPT, line=1, column=1, severity=severity)
            yield issue

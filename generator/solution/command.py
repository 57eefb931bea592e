"""`ppconnector solution`: the connector as an unmanaged Dataverse solution zip (docs/solution.md)."""

from __future__ import annotations

from pathlib import Path

import click

commands: list[click.Command] = []


def deployment_settings(c, p, environment: str) -> dict:
    """pac's deployment settings file (`pac solution import --settings-file`) for one environment: the values
    of the environment variables (deploy.environment_variables.<environment>, else empty: the import then
    keeps the definitions' defaults) and the connection of the connection reference (deploy.connection_ids)."""
    deploy = c.node.get("deploy") or {}
    values = (deploy.get("environment_variables") or {}).get(environment) or {}
    connection = (deploy.get("connection_ids") or {}).get(environment, "")
    return {"EnvironmentVariables": [{"SchemaName": v.name, "Value": "" if v.secret and v.name not in values else
                                      str(values.get(v.name, "")).lower() if isinstance(values.get(v.name), bool) else str(values.get(v.name, ""))}
                                     for v in p.variables],
            "ConnectionReferences": [{"LogicalName": p.reference_name, "ConnectionId": connection,
                                      "ConnectorId": f"/providers/Microsoft.PowerApps/apis/{p.api_name}"}]}


@click.command()
@click.argument("source", required=False)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The solution zip to write.")
@click.option("--locale", default=None, help="Locale whose build goes in (default: the source locale).")
@click.option("--settings-for", "environment", metavar="ENV",
              help="Also write pac's deployment settings for environment ENV (its variables' values from deploy.environment_variables) "
                   "beside the zip, as <zip name>.settings.json.")
def solution(source: str | None, out: Path, locale: str | None, environment: str | None) -> None:
    """Write the connector, its environment variable definitions and a connection reference as an unmanaged
    solution zip, in the layout Power Platform exports (import it with `pac solution import` or the maker portal)."""
    from ..build import select_locales
    from ..commandline import echo, echo_findings
    from ..diagnostics import ERROR, Finding, InputError
    from ..emit.files import json_bytes, write_all
    from ..repo.resolve import require_sources, resolve_one
    from ..source.loader import display_path, load_connector
    from .archive import zip_bytes
    from .layout import build_solution

    [ref] = require_sources([resolve_one(source, what="solution")], "solution")
    connector, warnings = load_connector(ref.path)
    echo_findings([w for w in warnings if w.rule != "missing-translation"])
    [loc] = select_locales(connector, locale or connector.source_locale)
    if out.suffix.lower() != ".zip":
        raise InputError(Finding("usage", ERROR, "--out must name a .zip file", display_path(out)))
    if out.is_dir():
        raise InputError(Finding("usage", ERROR, "--out is a folder; name the zip file to write", display_path(out)))
    plan, entries = build_solution(connector, loc)
    files = {out: zip_bytes(entries)}
    if environment:
        files[out.with_name(out.name[:-4] + ".settings.json")] = json_bytes(deployment_settings(connector, plan, environment))
    write_all(files)
    variables = f", {len(plan.variables)} environment variable{'s' if len(plan.variables) != 1 else ''}" if plan.variables else ""
    echo(f"{display_path(out)}: solution {plan.unique_name} {plan.version} ({loc}): connector {plan.connector_name}{variables}, "
               f"connection reference {plan.reference_name}")
    if environment:
        echo(f"{display_path(out.with_name(out.name[:-4] + '.settings.json'))}: deployment settings for {environment}")


commands.append(solution)


def write_partner_center(connector, locale: str, out: Path) -> None:
    """`package --partner-center`: the package zip at out, atomically."""
    from ..commandline import echo
    from ..diagnostics import ERROR, Finding, InputError
    from ..emit.files import write_all
    from ..source.loader import display_path
    from .archive import zip_bytes
    from .partner import partner_center_package

    if out.suffix.lower() != ".zip" or out.is_dir():
        raise InputError(Finding("usage", ERROR, "with --partner-center, --out names the .zip file to write", display_path(out)))
    entries = partner_center_package(connector, locale)
    write_all({out: zip_bytes(entries)})
    [package] = [name for name in entries if name.endswith(".zip")]
    echo(f"{display_path(out)}: Partner Center package ({locale}): intro.md and {package} "
               "(PkgAssets: the connector's and a sample flow's solutions)")

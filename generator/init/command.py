"""`ppconnector init [DIR]`: a new connector that builds and checks clean, ready to edit."""

from __future__ import annotations

from pathlib import Path

import click

from .scaffold import AUTHS, DEFAULT_BRAND_COLOR, KINDS, LAYOUTS, TRIGGERS


@click.command()
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=True, path_type=Path))
@click.option("--auth", type=click.Choice(list(AUTHS)), default="apikey", show_default=True,
              help="How the connection signs in: none, basic (username and password), apikey (a key in a header), "
                   "oauth2 (any OAuth 2.0 provider) or aad (Microsoft Entra ID).")
@click.option("--trigger", type=click.Choice(TRIGGERS), default="none", show_default=True,
              help="A trigger besides the example action: webhook (the service calls the flow) or polling (the flow asks).")
@click.option("--kind", type=click.Choice(list(KINDS)), default="rest", show_default=True, help="What kind of connector: " + "; ".join(f"{name}, {k.description}" for name, k in KINDS.items())
              + " (docs/agents.md).")
@click.option("--title", help="The connector's name in Power Automate (default: made from the folder's name).")
@click.option("--brand-color", default=DEFAULT_BRAND_COLOR, show_default=True, help="The icon's background, #rrggbb.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="auto", show_default=True,
              help="single: the source in connector/, built at FOLDER (a repository of one connector); folder: the source "
                   "and its build in FOLDER (one folder per connector); auto: folder below a repository's root, else single.")
def init(folder: Path, auth: str, trigger: str, kind: str, title: str | None, brand_color: str, layout: str) -> None:
    """Start a new connector in FOLDER (empty or new; default: this folder): a commented YAML source, an icon,
    example fixtures and, in a git repository, the CI workflow. It builds and checks with no finding."""
    from ..commandline import echo
    from ..diagnostics import printable
    from ..emit.files import write_all
    from ..source.loader import display_path
    from .scaffold import scaffold

    made = scaffold(folder, kind, auth, trigger, title, brand_color, layout)
    write_all(made.files)
    echo(f"{printable(display_path(made.source))} written, with {len(made.files) - 1} files beside it")
    if made.workflow == "kept":
        echo(".github/workflows/connector.yml kept: the repository has a CI workflow already")
    elif not made.workflow:
        echo("no CI workflow: not in a git repository (`git init` first, and init writes .github/workflows/connector.yml)")
    where = "" if folder.absolute() == Path.cwd() else f"cd {printable(display_path(folder))} && "
    echo(f"next: {where}ppconnector build && ppconnector check   (docs/getting-started.md)")


commands = [init]

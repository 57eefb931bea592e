"""The `ppconnector` command line: thin click commands over the library, nothing else.

Exit codes: 0 clean, 1 findings at or above the failing severity (or stale files), 2 unusable input
or usage, 3 an internal error (a bug in ppconnector, never the user's input).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import Finding, InputError, crash_site

ISSUES_URL = "https://github.com/ppconnector/ppconnector/issues"


def _echo_findings(findings: list[Finding]) -> None:
    for f in findings:
        click.echo(str(f), err=True)


def _silence_stdout() -> None:
    """After the reader of our output closed the pipe, send the rest (and the final flush) nowhere."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _Group(click.Group):
    """Turns every failure into a message: InputError -> exit 2, anything unexpected -> exit 3."""

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a reader that stopped early (`rules | head -1`) shows here, not at exit
            return result
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(141)  # what a shell reports for SIGPIPE: the reader went away, nothing is wrong
        except InputError as e:
            _echo_findings(e.findings)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; no output was changed", err=True)
            ctx.exit(130)
        except Exception as e:  # noqa: BLE001 - the last line of defence against tracebacks
            click.echo(
                f"internal error: {type(e).__name__}: {e}{crash_site(e)}\n"
                f"This is a bug in ppconnector, not in your input. Please report it at {ISSUES_URL} "
                "with the command you ran.",
                err=True,
            )
            ctx.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ppconnector")
def main() -> None:
    """Power Platform custom connectors from one YAML source."""


def _source(source: str | None) -> Path:
    from .source.loader import find_source

    return Path(source) if source else find_source()


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--locale", default="all", show_default=True, help="Locale to build, or all.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output root (default: the source's folder; the repo root for connector/).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 naming each generated file that is stale.")
def build(sources: tuple[str, ...], locale: str, out: Path | None, check: bool) -> None:
    """Build apiDefinition, apiProperties, script and settings from YAML sources (every connector below
    a folder given, or below this one)."""
    from .build import build as build_locale
    from .build import default_out, refuse_links_out, select_locales
    from .repo.discover import collision, many, single
    from .source.loader import load_connector

    units = many(sources, folders=False)
    if units is not None:
        if out is not None:
            raise click.UsageError("--out takes one connector; these paths name several")
        from .repo.files import build_job, make_many

        make_many(build_job, units, locale, check, "build", ("generated file", "files"))
    source = single(sources, folders=False)
    connector, warnings = load_connector(_source(source))
    if out is None and collision(connector.file):
        raise InputError(collision(connector.file))
    _echo_findings(warnings)
    root = out or default_out(connector)
    files: dict[Path, bytes] = {}
    for loc in select_locales(connector, locale):
        files.update(build_locale(connector, loc, root).files)
    if out is None:  # the repo's own build (not a scratch --out): keep the editors' schema current too
        files.update(editor_schema(root))
    refuse_links_out(root, files)
    _write_or_check(files, check, "build", ("generated file", "files"))


EDITOR_SCHEMA = Path(".ppconnector") / "connector.schema.json"


def editor_schema(root: Path) -> dict[Path, bytes]:
    """The YAML source's JSON Schema in the user's repo, where `# yaml-language-server: $schema=` points
    (../.ppconnector/connector.schema.json from connector/): a stable place, whatever the install path."""
    from .source.loader import SCHEMA_FILE

    return {root / EDITOR_SCHEMA: SCHEMA_FILE.read_bytes()}


def _write_or_check(files: dict[Path, bytes], check: bool, command: str, nouns: tuple[str, str]) -> None:
    """Write files atomically, or with check only say which are stale (exit 1): CI's guard against a forgotten run."""
    from .emit.files import stale_files, write_all
    from .source.loader import display_path

    what, short = nouns
    if check:
        stale = stale_files(files)
        for path in stale:
            click.echo(f"{display_path(path)}: stale; run `ppconnector {command}` and commit the result", err=True)
        if stale:
            sys.exit(1)
        click.echo(f"{len(files)} {what}s are up to date")
        return
    changed = write_all(files)
    click.echo(f"{len(changed)} of {len(files)} {short} written" if changed else f"{len(files)} {short} already up to date")


# Each feature package contributes its commands from `generator/<feature>/command.py` (a list named
# `commands`), so features are added without touching this file.  Those modules import lazily inside
# their commands, which keeps `ppconnector` quick to start (it runs in pre-commit hooks).
FEATURES = ("check", "fixtures", "script", "diff", "i18n", "docs", "importer", "deploy", "package", "solution")


def _add_feature_commands() -> None:
    import importlib

    for feature in FEATURES:
        name = f"generator.{feature}.command"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name in (f"generator.{feature}", name):
                continue  # that feature is not part of this build of the toolkit
            raise
        for command in module.commands:
            main.add_command(command)


_add_feature_commands()

if __name__ == "__main__":
    main()

"""The `ppconnector` command line: the group every command hangs from, and how a run ends.

Each feature adds its commands from `generator/<feature>/command.py` (a list named `commands`); a command
parses its options, calls the library once, renders once and picks the exit code.  Nothing imports this
module but the entry point.

Exit codes: 0 clean, 1 findings at or above the failing severity (or stale files), 2 unusable input, usage or
environment (standard output closed or full included), 3 an internal error (a bug in ppconnector, never the
user's input).  SIGTERM ends a run as Ctrl-C does: writes are put back, pool workers stopped.
"""

from __future__ import annotations

import signal
import sys

import click

from . import __version__
from .commandline import ISSUES_URL, OutputError, echo, echo_findings, reader_gone, silence
from .diagnostics import InputError, crash_site


class Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C, so every write in progress is put back and the pool is stopped."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def _flush() -> None:
    """Flush stdout now: a reader that stopped early (`rules | head -1`) or a full disk shows here, not at exit."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence(sys.stdout)
    except OSError as e:
        silence(sys.stdout)
        raise OutputError(f"cannot write to standard output: {e.strerror or e}") from None


class _Group(click.Group):
    """Turns every failure into a message: InputError -> exit 2, anything unexpected -> exit 3."""

    def invoke(self, ctx: click.Context):
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _terminate)
        try:
            try:
                result = super().invoke(ctx)
            except SystemExit as e:
                _flush()
                if not e.code and reader_gone():
                    ctx.exit(141)
                raise
            _flush()
            if reader_gone():
                ctx.exit(141)  # the work is done; what a shell reports for a reader that went away
            return result
        except BrokenPipeError:
            silence(sys.stdout)
            ctx.exit(141)  # what a shell reports for SIGPIPE: the reader went away, nothing is wrong
        except InputError as e:
            echo_findings(e.findings)
            ctx.exit(2)
        except OutputError as e:
            echo(f"error: {e}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            echo("interrupted; no output was changed", err=True)
            ctx.exit(130)
        except Terminated:
            echo("terminated; no output was changed", err=True)
            ctx.exit(143)
        except Exception as e:  # noqa: BLE001 - the last line of defence against tracebacks
            echo(f"internal error: {type(e).__name__}: {e}{crash_site(e)}\n"
                 f"This is a bug in ppconnector, not in your input. Please report it at {ISSUES_URL} "
                 "with the command you ran.", err=True)
            ctx.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ppconnector")
def main() -> None:
    """Power Platform custom connectors from one YAML source."""


# Those modules import lazily inside their commands, which keeps `ppconnector` quick to start (it runs in
# pre-commit hooks).
FEATURES = ("init", "build", "check", "fixtures", "script", "diff", "i18n", "docs", "importer", "deploy", "package", "solution")


def _add_feature_commands() -> None:
    import importlib

    for feature in FEATURES:
        name = f"{__package__}.{feature}.command"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name in (f"{__package__}.{feature}", name):
                continue  # that feature is not part of this build of the toolkit
            raise
        for command in module.commands:
            main.add_command(command)


_add_feature_commands()

if __name__ == "__main__":
    main()

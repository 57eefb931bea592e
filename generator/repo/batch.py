"""Run one job per connector in one process, spread over the machine's cores.

A process pool started once (forked, so workers share the imported toolkit) takes the connectors in
chunks: 300 connectors cost one start-up, not 300.  Results come back in the order asked for, so the
report is the same whatever ran first.  A progress line is drawn only on a terminal, never in CI logs.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import TypeVar

import click

T = TypeVar("T")
R = TypeVar("R")
POOL_FROM = 4  # fewer connectors than this run in this process: a pool costs more than it saves


def jobs() -> int:
    """Workers: PPCONNECTOR_JOBS, else one per core."""
    wanted = os.environ.get("PPCONNECTOR_JOBS", "")
    return max(1, int(wanted)) if wanted.isdigit() else (os.cpu_count() or 1)


def run_all(job: Callable[[T], R], items: list[T], label: Callable[[T], str] = str) -> list[R]:
    """job(item) for every item, in item order; job must be a module-level function (it is pickled)."""
    workers = min(jobs(), len(items))
    progress = _Progress(len(items))
    results: list[R] = []
    try:
        if workers <= 1 or len(items) < POOL_FROM:
            for item in items:
                progress.show(label(item))
                results.append(job(item))
        else:
            context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                chunk = max(1, len(items) // (workers * 8))
                for item, result in zip(items, pool.map(job, items, chunksize=chunk)):
                    progress.show(label(item))
                    results.append(result)
    finally:
        progress.done()
    return results


class _Progress:
    def __init__(self, total: int):
        self.total, self.count = total, 0
        self.live = total > 1 and sys.stderr.isatty() and not os.environ.get("CI")

    def show(self, name: str) -> None:
        self.count += 1
        if self.live:
            line = f"[{self.count}/{self.total}] {name}"[:100]
            sys.stderr.write(f"\r\033[K{line}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.live:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


@dataclass(frozen=True)
class Outcome:
    """What one command printed for one connector, and its exit code."""

    unit: str
    code: int
    out: str
    err: str

    def lines(self) -> Iterator[str]:
        yield from (self.err + self.out).splitlines()


def cli_job(argv: list[str]) -> tuple[int, str, str]:
    """Run `ppconnector ARGV` in this process, capturing what it prints: (exit code, stdout, stderr)."""
    from ..cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            result = main.main(argv, prog_name="ppconnector", standalone_mode=False)
            code = result if isinstance(result, int) else 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except click.ClickException as e:
            e.show(err)
            code = e.exit_code
        except click.exceptions.Abort:
            code = 1
    return code, out.getvalue(), err.getvalue()


def run_command(argvs: dict[str, list[str]]) -> list[Outcome]:
    """One `ppconnector` command line per connector (unit -> argv), all in this process and its pool."""
    units = list(argvs)
    results = run_all(cli_job, [argvs[u] for u in units], label=lambda argv: argv[-1])
    return [Outcome(u, *r) for u, r in zip(units, results)]


def exit_code(codes: list[int]) -> int:
    """One exit code for many: a bug (3) before unusable input (2) before findings (1)."""
    for code in (3, 2, 1):
        if code in codes:
            return code
    return max(codes, default=0)


def report_many(argvs: dict[str, list[str]], as_json: bool = False) -> None:
    """Run one command line per connector, print what each printed (connector by connector; with as_json
    one JSON list of what each printed), one summary line, and exit with one code."""
    import json

    outcomes = run_command(argvs)
    for o in outcomes:
        if o.err:
            click.echo(o.err, err=True, nl=False)
        if o.out and not as_json:
            click.echo(o.out, nl=False)
    if as_json:
        click.echo(json.dumps([json.loads(o.out) for o in outcomes if o.out.strip()], indent=2, ensure_ascii=False))
    failed = [o.unit for o in outcomes if o.code]
    click.echo(f"{len(outcomes)} connectors" + (f", {len(failed)} failed: {', '.join(failed[:10])}"
                                                 + (", ..." if len(failed) > 10 else "") if failed else ", all passed"), err=True)
    sys.exit(exit_code([o.code for o in outcomes]))


def cli_live(argv: list[str]) -> int:
    """Run `ppconnector ARGV` in this process, printing as it goes; its exit code."""
    from ..cli import main

    try:
        result = main.main(argv, prog_name="ppconnector", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except click.ClickException as e:
        e.show()
        return e.exit_code


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")

"""A library function mapped over connectors: in this process, or spread over the machine's cores.

A process pool started once (forked, so workers share the imported toolkit) takes the connectors in chunks:
300 connectors cost one start-up, not 300.  Results come back in the order asked for, so a report is the same
whatever ran first.  A progress line is drawn only on a terminal, never in CI logs.

Each connector's result is an Outcome: the feature's value, the findings, and whether it was usable (0), unusable
input (2) or hit a bug in ppconnector (3).  One connector's failure never hides the others' results.  Workers
ignore Ctrl-C (the parent stops them, so no worker prints a traceback) and die with the parent; a pool
interrupted in any way is stopped before the exception goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..diagnostics import Finding, InputError, internal_error
from .resolve import ConnectorRef

T = TypeVar("T")
R = TypeVar("R")
POOL_FROM = 4  # fewer items than this run in this process: a pool costs more than it saves
USABLE, UNUSABLE, BUG = 0, 2, 3


def jobs() -> int:
    """Workers: PPCONNECTOR_JOBS, else one per core."""
    wanted = os.environ.get("PPCONNECTOR_JOBS", "")
    return max(1, int(wanted)) if wanted.isdigit() else (os.cpu_count() or 1)


_STOPPING = {signal.SIGINT, signal.SIGTERM}


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent answers it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)  # blocked while the pool forked us (see run_all)
    if sys.platform.startswith("linux"):  # a parent killed outright takes its workers with it
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _hold(signals, release: bool = False):
    """Block signals (returns the mask to restore), or with release restore a mask _hold returned; None: nothing
    to do (done already, or no signal masks on this platform)."""
    if signals is None or not hasattr(signal, "pthread_sigmask"):
        return None
    if release:
        signal.pthread_sigmask(signal.SIG_SETMASK, signals)
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, signals)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now (Python 3.11's executor has no public way to): no worker outlives the command or
    holds its output pipe open."""
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:  # it finds the workers gone and fails futures already cancelled (InvalidStateError
        # before Python 3.12): a traceback on the way out of a command the user stopped, nothing more
        shown = threading.excepthook
        threading.excepthook = lambda args: None if args.thread is manager else shown(args)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def run_all(job: Callable[[T], R], items: Sequence[T], label: Callable[[T], str] = str) -> list[R]:
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
            # Ctrl-C or SIGTERM while the workers are forked would reach a worker before it ignores them (a worker's
            # traceback): held back until every worker is started, then delivered here, to the parent.
            held = _hold(_STOPPING)
            pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start)
            try:
                answers = pool.map(job, items, chunksize=max(1, len(items) // (workers * 8)))  # forks every worker now
                held = _hold(held, release=True)
                for item, result in zip(items, answers):
                    progress.show(label(item))
                    results.append(result)
            except BaseException:
                _stop(pool)
                raise
            finally:
                _hold(held, release=True)
            pool.shutdown()
    finally:
        progress.done()
    return results


class _Progress:
    def __init__(self, total: int):
        self.total, self.count = total, 0
        try:
            self.live = total > 1 and sys.stderr.isatty() and not os.environ.get("CI")
        except (AttributeError, ValueError):  # no stderr at all
            self.live = False

    def _write(self, text: str) -> None:
        try:
            sys.stderr.write(text)
            sys.stderr.flush()
        except OSError:
            self.live = False  # the terminal went away: the work goes on

    def show(self, name: str) -> None:
        self.count += 1
        if self.live:
            self._write(f"\r\033[K{f'[{self.count}/{self.total}] {name}'[:100]}")

    def done(self) -> None:
        if self.live:
            self._write("\r\033[K")


@dataclass
class Outcome(Generic[T]):
    """What a feature made of one connector."""

    connector: ConnectorRef
    value: T | None  # the feature's result; None when the connector was unusable or hit a bug
    findings: list[Finding] = field(default_factory=list)  # warnings alongside the value, or why there is none
    code: int = USABLE  # USABLE, UNUSABLE (input ppconnector cannot use) or BUG (in ppconnector)

    @property
    def ok(self) -> bool:
        return self.code == USABLE


def _guarded(item: tuple[Callable[..., tuple[Any, list[Finding]]], ConnectorRef, tuple]) -> Outcome:
    job, ref, args = item
    try:
        value, findings = job(ref, *args)
        return Outcome(ref, value, list(findings))
    except InputError as e:
        return Outcome(ref, None, e.findings, UNUSABLE)
    except Exception as e:  # noqa: BLE001 - one connector's bug must not hide the others' results
        return Outcome(ref, None, [internal_error(e, ref.shown)], BUG)


def each(job: Callable[..., tuple[T, list[Finding]]], connectors: Sequence[ConnectorRef], *args: Any) -> list[Outcome[T]]:
    """job(connector, *args) -> (value, findings) for every connector, each an Outcome, in order.  job is a
    module-level function and args are picklable: the pool runs them."""
    return run_all(_guarded, [(job, ref, args) for ref in connectors], label=lambda item: item[1].shown)


def exit_code(codes: Sequence[int]) -> int:
    """One exit code for many: a bug (3) before unusable input (2) before findings (1)."""
    for code in (3, 2, 1):
        if code in codes:
            return code
    return max(codes, default=0)

"""The per-file time budget of ``vetpy check``: an analysis that runs longer is stopped.

A commit gate must end whatever the next engine bug is (a recursion in the inference once held a
cold check forever on one installed file).  :func:`budget` arms a one-shot ``SIGALRM`` timer
(``setitimer``) around one file's analysis; when it fires, :class:`BudgetExceeded` is raised in
the analysing (main) thread.  It derives from ``BaseException``, so the engine's ``except
Exception`` around each checker ("one broken checker must not hide the others") does not swallow
it: the whole file stops, every ``finally`` and ``with`` on the way out runs.

Worker I/O is a protected region (:func:`protected`): a question written to the introspection
worker and its answer read back (a JSON line on a pipe, a ``multiprocessing.connection``
message), and a cache file being written.  An exception raised half-way through would leave a
half-written request or an unread answer on the channel and poison the next question's answer,
so inside the region the alarm only sets itself again a tenth of a second later, and the
exception is raised once the region is left (each question is bounded by its own
``introspection-timeout``).  The caller still drops its
analysis state after a stop (:mod:`vetpy.cli.run` closes the project's member index, its worker
connections included, and builds a fresh one), so nothing half-done is reused.

Only the main thread of a process receives signals: elsewhere, and where there is no
``setitimer`` (Windows), :func:`budget` does nothing.  Code that never returns to the
interpreter (a C call that loops) cannot be interrupted this way.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class BudgetExceeded(BaseException):
    """The analysis of one file ran past its budget (raised in the analysing thread)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"analysis stopped after {seconds:.0f} s")
        self.seconds = seconds


class _State:
    armed = False  # a budget is running in this process (its main thread)
    depth = 0  # protected regions entered (by the main thread)
    started = 0.0  # time.monotonic() when the budget was armed


_STATE = _State()
_RETRY = 0.1  # seconds: how often a fired alarm looks again whether the protected region was left


def _elapsed() -> float:
    return time.monotonic() - _STATE.started


def _on_alarm(signum: int, frame: object) -> None:
    if not _STATE.armed:
        return
    if _STATE.depth:  # in worker I/O: ask again shortly
        signal.setitimer(signal.ITIMER_REAL, _RETRY)
        return
    _STATE.armed = False
    raise BudgetExceeded(_elapsed())


def available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`BudgetExceeded` in the body once it has run ``seconds`` (None, or where
    signals cannot be used: no limit).  The previous ``SIGALRM`` handler is restored after."""
    if not seconds or _STATE.armed or not available():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _STATE.armed, _STATE.started = True, time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        _STATE.armed = False  # first: an alarm that fires from here on is ignored
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)  # None: not set from Python


@contextmanager
def protected() -> Iterator[None]:
    """A region the budget does not interrupt (worker I/O): an alarm inside it waits until it is
    left.  Other threads are never interrupted: for them this is nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _STATE.depth += 1
    try:
        yield
    finally:
        _STATE.depth -= 1

"""The per-file time budget of ``vetpy check``: an analysis that runs longer is stopped.

A commit gate must end whatever the next engine bug is (a recursion in the inference once held a
cold check forever on one installed file).  :func:`budget` arms two one-shot timers
(``setitimer``) around one file's analysis: the budget itself counts the *CPU time* of the process
(``ITIMER_PROF``, ``SIGPROF``), so a commit gate on a busy machine, where a file gets a fraction of
a core, does not stop a file that is merely slow to be scheduled (pretix's 5,000-line
``orders.py`` was stopped at a load of 12 on 2 cores); a wall-clock backstop (``ITIMER_REAL``,
``SIGALRM``) of :data:`WALL_FACTOR` times the budget stops what burns no CPU of its own for ever
(a wait that never ends).  When either fires, :class:`BudgetExceeded` is raised in the analysing
(main) thread.  The introspection worker's CPU is its own process's: a question to it costs the
budget nothing but its wall time (each question has its own ``introspection-timeout``).  It derives from ``BaseException``, so the engine's ``except
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
``setitimer`` (Windows), :func:`budget` does nothing.  ``ITIMER_PROF`` counts every thread of the
process: the CLI analyses in its main thread and runs no other busy one.  Code that never returns to the
interpreter (a C call that loops) cannot be interrupted this way.

The language server analyses in threads: there a :class:`Watchdog` (one thread, asleep until the
nearest deadline) stops an analysis that runs past its budget of the analysing thread's *CPU
time* (``time.pthread_getcpuclockid``; wall time where a thread's clock cannot be read, as on
macOS), with the same wall-clock backstop, with an *asynchronous exception*
(CPython's ``PyThreadState_SetAsyncExc``): :class:`BudgetExceeded` is raised in the analysing
thread the next time it runs Python code, outside worker I/O (a protected region waits as
above).  What holds the interpreter in one C call (a regular expression backtracking, a huge
integer conversion) is not stopped by this either: it holds the whole process, the watchdog too.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

log = logging.getLogger("vetpy")
T = TypeVar("T")


class BudgetExceeded(BaseException):
    """The analysis of one file ran past its budget (raised in the analysing thread)."""

    def __init__(self, seconds: float, cpu: float | None = None) -> None:
        super().__init__(f"analysis stopped after {seconds:.0f} s")
        self.seconds = seconds  # wall time
        self.cpu = cpu  # CPU time of the process meanwhile (None: not measured, the Watchdog's)


class _Stop(BaseException):
    """What the :class:`Watchdog` raises in a thread (an asynchronous exception is a class, made
    without arguments); :meth:`Watchdog.call` turns it into :class:`BudgetExceeded`."""


class _State:
    armed = False  # a budget is running in this process (its main thread)
    depth = 0  # protected regions entered (by the main thread)
    started = 0.0  # time.monotonic() when the budget was armed
    cpu = 0.0  # time.process_time() then


_STATE = _State()
_RETRY = 0.1  # seconds: how often a fired alarm looks again whether the protected region was left
WALL_FACTOR = 5.0  # the wall-clock backstop, in budgets: a file gets 1/5 of a core before it is stopped
# signal -> its timer: the budget's (CPU time of the process) and the backstop's (wall clock)
_TIMERS = {signal.SIGPROF: signal.ITIMER_PROF, signal.SIGALRM: signal.ITIMER_REAL} if hasattr(signal, "setitimer") else {}


def _elapsed() -> float:
    return time.monotonic() - _STATE.started


def _on_alarm(signum: int, frame: object) -> None:
    if not _STATE.armed:
        return
    if _STATE.depth:  # in worker I/O: ask again shortly (the CPU timer: once it runs again)
        signal.setitimer(_TIMERS[signum], _RETRY)
        return
    _STATE.armed = False
    raise BudgetExceeded(_elapsed(), time.process_time() - _STATE.cpu)


def available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`BudgetExceeded` in the body once it has used ``seconds`` of CPU time, or
    run ``WALL_FACTOR * seconds`` of wall time (None, or where signals cannot be used: no
    limit).  The previous ``SIGPROF`` and ``SIGALRM`` handlers are restored after."""
    if not seconds or _STATE.armed or not available():
        yield
        return
    previous = {signum: signal.signal(signum, _on_alarm) for signum in _TIMERS}
    _STATE.armed, _STATE.started, _STATE.cpu = True, time.monotonic(), time.process_time()
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR)
        yield
    finally:
        _STATE.armed = False  # first: an alarm that fires from here on is ignored
        for signum, timer in _TIMERS.items():
            signal.setitimer(timer, 0)
            before = previous[signum]
            signal.signal(signum, signal.SIG_DFL if before is None else before)  # None: not set from Python


# protected regions entered by each thread other than the main one (read by the Watchdog)
_DEPTHS: dict[int, int] = {}


@contextmanager
def protected() -> Iterator[None]:
    """A region the budget does not interrupt (worker I/O): an alarm inside it, or the
    :class:`Watchdog`'s stop of the thread, waits until it is left."""
    if threading.current_thread() is not threading.main_thread():
        ident = threading.get_ident()
        _DEPTHS[ident] = _DEPTHS.get(ident, 0) + 1  # only this thread writes its entry
        try:
            yield
        finally:
            depth = _DEPTHS.pop(ident) - 1
            if depth:
                _DEPTHS[ident] = depth
        return
    _STATE.depth += 1
    try:
        yield
    finally:
        _STATE.depth -= 1


def _async_raiser() -> Callable[[int, object], int] | None:
    """CPython's ``PyThreadState_SetAsyncExc`` (None on an interpreter without it)."""
    try:
        raise_in = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (AttributeError, OSError):
        return None
    raise_in.argtypes = (ctypes.c_ulong, ctypes.py_object)
    raise_in.restype = ctypes.c_int
    clear = ctypes.py_object()  # NULL: clears the thread's pending exception (None would be raised)
    return lambda ident, exc: int(raise_in(ident, clear if exc is None else exc))


class _Watch:
    __slots__ = ("thread", "started", "due", "fired", "seconds", "clock", "cpu_start")

    def __init__(self, thread: int, started: float, seconds: float) -> None:
        self.thread, self.started, self.due, self.fired = thread, started, started + seconds, False
        self.seconds = seconds
        self.clock, self.cpu_start = _thread_clock(thread)

    def cpu_left(self, now: float) -> float:
        """CPU seconds of the budget the thread has not used yet (0: stop it); where a thread's
        CPU clock cannot be read, the wall time counts, as before."""
        if self.clock is None:
            return self.started + self.seconds - now
        if now >= self.started + self.seconds * WALL_FACTOR:
            return 0.0  # the backstop: what burns no CPU of its own for ever
        try:
            return self.seconds - (time.clock_gettime(self.clock) - self.cpu_start)
        except OSError:
            return self.started + self.seconds - now


def _thread_clock(thread: int) -> tuple[int | None, float]:
    """The CPU clock of ``thread`` (the calling one) and its reading now."""
    getter = getattr(time, "pthread_getcpuclockid", None)  # Unix but macOS
    if getter is None:
        return None, 0.0
    try:
        clock = getter(thread)
        return clock, time.clock_gettime(clock)
    except (OSError, OverflowError):
        return None, 0.0


class Watchdog:
    """Time budgets for calls in threads other than the main one (the language server's analyses).

    :meth:`call` runs a function in the calling thread and registers it with the watchdog thread,
    which sleeps until the nearest deadline (woken only when a call is due before it: an
    analysis that ends in time costs two short critical sections, no wake-up).  Past its
    deadline and outside worker I/O (:func:`protected`), the call's thread gets an asynchronous
    :class:`_Stop`, once; :meth:`call` raises :class:`BudgetExceeded` in its place.  A stop that
    comes as the call returns is either caught there or cleared before :meth:`call` returns:
    no stop ever reaches the caller's own code afterwards.
    """

    def __init__(self) -> None:
        # The calls' threads take the bare lock, never the condition's Python methods: a stop
        # arriving in a Python frame between an acquire and its ``with`` would leave it held.
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._running: dict[int, _Watch] = {}
        self._thread: threading.Thread | None = None
        self._wake = float("inf")  # when the watchdog thread wakes next
        self._raise = _async_raiser()
        self.stops = 0  # analyses stopped (the tests read it)

    def available(self) -> bool:
        return self._raise is not None

    def call(self, seconds: float | None, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)``, stopped with :class:`BudgetExceeded` once it has run ``seconds`` (None
        or 0: no limit; in the main thread the ``SIGALRM`` :func:`budget` serves instead)."""
        if not seconds or self._raise is None or threading.current_thread() is threading.main_thread():
            return fn(*args)
        ident = threading.get_ident()
        if ident in self._running:
            return fn(*args)  # within a call already watched: its budget holds
        watch = _Watch(ident, time.monotonic(), seconds)
        with self._lock:  # no stop can be pending here: the watchdog needs the lock to stop
            self._running[watch.thread] = watch
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="vetpy-watchdog", daemon=True)
                self._thread.start()
            elif watch.due < self._wake:
                self._cond.notify()
        try:
            try:
                return fn(*args)
            finally:
                self._leave(watch)
        except _Stop:  # raised in fn or in _leave, before it could clear it; never again after
            self._running.pop(watch.thread, None)
            raise BudgetExceeded(time.monotonic() - watch.started) from None

    def _leave(self, watch: _Watch) -> None:
        with self._lock:
            self._running.pop(watch.thread, None)
            fired = watch.fired
        if fired and self._raise is not None:
            self._raise(watch.thread, None)  # a stop not raised yet: cleared (NULL clears it)
            raise _Stop  # the budget ran out: said as such, not as the result of a cut-short call

    def _watch(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                nearest = float("inf")
                for watch in list(self._running.values()):
                    if watch.fired:
                        continue
                    if now >= watch.due:
                        left = watch.cpu_left(now)
                        if left > 0:  # waited for a core (or the worker): CPU budget left
                            watch.due = now + max(left, _RETRY)
                        elif _DEPTHS.get(watch.thread):  # in worker I/O: look again shortly
                            watch.due = now + _RETRY
                        else:
                            self._stop(watch, now)
                            continue
                    nearest = min(nearest, watch.due)
                self._wake = nearest
                self._cond.wait(None if nearest == float("inf") else nearest - now)

    def _stop(self, watch: _Watch, now: float) -> None:
        assert self._raise is not None
        watch.fired = True
        self.stops += 1
        log.debug("stopping the analysis in thread %d after %.1f s", watch.thread, now - watch.started)
        self._raise(watch.thread, _Stop)

"""Per-document analysis scheduling: debounce, cancellation, and the stale-version guard.

One asyncio task per document URI.  A new edit cancels the pending task (and raises the cancel
flag of an analysis already running in a worker thread, which the engine polls between checker
passes), waits ``debounce`` seconds, snapshots ``(version, text)``, analyses the snapshot in
vetpy's own thread pool (never pygls' reader pool, never the event loop), and hands the result
on only if the document is still open at that version.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import gc
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Generic, Mapping, TypeVar

from vetpy.environment.modules import forget_parsed_sources

log = logging.getLogger("vetpy.lsp")

R = TypeVar("R")

# An analysis allocates tens of thousands of short-lived objects (a 1,000-line file is 10,000
# syntax-tree nodes).  With the default thresholds the young generation is collected every 700
# allocations and the oldest one, which holds every long-lived cache of the server, is rescanned
# every few analyses: about 10 % of the CPU time of an edit.  A server that has analysed once
# raises the thresholds and moves what exists by then (modules, environment, caches) out of the
# collector's sight (``gc.freeze``); reference counting still frees the syntax trees.
GC_THRESHOLDS = (10_000, 10, 10)

# Every syntax tree the server builds is freed, but the C heap it was carved from is not handed
# back: after tens of thousands of edits the freed pages of glibc's heap are scattered between
# live objects and the server's resident size creeps up (benchmarks/soak.md).  At most once per
# interval, after an analysis, a worker thread collects garbage cycles and asks glibc to return
# the free pages (``malloc_trim``; elsewhere only the collection runs).
RELEASE_INTERVAL = 30.0  # seconds


# The young generations fill up during an analysis (a few thousand objects that outlive it:
# the new statement's nodes, the kept findings and facts) and were collected inside some later
# analysis, when their threshold was reached: on the 960-line app of the editor benchmark one edit
# in about 14 paid 2-3 ms for that, which made the p95.  After each delivered result a worker
# thread collects them instead (0.1-0.2 ms), while the user types the next key: an analysis then
# starts with empty young generations and stays below the threshold.
#
# The same thread lets go of the installed modules' source trees the analysis parsed (the last few
# are kept for the analysis that reads a module several times; its facts are kept in derived form,
# and no edit reads the trees again), and gives their pages back to the system: ~7 MB of the server
# on the editor benchmark's app.  Only after the few analyses that parse installed modules (the
# first ones, a new import): an edit's analysis parses none.
def collect_young() -> None:
    """Collect the two young generations (never the oldest: :func:`release_memory` does, rarely)."""
    released = forget_parsed_sources()
    gc.collect(1)
    trim = _malloc_trim() if released else None
    if trim is not None:
        trim(0)


def release_memory() -> None:
    """Collect garbage cycles, then give the C heap's free pages back to the system."""
    forget_parsed_sources()
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


# glibc gives each thread that allocates its own heap ("arena", up to 8 per core); the server's
# threads (analyses, environment builds, the preload, the message reader) take turns under the GIL,
# so more than two arenas only scatter its memory: ~3-6 MB of the server's resident size on the
# editor benchmark.  Set before the server starts its threads; a MALLOC_ARENA_MAX the user set wins.
ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter (malloc.h)


def limit_malloc_arenas(environ: Mapping[str, str] = os.environ) -> bool:
    """At most :data:`ARENAS` glibc heaps for this process's threads (False where there is no
    glibc, or where ``MALLOC_ARENA_MAX`` is set: glibc read it at start)."""
    if "MALLOC_ARENA_MAX" in environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(mallopt(_M_ARENA_MAX, ARENAS))


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (None elsewhere: macOS, musl, Windows)."""
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError, TypeError):
        return None


@dataclass(frozen=True)
class Snapshot:
    uri: str
    version: int | None
    text: str


@dataclass
class Outcome(Generic[R]):
    snapshot: Snapshot
    value: R


@dataclass
class _DocState(Generic[R]):
    task: asyncio.Task[None] | None = None
    cancel: threading.Event | None = None
    latest: Outcome[R] | None = None
    waiters: list[asyncio.Future[Outcome[R]]] = field(default_factory=list)


class Scheduler(Generic[R]):
    """Debounced, cancellable, version-checked analysis runs.

    ``snapshot(uri)`` returns the open document's current state (None once closed);
    ``analyze(snapshot, cancelled)`` runs in a worker thread; ``deliver(outcome)`` is called on
    the event loop with every result that is still current.
    """

    def __init__(
        self,
        snapshot: Callable[[str], Snapshot | None],
        analyze: Callable[[Snapshot, Callable[[], bool]], R],
        deliver: Callable[[Outcome[R]], None],
        workers: int = 2,
    ) -> None:
        self._snapshot = snapshot
        self._analyze = analyze
        self._deliver = deliver
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vetpy-analysis")
        self._docs: dict[str, _DocState[R]] = {}
        self.runs = 0  # analyses started (tests and the benchmark read it)
        self.dropped = 0  # results thrown away because the document moved on
        self._gc_settled = False
        self._released = time.monotonic()  # when memory was last given back (release_memory)
        self.releases = 0  # how often (the tests read it)
        self.young_collections = 0  # collect_young runs (the tests read it)

    # -- scheduling ------------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        """(Re)start the analysis of ``uri`` after ``delay`` seconds, cancelling a pending one."""
        state = self._docs.setdefault(uri, _DocState())
        self._cancel_running(state)
        state.task = asyncio.get_running_loop().create_task(self._run(uri, state, delay), name=f"vetpy:{uri}")

    def forget(self, uri: str) -> None:
        """The document closed: cancel its work and drop its results."""
        state = self._docs.pop(uri, None)
        if state is None:
            return
        self._cancel_running(state)
        for waiter in state.waiters:
            if not waiter.done():
                waiter.cancel()

    def busy(self, uri: str) -> bool:
        """Is an analysis of ``uri`` scheduled or running?"""
        state = self._docs.get(uri)
        return state is not None and state.task is not None and not state.task.done()

    def latest(self, uri: str) -> Outcome[R] | None:
        state = self._docs.get(uri)
        return state.latest if state else None

    async def current(self, uri: str) -> Outcome[R] | None:
        """The result for the document's current version, analysing now if there is none."""
        snap = self._snapshot(uri)
        if snap is None:
            return None
        state = self._docs.setdefault(uri, _DocState())
        if state.latest is not None and state.latest.snapshot.version == snap.version:
            return state.latest
        waiter: asyncio.Future[Outcome[R]] = asyncio.get_running_loop().create_future()
        state.waiters.append(waiter)
        if state.task is None or state.task.done():
            self.schedule(uri, 0.0)
        try:
            return await waiter
        except asyncio.CancelledError:
            if self._snapshot(uri) is None:
                return None
            raise

    def invalidate(self, uri: str) -> None:
        """Forget the cached result (the environment changed) without cancelling anything."""
        state = self._docs.get(uri)
        if state is not None:
            state.latest = None

    def shutdown(self) -> None:
        for uri in list(self._docs):
            self.forget(uri)
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- internals -------------------------------------------------------------------------------
    @staticmethod
    def _cancel_running(state: _DocState[R]) -> None:
        if state.cancel is not None:
            state.cancel.set()
            state.cancel = None
        if state.task is not None and not state.task.done():
            state.task.cancel()
        state.task = None

    async def _run(self, uri: str, state: _DocState[R], delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            await asyncio.sleep(0)  # let a burst of queued edits cancel this run first
        snap = self._snapshot(uri)
        if snap is None:
            return
        cancel = threading.Event()
        state.cancel = cancel
        self.runs += 1
        loop = asyncio.get_running_loop()
        try:
            value = await loop.run_in_executor(self._executor, self._analyze, snap, cancel.is_set)
        except Exception as exc:  # a bug outside the engine's own guard: log it, free the waiters
            log.exception("analysing %s version %s failed", uri, snap.version)
            for waiter in state.waiters:
                if not waiter.done():
                    waiter.set_exception(exc)
            state.waiters.clear()
            return
        if cancel.is_set():
            return
        outcome = Outcome(snap, value)
        now = self._snapshot(uri)
        if now is None or now.version != snap.version or self._docs.get(uri) is not state:
            self.dropped += 1
            log.debug("dropped the result for %s version %s (now %s)", uri, snap.version, now and now.version)
            return
        state.latest = outcome
        state.cancel = None
        for waiter in state.waiters:
            if not waiter.done():
                waiter.set_result(outcome)
        state.waiters.clear()
        self._deliver(outcome)
        if not self._gc_settled:
            self._gc_settled = True
            gc.collect()
            gc.freeze()
            gc.set_threshold(*GC_THRESHOLDS)
        elif time.monotonic() - self._released >= RELEASE_INTERVAL:
            self._released = time.monotonic()
            self.releases += 1
            loop.run_in_executor(self._executor, release_memory)  # off the event loop; not awaited
        else:
            self.young_collections += 1
            loop.run_in_executor(self._executor, collect_young)  # after the delivery; not awaited

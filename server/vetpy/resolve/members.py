"""The member index: what a module or class of the target environment really has.

Answers come from the introspection worker (``_worker.py``), a long-lived subprocess of the
*target* interpreter that imports installed packages (never first-party code).  Answers are
cached in memory and on disk per (distribution, version, Python version), so a package is
introspected once per version.  A worker that hangs (no answer within ``introspection-timeout``
seconds), crashes or answers garbage is killed; the module it was busy with is marked
unverifiable (rules stay silent about it) and the worker is restarted with back-off
(:class:`Backoff`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vetpy import deadline, reads
from vetpy.resolve import early_worker
from vetpy.config import Config
from vetpy.environment.discovery import cache_dir, cache_file_lock, kill_group, write_cache_json
from vetpy.resolve.backoff import Backoff, WorkerResting

if TYPE_CHECKING:
    from vetpy.environment.model import TargetEnvironment

log = logging.getLogger("vetpy")

CACHE_FORMAT = 3
# Answers kept per distribution table, in memory and on disk (least recently used dropped first).
# Every distinct question adds one (an editor asks about each half-typed ``json.lo``, ``json.loa``
# ...), so without a bound a day of editing grows the table, and the file rewritten on each flush.
MAX_ANSWERS = 4096
MAX_ANSWER_BYTES = 16 * 1024 * 1024  # one answer line; longer is garbage
UNVERIFIABLE_RETRY = 60.0  # seconds before a module that hung or crashed the worker is asked again (doubling)
UNVERIFIABLE_TRIES = 3  # failures after which it never is
REQUEST_TIMEOUT = Config.introspection_timeout  # seconds per question ([tool.vetpy] introspection-timeout)
# one program: the instance model and the return types first, the worker (which reads requests) after it
_WORKER_SOURCES = tuple(Path(__file__).with_name(f"{name}.py") for name in ("_worker_canonical", "_worker_facts", "_worker_instances", "_worker_subclasses", "_worker_setattr", "_worker_returns", "_worker_getattr", "_worker_sinks", "_worker_key_patterns", "_worker_shapes", "_worker_awaits", "_worker_aws", "_worker_passes", "_worker_states", "_worker_keeps", "_worker_managers", "_worker_spreads", "_worker_methods", "_worker_new_init", "_worker_compiled_dicts", "_worker_builders", "_worker_keyed", "_worker_rebinds", "_worker_merges", "_worker_declared", "_worker"))


def _worker_source() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in _WORKER_SOURCES)


@lru_cache(maxsize=1)
def _worker_launch() -> tuple[str, bytes]:
    """The worker's ``-c`` program and what to write on its stdin first: its source, compressed.
    The source is too long for one command-line argument (Linux takes 128 KiB, Windows 32 KiB for
    the whole line), so a small loader reads exactly that many bytes from stdin (unbuffered, as
    the worker then reads its requests) and runs them."""
    from vetpy.resolve.worker_program import payload as program

    payload = program(_worker_source())
    loader = (
        "# vetpy introspection worker: its program follows on stdin\n"  # what `ps` shows, and tests look for
        "import os, zlib\n"
        f"need, got = {len(payload)}, b''\n"
        "while len(got) < need:\n"
        "    chunk = os.read(0, need - len(got))\n"
        "    if not chunk:\n"
        "        raise SystemExit(3)\n"
        "    got += chunk\n"
        "exec(compile(zlib.decompress(got).decode('utf-8'), '<vetpy worker>', 'exec'))\n"
    )
    return loader, payload


@dataclass
class AttributeVerdict:
    """Does ``module.name`` exist?  ``exists`` is None when it cannot be verified."""

    exists: bool | None
    explanation: str | None = None  # the package's own words when it explains a missing name
    candidates: list[str] = field(default_factory=list)  # real names, for suggestions


@lru_cache(maxsize=1)
def _worker_digest() -> str:
    return hashlib.sha256(_worker_source().encode()).hexdigest()[:16]


def stdlib_facts_dir(cache_root: Path) -> Path:
    """Where workers keep what their instance model learned about an interpreter's standard
    library: beside the namespace index, one directory per worker source (a new vetpy never reads
    an older worker's facts), one file per interpreter fingerprint inside it."""
    return cache_root / "index" / "stdlib-facts" / _worker_digest()


class WorkerClient:
    """One introspection worker subprocess speaking JSON lines, restarted with back-off."""

    def __init__(self, python: str, roots: list[str], timeout: float = REQUEST_TIMEOUT,
                 workdir: Path | None = None, backoff: Backoff = Backoff(), facts: Path | None = None) -> None:
        self.python = python
        self.workdir = workdir or cache_dir() / "probe-cwd"
        self.facts = facts  # where the worker keeps what it learned about the standard library (None: nowhere)
        self.roots = roots
        self.timeout = timeout
        self.backoff = backoff
        self.failures = 0  # consecutive failed questions (reset by an answer)
        self.starts = 0  # worker processes started so far
        self._resting_until = 0.0  # time.monotonic() before which no worker is started
        self._proc: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._lock = threading.Lock()
        self._next_id = 0
        self.last_used = time.monotonic()  # when the last question was asked or answered
        self._answered = False  # has the running worker answered anything (its first ping)?
        self.proven = False  # has any worker of this client answered: may a failure be a module's?
        self._warned = False  # that no worker could run is said once, as a warning
        self._closing = False  # close() was called while a question was in flight

    def _start(self) -> subprocess.Popen[bytes]:
        workdir = self.workdir
        try:
            workdir.mkdir(parents=True, exist_ok=True)
        except OSError:
            workdir = Path(os.path.abspath(os.sep))
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSTARTUP", "PYTHONINSPECT", "PYTHONPATH")}
        env["PYTHONIOENCODING"] = "utf-8"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.setdefault("MPLBACKEND", "Agg")
        env.pop("VETPY_WORKER_FACTS", None)
        if self.facts is not None:
            env["VETPY_WORKER_FACTS"] = str(self.facts)
        self.starts += 1
        self._answered = False
        loader, program = _worker_launch()
        proc = subprocess.Popen(
            [self.python, "-c", loader, *self.roots],
            cwd=workdir, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            start_new_session=(os.name != "nt"),  # its own process group: what a package forks dies with it
        )
        try:
            assert proc.stdin is not None
            # smaller than a pipe's buffer: does not wait for the worker.  A ping first: its answer
            # (skipped by request() like any stale one) proves the program runs on this interpreter
            proc.stdin.write(program + b'{"op": "ping", "id": 0}\n')
            proc.stdin.flush()
        except OSError:
            self._proc = proc
            raise
        lines: queue.Queue[bytes | None] = queue.Queue()

        def pump(stream: Any = proc.stdout) -> None:
            # a line longer than MAX_ANSWER_BYTES arrives in pieces, each garbage to the reader
            for raw in iter(lambda: stream.readline(MAX_ANSWER_BYTES), b""):
                lines.put(raw)
            lines.put(None)

        threading.Thread(target=pump, daemon=True, name="vetpy-worker-reader").start()
        self._lines = lines
        self._proc = proc
        return proc

    def _running(self) -> subprocess.Popen[bytes]:
        """The live worker, started now if the back-off allows; raises WorkerResting."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            return proc
        wait = self._resting_until - time.monotonic()
        if wait > self.backoff.wait_at_most:
            raise WorkerResting(f"introspection worker resting for {wait:.1f} s more after {self.failures} failure(s)")
        if wait > 0:
            time.sleep(wait)
        try:
            return self._start()
        except OSError as exc:
            self._failed(f"cannot start: {exc}")
            raise WorkerResting(str(exc)) from None

    def _failed(self, why: str) -> None:
        self._kill()
        self.failures += 1
        delay = self.backoff.delay(self.failures)
        self._resting_until = time.monotonic() + delay
        if not self._answered and not self._warned:  # not one module's fault: the worker cannot run here
            self._warned = True
            log.warning("introspection worker for %s could not run (%s): members of installed packages are not "
                        "verified", self.python, why)
        elif self.failures >= self.backoff.pause_after:
            log.warning(
                "introspection worker for %s: %s; %d failures in a row, not restarted for %.0f s "
                "(members of installed packages are not verified meanwhile)", self.python, why, self.failures, delay,
            )
        else:
            log.info("introspection worker for %s: %s; restart in %.1f s at the earliest", self.python, why, delay)

    def request(self, payload: dict[str, Any], timeout: float | None = None) -> dict[str, Any] | None:
        """The worker's answer, or None when it hung (killed after ``timeout`` seconds), died or
        answered nothing readable.  Raises WorkerResting when no worker may start yet.

        A worker that had answered and then died under this question, the first failure in a
        row, is asked once more on a new one: it may have been killed from outside (the machine
        out of memory, a user's ``kill``), and the module would otherwise go unverified for a
        minute.  A question that hangs is not asked again (another timeout's wait)."""
        with self._lock, deadline.protected():  # the budget never stops half-way through a question
            self._closing = False
            answer, died = self._request_once(payload, timeout)
            if answer is None and died and self.failures == 1 and not self._closing:
                try:
                    answer, died = self._request_once(payload, timeout)
                except WorkerResting:
                    return None
            return answer

    def _request_once(self, payload: dict[str, Any], timeout: float | None) -> tuple[dict[str, Any] | None, bool]:
        """(the answer or None, whether a worker that had answered died under the question)."""
        self.last_used = time.monotonic()
        proc = self._running()
        self._next_id += 1
        ident = self._next_id
        limit = timeout or self.timeout
        try:
            assert proc.stdin is not None
            proc.stdin.write((json.dumps({**payload, "id": ident}) + "\n").encode("utf-8"))
            proc.stdin.flush()
        except OSError:
            answered = self._answered
            self._failed("its input is closed (it died)")
            return None, answered
        deadline = time.monotonic() + limit  # for the whole answer: garbage lines do not extend it
        while True:
            left = deadline - time.monotonic()
            try:
                if left <= 0:  # checked first: a worker flooding its channel never leaves it empty
                    raise queue.Empty
                raw = self._lines.get(timeout=left)
            except queue.Empty:
                self._failed(f"no answer within {limit:g} s (killed)")
                return None, False
            if raw is None:
                answered = self._answered
                self._failed(f"it exited (code {proc.wait()})")
                return None, answered
            try:
                answer = json.loads(raw)
            except ValueError:
                continue
            if isinstance(answer, dict) and "id" in answer:
                self._answered = self.proven = True
            if isinstance(answer, dict) and answer.get("id") == ident:
                self.failures = 0
                self.last_used = time.monotonic()
                return answer, False

    def idle_for(self, seconds: float) -> bool:
        """Has a running worker had no question for ``seconds``?  A hint, read without the lock:
        :meth:`retire_if_idle` decides."""
        proc = self._proc
        return proc is not None and proc.poll() is None and time.monotonic() - self.last_used >= seconds

    def retire_if_idle(self, seconds: float) -> bool:
        """End the worker if it has had no question for ``seconds`` (and none is being asked);
        the next question starts a new one.  Whether it ended."""
        if not self._lock.acquire(blocking=False):
            return False  # a question is being answered
        try:
            proc = self._proc
            if proc is None or proc.poll() is not None or time.monotonic() - self.last_used < seconds:
                return False
            try:
                if proc.stdin is not None:
                    proc.stdin.close()  # the worker's end of input: it exits
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self._kill()
            return True
        finally:
            self._lock.release()

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            kill_group(proc)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def close(self) -> None:
        self._closing = True  # a question in flight is not asked again on a new worker
        if not self._lock.acquire(timeout=5):
            # a question is still waiting for its answer: kill the worker under it (it then
            # sees the end of the output and returns) rather than wait up to the timeout
            proc = self._proc
            if proc is not None:
                kill_group(proc)
            return
        try:
            proc = self._proc
            if proc is not None and proc.poll() is None and proc.stdin is not None:
                try:
                    proc.stdin.close()
                    proc.wait(timeout=2)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._kill()
        finally:
            self._lock.release()


class SharedWorker:
    """One worker (standard library; installed packages) for all the processes of a ``vetpy
    check`` pool.

    Each pool process used to start its own workers and ask them the same questions (before any
    answer was on disk): a process start, the worker's parses of standard-library modules, the
    imports of installed packages (urllib3, typing_extensions ...) and about a quarter of the
    questions were done twice on two cores.
    Made in the parent before the fork, this serves :class:`RemoteWorker` (what the forked
    processes hold in place of their own worker) over an authenticated local connection: each
    question goes to the parent's one worker (a subprocess of the target interpreter with its
    timeout and back-off, as before) at most once per run, and its answer is kept for the other
    processes.  A package whose import hangs holds back the other processes' questions about
    installed packages too, until its timeout (one ``introspection-timeout``, as for the process
    that asked); the standard library has a worker of its own."""

    def __init__(self, client: WorkerClient) -> None:
        from multiprocessing.connection import Listener

        self.client = client
        self.authkey = os.urandom(32)
        self.listener = Listener(authkey=self.authkey)  # a Unix socket in a private directory (Linux, macOS)
        self.address = self.listener.address
        self.asked = 0  # questions sent to the worker (each distinct question once)
        self.reused = 0  # questions answered from the answers of this run
        self._answers: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()  # one question at a time (the worker answers in series anyway)
        self._closed = False
        threading.Thread(target=self._accept, daemon=True, name="vetpy-shared-worker").start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn = self.listener.accept()
            except Exception:  # closed, or a connection without the key: not served
                if self._closed:
                    return
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True, name="vetpy-shared-worker-conn").start()

    def _serve(self, conn: Any) -> None:
        with conn:
            while True:
                try:
                    payload = conn.recv()
                except (EOFError, OSError):
                    return
                try:
                    conn.send(self._answer(payload))
                except (OSError, ValueError):
                    return

    def _answer(self, payload: dict[str, Any]) -> tuple[str, Any]:
        """("ok", answer) or ("ok", None) when the worker hung or died, ("resting", why)."""
        key = json.dumps(payload, sort_keys=True)
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self.reused += 1
                return "ok", answer
            try:
                answer = self.client.request(payload)
            except WorkerResting as exc:
                return "resting", str(exc)
            self.asked += 1
            if answer is not None:  # a failure is not remembered: the next process asks again
                answer = {k: v for k, v in answer.items() if k != "id"}
                self._answers[key] = answer
            return "ok", answer

    def close(self) -> None:
        """Stop serving (the parent's worker itself stays, for whatever the parent asks next)."""
        if self._closed:
            return
        self._closed = True
        log.debug("shared introspection worker: %d questions asked of it, %d more answered again", self.asked, self.reused)
        from multiprocessing.connection import Client

        try:  # wakes the accepting thread
            Client(self.address, authkey=self.authkey).close()
        except Exception:
            pass
        self.listener.close()


class RemoteWorker:
    """A pool process's worker: the parent's :class:`SharedWorker`.  When the
    parent cannot be reached, this process starts a worker of its own (as it did before)."""

    def __init__(self, shared: SharedWorker) -> None:
        client = shared.client
        self.address = shared.address
        self.authkey = shared.authkey
        self.timeout = client.timeout
        self.failures = 0
        self.starts = 0
        self._conn: Any = None
        self._pid = 0
        self._local = (client.python, client.roots, client.timeout, client.workdir, client.backoff,
                       getattr(client, "facts", None))
        self._own: WorkerClient | None = None
        self._lock = threading.Lock()
        # a failure is taken for the module's: whether the parent's worker can run at all is
        # judged (and said) in the parent
        self.proven = True

    def _fallback(self, why: str) -> WorkerClient:
        if self._own is None:
            log.info("shared introspection worker unavailable (%s); starting one for this process", why)
            self._own = WorkerClient(*self._local)
        return self._own

    def request(self, payload: dict[str, Any], timeout: float | None = None) -> dict[str, Any] | None:
        from multiprocessing.connection import Client

        if self._own is not None:
            return self._own.request(payload, timeout)
        with self._lock, deadline.protected():
            try:
                if self._conn is None or self._pid != os.getpid():
                    self._conn, self._pid = Client(self.address, authkey=self.authkey), os.getpid()
                self._conn.send(payload)
                # the parent answers within its worker's timeout, after the questions of the
                # other processes ahead of this one
                if not self._conn.poll(4 * (timeout or self.timeout) + 10):
                    raise OSError("no answer")
                status, answer = self._conn.recv()
            except (OSError, EOFError, ValueError) as exc:
                self._conn = None
                own = self._fallback(str(exc) or type(exc).__name__)
            else:
                if status == "resting":
                    raise WorkerResting(answer)
                return answer
        return own.request(payload, timeout)

    def idle_for(self, seconds: float) -> bool:
        return False

    def retire_if_idle(self, seconds: float) -> bool:
        return False

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        if self._own is not None:
            self._own.close()


@lru_cache(maxsize=4096)
def _editable(dist_info: str) -> bool:
    """Is the distribution whose metadata directory is ``dist_info`` an editable install
    (PEP 660: ``direct_url.json`` with ``"dir_info": {"editable": true}``)?"""
    if not dist_info:
        return False
    try:
        data = json.loads((Path(dist_info) / "direct_url.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    info = data.get("dir_info") if isinstance(data, dict) else None
    return isinstance(info, dict) and info.get("editable") is True


class MemberIndex:
    """Cached answers of the worker, keyed by the distribution that provides each module."""

    def __init__(self, environment: "TargetEnvironment", roots: list[str], use_disk: bool = True,
                 timeout: float = REQUEST_TIMEOUT, backoff: Backoff = Backoff()) -> None:
        self.environment = environment
        self.cache_root = cache_dir()  # fixed when the index is made
        workdir = self.cache_root / "probe-cwd"
        # Two workers: installed packages, and the standard library (taken over if started during the probe:
        # early_worker.py), so that a package whose import hangs or crashes never holds back the stdlib's answers.
        # Both keep what they learn about the standard library in the index (see _worker_facts.py).
        launch = (environment.python, roots, timeout, workdir, backoff, stdlib_facts_dir(self.cache_root) if use_disk else None)
        self.worker = WorkerClient(*launch)
        self.stdlib_worker = early_worker.claim(*launch) or WorkerClient(*launch)
        self.use_disk = use_disk
        self._tables: dict[str, dict[str, Any]] = {}  # cache key -> {request key: answer}
        self._dirty: set[str] = set()
        self._flushed_at = time.monotonic()
        self._unowned: dict[str, tuple[list[str], bool]] = {}  # top -> (files to note, reusable)
        # top-level modules whose question hung or crashed the worker -> (failures, when to ask
        # again): a crash may be transient (the machine out of memory, the worker killed from
        # outside), so the module is asked again after UNVERIFIABLE_RETRY seconds, doubling, and
        # never again after UNVERIFIABLE_TRIES failures.
        self._unverifiable: dict[str, tuple[int, float]] = {}
        self._imported: set[str] = set()  # top-level modules the worker has answered about (imported)
        self._waiting = 0  # questions to the installed packages' worker asked by callers that wait
        self._keys: dict[str, tuple[str, bool]] = {}  # top-level module -> _cache_key's answer
        self._lock = threading.RLock()
        self._flush_lock = threading.Lock()  # taken before _lock, never while holding it

    # -- cache ---------------------------------------------------------------------------
    def _cache_key(self, module: str) -> tuple[str, bool]:
        """(key, persistent) for the distribution providing ``module``: the same for every module
        of one top-level package, worked out once per index (its environment never changes; an
        editable install is told by a file, read only the first time)."""
        top = module.split(".")[0]
        known = self._keys.get(top)
        if known is None:
            known = self._keys[top] = self._distribution_key(top)
        return known

    def _distribution_key(self, top: str) -> tuple[str, bool]:
        env = self.environment
        py = f"{env.implementation}-{env.version_str}"
        if env.is_stdlib(top):
            return f"stdlib@{py}", True
        dists = env.dists_for_module(top)
        if len(dists) == 1:
            # an editable install's source changes under the same version: its answers are
            # kept for this process only, never on disk
            return f"{dists[0].key}=={dists[0].version}@{py}", not _editable(dists[0].location)
        return f"{top}@{py}@{env.python}", False

    def _table(self, key: str, persistent: bool) -> dict[str, Any]:
        table = self._tables.get(key)
        if table is None:
            table = {}
            if persistent and self.use_disk:
                try:
                    data = json.loads(self._path(key).read_text(encoding="utf-8"))
                    if data.get("format") == CACHE_FORMAT:
                        table = dict(data.get("answers", {}))
                except (OSError, ValueError, AttributeError):
                    pass
            self._tables[key] = table
        return table

    def _path(self, key: str) -> Path:
        # answers depend on the worker's code too: a new vetpy never reads an older worker's answers
        digest = hashlib.sha256(f"{key}\0{_worker_digest()}".encode()).hexdigest()[:24]
        return self.cache_root / "members" / f"{digest}.json"

    def flush(self, at_most_every: float = 0.0) -> None:
        """Write new answers to disk (merging with what other processes wrote meanwhile).
        ``at_most_every``: not when the last write was fewer seconds ago (after each analysis:
        a table rewritten per file cost a cold check of 266 files 6 s; whoever ends the run, the
        CLI after its files or the server at exit, flushes for good)."""
        # The tables are copied under the index's lock and written under the flush's own (in the
        # order copied): questions answered from memory meanwhile do not wait for the disk, nor
        # does a periodic flush (``at_most_every``) for one under way.
        if not self._flush_lock.acquire(blocking=not at_most_every):
            return
        with deadline.protected():
            try:
                self._write_tables(at_most_every)
            finally:
                self._flush_lock.release()

    def _write_tables(self, at_most_every: float) -> None:
        with self._lock:
            if at_most_every and time.monotonic() - self._flushed_at < at_most_every:
                return
            self._flushed_at = time.monotonic()
            dirty, self._dirty = self._dirty, set()
            copies = [(key, self._path(key), dict(self._tables.get(key, {}))) for key in dirty]
        for key, path, answers in copies:
            with cache_file_lock(path):  # the pool's other process may be merging the same table
                try:
                    old = json.loads(path.read_text(encoding="utf-8"))
                    if old.get("format") == CACHE_FORMAT:
                        older = old.get("answers", {})
                        answers = {**{k: v for k, v in older.items() if k not in answers}, **answers}
                except (OSError, ValueError, AttributeError):
                    pass
                if len(answers) > MAX_ANSWERS:  # this process's answers come last: they are kept
                    answers = dict(list(answers.items())[-MAX_ANSWERS:])
                write_cache_json(path, {"format": CACHE_FORMAT, "key": key, "answers": answers})

    def _ask(self, module: str, request_key: str, payload: dict[str, Any], defer: set[str] | None = None) -> dict[str, Any] | None:
        top = module.split(".")[0]
        with self._lock:
            if self._still_unverifiable(top):
                reads.note("members", "transient", (top,), reads.UNSTABLE)  # never reuse a result missing this
                return None
            key, persistent = self._cache_key(module)
            if not persistent:  # no single distribution's version stands for its answers
                self._note_unowned(top)
            table = self._table(key, persistent)
            if request_key in table:
                table[request_key] = answer = table.pop(request_key)  # most recently used
                return answer
            stdlib = self.environment.is_stdlib(top)
            if defer is not None and not stdlib and (top not in self._imported or self._waiting):
                defer.add(module)  # it would import a package first, or wait for a background question
                return None
            self._waiting += (waits := defer is None and not stdlib)  # the server's background imports, hover
        worker = self.stdlib_worker if stdlib else self.worker
        try:
            answer = worker.request(payload)
        except WorkerResting as exc:
            log.debug("%s not verified: %s", module, exc)
            reads.note("members", "transient", (top,), reads.UNSTABLE)
            return None
        finally:
            with self._lock:
                self._waiting -= waits
        with self._lock:
            if answer is None:
                reads.note("members", "transient", (top,), reads.UNSTABLE)
                if not worker.proven:
                    return None  # the worker cannot run here (said once): not this module's doing
                failures = self._unverifiable.get(top, (0, 0.0))[0] + 1
                self._unverifiable[top] = (failures, time.monotonic() + UNVERIFIABLE_RETRY * 2 ** (failures - 1))
                again = (f"asked again in {UNVERIFIABLE_RETRY * 2 ** (failures - 1):g} s"
                         if failures < UNVERIFIABLE_TRIES else "not asked again")
                log.warning("introspection of %s hung or crashed; its members are not verified (%s)", module, again)
                return None
            answer.pop("id", None)
            self._imported.add(top)
            if "error" in answer:
                log.info("cannot introspect %s: %s", request_key, answer["error"])
                answer = {"error": answer["error"]}
            self._store(key, persistent, table, request_key, answer)
        return answer

    def _still_unverifiable(self, top: str) -> bool:
        """Did a question about ``top`` hang or crash the worker, too recently or too often to ask again?"""
        failures, until = self._unverifiable.get(top, (0, 0.0))
        return failures > 0 and (failures >= UNVERIFIABLE_TRIES or time.monotonic() < until)

    def _note_unowned(self, top: str) -> None:
        """What an answer about ``top``, which no single distribution's version stands for, is
        kept by in the result cache: when ``top`` is nowhere on the target's path, or is one
        module file, the stamps of the path's directories (their listing changes when a module
        appears) and of that file; a package directory or an editable install may change in any
        of its files, so a result that asked about it is never reused."""
        env = self.environment
        if env.dists_for_module(top):  # several distributions, or an editable one
            reads.note("members", "transient", (top,), reads.UNSTABLE)
            return
        if top not in self._unowned:  # the path's listings are read once per process, noted per analysis
            listed: list[str] = []
            found: list[str] = []
            for entry in env.sys_path:
                try:
                    names = os.listdir(entry)
                except OSError:
                    continue
                listed.append(entry)
                found += [os.path.join(entry, n) for n in names if n == top or n.startswith(top + ".")]
            reusable = len(found) <= 1 and not any(os.path.isdir(p) for p in found)
            self._unowned[top] = (listed + found, reusable)
        noted, reusable = self._unowned[top]
        if not reusable:
            reads.note("members", "transient", (top,), reads.UNSTABLE)
            return
        for path in noted:
            reads.note_file(path)

    def _store(self, key: str, persistent: bool, table: dict[str, Any], request_key: str, answer: dict[str, Any]) -> None:
        """Remember an answer (the lock is held), dropping the least recently used over MAX_ANSWERS."""
        table.pop(request_key, None)
        table[request_key] = answer
        while len(table) > MAX_ANSWERS:
            del table[next(iter(table))]
        if persistent and self.use_disk:
            self._dirty.add(key)

    # -- questions -----------------------------------------------------------------------
    def describe(self, path: str, defer: set[str] | None = None) -> dict[str, Any] | None:
        """What ``path`` (``pkg.mod.Name.attr``) is at run time; None when unverifiable.

        ``defer``: instead of waiting for the worker to import an installed (not standard
        library) package it has not imported yet, add the path to this set and answer None."""
        answer = self._ask(path, f"d:{path}", {"op": "describe", "path": path}, defer)
        if answer is None or "error" in answer:
            return None
        canonical = answer.get("canonical")
        if isinstance(canonical, str) and canonical != path and answer.get("kind") in ("class", "module", "function"):
            with self._lock:  # the same object under its defining name: never introspected twice
                key, persistent = self._cache_key(canonical)
                table = self._table(key, persistent)
                if f"d:{canonical}" not in table:
                    self._store(key, persistent, table, f"d:{canonical}", answer)
        return answer

    def method(self, cls_path: str, name: str, defer: set[str] | None = None) -> dict[str, Any] | None:
        """``name`` looked up on an instance of the class ``cls_path`` (signature bound)."""
        answer = self._ask(cls_path, f"m:{cls_path}:{name}", {"op": "method", "path": cls_path, "name": name}, defer)
        return None if answer is None or "error" in answer else answer

    def instance(self, cls_path: str, defer: set[str] | None = None) -> dict[str, Any] | None:
        """What an instance of the class ``cls_path`` may hold (``members``, ``complete``,
        ``calls_closed``, ``subclasses`` ...: _worker_instances.py); None when unverifiable.
        Asked apart from :meth:`describe`: most questions about a class never need it."""
        answer = self._ask(cls_path, f"i:{cls_path}", {"op": "instance", "path": cls_path}, defer)
        if answer is None or "error" in answer:
            return None
        found = answer.get("instance")
        return found if isinstance(found, dict) else None

    def module_attribute(self, module: str, name: str, defer: set[str] | None = None) -> AttributeVerdict:
        """Does the installed ``module`` have ``name`` (attribute or submodule)?"""
        info = self.describe(module, defer)
        if info is None or info.get("kind") != "module":
            return AttributeVerdict(None)
        members = list(info.get("members") or [])
        if name in members:
            return AttributeVerdict(True, candidates=members)
        answer = self._ask(module, f"a:{module}:{name}", {"op": "attribute", "path": module, "name": name}, defer)
        if answer is None or "error" in answer:
            return AttributeVerdict(None, candidates=members)
        exists = answer.get("exists")
        return AttributeVerdict(exists if exists in (True, False) else None, answer.get("explanation"), members)

    def settle(self) -> None:
        """Wait until the worker of installed packages answers no question (an import ends)."""
        with self.worker._lock:
            pass

    def retire_idle(self, seconds: float) -> bool:
        """End the worker of installed packages once it has been idle for ``seconds``: it holds
        every package it imported (hundreds of MB for pandas, numpy ...) while its answers are
        kept here.  Its packages count as not imported again, so that a new question about them
        is deferred (:class:`DeferringMembers`) rather than importing them inside an analysis."""
        with self._lock:
            if self._waiting or not self.worker.idle_for(seconds):
                return False
            imported = self._imported  # not imported from now on: a question about one is deferred
            self._imported = {top for top in imported if self.environment.is_stdlib(top)}
        # The worker exits (up to seconds) without the index's lock, which every question of an analysis
        # takes, even one answered from memory (editor latencies of 0.1-1.5 s once per idle period).
        if not self.worker.retire_if_idle(seconds):
            with self._lock:  # a question came meanwhile: the worker stays, with its packages
                self._imported |= imported
            return False
        self.flush()
        return True

    def share_stdlib(self) -> SharedWorker:
        """Serve this index's standard-library worker to the processes forked from now on
        (see :class:`SharedWorker`); ``unshare`` once they are done."""
        return self._share("stdlib_worker")

    def share_installed(self) -> SharedWorker:
        """The same for the worker of installed packages: each package is imported and
        introspected once per run, not once per pool process."""
        return self._share("worker")

    def _share(self, attr: str) -> SharedWorker:
        shared = SharedWorker(getattr(self, attr))
        setattr(self, attr, RemoteWorker(shared))
        return shared

    def unshare(self, shared: SharedWorker) -> None:
        """Stop serving; the worker ends too (it starts again if this process asks)."""
        shared.close()
        shared.client.close()
        for attr in ("stdlib_worker", "worker"):
            if getattr(getattr(self, attr), "address", None) == shared.address:
                setattr(self, attr, shared.client)

    def close(self) -> None:
        self.flush()
        self.worker.close()
        self.stdlib_worker.close()


class DeferringMembers:
    """The member index as one analysis in the language server sees it: a question that would make
    the worker import an installed package (or wait for a background import) is answered "cannot
    verify" (rules stay silent) and its path goes into :attr:`deferred`; the server has the worker
    import those in the background, then analyses again.  The standard library is always asked."""

    def __init__(self, index: MemberIndex) -> None:
        self.index = index
        self.deferred: set[str] = set()

    def describe(self, path: str) -> dict[str, Any] | None:
        return self.index.describe(path, self.deferred)

    def method(self, cls_path: str, name: str) -> dict[str, Any] | None:
        return self.index.method(cls_path, name, self.deferred)

    def instance(self, cls_path: str) -> dict[str, Any] | None:
        return self.index.instance(cls_path, self.deferred)

    def module_attribute(self, module: str, name: str) -> AttributeVerdict:
        return self.index.module_attribute(module, name, self.deferred)

    def __getattr__(self, name: str) -> Any:  # flush, environment, worker ...
        return getattr(self.index, name)

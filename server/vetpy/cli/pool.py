"""The processes that analyse the files of ``vetpy check``, and the watchdog over them.

The time budget of each file (:mod:`vetpy.deadline`) is a pair of timers in the process that
analyses it (its CPU time, and a wall-clock backstop of ``WALL_FACTOR`` budgets): the interpreter runs the signal's handler between two bytecodes, so a call into C
that never returns (a C extension's loop, a conversion of a huge number holding the interpreter)
is never stopped by it.  So the files are analysed in processes forked from the CLI (several,
or one: ``-j1`` and few files too), and the CLI watches them: a process that has given no answer
for a file's wall-clock backstop and a grace period (:func:`allowed`) is killed, with the processes it
started (its introspection workers and what they forked), and that file is reported as not
analysed exactly as when the timer stops it; a new process takes the rest of its files.

The CLI waits for the processes' answers (``multiprocessing.connection.wait``) with the nearest
deadline as the timeout: no polling.  A process sends one message per file (its findings, fixes,
cache entry and whether the timer stopped it) and one at the end of its chunk, once its
introspection answers are written.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from vetpy.deadline import WALL_FACTOR

Task = tuple[Path, list[str]]  # a chunk of files of one project
Work = Callable[[Path, list[str]], Iterator[Any]]  # a chunk's analysis: an answer per file, in order


def available() -> bool:
    """Can the analysis run in forked processes here (POSIX)?"""
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def allowed(name: str, budget: float) -> float:
    """Seconds the CLI lets the analysis of ``name`` run before it kills the process: the
    process's own wall-clock backstop (``WALL_FACTOR`` budgets: its CPU-time budget may take that
    long on a busy machine) and a grace period (the timers in the process stop any analysis that
    runs Python code first, a worker question of up to its own timeout later at most)."""
    return budget * WALL_FACTOR + max(2.0, budget / 10)


def _serve(conn: Connection, work: Work) -> None:
    """An analysing process: chunks of files in, one message per file and one per chunk out."""
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        for answer in work(*task):
            conn.send(answer)
        conn.send(None)


class _Process:
    def __init__(self, work: Work) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, theirs = context.Pipe()
        # forked: ``work`` (and what it holds: the options, the staged contents) is not pickled
        self.process = context.Process(target=_serve, args=(theirs, work), daemon=True, name="vetpy-analysis")
        sys.stdout.flush()  # a forked process must not write the CLI's buffered output again
        sys.stderr.flush()
        self.process.start()
        theirs.close()
        self.task: Task | None = None
        self.left: deque[str] = deque()  # the chunk's files not answered yet; the first is under way
        self.since = 0.0  # when the first of them was started (as far as the CLI knows)

    def give(self, task: Task) -> None:
        self.conn.send(task)
        self.task, self.left, self.since = task, deque(task[1]), time.monotonic()

    def kill(self) -> None:
        """End this process and the processes it started (introspection workers, each in a
        session of its own with what it forked), which would otherwise run on."""
        started = _children(self.process.pid)
        self.process.kill()
        self.process.join()
        for pid in started:
            for end in (os.killpg, os.kill):
                try:
                    end(pid, signal.SIGKILL)
                    break
                except OSError:
                    continue
        self.conn.close()

    def end(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(30)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


def _children(pid: int | None) -> list[int]:
    """The processes whose parent is ``pid`` (Linux ``/proc``; elsewhere none are known: an
    introspection worker ends by itself once its input is closed and its question answered)."""
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
                if int(stat[stat.rindex(b")") + 2:].split()[1]) == pid:  # after the name: state, ppid
                    found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


def analyse(
    tasks: Sequence[Task], work: Work, workers: int, budget: Callable[[Path], float],
    answered: Callable[[str, Any], None], stopped: Callable[[str, float], Any],
) -> None:
    """Run ``work`` on ``tasks`` in ``workers`` processes; ``answered(name, answer)`` for each
    file as its answer comes, ``stopped(name, seconds)`` the answer for a file whose process was
    killed.  Raises RuntimeError when a process dies by itself (the caller checks in its own
    process then)."""
    queue: deque[Task] = deque(tasks)
    processes = [_Process(work) for _ in range(max(1, min(workers, len(tasks))))]
    try:
        while True:
            for process in processes:
                if process.task is None and queue:
                    process.give(queue.popleft())
            running = {p.conn: p for p in processes if p.task is not None}
            if not running:
                return
            due = min(_due(p, budget) for p in running.values())
            for conn in wait(list(running), max(0.0, due - time.monotonic())):
                _receive(running[conn], answered)
            now = time.monotonic()
            for i, process in enumerate(processes):
                if process.task is None or process.conn.poll(0):
                    continue  # an answer came meanwhile: read first
                if now > _due(process, budget):
                    _overdue(process, queue, answered, stopped, now)
                    processes[i] = _Process(work)
    except BaseException:
        for process in processes:
            if process.process.is_alive():
                process.kill()
        raise
    finally:
        for process in processes:
            if process.process.is_alive():
                process.end()


def _due(process: _Process, budget: Callable[[Path], float]) -> float:
    """When ``process`` is killed unless it answers before (its chunk's end, after the last file,
    has a file's time too: the introspection answers are written then)."""
    assert process.task is not None
    return process.since + allowed(process.left[0] if process.left else "", budget(process.task[0]))


def _receive(process: _Process, answered: Callable[[str, Any], None]) -> None:
    try:
        message: Any = process.conn.recv()
    except (EOFError, OSError):
        raise RuntimeError(f"an analysing process ended unexpectedly (exit code {process.process.exitcode})") from None
    if message is None:  # the chunk is done, its answers written
        process.task = None
        return
    answered(process.left.popleft(), message)
    process.since = time.monotonic()


def _overdue(
    process: _Process, queue: deque[Task], answered: Callable[[str, Any], None], stopped: Callable[[str, float], Any],
    now: float,
) -> None:
    """Kill ``process``: the file it was analysing is reported as stopped; the rest of its chunk
    goes first to the next process."""
    assert process.task is not None
    process.kill()
    if process.left:
        name = process.left.popleft()
        answered(name, stopped(name, now - process.since))
        if process.left:
            queue.appendleft((process.task[0], list(process.left)))

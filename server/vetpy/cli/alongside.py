"""Two pieces of the work done before the pool forks, side by side: one in a process forked for it,
one here (issue #17).

Before ``vetpy check`` forks its pool, it reads the project's own tree twice over, once for what
the project does to objects it does not own and once for its import statements (about 2.5 s and
1.7 s of CPU at 350k lines): one core would do both while the other waits.  :func:`alongside`
computes one answer in a forked process while this process computes the other; the answer comes
back through a pipe as plain data (pickled), so nothing but the time changes.  When a process
cannot be forked, or it fails, the caller computes the answer here as before.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from multiprocessing.connection import Connection
from typing import Any, Callable

log = logging.getLogger("vetpy")
# how long the forked process may take beyond `meanwhile`: at least MIN_PATIENCE seconds, else this
# many times as long as `meanwhile` took (on a busy machine either may wait for a core)
MIN_PATIENCE = 30.0
PATIENCE_FACTOR = 10.0


def _serve(compute: Callable[[], Any], conn: Connection) -> None:
    try:
        answer = (True, compute())
    except BaseException as exc:  # noqa: BLE001 - told to the parent, which computes it itself
        answer = (False, f"{type(exc).__name__}: {exc}")
    try:
        conn.send(answer)
    finally:
        conn.close()


def alongside(compute: Callable[[], Any], meanwhile: Callable[[], None]) -> tuple[bool, Any]:
    """Run ``compute()`` in a process forked now while ``meanwhile()`` runs here: (True, its
    answer), or (False, None) when no process could be forked or it failed (the caller computes
    the answer itself).  ``meanwhile`` runs here in every case, and its exceptions propagate."""
    if not hasattr(os, "fork") or "fork" not in multiprocessing.get_all_start_methods():
        meanwhile()
        return False, None
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe(duplex=False)
    sys.stdout.flush()  # a forked process must not write the CLI's buffered output again
    sys.stderr.flush()
    try:
        process = context.Process(target=_serve, args=(compute, theirs), daemon=True, name="vetpy-alongside")
        process.start()
    except OSError as exc:
        log.info("no process for the work before the fork: %s", exc)
        ours.close()
        theirs.close()
        meanwhile()
        return False, None
    theirs.close()
    started = time.monotonic()
    try:
        meanwhile()
    finally:
        # the forked process does work of the same size as `meanwhile`: one that has not answered
        # long after (a lock some thread held at the fork, never released there) is ended, and the
        # caller computes the answer itself: never a hang
        patience = max(MIN_PATIENCE, PATIENCE_FACTOR * (time.monotonic() - started))
        try:
            if ours.poll(patience):
                done, answer = ours.recv()
            else:
                done, answer = False, f"no answer within {patience:.0f} s"
                process.kill()
        except (EOFError, OSError) as exc:  # the process died
            done, answer = False, f"{type(exc).__name__}: {exc}"
        ours.close()
        process.join()
    if not done:
        log.info("the work before the fork failed in its process (%s); done here", answer)
        return False, None
    return True, answer

"""The standard-library introspection worker, started while the environment is probed.

A cold start of the language server ran two subprocesses of the target interpreter one after the
other: the environment probe (0.1-0.3 s), then the introspection worker of the standard library
(0.1-0.2 s to its first answer), which the first analysis waits for at its first question about
the standard library.  Both need only the chosen interpreter, so the project build of the server
(``build_context(start_worker=True)``, :mod:`vetpy.resolve.prestart`) starts the worker as soon
as the interpreter is chosen:
after the trust decision, so that nothing runs that the probe would not run, and only when
introspection is on.  The member index made after the probe takes it over (:func:`claim`) when
it is for the same interpreter, roots, timeout, back-off and cache; a started worker that no index
took (the probe failed, another interpreter) is ended by :meth:`Early.discard`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# This registry imports nothing of the member index that claims from it (members.py imports it):
# a client is a ``vetpy.resolve.members.WorkerClient``, a back-off its ``Backoff``.
WorkerClient = Any
Backoff = Any

_LOCK = threading.Lock()
_STARTED: dict[tuple[Any, ...], WorkerClient] = {}  # launch arguments -> a started client no index took yet


def _key(python: str, roots: list[str], timeout: float, workdir: Path, backoff: Backoff,
         facts: Path | None) -> tuple[Any, ...]:
    return (python, tuple(roots), timeout, str(workdir), backoff, str(facts) if facts is not None else None)


@dataclass
class Early:
    """A worker started ahead of its member index."""

    key: tuple[Any, ...]
    client: WorkerClient
    started: threading.Thread = field(repr=False)

    def wait_started(self, timeout: float | None = None) -> None:
        """Wait until the worker answered its first question (or failed to)."""
        self.started.join(timeout)

    def discard(self) -> threading.Thread | None:
        """End the worker unless a member index took it over, in the background (a worker still
        starting is waited for up to 5 s, then killed: a build whose probe failed does not wait)."""
        with _LOCK:
            if _STARTED.get(self.key) is not self.client:
                return None
            del _STARTED[self.key]
        thread = threading.Thread(target=self.client.close, daemon=True, name="vetpy-early-worker-end")
        thread.start()
        return thread


def register(args: tuple[Any, ...], client: WorkerClient) -> Early:
    """Keep ``client``, started with the launch arguments ``args`` (those of ``WorkerClient``:
    python, roots, timeout, workdir, backoff, facts), for the member index that :func:`claim`s
    them; have it answer a first question (``ping``) in a thread, which the index's first question
    waits behind (the client's lock).  Started by :func:`vetpy.resolve.prestart.start`."""
    key = _key(*args)
    with _LOCK:
        old = _STARTED.pop(key, None)
        _STARTED[key] = client
    if old is not None:  # started for an earlier build that did not take it
        old.close()
    thread = threading.Thread(target=_ping, args=(client,), daemon=True, name="vetpy-early-worker")
    thread.start()
    return Early(key, client, thread)


def _ping(client: WorkerClient) -> None:
    try:
        client.request({"op": "ping"})
    except Exception:  # noqa: BLE001 - WorkerResting or a closed pipe: the index's first question says so
        pass


def claim(python: str, roots: list[str], timeout: float, workdir: Path, backoff: Backoff,
          facts: Path | None) -> WorkerClient | None:
    """The started worker for exactly these launch arguments (taken: only once), or None."""
    with _LOCK:
        return _STARTED.pop(_key(python, roots, timeout, workdir, backoff, facts), None)

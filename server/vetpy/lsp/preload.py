"""What ``vetpy serve`` imports after it starts answering: the rule modules, the engine and the
handlers that run them.

A cold start used to import all of it (about half a second of CPU, as much as pygls and
lsprotocol together) before it read the client's first message, and only then probed the
project's interpreter (a subprocess: 0.1-0.3 s) and started its introspection worker.  The server
now imports what the handshake and the project build need (:mod:`vetpy.lsp.server`), answers
``initialize``, and imports the rest in a background thread (:func:`start_preload`): the probe
and the worker start run in their own processes meanwhile, so the imports and the probe overlap
instead of adding up.  Every analysis, and every handler that needs the rules, waits until the
preload is done (:func:`wait`): two threads importing modules that import each other can fail
(importlib's deadlock detection).

When the preload ends, the start-up objects are frozen out of the cyclic collector's reach
(:func:`freeze_startup_objects`).
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
import time

log = logging.getLogger("vetpy")

# What the first analysis imports besides the server itself: the rule modules and what they
# share, the analysis and the handlers that analyse (hover, code actions, commands).
PRELOAD = (
    # first: the project build reads the declared dependencies with ``packaging`` (the server's own
    # start no longer imports it: vetpy.environment.requirement_purpose), done long before a didOpen
    "vetpy.environment.declared",
    "vetpy.rules", "vetpy.semantic.model", "vetpy.dataflow.flow", "vetpy.testsuite",
    "vetpy.incremental", "vetpy.lsp.analysis", "vetpy.lsp.handlers.documents", "vetpy.lsp.handlers.hover",
    "vetpy.lsp.handlers.code_actions", "vetpy.lsp.handlers.commands", "vetpy.lsp.handlers.diagnostics",
)
_PRELOADING = threading.Lock()


def start_preload() -> threading.Thread:
    """Import :data:`PRELOAD` and every rule module in a background thread; analyses wait for it
    (the lock is taken here, before the thread starts, so that no analysis can come first)."""
    _PRELOADING.acquire()
    thread = threading.Thread(target=_preload, name="vetpy-preload", daemon=True)
    try:
        thread.start()
    except BaseException:
        _PRELOADING.release()
        raise
    return thread


def wait() -> None:
    """Until the start-up imports are done (at once after them, or when none was started)."""
    with _PRELOADING:
        pass


def _preload() -> None:
    try:
        for name in PRELOAD:
            importlib.import_module(name)
        from vetpy.rules import load_all

        load_all()
    except Exception as exc:  # the analysis imports them again and reports what fails
        log.debug("preloading the rule modules failed: %s: %s", type(exc).__name__, exc)
    finally:
        freeze_startup_objects()
        _PRELOADING.release()


def freeze_startup_objects() -> None:
    """Move what start-up made (the modules of the server and the rules, about 120,000 objects
    the collector tracks, none of them garbage for long) out of the cyclic garbage collector's
    reach: every full collection during the session would walk them again (about 5% of an
    edit's CPU).  Objects are still freed by reference counting; only cycles among the frozen
    ones would wait for the process to end.  (Turning the collector off during the imports
    saved no measurable CPU and left 10 MB more resident: the garbage they make is collected as
    it comes.)"""
    gc.freeze()
    log.debug("start-up imports done: %d objects kept out of the garbage collector (%.2f s of CPU since the process "
              "started)", gc.get_freeze_count(), time.process_time())

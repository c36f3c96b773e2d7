"""``vetpy serve``: the language server (pygls 2, lsprotocol 2025).

- :mod:`vetpy.lsp.session`: all mutable state of the server (documents, per-document records,
  projects, settings, background work), keyed by document URI;
- :mod:`vetpy.lsp.routes`: which handler (:mod:`vetpy.lsp.handlers`) answers which method;
- :mod:`vetpy.lsp.analysis`: one analysis of a frozen document snapshot, in a worker thread;
- :mod:`vetpy.lsp.recheck`: delivering results, and when a version is analysed again;
- :mod:`vetpy.lsp.environments`: environment warm-up, rebuilds and file watching.

Analysis runs in the scheduler's own thread pool, environment builds in another; the event loop
only routes messages.  See ``docs/lsp.md`` for what a user sees.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from pathlib import Path
from threading import Event
from typing import Any, Callable

from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer

from vetpy import __version__, trees
from vetpy.lsp import routes
from vetpy.lsp.framing import AnsweringProtocol, FrameReader, ResyncingReader
from vetpy.lsp.preload import start_preload
from vetpy.lsp.recheck import deliver
from vetpy.lsp.scheduler import Snapshot, limit_malloc_arenas
from vetpy.lsp.session import Analysis, Session
from vetpy.lsp.settings import DEFAULT_DEBOUNCE_MS
from vetpy.lsp.textsync import LspLinesProtocol
from vetpy.lsp.uris import text_too_large, uri_path

__all__ = [
    "DEFAULT_DEBOUNCE_MS", "Analysis", "Session", "VetpyProtocol", "VetpyServer", "create_server", "run_server",
    "text_too_large", "uri_path",
]

log = logging.getLogger("vetpy")


class VetpyProtocol(LspLinesProtocol, AnsweringProtocol):
    """Documents on LSP lines (:mod:`vetpy.lsp.textsync`), error answers for malformed messages
    (:mod:`vetpy.lsp.framing`)."""


def _pygls_version() -> str:
    """The installed pygls's version, from its ``.dist-info`` folder beside it (importing
    ``importlib.metadata`` for it cost ~50 ms of every start), else from its metadata."""
    import pygls

    for entry in Path(pygls.__file__).parent.parent.glob("pygls-*.dist-info"):
        return entry.name[len("pygls-"):-len(".dist-info")]
    from importlib.metadata import version

    return version("pygls")


# the pygls whose `_start_io_async` VetpyServer._start_io_async copies (with FrameReader)
_PYGLS_2_1 = _pygls_version().startswith("2.1.")


def analyze(session: Session, snap: Snapshot, cancelled: Callable[[], bool]) -> Analysis:
    """The scheduler's ``analyze`` (:func:`vetpy.lsp.analysis.analyze`, whose module is imported
    by the start-up imports after ``initialize``: :mod:`vetpy.lsp.preload`)."""
    from vetpy.lsp import preload

    preload.wait()
    from vetpy.lsp import analysis

    return analysis.analyze(session, snap, cancelled)


class VetpyServer(LanguageServer):
    """The pygls server: transport and lifecycle.  Its state is :attr:`session`'s."""

    def __init__(self, poll_interval: float = 2.0) -> None:
        super().__init__("vetpy", __version__, protocol_cls=VetpyProtocol)
        self.session = Session(self, analyze, deliver, poll_interval=poll_interval)

    def stop_work(self) -> None:
        """Cancel background tasks and running analyses (on ``shutdown``, or when stdin closes)."""
        self.session.stop_work()

    def shutdown(self) -> None:
        """pygls calls this when the input ends (closed stdin, ``exit``): no analysis may keep the
        process alive after its editor has gone."""
        self.stop_work()
        super().shutdown()

    def _start_io_async(self, stdin: Any = None, stdout: Any = None) -> None:
        """pygls' own (pygls 2.1 ``LanguageServer._start_io_async``) with :class:`FrameReader`
        instead of its ``StdinAsyncReader``: one worker-thread trip per message.  Another pygls
        (whose reader loop may differ) runs its own method."""
        if not _PYGLS_2_1:
            super()._start_io_async(stdin, stdout)  # type: ignore[misc]
            return
        self._stop_event = Event()
        reader = FrameReader(stdin or sys.stdin.buffer, self.thread_pool)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(run_async(stop_event=self._stop_event, reader=reader, protocol=self.protocol,  # type: ignore[arg-type]
                                  logger=logging.getLogger("pygls.server"), error_handler=self.report_server_error))
        except BrokenPipeError:
            log.error("Connection to the client is lost! Shutting down the server.")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Internal errors go to the log (window/logMessage), never to pop-ups; a frame whose body
        is not JSON also gets its Parse error response."""
        if isinstance(self.protocol, AnsweringProtocol) and self.protocol.answer_unparsable(error):
            log.warning("a message that is not JSON (%s): answered Parse error", type(error).__name__)
            return
        log.error("vetpy server error (%s): %s", getattr(source, "__name__", source), error)


def create_server(poll_interval: float | None = None) -> VetpyServer:
    """A fresh server with every route registered (one per process or test)."""
    if poll_interval is None:
        poll_interval = float(os.environ.get("VETPY_LSP_POLL_SECONDS", "2.0"))
    trees.disable_sharing()  # an editor's documents never share a tree with a module's source
    server = VetpyServer(poll_interval=poll_interval)
    routes.register(server, server.session, routes.ROUTES)
    return server


def run_server(tcp: str | None = None, log_file: str | None = None) -> int:
    """Entry point of ``vetpy serve``."""
    logger = logging.getLogger("vetpy")
    logger.propagate = False  # never write log lines to stdout/stderr of a stdio server
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        pygls_log = logging.getLogger("pygls")
        pygls_log.addHandler(handler)
        pygls_log.setLevel(logging.INFO)
        pygls_log.propagate = False  # its INFO lines go to the file only, not also to the CLI's stderr handler
    logger.setLevel(logging.DEBUG if log_file else logging.INFO)
    limit_malloc_arenas()  # before the server's threads start
    server = create_server()
    log.debug("vetpy serve: imports done, %.2f s of CPU since the process started", time.process_time())
    start_preload()
    if tcp:
        host, _, port = tcp.rpartition(":")
        try:
            server.start_tcp(host or "127.0.0.1", int(port))
        except ValueError:
            print(f"vetpy: error: --tcp expects HOST:PORT, got {tcp!r}", file=sys.stderr)
            return 2
    else:
        server.start_io(ResyncingReader(sys.stdin.buffer))  # type: ignore[arg-type]
    # The specification: 0 after a shutdown request, 1 otherwise (exit without shutdown, or the
    # input ended). pygls raises SystemExit with that code inside its loop, and start_io swallows it.
    return 0 if server.protocol._shutdown else 1

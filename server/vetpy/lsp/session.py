"""All mutable state of one language server session, in one object.

The handlers (:mod:`vetpy.lsp.handlers`) get the :class:`Session` and the message's parameters;
analyses in worker threads get a frozen :class:`~vetpy.lsp.scheduler.Snapshot` of a document
(``uri, version, text``) and write back only through the session's per-document records.

Everything kept per document is keyed by its URI: the text (pygls' workspace, which the session
reads through :meth:`Session.open_document`), the scheduler's task and latest result, and the
:class:`OpenDocument` record (what was delivered, whether a whole re-analysis is due, whether the
document is too large to analyse).  The engine's own records are keyed by a file name, derived
from the URI in one place (:func:`vetpy.lsp.uris.document_name`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from vetpy.findings import Finding
from vetpy.lsp import preload
from vetpy.lsp.logsink import LspLogHandler
from vetpy.lsp.projects import Project, Projects
from vetpy.lsp.scheduler import Outcome, Scheduler, Snapshot
from vetpy.lsp.settings import DEFAULT_DEBOUNCE_MS, Settings
from vetpy.lsp.uris import document_name, uri_path

if TYPE_CHECKING:
    from vetpy.incremental import IncrementalAnalyzer

log = logging.getLogger("vetpy")

CONFIG_TIMEOUT = 10.0  # seconds to wait for a workspace/configuration answer
VERIFY_DELAY = 1.0  # seconds of quiet after a result from reused findings before the whole check


@dataclass
class Analysis:
    """The result of analysing one snapshot (computed in a worker thread, then never changed)."""

    findings: list[Finding]
    diagnostics: list[types.Diagnostic]
    generation: int
    reused: bool = False  # some top-level statements kept the previous version's findings
    recheck: bool = False  # a whole analysis of a version already published (after reuse or deferral)
    deferred: tuple[str, ...] = ()  # installed packages' paths the worker must import first (then again)
    stopped: bool = False  # the time budget stopped the analysis (vetpy.lsp.analysis._stopped)


@dataclass
class OpenDocument:
    """What the session keeps for one open document besides its text and its scheduler state."""

    # (version, diagnostics, from reused findings, none deferred?) of the last result delivered
    delivered: tuple[int | None, list[types.Diagnostic], bool] | None = None
    # a version already delivered that is to be analysed whole again (see vetpy.lsp.recheck)
    recheck_due: bool = False
    recheck_version: int | None = None
    too_big: bool = False  # over max-file-size (logged once)
    # (version, diagnostics, pull result id) of the last *complete* result shown to the client
    # (published, or answered to a pull): once a version's diagnostics are shown, only a complete
    # analysis of it replaces them (see vetpy.lsp.recheck.holds)
    shown: tuple[int | None, list[types.Diagnostic], str | None] | None = None


Analyze = Callable[["Session", Snapshot, Callable[[], bool]], Analysis]
Deliver = Callable[["Session", Outcome[Analysis]], None]


class Session:
    """The state of one server: documents, per-document records, projects and settings,
    background work.  ``analyze`` and ``deliver`` are the scheduler's callbacks (given the
    session), from :mod:`vetpy.lsp.analysis` and :mod:`vetpy.lsp.recheck`."""

    def __init__(self, server: LanguageServer, analyze: Analyze, deliver: Deliver, poll_interval: float = 2.0) -> None:
        self.server = server  # the transport: the client's capabilities, notifications, requests
        self.projects = Projects()
        self.scheduler: Scheduler[Analysis] = Scheduler(self.snapshot, partial(analyze, self), partial(deliver, self))
        self.env_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vetpy-env")
        # the background imports of deferred packages, one at a time (vetpy.lsp.recheck)
        self.introspect_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vetpy-introspect")
        self._incremental_lock = threading.Lock()
        self._incremental: IncrementalAnalyzer | None = None  # made on first use (after the start-up imports)
        self.documents: dict[str, OpenDocument] = {}
        self.encoding: str = types.PositionEncodingKind.Utf16
        self.pull = False  # the client pulls diagnostics (textDocument/diagnostic)
        self.poll_interval = poll_interval
        self.verify_delay = VERIFY_DELAY
        self.loop: asyncio.AbstractEventLoop | None = None
        self.log_handler = LspLogHandler(server, lambda: self.loop)
        self.tasks: set[asyncio.Task[Any]] = set()
        self.rebuilds: dict[Path, asyncio.Task[None]] = {}
        # the projects' own Python files written since their summary was last read again, and
        # the task that will read it (vetpy.lsp.environments.own_code_changed)
        self.own_code_written: set[Path] = set()
        self.own_code_task: asyncio.Task[None] | None = None
        self.watch_registration: str | None = None
        # Set once the client's settings are known (its workspace/configuration answer, when it
        # has one): no project is built before, so a client that says `trusted: false` only in
        # that answer never has its workspace's interpreter run by an early analysis.
        self.settings_ready = threading.Event()

    @property
    def incremental(self) -> IncrementalAnalyzer:
        """The engine's incremental analyser (its module, the engine's, is imported after
        ``initialize`` is answered: :mod:`vetpy.lsp.preload`)."""
        if self._incremental is None:
            preload.wait()
            from vetpy.incremental import IncrementalAnalyzer

            with self._incremental_lock:
                if self._incremental is None:
                    self._incremental = IncrementalAnalyzer()
        return self._incremental

    @incremental.setter
    def incremental(self, value: IncrementalAnalyzer) -> None:
        self._incremental = value

    # -- documents -------------------------------------------------------------------------------
    def open_document(self, uri: str) -> Any | None:
        """The open document for ``uri`` (never reads from disk, unlike get_text_document)."""
        return self.server.workspace.text_documents.get(unquote(uri))

    def open_uris(self) -> list[str]:
        return list(self.server.workspace.text_documents)

    def snapshot(self, uri: str) -> Snapshot | None:
        """The open document's current ``(version, text)``, frozen; None once it is closed."""
        doc = self.open_document(uri)
        if doc is None:
            return None
        return Snapshot(uri, doc.version, doc.source)

    def record(self, uri: str) -> OpenDocument:
        """The record of an open document (made on first use)."""
        return self.documents.setdefault(uri, OpenDocument())

    def forget_document(self, uri: str) -> None:
        """The document closed: drop everything kept for it (results, records, its last tree)."""
        self.documents.pop(uri, None)
        name = document_name(uri)
        if self._incremental is not None:
            self._incremental.forget(name)  # its findings and its last tree

    def publish(self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics)
        )

    # -- projects and settings -------------------------------------------------------------------
    def project_for(self, path: Path | None) -> Project:
        """The project of ``path`` once the settings are known (blocks: worker threads only)."""
        self.wait_for_settings()
        return self.projects.project_for(path)

    def wait_for_settings(self) -> None:
        """Until the client's settings are known (blocks: worker threads only)."""
        if not self.settings_ready.wait(CONFIG_TIMEOUT + 1.0):
            log.warning("no settings from the client yet: going on with those of initialize")
            self.settings_ready.set()

    def add_folder(self, uri: str) -> None:
        path = uri_path(uri)
        if path is None:
            log.warning("workspace folder %s is not a file: URI; ignored", uri)
            return
        self.projects.set_folder(uri, path)

    def settings_for_uri(self, uri: str) -> Settings:
        return self.projects.settings_for(self.projects.folder_of(uri_path(uri)))

    def debounce_for(self, uri: str) -> float:
        settings = self.settings_for_uri(uri)
        ms = settings.debounce_ms if settings.debounce_ms is not None else DEFAULT_DEBOUNCE_MS
        return ms / 1000.0

    def apply_global_settings(self) -> None:
        self.log_handler.set_level_name(self.projects.settings_for(None).log_level)

    # -- background work -------------------------------------------------------------------------
    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("background task failed: %s: %s", type(exc).__name__, exc)

    def stop_work(self) -> None:
        """Cancel background tasks and running analyses (on ``shutdown``, or when stdin closes)."""
        for task in list(self.tasks):
            task.cancel()
        self.scheduler.shutdown()
        self.env_pool.shutdown(wait=False, cancel_futures=True)
        self.introspect_pool.shutdown(wait=False, cancel_futures=True)
        for project in self.projects.projects():
            flush = getattr(project.ctx.members, "flush", None)
            if callable(flush):
                try:
                    flush()  # the analyses write new introspection answers at most every few seconds
                except Exception as exc:  # only speed is lost: the answers are asked again next time
                    log.debug("writing the introspection answers of %s failed: %s", project.root, exc)

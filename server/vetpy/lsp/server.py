"""``vetpy serve``: the language server (pygls 2, lsprotocol 2025).

Thin async handlers; analysis runs in the scheduler's own thread pool, environment builds in
another; the event loop only routes messages.  See ``docs/lsp.md`` for what a user sees.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from vetpy import __version__
from vetpy.document import Document, forget as forget_tree
from vetpy.engine import enabled_codes
from vetpy.files import too_large
from vetpy.findings import Finding, Severity
from vetpy.incremental import IncrementalAnalyzer, Same
from vetpy.resolve.members import DeferringMembers, MemberIndex
from vetpy.lsp import convert
from vetpy.lsp.framing import AnsweringProtocol, ResyncingReader
from vetpy.lsp.hover import hover_markdown
from vetpy.lsp.projects import WATCHED_GLOBS, Project, Projects
from vetpy.lsp.scheduler import Outcome, Scheduler, Snapshot
from vetpy.lsp.settings import Settings, parse_bundle, parse_settings
from vetpy.lsp.textsync import LspLinesProtocol
from vetpy.rules.syn.syntax import unreadable_finding

log = logging.getLogger("vetpy")

DEFAULT_DEBOUNCE_MS = 250
CONFIG_TIMEOUT = 10.0  # seconds to wait for a workspace/configuration answer
VERIFY_DELAY = 1.0  # seconds of quiet after a result from reused findings before the whole check
REBUILD_DELAY = 0.3  # seconds of quiet after a watched file changes (pip writes many files)
_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}
_MESSAGE_TYPES = {
    logging.ERROR: types.MessageType.Error,
    logging.WARNING: types.MessageType.Warning,
    logging.INFO: types.MessageType.Info,
    logging.DEBUG: types.MessageType.Log,
}


@dataclass
class Analysis:
    findings: list[Finding]
    diagnostics: list[types.Diagnostic]
    generation: int
    reused: bool = False  # some top-level statements kept the previous version's findings
    recheck: bool = False  # a whole analysis of a version already published (after reuse or deferral)
    deferred: tuple[str, ...] = ()  # installed packages' paths the worker must import first (then again)


class LspLogHandler(logging.Handler):
    """Forward vetpy's log records to ``window/logMessage`` (never ``showMessage`` pop-ups)."""

    def __init__(self, server: "VetpyServer") -> None:
        super().__init__(logging.INFO)
        self.server = server
        self._sending = False

    def emit(self, record: logging.LogRecord) -> None:
        server = self.server
        loop = server.loop
        if loop is None or loop.is_closed() or getattr(server.protocol, "writer", None) is None:
            return
        try:
            message = self.format(record)
        except Exception:  # vetpy: ignore[EDGE002] a record that cannot be formatted must not break the server
            return
        kind = _MESSAGE_TYPES.get(record.levelno, types.MessageType.Log)
        if record.levelno >= logging.ERROR:
            kind = types.MessageType.Error
        params = types.LogMessageParams(type=kind, message=message)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._send(params)
        else:
            loop.call_soon_threadsafe(self._send, params)

    def _send(self, params: types.LogMessageParams) -> None:
        if self._sending:  # a failure to send, logged again: stop here (always on the loop thread)
            return
        self._sending = True
        try:
            self.server.window_log_message(params)
        except Exception:
            pass  # the client went away: nothing sensible to do with a log line
        finally:
            self._sending = False


class VetpyProtocol(LspLinesProtocol, AnsweringProtocol):
    """Documents on LSP lines (:mod:`vetpy.lsp.textsync`), error answers for malformed messages
    (:mod:`vetpy.lsp.framing`)."""


class VetpyServer(LanguageServer):
    def __init__(self, poll_interval: float = 2.0) -> None:
        super().__init__("vetpy", __version__, protocol_cls=VetpyProtocol)
        self.projects = Projects()
        self.scheduler: Scheduler[Analysis] = Scheduler(self._snapshot, self._analyze, self._deliver)
        self.env_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vetpy-env")
        self.encoding: str = types.PositionEncodingKind.Utf16
        self.pull = False
        self.poll_interval = poll_interval
        self.loop: asyncio.AbstractEventLoop | None = None
        self.log_handler = LspLogHandler(self)
        self.log_handler.setFormatter(logging.Formatter("%(message)s"))
        self._tasks: set[asyncio.Task[Any]] = set()
        self._rebuilds: dict[Path, asyncio.Task[None]] = {}
        self._watch_registration: str | None = None
        self._too_big: set[str] = set()  # open documents over max-file-size (logged once each)
        self.incremental = IncrementalAnalyzer()
        # uri -> a version already published that is to be analysed whole again: after reused
        # findings (once the user pauses) or after deferred introspection (once it is done)
        self._recheck: dict[str, int | None] = {}
        self.verify_delay = VERIFY_DELAY
        # uri -> (version, diagnostics, from reused findings?) of the last result delivered
        self._delivered: dict[str, tuple[int | None, list[types.Diagnostic], bool]] = {}
        # Set once the client's settings are known (its workspace/configuration answer, when it
        # has one): no project is built before, so a client that says `trusted: false` only in
        # that answer never has its workspace's interpreter run by an early analysis.
        self.settings_ready = threading.Event()

    def stop_work(self) -> None:
        """Cancel background tasks and running analyses (on ``shutdown``, or when stdin closes)."""
        for task in list(self._tasks):
            task.cancel()
        self.scheduler.shutdown()
        self.env_pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """pygls calls this when the input ends (closed stdin, ``exit``): no analysis may keep the
        process alive after its editor has gone."""
        self.stop_work()
        super().shutdown()

    # -- errors and logging ----------------------------------------------------------------------
    def report_server_error(self, error: Exception, source: Any) -> None:
        """Internal errors go to the log (window/logMessage), never to pop-ups; a frame whose body
        is not JSON also gets its Parse error response."""
        if isinstance(self.protocol, AnsweringProtocol) and self.protocol.answer_unparsable(error):
            log.warning("a message that is not JSON (%s): answered Parse error", type(error).__name__)
            return
        log.error("vetpy server error (%s): %s", getattr(source, "__name__", source), error)

    def set_log_level(self, level: str | None) -> None:
        self.log_handler.setLevel(_LEVELS.get(level or "info", logging.INFO))
        logging.getLogger("vetpy").setLevel(min(self.log_handler.level, _file_level()))

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("background task failed: %s: %s", type(exc).__name__, exc)

    # -- documents -------------------------------------------------------------------------------
    def open_document(self, uri: str) -> Any | None:
        """The open document for ``uri`` (never reads from disk, unlike get_text_document)."""
        return self.workspace.text_documents.get(unquote(uri))

    def project_for(self, path: Path | None) -> Project:
        """The project of ``path`` once the settings are known (blocks: worker threads only)."""
        if not self.settings_ready.wait(CONFIG_TIMEOUT + 1.0):
            log.warning("no settings from the client yet: going on with those of initialize")
            self.settings_ready.set()
        return self.projects.project_for(path)

    def _snapshot(self, uri: str) -> Snapshot | None:
        doc = self.open_document(uri)
        if doc is None:
            return None
        return Snapshot(uri, doc.version, doc.source)

    def debounce_for(self, uri: str) -> float:
        settings = self.settings_for_uri(uri)
        ms = settings.debounce_ms if settings.debounce_ms is not None else DEFAULT_DEBOUNCE_MS
        return ms / 1000.0

    def settings_for_uri(self, uri: str) -> Settings:
        return self.projects.settings_for(self.projects.folder_of(uri_path(uri)))

    def _analyze(self, snap: Snapshot, cancelled: Any) -> Analysis:
        """Runs in a worker thread: context (built on first use), engine, conversion."""
        try:
            return self._analyze_open(snap, cancelled)
        finally:
            if self.open_document(snap.uri) is None:
                self.forget_document(snap.uri)  # closed meanwhile: what the analysis kept goes too

    def _analyze_open(self, snap: Snapshot, cancelled: Any) -> Analysis:
        path = uri_path(snap.uri)
        project = self.project_for(path)
        reason = text_too_large(snap.text, project.ctx.config.max_file_size)
        if reason is not None:
            return self._not_analysed(snap, path, project, reason)
        self._too_big.discard(snap.uri)
        ctx = replace(project.ctx, cancelled=cancelled, on_error=lambda name, exc: _rule_failed(snap.uri, name, exc))
        index = ctx.members
        members = DeferringMembers(index) if isinstance(index, MemberIndex) else None
        if members is not None:
            ctx = replace(ctx, members=members)
        started = time.perf_counter()
        doc = Document(path=str(path) if path else _pseudo_path(snap.uri), text=snap.text)
        recheck = self._recheck.get(snap.uri, -1) == snap.version
        outcome = self.incremental.analyze(doc, ctx, key=(Same(project), project.generation), full=recheck)
        deferred = tuple(sorted(members.deferred)) if members is not None else ()
        if deferred:
            self.incremental.forget(doc.path)  # not a result to build on: analysed again shortly
        findings = outcome.findings
        diagnostics = convert.to_diagnostics(findings, snap.text, self.encoding, snap.version)
        log.debug(
            "analysed %s version %s: %d findings in %.1f ms (%d of %d top-level statements%s)",
            snap.uri, snap.version, len(findings), (time.perf_counter() - started) * 1000,
            outcome.analysed, outcome.statements, ", the others' findings kept" if outcome.reused else "",
        )
        return Analysis(findings, diagnostics, project.generation, outcome.reused, recheck, deferred)

    def _schedule_verification(self, uri: str, version: int | None) -> None:
        snap = self._snapshot(uri)
        if snap is not None and snap.version == version:  # not when an edit came in meanwhile
            self.scheduler.schedule(uri, self.verify_delay)

    async def _introspect_then_recheck(self, uri: str, version: int | None, paths: tuple[str, ...]) -> None:
        """Have the worker import what an analysis deferred, then analyse the document again."""
        project = self.projects.project_for(uri_path(uri))
        index = project.ctx.members
        if not isinstance(index, MemberIndex):
            return
        log.info("introspecting %s in the background; their attribute checks follow", ", ".join(paths))

        def introspect() -> None:
            for path in paths:
                index.describe(path)

        await asyncio.get_running_loop().run_in_executor(self.env_pool, introspect)
        snap = self._snapshot(uri)
        if snap is not None and snap.version == version:
            self._recheck[uri] = version
            self.scheduler.schedule(uri, 0.0)
        # a newer version is analysed anyway (and now finds the packages imported)

    def forget_document(self, uri: str) -> None:
        """The document closed: drop everything kept for it (results, records, its last tree)."""
        self._recheck.pop(uri, None)
        self._delivered.pop(uri, None)
        self._too_big.discard(uri)
        path = uri_path(uri)
        name = str(path) if path else _pseudo_path(uri)
        self.incremental.forget(name)
        forget_tree(name)

    def _not_analysed(self, snap: Snapshot, path: Path | None, project: Project, reason: str) -> Analysis:
        """A document over ``max-file-size``: one information diagnostic instead of an analysis
        (parsing a multi-megabyte file can take minutes and gigabytes)."""
        if snap.uri not in self._too_big:
            self._too_big.add(snap.uri)
            log.info("%s is not analysed: %s", snap.uri, reason)
        name = str(path) if path else _pseudo_path(snap.uri)
        findings: list[Finding] = []
        if "SYN002" in enabled_codes(project.ctx, name):
            finding = unreadable_finding(name, reason).with_severity(Severity.INFO)
            findings.append(replace(finding, message=f"vetpy did not check this file: {reason}"))
        return Analysis(findings, convert.to_diagnostics(findings, "", self.encoding, snap.version), project.generation)

    def _deliver(self, outcome: Outcome[Analysis]) -> None:
        snap = outcome.snapshot
        analysis = outcome.value
        delivered = self._delivered.get(snap.uri)
        self._delivered[snap.uri] = (snap.version, analysis.diagnostics, analysis.reused)
        if analysis.recheck:
            self._recheck.pop(snap.uri, None)
        if analysis.reused:
            # Reused findings equal a whole analysis's on every edit the tests try; a whole
            # analysis once the user pauses makes sure no difference could outlive the pause.
            self._recheck[snap.uri] = snap.version
            asyncio.get_running_loop().call_soon(self._schedule_verification, snap.uri, snap.version)
        if analysis.deferred:
            self.spawn(self._introspect_then_recheck(snap.uri, snap.version, analysis.deferred))
        if analysis.recheck and delivered is not None and delivered[0] == snap.version:
            if delivered[1] == analysis.diagnostics:
                return  # the same diagnostics: nothing to tell the client
            if delivered[2]:
                log.warning("the whole analysis of %s version %s differs from the incremental one", snap.uri, snap.version)
            if self.pull:
                self.spawn(self._refresh())
        if self.pull:
            return  # the client pulls (textDocument/diagnostic); waiters got the result
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=snap.uri, version=snap.version, diagnostics=outcome.value.diagnostics)
        )

    def recheck(self, uris: list[str]) -> None:
        for uri in uris:
            if self.open_document(uri) is not None:
                self.scheduler.invalidate(uri)
                self.scheduler.schedule(uri, 0.0)
        if self.pull and uris:
            self.spawn(self._refresh())

    async def _refresh(self) -> None:
        try:
            await self.workspace_diagnostic_refresh_async(None)
        except Exception as exc:
            log.debug("workspace/diagnostic/refresh failed: %s", exc, exc_info=True)

    def open_uris_under(self, roots: set[Path]) -> list[str]:
        out = []
        for uri in list(self.workspace.text_documents):
            _, root = self.projects.root_of(uri_path(uri))
            if root in roots:
                out.append(uri)
        return out

    # -- environment -----------------------------------------------------------------------------
    def rebuild_later(self, root: Path, delay: float = REBUILD_DELAY) -> None:
        pending = self._rebuilds.get(root)
        if pending is not None and not pending.done():
            pending.cancel()
        self._rebuilds[root] = self.spawn(self._rebuild(root, delay))

    async def _rebuild(self, root: Path, delay: float) -> None:
        await asyncio.sleep(delay)
        loop = asyncio.get_running_loop()
        project = await loop.run_in_executor(self.env_pool, self.projects.rebuild, root)
        if project is None:
            return
        log.info("%s: environment re-read (generation %d); re-checking open documents", root, project.generation)
        self.recheck(self.open_uris_under({root}))
        await self.register_watchers()
        await loop.run_in_executor(self.env_pool, Projects.warm, project)

    async def poll(self) -> None:
        """Fallback for clients without file watching: stat the watched files every few seconds."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.poll_interval)
            try:
                changed = await loop.run_in_executor(self.env_pool, self.projects.changed)
            except Exception as exc:
                log.debug("polling watched files failed: %s", exc, exc_info=True)
                continue
            for root in changed:
                if root not in self._rebuilds or self._rebuilds[root].done():
                    log.info("%s: a watched file changed", root)
                    self.rebuild_later(root, 0.0)

    async def warm_up(self) -> None:
        """Build every folder's context (and warm its services) in the background, with progress."""
        loop = asyncio.get_running_loop()
        folders = list(self.projects.folders.values())
        token: str | None = None
        caps = self.client_capabilities
        if folders and caps.window is not None and caps.window.work_done_progress:
            token = f"vetpy-warm-{uuid.uuid4().hex[:8]}"
            try:
                await self.work_done_progress.create_async(token)
                self.work_done_progress.begin(
                    token, types.WorkDoneProgressBegin(title="vetpy", message="reading the environment", percentage=0)
                )
            except Exception as exc:
                log.debug("work done progress unavailable: %s", exc)
                token = None
        for i, folder in enumerate(folders):
            project = await loop.run_in_executor(self.env_pool, self.project_for, folder / "__init__.py")
            if token:
                self.work_done_progress.report(
                    token,
                    types.WorkDoneProgressReport(
                        message=f"warming caches for {folder.name}", percentage=int(100 * (i + 0.5) / len(folders))
                    ),
                )
            await loop.run_in_executor(self.env_pool, Projects.warm, project)
        if token:
            self.work_done_progress.end(token, types.WorkDoneProgressEnd(message="ready"))
        await self.register_watchers()

    async def register_watchers(self) -> None:
        caps = self.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched is None or not watched.dynamic_registration:
            return
        patterns: list[Any] = list(WATCHED_GLOBS)
        if watched.relative_pattern_support:
            for project in self.projects.projects():
                env = project.ctx.environment
                for sp in env.site_packages if env else []:
                    if os.path.isdir(sp):
                        patterns.append(types.RelativePattern(base_uri=Path(sp).as_uri(), pattern="*"))
        reg_id = f"vetpy-watch-{uuid.uuid4().hex[:8]}"
        watchers = [types.FileSystemWatcher(glob_pattern=p) for p in _dedupe(patterns)]
        try:
            if self._watch_registration is not None:
                await self.client_unregister_capability_async(
                    types.UnregistrationParams(
                        unregisterations=[
                            types.Unregistration(id=self._watch_registration, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
                        ]
                    )
                )
            await self.client_register_capability_async(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id=reg_id,
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                        )
                    ]
                )
            )
            self._watch_registration = reg_id
        except Exception as exc:
            log.debug("registering file watchers failed: %s", exc, exc_info=True)

    # -- settings --------------------------------------------------------------------------------
    async def pull_configuration(self) -> bool:
        """Ask the client for the ``vetpy`` section, globally and per folder; True if it changed."""
        caps = self.client_capabilities.workspace
        if caps is None or not caps.configuration:
            return False
        scopes = ["", *self.projects.folders]
        items = [types.ConfigurationItem(section="vetpy", scope_uri=s or None) for s in scopes]
        try:
            answers = await asyncio.wait_for(
                self.workspace_configuration_async(types.ConfigurationParams(items=items)), CONFIG_TIMEOUT
            )
        except Exception as exc:
            log.warning("workspace/configuration failed: %s", exc, exc_info=True)
            return False
        problems: list[str] = []
        configured: dict[str, Settings] = {}
        for scope, answer in zip(scopes, answers or [], strict=False):
            if answer is not None:
                configured[scope] = parse_settings(answer, f"workspace/configuration vetpy ({scope or 'global'})", problems)
        for problem in problems:
            log.warning("settings: %s", problem)
        changed = configured != self.projects.configured
        self.projects.configured = configured
        self.apply_global_settings()
        return changed

    def apply_global_settings(self) -> None:
        self.set_log_level(self.projects.settings_for(None).log_level)

    def settings_changed(self) -> None:
        """Rebuild the projects whose effective settings changed and re-check their documents."""
        for project in self.projects.projects():
            if self.projects.settings_for(project.folder_uri) != project.settings:
                self.rebuild_later(project.root, 0.0)

    def show_environment(self, uri: str | None) -> dict[str, Any]:
        import platform

        import pygls

        projects: list[Project]
        if uri:
            projects = [self.project_for(uri_path(uri))]
        else:
            projects = self.projects.projects()
        return {
            "vetpy": __version__,
            "pygls": getattr(pygls, "__version__", _dist_version("pygls")),
            "lsprotocol": _dist_version("lsprotocol"),
            "serverPython": f"{platform.python_version()} ({sys.executable})",
            "positionEncoding": str(self.encoding),
            "diagnostics": "pull" if self.pull else "push",
            "projects": [p.describe() for p in projects],
        }


def _dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _dedupe(patterns: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for p in patterns:
        key = p if isinstance(p, str) else f"{p.base_uri}|{p.pattern}"
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def text_too_large(text: str, limit: int) -> str | None:
    """Why an open document is not analysed (its UTF-8 size is over ``limit``), or None."""
    size = len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))
    return too_large(size, limit)


def _file_level() -> int:
    file_handlers = [h for h in logging.getLogger("vetpy").handlers if isinstance(h, logging.FileHandler)]
    return min((h.level for h in file_handlers), default=logging.CRITICAL)


def _rule_failed(uri: str, name: str, exc: BaseException) -> None:
    log.error("checker %s failed on %s: %s: %s (the other checkers' findings are shown)", name, uri, type(exc).__name__, exc)


def uri_path(uri: str) -> Path | None:
    """The file system path of a ``file:`` URI (None for ``untitled:`` and other schemes)."""
    try:
        path = to_fs_path(uri)
    except Exception:  # vetpy: ignore[EDGE002] not a file URI (or not one this platform can map): no path
        return None
    if not path:
        return None
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path)


def _pseudo_path(uri: str) -> str:
    return f"<{uri}>"


def _capability(value: Any, *names: str) -> Any:
    for name in names:
        if value is None:
            return None
        value = getattr(value, name, None)
    return value


# -- handlers -------------------------------------------------------------------------------------

def create_server(poll_interval: float | None = None) -> VetpyServer:
    """A fresh server with every handler registered (one per process or test)."""
    if poll_interval is None:
        poll_interval = float(os.environ.get("VETPY_LSP_POLL_SECONDS", "2.0"))
    server = VetpyServer(poll_interval=poll_interval)

    @server.feature(types.INITIALIZE)
    def initialize(ls: VetpyServer, params: types.InitializeParams) -> None:
        ls.loop = asyncio.get_running_loop()
        logging.getLogger("vetpy").addHandler(ls.log_handler)
        ls.encoding = str(ls.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        caps = params.capabilities
        ls.pull = bool(
            _capability(caps, "text_document", "diagnostic") is not None
            and _capability(caps, "workspace", "diagnostics", "refresh_support")
        )
        if ls.pull:
            # registered here so that push-only clients (Neovim) never see a diagnosticProvider
            ls.feature(
                types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(identifier="vetpy", inter_file_dependencies=False, workspace_diagnostics=False),
            )(pull_diagnostics)
        folders = list(params.workspace_folders or [])
        if not folders and (params.root_uri or params.root_path):
            root_uri = params.root_uri or Path(params.root_path or ".").resolve().as_uri()
            folders = [types.WorkspaceFolder(uri=root_uri, name="root")]
        for folder in folders:
            path = uri_path(folder.uri)
            if path is None:
                log.warning("workspace folder %s is not a file: URI; ignored", folder.uri)
                continue
            ls.projects.set_folder(folder.uri, path)
        bundle = parse_bundle(params.initialization_options, "initializationOptions")
        ls.projects.bundle = bundle
        if not _capability(caps, "workspace", "configuration"):
            ls.settings_ready.set()  # no configuration answer will come: initializationOptions are all
        ls.apply_global_settings()
        for problem in bundle.problems:
            log.warning("settings: %s", problem)
        log.info(
            "vetpy %s: %s diagnostics, %s positions, %d workspace folder(s)",
            __version__, "pull" if ls.pull else "push", ls.encoding, len(ls.projects.folders),
        )

    @server.feature(types.INITIALIZED)
    async def initialized(ls: VetpyServer, params: types.InitializedParams) -> None:
        try:
            if await ls.pull_configuration():
                ls.settings_changed()  # projects built meanwhile (none, unless the answer was late)
        finally:
            ls.settings_ready.set()
        ls.spawn(ls.warm_up())
        if ls.poll_interval > 0:
            ls.spawn(ls.poll())

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: VetpyServer, params: None) -> None:
        ls.stop_work()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: VetpyServer, params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri_path(uri) is None:
            log.info("%s is not a file: analysing without a project directory", uri)
        elif ls.projects.folders and ls.projects.folder_of(uri_path(uri)) is None:
            log.info("%s is outside every workspace folder: using its own project root", uri)
        ls.scheduler.schedule(uri, 0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: VetpyServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.scheduler.schedule(uri, ls.debounce_for(uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: VetpyServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.scheduler.forget(uri)
        ls.forget_document(uri)
        if not ls.pull:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    async def pull_diagnostics(
        ls: VetpyServer, params: types.DocumentDiagnosticParams
    ) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
        outcome = await ls.scheduler.current(params.text_document.uri)
        if outcome is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{outcome.value.generation}:{outcome.snapshot.version}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=outcome.value.diagnostics, result_id=result_id)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, convert.FIX_ALL_KIND], resolve_provider=False
        ),
    )
    async def code_action(ls: VetpyServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        doc = ls.open_document(uri)
        if doc is None:
            return None
        state = convert.DocumentState(uri, doc.version, doc.source, ls.encoding)
        only = params.context.only
        actions: list[types.CodeAction] = []
        if convert.kind_requested(types.CodeActionKind.QuickFix, only):
            actions += convert.quick_fixes(state, params.context.diagnostics)
        if convert.kind_requested(convert.FIX_ALL_KIND, only):
            outcome = ls.scheduler.latest(uri)
            if only and (outcome is None or outcome.snapshot.version != doc.version):
                outcome = await ls.scheduler.current(uri)  # asked for explicitly: wait for fresh findings
            if outcome is not None and outcome.snapshot.version == doc.version:
                fix_all = convert.fix_all_action(state, outcome.value.findings)
                if fix_all is not None:
                    actions.append(fix_all)
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: VetpyServer, params: types.HoverParams) -> types.Hover | None:
        snap = ls._snapshot(params.text_document.uri)
        if snap is None:
            return None
        lines = convert.Lines(snap.text)
        line, column = lines.from_client(params.position, ls.encoding)
        path = uri_path(snap.uri)
        loop = asyncio.get_running_loop()

        def compute() -> str | None:
            project = ls.project_for(path)
            if text_too_large(snap.text, project.ctx.config.max_file_size):
                return None
            doc = Document(path=str(path) if path else _pseudo_path(snap.uri), text=snap.text)
            return hover_markdown(doc, project.ctx, line, column)

        markdown = await loop.run_in_executor(ls.env_pool, compute)
        if not markdown:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: VetpyServer, params: types.DidChangeConfigurationParams) -> None:
        if not await ls.pull_configuration():
            raw = params.settings
            if isinstance(raw, dict) and raw:
                inner = raw.get("vetpy", raw)
                problems: list[str] = []
                ls.projects.configured[""] = parse_settings(inner, "didChangeConfiguration", problems)
                for problem in problems:
                    log.warning("settings: %s", problem)
                ls.apply_global_settings()
        ls.settings_changed()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: VetpyServer, params: types.DidChangeWatchedFilesParams) -> None:
        roots: set[Path] = set()
        for change in params.changes:
            path = uri_path(change.uri)
            if path is not None:
                roots.update(ls.projects.roots_affected_by(path))
        for root in roots:
            ls.rebuild_later(root)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_folders(ls: VetpyServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        gone: set[Path] = set()
        for folder in params.event.removed:
            gone.update(ls.projects.remove_folder(folder.uri))
        for folder in params.event.added:
            path = uri_path(folder.uri)
            if path is None:
                log.warning("workspace folder %s is not a file: URI; ignored", folder.uri)
                continue
            ls.projects.set_folder(folder.uri, path)
        await ls.pull_configuration()
        ls.recheck(list(ls.workspace.text_documents))

    @server.command("vetpy.restart")
    async def restart(ls: VetpyServer, *args: Any) -> dict[str, Any]:
        await ls.pull_configuration()
        loop = asyncio.get_running_loop()
        roots = [p.root for p in ls.projects.projects()]
        for root in roots:
            await loop.run_in_executor(ls.env_pool, ls.projects.rebuild, root)
        ls.recheck(list(ls.workspace.text_documents))
        log.info("vetpy restarted: %d project(s) re-read", len(roots))
        return {"restarted": [str(r) for r in roots]}

    @server.command("vetpy.showEnvironment")
    async def show_environment(ls: VetpyServer, *args: Any) -> dict[str, Any]:
        uri = next((a for a in args if isinstance(a, str)), None)
        if uri is None:
            uri = next((a.get("uri") for a in args if isinstance(a, dict) and isinstance(a.get("uri"), str)), None)
        loop = asyncio.get_running_loop()
        info = await loop.run_in_executor(ls.env_pool, ls.show_environment, uri)
        for p in info["projects"]:
            log.info(
                "vetpy %s: %s -> %s (%s), Python %s; sys.path head: %s; settings: %s",
                info["vetpy"], p["root"], p["interpreter"], p["reason"], p["pythonVersion"],
                ", ".join(p["sysPathHead"][:3]), p["settings"],
            )
        return info

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
        logging.getLogger("pygls").addHandler(handler)
        logging.getLogger("pygls").setLevel(logging.INFO)
    logger.setLevel(logging.DEBUG if log_file else logging.INFO)
    server = create_server()
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

"""One analysis of a document snapshot, in a worker thread: context (built on first use),
engine (incremental), conversion to diagnostics."""

from __future__ import annotations

import ast
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from lsprotocol import types

from vetpy import deadline
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import analyze as engine_analyze
from vetpy.engine import enabled_codes
from vetpy.findings import Finding, Severity
from vetpy.incremental import Same
from vetpy.lsp import convert, declarations, environments, isolated, preload, recheck
from vetpy.lsp.projects import Project
from vetpy.lsp.scheduler import Snapshot
from vetpy.lsp.session import Analysis, Session
from vetpy.lsp.uris import document_name, text_too_large, uri_path
from vetpy.resolve.members import DeferringMembers, MemberIndex
from vetpy.resolve.stubs import prewarm_standard_stubs
from vetpy.rules.syn.syntax import not_analysed_finding, unreadable_finding

log = logging.getLogger("vetpy")

# The time budget of an analysis in the server (docs/lsp.md, "Time budget"): the engine's part
# of an analysis (not the project's set-up, which has its own timeouts) runs under the project's
# ``analysis-timeout``, as a file of ``vetpy check`` does.  Past it the watchdog stops the
# analysing thread (vetpy.deadline.Watchdog) and the document gets one SYN002 diagnostic saying
# so; what the incremental analysis kept of the document is dropped, the next edit analyses it
# anew.
WATCHDOG = deadline.Watchdog()


def budget(snap: Snapshot, seconds: float) -> float:
    """The seconds the analysis of ``snap`` may run: its project's ``analysis-timeout`` (the
    tests shorten one version's here)."""
    return seconds


# The start-up imports (vetpy.lsp.preload); their names here for the tests and tools that used them.
PRELOAD, _PRELOADING, start_preload, freeze_startup_objects = preload.PRELOAD, preload._PRELOADING, preload.start_preload, \
    preload.freeze_startup_objects


def analyze(session: Session, snap: Snapshot, cancelled: Callable[[], bool]) -> Analysis:
    """The scheduler's ``analyze``: runs in one of its worker threads."""
    preload.wait()  # the start-up imports are done (at once, after the first analysis)
    path = uri_path(snap.uri)
    if declarations.is_declaration(path):
        return declarations.analyze(session, snap)  # not Python: DEP004 only
    if declarations.is_other_language(session, snap.uri, path):
        return Analysis([], [], 0)
    try:
        if not session.pull:
            try:
                publish_static_first(session, snap, cancelled)
            except Exception as exc:  # the whole analysis follows and reports what fails
                log.error("the static first pass on %s failed: %s: %s", snap.uri, type(exc).__name__, exc)
        return _analyze_open(session, snap, cancelled)
    except deadline.BudgetExceeded as exc:  # the static pass's or the whole analysis's
        return _stopped(session, snap, path, exc.seconds)
    finally:
        if session.open_document(snap.uri) is None:
            session.forget_document(snap.uri)  # closed meanwhile: what the analysis kept goes too


# Codes whose findings depend on the target environment (or on other codes' findings: SYN003, an
# unused suppression, would report a `# noqa: HAL003` whose finding is still to come).  EDGE009
# also asks the environment (installed functions that return None) but without one it only
# finds less, never more.
NEEDS_ENVIRONMENT = ("HAL", "DEP", "SYN003")
UNTIL_COMPLETE = ("SYN003",)  # reported only by an analysis that asked every question it had


STATIC_FIRST_NOTE = "published the findings that need no environment; the full set follows"


def static_codes(codes: set[str]) -> set[str]:
    """The part of ``codes`` that is checked without the target environment."""
    return {code for code in codes if not code.startswith(NEEDS_ENVIRONMENT)}


def publish_static_first(session: Session, snap: Snapshot, cancelled: Callable[[], bool]) -> None:
    """Before a document's project has its environment (the probe of its interpreter, then the
    introspection worker: seconds on a cold start), publish the findings that need none: syntax,
    SEC, EDGE, TEST, under the project's configuration.  The whole analysis publishes the full
    set for the same version next; ``publishDiagnostics`` replaces a document's set, so a finding
    in both stays on screen.  Only for a document nothing was delivered for yet, to a push client."""
    path = uri_path(snap.uri)
    session.wait_for_settings()
    record = session.documents.get(snap.uri)
    if session.projects.built(path) is not None or (record is not None and record.delivered is not None):
        return
    ctx = session.projects.static_context(path)
    if text_too_large(snap.text, ctx.config.max_file_size) or isolated.wants_isolation(snap.text):
        return
    started = time.perf_counter()
    doc = Document(path=document_name(snap.uri, path), text=snap.text, parses=session.incremental.parses)
    # First what the whole analysis needs anyway, whatever the environment: the document's tree
    # (kept for it) and typeshed's builtins stub (the parse cache); never wasted, unlike the
    # static pass, which is given up when the environment is ready.
    _ = doc.tree
    if session.projects.built(path) is not None:
        return
    prewarm_standard_stubs()
    codes = static_codes(enabled_codes(ctx, doc.path))
    # Given up (between checkers) as soon as the environment is ready: the whole analysis is due
    # then, and the static one would only delay it.
    def superseded() -> bool:
        return cancelled() or session.projects.built(path) is not None

    ctx = replace(ctx, cancelled=superseded, on_error=lambda name, exc: _rule_failed(snap.uri, name, exc))
    findings = WATCHDOG.call(budget(snap, ctx.config.analysis_timeout), engine_analyze, doc, ctx, codes)
    if superseded() or session.loop is None:
        log.debug("static pass on %s version %s given up after %.1f ms: the environment is ready (%.2f s of CPU since "
                  "the process started)", snap.uri, snap.version, (time.perf_counter() - started) * 1000, time.process_time())
        return
    diagnostics = convert.to_diagnostics(findings, snap.text, session.encoding, snap.version)
    log.debug(
        "static findings of %s version %s before its environment is ready: %d in %.1f ms",
        snap.uri, snap.version, len(findings), (time.perf_counter() - started) * 1000,
    )
    session.loop.call_soon_threadsafe(_deliver_static, session, snap, diagnostics)


def _deliver_static(session: Session, snap: Snapshot, diagnostics: list[types.Diagnostic]) -> None:
    """On the event loop: publish the static findings unless the document moved on or a whole
    result was delivered meanwhile (it is never replaced by a partial one)."""
    now = session.snapshot(snap.uri)
    record = session.documents.get(snap.uri)
    if now is None or now.version != snap.version or (record is not None and record.delivered is not None):
        return
    log.info("%s version %s: %s", snap.uri, snap.version, STATIC_FIRST_NOTE)  # before the publication: clients and tests can tell
    session.publish(snap.uri, snap.version, diagnostics)


def _analyze_open(session: Session, snap: Snapshot, cancelled: Callable[[], bool]) -> Analysis:
    path = uri_path(snap.uri)
    project = session.project_for(path)
    reason = text_too_large(snap.text, project.ctx.config.max_file_size)
    if reason is not None:
        return _not_analysed(session, snap, path, project, reason)
    record = session.documents.get(snap.uri)
    if record is not None:
        record.too_big = False
    if isolated.wants_isolation(snap.text):
        return _analyze_in_child(session, snap, path, project, cancelled)
    ctx = replace(project.ctx, cancelled=cancelled, on_error=lambda name, exc: _rule_failed(snap.uri, name, exc))
    index = ctx.members
    members = DeferringMembers(index) if isinstance(index, MemberIndex) else None
    if members is not None:
        ctx = replace(ctx, members=members)
    started = time.perf_counter()
    log.debug("analysing %s version %s", snap.uri, snap.version)
    doc = Document(path=document_name(snap.uri, path), text=snap.text, parses=session.incremental.parses)
    whole = recheck.due(session, snap.uri, snap.version)
    if record is None or record.delivered is None:
        prefetch_imports(doc, ctx)
    outcome = WATCHDOG.call(
        budget(snap, ctx.config.analysis_timeout), session.incremental.analyze,
        doc, ctx, (Same(project), project.generation), whole,
    )
    # What this analysis did not ask, and what the findings it reused did not: until a whole
    # analysis asks them all (after their background import, recheck.py), its findings may be
    # fewer than a whole analysis's, never more.  It is built upon all the same: an edit while
    # the worker imports a package for seconds is analysed incrementally, as any other.
    deferred = tuple(sorted(members.deferred | outcome.pending)) if members is not None else ()
    findings = outcome.findings
    if deferred:
        session.incremental.keep_pending(doc.path, frozenset(deferred))
        # a suppression of a finding still to come is not unused: no SYN003 until it has come
        findings = [f for f in findings if f.code not in UNTIL_COMPLETE]
    diagnostics = convert.to_diagnostics(findings, snap.text, session.encoding, snap.version, doc)
    log.debug(
        "analysed %s version %s: %d findings in %.1f ms (%d of %d top-level statements%s) [%.2f s of CPU since the process "
        "started]", snap.uri, snap.version, len(findings), (time.perf_counter() - started) * 1000,
        outcome.analysed, outcome.statements, ", the others' findings kept" if outcome.reused else "", time.process_time(),
    )
    return Analysis(findings, diagnostics, project.generation, outcome.reused, whole, deferred)


def prefetch_imports(doc: Document, ctx: AnalysisContext) -> None:
    """Before a document's first analysis: ask the target interpreter, in one subprocess, about
    every module the document imports that the environment's listing does not place (a
    hallucinated package, one an import hook provides): the questions of the import check's own
    batch, asked before the inference met each imported name and asked about it alone (a
    subprocess each, on the way to the first diagnostics: five for the editor benchmark's app
    in an environment without its packages)."""
    resolver = ctx.resolver
    tree = doc.tree
    if resolver is None or ctx.environment is None or not resolver.use_probe or tree is None:
        return
    imported = set()
    for node in doc.nodes:  # the document's shared node list (the rules walk it next), not a walk of its own
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module)
    roots = resolver.first_party_roots(doc.path)
    todo: list[str] = []
    for module in sorted(imported):  # as the import check's own batch (vetpy.rules.hal.imports._prefetch) asks them
        top = module.split(".")[0]
        if not any((r / top).exists() or (r / f"{top}.py").exists() for r in roots):
            todo += [top, module] if "." in module else [top]
    if todo:
        resolver.prefetch_unplaced(list(dict.fromkeys(todo)))


def _analyze_in_child(
    session: Session, snap: Snapshot, path: Path | None, project: Project, cancelled: Callable[[], bool]
) -> Analysis:
    """A big document: analysed whole by a child process (:mod:`vetpy.lsp.isolated`); nothing of
    it is parsed or kept in the server."""
    started = time.perf_counter()
    name = document_name(snap.uri, path)
    session.incremental.forget(name)
    try:
        found = isolated.analyze_isolated(project.root, project.build, name, snap.text, cancelled)
    except isolated.IsolatedFailure as exc:
        log.warning("%s version %s was not analysed: %s", snap.uri, snap.version, exc)
        return _not_analysed(session, snap, path, project, f"its analysis failed ({exc})")
    if found is None:  # cancelled: a newer version is on its way
        return Analysis([], [], project.generation)
    findings = sorted(found, key=lambda f: f.sort_key)
    log.debug(
        "analysed %s version %s in a child process: %d findings in %.1f ms",
        snap.uri, snap.version, len(findings), (time.perf_counter() - started) * 1000,
    )
    diagnostics = convert.to_diagnostics(findings, snap.text, session.encoding, snap.version)
    return Analysis(findings, diagnostics, project.generation)


def _not_analysed(session: Session, snap: Snapshot, path: Path | None, project: Project, reason: str) -> Analysis:
    """A document over ``max-file-size``: one information diagnostic instead of an analysis
    (parsing a multi-megabyte file can take minutes and gigabytes)."""
    record = session.record(snap.uri)
    if not record.too_big:
        record.too_big = True
        log.info("%s is not analysed: %s", snap.uri, reason)
    name = document_name(snap.uri, path)
    findings: list[Finding] = []
    if "SYN002" in enabled_codes(project.ctx, name):
        finding = unreadable_finding(name, reason).with_severity(Severity.INFO)
        findings.append(replace(finding, message=f"vetpy did not check this file: {reason}"))
    return Analysis(findings, convert.to_diagnostics(findings, "", session.encoding, snap.version), project.generation)


def _stopped(session: Session, snap: Snapshot, path: Path | None, seconds: float) -> Analysis:
    """An analysis the budget stopped: one SYN002 diagnostic saying so (whatever the selection, as
    ``vetpy check`` reports it), and nothing of the stopped analysis kept for the next edit: the
    document's incremental state is dropped, its project built anew."""
    name = document_name(snap.uri, path)
    session.incremental.forget(name)
    message = f"not analysed: the analysis stopped after {seconds:.0f} s (analysis-timeout); please report this"
    log.warning("%s version %s %s", snap.uri, snap.version, message)
    finding = not_analysed_finding(name, message)
    project = session.projects.built(path)
    generation = project.generation if project is not None else 0
    if session.loop is not None:
        session.loop.call_soon_threadsafe(environments.rebuild_after_stop, session, path)
    diagnostics = convert.to_diagnostics([finding], "", session.encoding, snap.version)
    return Analysis([finding], diagnostics, generation, recheck=recheck.due(session, snap.uri, snap.version), stopped=True)


def _rule_failed(uri: str, name: str, exc: BaseException) -> None:
    log.error("checker %s failed on %s: %s: %s (the other checkers' findings are shown)", name, uri, type(exc).__name__, exc)

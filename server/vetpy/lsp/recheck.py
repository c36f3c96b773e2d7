"""The recheck policy: when a document is analysed again although its text did not change.

Every edit schedules an analysis (debounced, :mod:`vetpy.lsp.scheduler`); its result for the
document's current version is *delivered* (:func:`deliver`): published to a push client, handed to
the waiting ``textDocument/diagnostic`` requests of a pull client.  Three things make the server
analyse a version again, and all three are decided here:

1. **Reuse of incremental results.**  A result that kept the previous version's findings for
   unchanged top-level statements (``Analysis.reused``) marks its version as due for a whole
   analysis, scheduled after ``session.verify_delay`` seconds of quiet, and only if no edit came in
   meanwhile (a newer version is analysed anyway).  Reused findings equal a whole analysis's on
   every edit the tests try; the whole analysis once the user pauses makes sure no difference
   could outlive the pause.  If it differs after all, a warning is logged.
2. **Deferred introspection.**  An analysis that met installed packages the member index has not
   imported yet does not wait for them, nor for the worker while it answers a background
   import's question (or a hover's) (``Analysis.deferred``).  One background thread has the worker import them, in turn; then the
   same version, if still current, is due for a whole analysis at once.  A result with deferred
   questions is built upon (an edit while pandas imports is analysed incrementally, in
   milliseconds, not whole): the next version's analysis inherits its deferred paths
   (``Outcome.pending``), so whichever version is current when the imports end is analysed whole.
3. **Environment rebuilds.**  When a project's environment is read again (a watched file changed,
   its settings changed, ``vetpy.restart``, workspace folders changed), :func:`recheck` drops the
   cached results of the open documents concerned and analyses them again at once; a pull client
   is asked to pull again (``workspace/diagnostic/refresh``).

A whole analysis of a version already delivered (cases 1 and 2) is told to the client only if
its diagnostics differ from what was delivered; a pull client is then asked to pull again.

**No flicker.**  A result that is not complete (questions deferred, or stopped by the time
budget) finds fewer findings than the whole analysis that follows it.  For a new version (an
open, an edit) it is shown: quieter, never louder, and at once.  For a version whose complete
result the client already shows (an environment re-read analyses the unedited document again,
and the new member index has imported nothing yet), it is held (:func:`holds`): publishing it
made findings vanish and come back without an edit.  The client keeps what it shows until the
complete analysis of that version comes.
:func:`due` tells the analysis (:mod:`vetpy.lsp.analysis`) that it is such a whole analysis.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from pathlib import Path

from vetpy.lsp.scheduler import Outcome
from vetpy.lsp.session import Analysis, OpenDocument, Session
from vetpy.lsp.uris import uri_path
from vetpy.resolve.members import MemberIndex

log = logging.getLogger("vetpy")
# the deferred paths already named in the log, per member index
_ANNOUNCED: weakref.WeakKeyDictionary[MemberIndex, set[str]] = weakref.WeakKeyDictionary()


def due(session: Session, uri: str, version: int | None) -> bool:
    """Is ``version`` of ``uri`` to be analysed whole (a recheck of cases 1 and 2)?"""
    record = session.documents.get(uri)
    return record is not None and record.recheck_due and record.recheck_version == version


def complete(analysis: Analysis) -> bool:
    """Did the analysis ask every question it had, to the end?"""
    return not analysis.deferred and not analysis.stopped


def holds(record: OpenDocument, version: int | None, analysis: Analysis) -> bool:
    """Is ``analysis`` (of ``version``) kept from the client, which shows that version's complete
    result already?  (It would take findings away that the complete analysis following it gives
    back: a flicker without an edit.)"""
    return not complete(analysis) and record.shown is not None and record.shown[0] == version


def deliver(session: Session, outcome: Outcome[Analysis]) -> None:
    """A result for the current version of an open document (on the event loop)."""
    snap = outcome.snapshot
    analysis = outcome.value
    record = session.record(snap.uri)
    delivered = record.delivered
    shown = record.shown
    # (a result with deferred questions may differ from the whole analysis: not reuse's doing)
    record.delivered = (snap.version, analysis.diagnostics, analysis.reused and not analysis.deferred)
    if analysis.recheck:
        record.recheck_due = False
    if analysis.reused:
        _mark_due(session, snap.uri, snap.version)
        asyncio.get_running_loop().call_soon(_verify_later, session, snap.uri, snap.version)
    if analysis.deferred:
        session.spawn(_introspect_then_recheck(session, snap.uri, snap.version, analysis.deferred))
    if holds(record, snap.version, analysis):
        log.debug("%s version %s: an incomplete result held back; the client keeps the complete one it shows",
                  snap.uri, snap.version)
        return
    if analysis.recheck and delivered is not None and delivered[0] == snap.version:
        # what the client shows of this version: its complete result, else the last delivered
        before = shown[1] if shown is not None and shown[0] == snap.version else delivered[1]
        if before == analysis.diagnostics:
            return  # the same diagnostics: nothing to tell the client
        if delivered[2] and delivered[1] != analysis.diagnostics:
            log.warning("the whole analysis of %s version %s differs from the incremental one", snap.uri, snap.version)
        if session.pull:
            session.spawn(refresh(session))
    if session.pull:
        return  # the client pulls (textDocument/diagnostic); waiters got the result
    if complete(analysis):
        record.shown = (snap.version, analysis.diagnostics, None)
    session.publish(snap.uri, snap.version, analysis.diagnostics)


def recheck(session: Session, uris: list[str]) -> None:
    """Analyse these open documents again now, their cached results dropped (case 3)."""
    for uri in uris:
        if session.open_document(uri) is not None:
            session.scheduler.invalidate(uri)
            session.scheduler.schedule(uri, 0.0)
    if session.pull and uris:
        session.spawn(refresh(session))


def recheck_projects(session: Session, roots: set[Path], skip_stopped: bool = False) -> None:
    """Case 3 for the open documents of the projects at ``roots``.  With ``skip_stopped`` (the
    rebuild after a stop), not those whose current version's analysis the time budget stopped (it
    would only stop again), nor those being analysed (a newer version, perhaps stopped again:
    analysed once more, it would hold a second analysis thread for a whole budget)."""
    uris = []
    for uri in session.open_uris():
        _, root = session.projects.root_of(uri_path(uri))
        if root in roots and not (skip_stopped and (_stopped_now(session, uri) or session.scheduler.busy(uri))):
            uris.append(uri)
    recheck(session, uris)


def _stopped_now(session: Session, uri: str) -> bool:
    latest, snap = session.scheduler.latest(uri), session.snapshot(uri)
    return latest is not None and snap is not None and latest.value.stopped and latest.snapshot.version == snap.version


async def refresh(session: Session) -> None:
    """Ask a pull client to pull every open document's diagnostics again."""
    try:
        await session.server.workspace_diagnostic_refresh_async(None)
    except Exception as exc:
        log.debug("workspace/diagnostic/refresh failed: %s", exc, exc_info=True)


def _mark_due(session: Session, uri: str, version: int | None) -> None:
    record = session.record(uri)
    record.recheck_due = True
    record.recheck_version = version


def _verify_later(session: Session, uri: str, version: int | None) -> None:
    snap = session.snapshot(uri)
    if snap is not None and snap.version == version:  # not when an edit came in meanwhile
        session.scheduler.schedule(uri, session.verify_delay)


def forget_announced(index: MemberIndex) -> None:
    """The worker of ``index`` was ended: the next imports of its packages are logged again."""
    _ANNOUNCED.pop(index, None)


async def _introspect_then_recheck(session: Session, uri: str, version: int | None, paths: tuple[str, ...]) -> None:
    """Have the worker import what an analysis deferred, then analyse the document again."""
    project = session.projects.project_for(uri_path(uri))
    index = project.ctx.members
    if not isinstance(index, MemberIndex):
        return
    announced = _ANNOUNCED.setdefault(index, set())
    if not announced.issuperset(paths):  # said once, not on every edit while an import takes seconds
        announced.update(paths)
        log.info("introspecting %s in the background; their attribute checks follow", ", ".join(paths))

    def introspect() -> None:
        for path in paths:
            info = index.describe(path)
            if info is not None and info.get("kind") == "class":
                index.instance(path)  # the instance model too: worked out here, not in the analysis
        index.settle()  # a question deferred only because the worker was importing: once it is done

    # One thread, so that a task waits for the imports of the tasks before it: analysed again
    # while another import is under way, the version would only defer its questions again.
    await asyncio.get_running_loop().run_in_executor(session.introspect_pool, introspect)
    snap = session.snapshot(uri)
    if snap is not None and snap.version == version:
        _mark_due(session, uri, version)
        session.scheduler.schedule(uri, 0.0)
    # a newer version is analysed anyway (and now finds the packages imported)

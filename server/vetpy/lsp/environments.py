"""Projects' environments in the background: warm-up, rebuilds, file watching and polling.

Environment builds run in the session's environment pool (never the analysis pool, never the
event loop); after a rebuild the project's open documents are analysed again
(:func:`vetpy.lsp.recheck.recheck_projects`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from pathlib import Path
from typing import Any

from lsprotocol import types

from vetpy.lsp.projects import WATCHED_GLOBS, Projects
from vetpy.lsp.recheck import forget_announced, recheck_projects
from vetpy.lsp.session import Session
from vetpy.resolve.members import MemberIndex

log = logging.getLogger("vetpy")

REBUILD_DELAY = 0.3  # seconds of quiet after a watched file changes (pip writes many files)
OWN_CODE_DELAY = 0.2  # seconds between a project's Python file written and its summary read again
# An introspection worker with no question for this long is ended (it holds every package it
# imported: 200 MB with pandas, numpy, SQLAlchemy and Flask); its answers stay in the member
# index, and a new question about a package starts a new one in the background.
WORKER_IDLE = float(os.environ.get("VETPY_WORKER_IDLE_SECONDS", "10"))


def rebuild_later(session: Session, root: Path, delay: float = REBUILD_DELAY, skip_stopped: bool = False) -> None:
    """Read the environment of the project at ``root`` again after ``delay`` seconds of quiet."""
    pending = session.rebuilds.get(root)
    if pending is not None and not pending.done():
        pending.cancel()
    session.rebuilds[root] = session.spawn(_rebuild(session, root, delay, skip_stopped))


def own_code_changed(session: Session, paths: list[Path], delay: float = OWN_CODE_DELAY) -> None:
    """Python files of the projects' own code were written (saved in the editor, or changed on
    disk: a branch checked out, a file generated): after ``delay`` seconds of quiet, the projects
    holding them read their own code's summary again and their open documents are analysed
    again (:meth:`vetpy.lsp.projects.Projects.read_own_code_again`).  A save reported both as
    ``didSave`` and as a watched-file change is read once."""
    session.own_code_written.update(p for p in paths if p.suffix in (".py", ".pyi"))
    if session.own_code_written and (session.own_code_task is None or session.own_code_task.done()):
        session.own_code_task = session.spawn(_read_own_code(session, delay))


async def _read_own_code(session: Session, delay: float) -> None:
    await asyncio.sleep(delay)
    paths = sorted(session.own_code_written)
    session.own_code_written.clear()
    # (not in the environment pool, which a project's warm-up may hold for seconds)
    roots = await asyncio.to_thread(session.projects.read_own_code_again, paths)
    if roots:
        recheck_projects(session, set(roots))


def rebuild_after_stop(session: Session, path: Path | None) -> None:
    """(On the event loop.)  The time budget stopped an analysis in the project of ``path``: what
    it left half-done in the project's services (member index, caches) is not used again, as
    ``vetpy check`` builds a fresh one after a stop.  The project is built anew and its other open
    documents analysed again; a document whose current version was stopped keeps its SYN002
    diagnostic until its next edit."""
    project = session.projects.built(path)
    if project is not None:
        log.info("%s: an analysis was stopped; reading the project's environment afresh", project.root)
        rebuild_later(session, project.root, 0.0, skip_stopped=True)


async def _rebuild(session: Session, root: Path, delay: float, skip_stopped: bool = False) -> None:
    await asyncio.sleep(delay)
    loop = asyncio.get_running_loop()
    project = await loop.run_in_executor(session.env_pool, session.projects.rebuild, root)
    if project is None:
        return
    log.info("%s: environment re-read (generation %d); re-checking open documents", root, project.generation)
    recheck_projects(session, {root}, skip_stopped)
    await register_watchers(session)
    await loop.run_in_executor(session.env_pool, Projects.warm, project)


def settings_changed(session: Session) -> None:
    """Rebuild the projects whose effective settings changed (and so re-check their documents)."""
    for project in session.projects.projects():
        if session.projects.settings_for(project.folder_uri) != project.settings:
            rebuild_later(session, project.root, 0.0)


async def retire_idle_workers(session: Session, idle: float = WORKER_IDLE) -> None:
    """End every project's introspection worker once it has been idle for ``idle`` seconds."""
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(max(idle / 4, 0.5))
        for project in session.projects.projects():
            index = project.ctx.members
            if isinstance(index, MemberIndex) and await loop.run_in_executor(session.env_pool, index.retire_idle, idle):
                log.info("%s: the introspection worker was idle for %g s: ended (its answers are kept)", project.root, idle)
                forget_announced(index)  # its packages are imported again, and said so


async def poll(session: Session) -> None:
    """Fallback for clients without file watching: stat the watched files every few seconds."""
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(session.poll_interval)
        try:
            changed = await loop.run_in_executor(session.env_pool, session.projects.changed)
        except Exception as exc:
            log.debug("polling watched files failed: %s", exc, exc_info=True)
            continue
        for root in changed:
            if root not in session.rebuilds or session.rebuilds[root].done():
                log.info("%s: a watched file changed", root)
                rebuild_later(session, root, 0.0)


async def warm_up(session: Session) -> None:
    """Build every folder's context (and warm its member index) in the background, with progress."""
    server = session.server
    loop = asyncio.get_running_loop()
    folders = list(session.projects.folders.values())
    token: str | None = None
    caps = server.client_capabilities
    if folders and caps.window is not None and caps.window.work_done_progress:
        token = f"vetpy-warm-{uuid.uuid4().hex[:8]}"
        try:
            await server.work_done_progress.create_async(token)
            server.work_done_progress.begin(
                token, types.WorkDoneProgressBegin(title="vetpy", message="reading the environment", percentage=0)
            )
        except Exception as exc:
            log.debug("work done progress unavailable: %s", exc)
            token = None
    for i, folder in enumerate(folders):
        project = await loop.run_in_executor(session.env_pool, session.project_for, folder / "__init__.py")
        if token:
            server.work_done_progress.report(
                token,
                types.WorkDoneProgressReport(
                    message=f"warming caches for {folder.name}", percentage=int(100 * (i + 0.5) / len(folders))
                ),
            )
        await loop.run_in_executor(session.env_pool, Projects.warm, project)
    if token:
        server.work_done_progress.end(token, types.WorkDoneProgressEnd(message="ready"))
    await register_watchers(session)


async def register_watchers(session: Session) -> None:
    """(Re-)register ``workspace/didChangeWatchedFiles`` for the projects' files and, when the
    client takes relative patterns, their site-packages."""
    server = session.server
    caps = server.client_capabilities.workspace
    watched = caps.did_change_watched_files if caps else None
    if watched is None or not watched.dynamic_registration:
        return
    patterns: list[Any] = list(WATCHED_GLOBS)
    if watched.relative_pattern_support:
        for project in session.projects.projects():
            env = project.ctx.environment
            for sp in env.site_packages if env else []:
                if os.path.isdir(sp):
                    patterns.append(types.RelativePattern(base_uri=Path(sp).as_uri(), pattern="*"))
    reg_id = f"vetpy-watch-{uuid.uuid4().hex[:8]}"
    watchers = [types.FileSystemWatcher(glob_pattern=p) for p in _dedupe(patterns)]
    try:
        if session.watch_registration is not None:
            await server.client_unregister_capability_async(
                types.UnregistrationParams(
                    unregisterations=[
                        types.Unregistration(id=session.watch_registration, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
                    ]
                )
            )
        await server.client_register_capability_async(
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
        session.watch_registration = reg_id
    except Exception as exc:
        log.debug("registering file watchers failed: %s", exc, exc_info=True)


def _dedupe(patterns: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for p in patterns:
        key = p if isinstance(p, str) else f"{p.base_uri}|{p.pattern}"
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out

"""``workspace/didChangeConfiguration``, ``didChangeWatchedFiles``, ``didChangeWorkspaceFolders``."""

from __future__ import annotations

import logging
from pathlib import Path

from lsprotocol import types

from vetpy.lsp.configuration import pull_configuration
from vetpy.lsp.environments import own_code_changed, rebuild_later, settings_changed
from vetpy.lsp.recheck import recheck
from vetpy.lsp.session import Session
from vetpy.lsp.settings import parse_settings
from vetpy.lsp.uris import uri_path

log = logging.getLogger("vetpy")


async def did_change_configuration(session: Session, params: types.DidChangeConfigurationParams) -> None:
    """Ask for the settings again; a client without ``workspace/configuration`` sends them here."""
    if not await pull_configuration(session):
        raw = params.settings
        if isinstance(raw, dict) and raw:
            inner = raw.get("vetpy", raw)
            problems: list[str] = []
            session.projects.configured[""] = parse_settings(inner, "didChangeConfiguration", problems)
            for problem in problems:
                log.warning("settings: %s", problem)
            session.apply_global_settings()
    settings_changed(session)


def did_change_watched_files(session: Session, params: types.DidChangeWatchedFilesParams) -> None:
    roots: set[Path] = set()
    written: list[Path] = []
    for change in params.changes:
        path = uri_path(change.uri)
        if path is not None:
            roots.update(session.projects.roots_affected_by(path))
            written.append(path)
    for root in roots:
        rebuild_later(session, root)
    own_code_changed(session, written)  # a rebuild reads the project's own code anyway; harmless


async def did_change_workspace_folders(session: Session, params: types.DidChangeWorkspaceFoldersParams) -> None:
    for folder in params.event.removed:
        session.projects.remove_folder(folder.uri)
    for folder in params.event.added:
        session.add_folder(folder.uri)
    await pull_configuration(session)
    recheck(session, session.open_uris())

"""``initialize``, ``initialized``, ``shutdown``."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types

from vetpy import __version__
from vetpy.lsp.configuration import pull_configuration
from vetpy.lsp.environments import WORKER_IDLE, poll, retire_idle_workers, settings_changed, warm_up
from vetpy.lsp.session import Session
from vetpy.lsp.settings import parse_bundle

log = logging.getLogger("vetpy")


def initialize(session: Session, params: types.InitializeParams) -> None:
    """Read the client's capabilities, folders and initializationOptions (before pygls answers
    with the server's capabilities; the routes register the pull diagnostics then)."""
    server = session.server
    session.loop = asyncio.get_running_loop()
    logging.getLogger("vetpy").addHandler(session.log_handler)
    session.encoding = str(server.workspace.position_encoding or types.PositionEncodingKind.Utf16)
    caps = params.capabilities
    session.pull = bool(
        _capability(caps, "text_document", "diagnostic") is not None
        and _capability(caps, "workspace", "diagnostics", "refresh_support")
    )
    folders = list(params.workspace_folders or [])
    if not folders and (params.root_uri or params.root_path):
        root_uri = params.root_uri or Path(params.root_path or ".").resolve().as_uri()
        folders = [types.WorkspaceFolder(uri=root_uri, name="root")]
    for folder in folders:
        session.add_folder(folder.uri)
    bundle = parse_bundle(params.initialization_options, "initializationOptions")
    session.projects.bundle = bundle
    if not _capability(caps, "workspace", "configuration"):
        session.settings_ready.set()  # no configuration answer will come: initializationOptions are all
    session.apply_global_settings()
    for problem in bundle.problems:
        log.warning("settings: %s", problem)
    log.info(
        "vetpy %s: %s diagnostics, %s positions, %d workspace folder(s)",
        __version__, "pull" if session.pull else "push", session.encoding, len(session.projects.folders),
    )


async def initialized(session: Session, params: types.InitializedParams) -> None:
    try:
        if await pull_configuration(session):
            settings_changed(session)  # projects built meanwhile (none, unless the answer was late)
    finally:
        session.settings_ready.set()
    session.spawn(warm_up(session))
    if WORKER_IDLE > 0:
        session.spawn(retire_idle_workers(session))
    if session.poll_interval > 0:
        session.spawn(poll(session))


def shutdown(session: Session, params: None) -> None:
    session.stop_work()


def _capability(value: Any, *names: str) -> Any:
    for name in names:
        if value is None:
            return None
        value = getattr(value, name, None)
    return value

"""The client's settings: ``workspace/configuration`` for the ``vetpy`` section, globally and
per workspace folder (initializationOptions are read by ``initialize``)."""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types

from vetpy.lsp.session import CONFIG_TIMEOUT, Session
from vetpy.lsp.settings import Settings, parse_settings

log = logging.getLogger("vetpy")


async def pull_configuration(session: Session) -> bool:
    """Ask the client for the ``vetpy`` section, globally and per folder; True if it changed."""
    caps = session.server.client_capabilities.workspace
    if caps is None or not caps.configuration:
        return False
    scopes = ["", *session.projects.folders]
    items = [types.ConfigurationItem(section="vetpy", scope_uri=s or None) for s in scopes]
    try:
        answers = await asyncio.wait_for(
            session.server.workspace_configuration_async(types.ConfigurationParams(items=items)), CONFIG_TIMEOUT
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
    changed = configured != session.projects.configured
    session.projects.configured = configured
    session.apply_global_settings()
    return changed

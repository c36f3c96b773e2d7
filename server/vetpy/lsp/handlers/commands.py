"""``workspace/executeCommand``: ``vetpy.restart`` and ``vetpy.showEnvironment``."""

from __future__ import annotations

import asyncio
import logging
import platform
import sys
from typing import Any

import pygls

from vetpy import __version__
from vetpy.lsp.configuration import pull_configuration
from vetpy.lsp.projects import Project
from vetpy.lsp.recheck import recheck
from vetpy.lsp.session import Session
from vetpy.lsp.uris import uri_path

log = logging.getLogger("vetpy")


async def restart(session: Session, *args: Any) -> dict[str, Any]:
    """Read the settings and every project's environment again, then re-check open documents."""
    await pull_configuration(session)
    loop = asyncio.get_running_loop()
    roots = [p.root for p in session.projects.projects()]
    for root in roots:
        await loop.run_in_executor(session.env_pool, session.projects.rebuild, root)
    recheck(session, session.open_uris())
    log.info("vetpy restarted: %d project(s) re-read", len(roots))
    return {"restarted": [str(r) for r in roots]}


async def show_environment(session: Session, *args: Any) -> dict[str, Any]:
    """What the server runs on and each project's environment (of the document given, if one is)."""
    uri = next((a for a in args if isinstance(a, str)), None)
    if uri is None:
        uri = next((a.get("uri") for a in args if isinstance(a, dict) and isinstance(a.get("uri"), str)), None)
    loop = asyncio.get_running_loop()
    info = await loop.run_in_executor(session.env_pool, environment_info, session, uri)
    for p in info["projects"]:
        log.info(
            "vetpy %s: %s -> %s (%s), Python %s; sys.path head: %s; settings: %s",
            info["vetpy"], p["root"], p["interpreter"], p["reason"], p["pythonVersion"],
            ", ".join(p["sysPathHead"][:3]), p["settings"],
        )
    return info


def environment_info(session: Session, uri: str | None) -> dict[str, Any]:
    projects: list[Project]
    if uri:
        projects = [session.project_for(uri_path(uri))]
    else:
        projects = session.projects.projects()
    return {
        "vetpy": __version__,
        "pygls": getattr(pygls, "__version__", _dist_version("pygls")),
        "lsprotocol": _dist_version("lsprotocol"),
        "serverPython": f"{platform.python_version()} ({sys.executable})",
        "positionEncoding": str(session.encoding),
        "diagnostics": "pull" if session.pull else "push",
        "projects": [p.describe() for p in projects],
    }


def _dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version  # ~50 ms to import: not at start-up

    try:
        return version(name)
    except PackageNotFoundError:
        return None

"""The routing table: which handler answers which LSP method, in one place.

Handlers are plain functions of the session and the message's parameters
(:mod:`vetpy.lsp.handlers`); :func:`register` binds them to one session and registers them on
the pygls server.  :data:`PULL_ROUTES` depend on the client: they are registered while
``initialize`` runs, before pygls computes the server's capabilities, and only for a client
that pulls diagnostics (a push-only client, such as Neovim, never sees a diagnosticProvider).
"""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass
from typing import Any, Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from vetpy.lsp import convert, preload
from vetpy.lsp.handlers import commands, diagnostics, documents, lifecycle, workspace
from vetpy.lsp.session import Session


@dataclass(frozen=True)
class Route:
    method: str  # an LSP method, or a command's name for workspace/executeCommand
    handler: Callable[..., Any]  # (session, params) -> result; a command's: (session, *arguments)
    options: Any = None  # the feature's options (they go into the server's capabilities)
    command: bool = False


def _after_preload(module: str, name: str) -> Callable[..., Any]:
    """The coroutine handler ``name`` of ``vetpy.lsp.handlers.<module>``, imported when first
    called, once the start-up imports are done (:mod:`vetpy.lsp.preload`: hover and code actions
    run the engine, whose modules ``vetpy serve`` imports after it has answered ``initialize``);
    the event loop goes on meanwhile."""

    async def handler(session: Session, *args: Any) -> Any:
        await asyncio.to_thread(preload.wait)
        found = getattr(importlib.import_module(f"vetpy.lsp.handlers.{module}"), name)
        return await found(session, *args)

    handler.__name__ = handler.__qualname__ = name
    return handler


def _initialize(session: Session, params: types.InitializeParams) -> None:
    lifecycle.initialize(session, params)
    if session.pull:
        register(session.server, session, PULL_ROUTES)


ROUTES: tuple[Route, ...] = (
    Route(types.INITIALIZE, _initialize),
    Route(types.INITIALIZED, lifecycle.initialized),
    Route(types.SHUTDOWN, lifecycle.shutdown),
    Route(types.TEXT_DOCUMENT_DID_OPEN, documents.did_open),
    Route(types.TEXT_DOCUMENT_DID_CHANGE, documents.did_change),
    Route(types.TEXT_DOCUMENT_DID_SAVE, documents.did_save),
    Route(types.TEXT_DOCUMENT_DID_CLOSE, documents.did_close),
    Route(
        types.TEXT_DOCUMENT_CODE_ACTION,
        _after_preload("code_actions", "code_action"),
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, convert.FIX_ALL_KIND], resolve_provider=False
        ),
    ),
    Route(types.TEXT_DOCUMENT_HOVER, _after_preload("hover", "hover")),
    Route(types.WORKSPACE_DID_CHANGE_CONFIGURATION, workspace.did_change_configuration),
    Route(types.WORKSPACE_DID_CHANGE_WATCHED_FILES, workspace.did_change_watched_files),
    Route(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, workspace.did_change_workspace_folders),
    Route("vetpy.restart", commands.restart, command=True),
    Route("vetpy.showEnvironment", commands.show_environment, command=True),
)

PULL_ROUTES: tuple[Route, ...] = (
    Route(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        diagnostics.pull_diagnostics,
        types.DiagnosticOptions(identifier="vetpy", inter_file_dependencies=True, workspace_diagnostics=False),
    ),
)


def register(server: LanguageServer, session: Session, routes: tuple[Route, ...]) -> None:
    """Register each route's handler, bound to ``session``, on ``server``."""
    for route in routes:
        bound = _bind(route.handler, session)
        if route.command:
            server.command(route.method)(bound)
        else:
            server.feature(route.method, route.options)(bound)


def _bind(handler: Callable[..., Any], session: Session) -> Callable[..., Any]:
    """``handler`` with the session as first argument.  pygls passes the rest: the parameters,
    or a command's arguments, unconverted.  ``*args`` has no annotation on purpose: pygls reads
    the first parameter's annotation to decide whether to pass the server, and whether to
    convert a command's arguments (and on Python 3.10 ``issubclass(Any, ...)`` raises).  A
    coroutine function stays one, so pygls awaits it on the event loop."""
    if asyncio.iscoroutinefunction(handler):

        async def call_async(*args):  # type: ignore[no-untyped-def]
            return await handler(session, *args)

        return call_async

    def call(*args):  # type: ignore[no-untyped-def]
        return handler(session, *args)

    return call

"""``textDocument/didOpen``, ``didChange``, ``didClose``.

pygls applies the notification to its document store first (:mod:`vetpy.lsp.textsync`); these
handlers then schedule the analysis, or drop what the session kept for a closed document.
"""

from __future__ import annotations

import logging

from lsprotocol import types

from vetpy.lsp.session import Session
from vetpy.lsp.uris import uri_path

log = logging.getLogger("vetpy")


def did_open(session: Session, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = uri_path(uri)
    if path is None:
        log.info("%s is not a file: analysing without a project directory", uri)
    elif session.projects.folders and session.projects.folder_of(path) is None:
        log.info("%s is outside every workspace folder: using its own project root", uri)
    session.scheduler.schedule(uri, 0.0)


def did_change(session: Session, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    session.scheduler.schedule(uri, session.debounce_for(uri))


def did_close(session: Session, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    session.scheduler.forget(uri)
    session.forget_document(uri)
    if not session.pull:
        session.publish(uri, None, [])

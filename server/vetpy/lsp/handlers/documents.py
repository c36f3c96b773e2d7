"""``textDocument/didOpen``, ``didChange``, ``didSave``, ``didClose``.

pygls applies the notification to its document store first (:mod:`vetpy.lsp.textsync`); these
handlers then schedule the analysis, or drop what the session kept for a closed document.
"""

from __future__ import annotations

import logging

from lsprotocol import types

import os

from vetpy.lsp import preload
from vetpy.lsp.environments import own_code_changed
from vetpy.lsp.recheck import recheck
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


def did_save(session: Session, params: types.DidSaveTextDocumentParams) -> None:
    """A saved file may be a view calling another module's functions: the open documents whose
    analysis read its calls (request input passed to their functions, reported at their sinks:
    vetpy.rules.sec.callers_into) are analysed again.  A saved file of a project's own code may change what the project's code
    does to objects it does not own (vetpy.first_party: ``request.user = ...`` in a middleware, an
    import guard): its projects read that again and their open documents are analysed again."""
    path = uri_path(params.text_document.uri)
    if path is None:
        return
    own_code_changed(session, [path])
    preload.wait()  # the rule modules are imported after `initialize` (vetpy.lsp.preload)
    from vetpy.rules.sec.sink_summaries import dependents

    callers = dependents(str(path))
    if callers:
        # the open documents of a project whose own code this is are all analysed again anyway
        refreshed = session.projects.own_code_roots([path])
        recheck(session, [uri for uri in session.open_uris() if uri != params.text_document.uri
                          and (p := uri_path(uri)) is not None and os.path.realpath(p) in callers
                          and session.projects.root_of(p)[1] not in refreshed])


def did_close(session: Session, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    session.scheduler.forget(uri)
    session.forget_document(uri)
    if not session.pull:
        session.publish(uri, None, [])

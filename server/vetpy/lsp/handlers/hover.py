"""``textDocument/hover``: what an imported name or attribute resolves to."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from vetpy.document import Document
from vetpy.lsp import convert, declarations, isolated
from vetpy.lsp.hover import hover_markdown
from vetpy.lsp.session import Session
from vetpy.lsp.uris import document_name, text_too_large, uri_path


async def hover(session: Session, params: types.HoverParams) -> types.Hover | None:
    snap = session.snapshot(params.text_document.uri)
    if snap is None:
        return None
    line, column = convert.Lines(snap.text).from_client(params.position, session.encoding)
    path = uri_path(snap.uri)
    if declarations.is_declaration(path):
        return None  # not Python

    def compute() -> str | None:  # in the environment pool: it may build the project
        project = session.project_for(path)
        if text_too_large(snap.text, project.ctx.config.max_file_size) or isolated.wants_isolation(snap.text):
            return None  # a big document is never parsed in the server (vetpy.lsp.isolated)
        doc = Document(path=document_name(snap.uri, path), text=snap.text, parses=session.incremental.parses)
        return hover_markdown(doc, project.ctx, line, column)

    markdown = await asyncio.get_running_loop().run_in_executor(session.env_pool, compute)
    if not markdown:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown))

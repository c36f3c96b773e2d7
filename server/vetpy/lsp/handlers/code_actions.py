"""``textDocument/codeAction``: quick fixes, disable comments, fix-all."""

from __future__ import annotations

from lsprotocol import types

from vetpy.lsp import convert, declarations
from vetpy.lsp.session import Session
from vetpy.lsp.uris import uri_path


async def code_action(session: Session, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    snap = session.snapshot(uri)
    if snap is None:
        return None
    if declarations.is_declaration(uri_path(uri)):
        return []  # DEP004 has no fix, and a requirements file takes no vetpy comment
    state = convert.DocumentState(uri, snap.version, snap.text, session.encoding)
    only = params.context.only
    actions: list[types.CodeAction] = []
    if convert.kind_requested(types.CodeActionKind.QuickFix, only):
        actions += convert.quick_fixes(state, params.context.diagnostics)
    if convert.kind_requested(convert.FIX_ALL_KIND, only):
        outcome = session.scheduler.latest(uri)
        if only and (outcome is None or outcome.snapshot.version != snap.version):
            outcome = await session.scheduler.current(uri)  # asked for explicitly: wait for fresh findings
        if outcome is not None and outcome.snapshot.version == snap.version:
            fix_all = convert.fix_all_action(state, outcome.value.findings)
            if fix_all is not None:
                actions.append(fix_all)
    return actions

"""``textDocument/diagnostic`` (registered only for clients that pull diagnostics)."""

from __future__ import annotations

from lsprotocol import types

from vetpy.lsp.session import Session


async def pull_diagnostics(
    session: Session, params: types.DocumentDiagnosticParams
) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
    outcome = await session.scheduler.current(params.text_document.uri)
    if outcome is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = f"{outcome.value.generation}:{outcome.snapshot.version}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=outcome.value.diagnostics, result_id=result_id)

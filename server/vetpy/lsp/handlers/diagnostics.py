"""``textDocument/diagnostic`` (registered only for clients that pull diagnostics)."""

from __future__ import annotations

from lsprotocol import types

from vetpy.lsp.recheck import complete, holds
from vetpy.lsp.session import Session


async def pull_diagnostics(
    session: Session, params: types.DocumentDiagnosticParams
) -> types.RelatedFullDocumentDiagnosticReport | types.RelatedUnchangedDocumentDiagnosticReport:
    outcome = await session.scheduler.current(params.text_document.uri)
    if outcome is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    record = session.record(params.text_document.uri)
    version = outcome.snapshot.version
    if holds(record, version, outcome.value) and record.shown is not None:
        # the complete result of this version the client has: kept until the complete analysis
        _, items, result_id = record.shown
    else:
        result_id = f"{outcome.value.generation}:{version}"
        items = outcome.value.diagnostics
        if complete(outcome.value):
            record.shown = (version, items, result_id)
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)

"""The findings the language server publishes before a project's environment is read
(:func:`vetpy.lsp.analysis.publish_static_first`) are a subset of the full set that replaces
them: no finding shows for a moment and then disappears."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import analyze, enabled_codes
from vetpy.lsp.analysis import static_codes
from vetpy.project import build_context

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FILES = sorted(p for p in FIXTURES.rglob("*.py") if p.is_file())


def test_static_codes_leave_out_what_needs_the_environment():
    codes = {"SYN001", "SYN002", "SYN003", "HAL001", "HAL003", "DEP001", "SEC003", "EDGE009", "TEST001"}
    assert static_codes(codes) == {"SYN001", "SYN002", "SEC003", "EDGE009", "TEST001"}


@pytest.mark.slow
def test_static_findings_are_a_subset_of_the_full_ones_on_every_fixture():
    full_ctx = build_context(FIXTURES).ctx
    static_ctx = AnalysisContext(config=full_ctx.config, root=full_ctx.root)
    assert FILES
    seen = 0
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        codes = enabled_codes(full_ctx, str(path))
        full = {(f.code, f.line, f.column, f.message) for f in analyze(Document(path=str(path), text=text), full_ctx, codes)}
        static = {
            (f.code, f.line, f.column, f.message)
            for f in analyze(Document(path=str(path), text=text), static_ctx, static_codes(codes))
        }
        assert static <= full, (path, static - full)
        seen += len(static)
    assert seen > 0  # the fixtures have static findings at all

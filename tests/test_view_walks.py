"""What an incremental view (``Document.view`` with reported spans) does not walk: EDGE009-012's
class bodies of kept classes.  Findings in the reported statements must be exactly the whole
document's (``tests/test_incremental_reuse.py`` compares whole analyses on random edits; this
file pins the skipping itself)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from vetpy.context import AnalysisContext
from vetpy.document import Document, statement_start
from vetpy.rules import load_all
from vetpy.rules.edge import flow
from vetpy.rules.edge.none_empty import check_none_and_empty

load_all()
CTX = AnalysisContext.bare(select=["EDGE"])
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _spans(doc: Document) -> list[tuple[int, int]]:
    assert doc.tree is not None
    return [(statement_start(s), s.end_lineno or s.lineno) for s in doc.tree.body]


def _keys(findings, spans):  # noqa: ANN001, ANN202 - findings, spans -> comparable keys
    return sorted((f.line, f.column, f.code, f.message) for f in findings if any(lo <= f.line <= hi for lo, hi in spans))


def test_a_view_finds_in_its_reported_statements_what_the_whole_document_finds() -> None:
    compared = 0
    for path in sorted(FIXTURES.rglob("*.py")):
        doc = Document(str(path), path.read_text(encoding="utf-8"))
        if doc.tree is None:
            continue
        spans = _spans(doc)
        whole = list(check_none_and_empty(doc, CTX))
        for start in range(3):
            taken = spans[start::3]
            view = doc.view(list(doc.tree.body), taken)
            assert _keys(check_none_and_empty(view, CTX), taken) == _keys(whole, taken), (path.name, start)
            compared += len(_keys(whole, taken))
    assert compared >= 20


SOURCE = textwrap.dedent(
    """\
    import os
    import re

    class Config:
        home = os.environ.get("HOME")
        NAME = home.lower()


    def first(text):
        found = re.match("a+", text)
        return found.group(0)
    """
)


@pytest.fixture
def walked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The line of every statement in the blocks the EDGE flow walker walks, from now on."""
    lines: list[int] = []
    block = flow.FlowWalker.block

    def recording(self, stmts, state):  # noqa: ANN001, ANN202 - the walker's own signature
        lines.extend(s.lineno for s in stmts)
        return block(self, stmts, state)

    monkeypatch.setattr(flow.FlowWalker, "block", recording)
    return lines


def test_the_body_of_a_kept_class_is_not_walked(walked: list[int]) -> None:
    doc = Document("app.py", SOURCE)
    assert doc.tree is not None
    assert sorted(f.line for f in check_none_and_empty(doc, CTX)) == [6, 11]
    walked.clear()  # what the whole document walked
    view = doc.view(list(doc.tree.body), [(9, 11)])
    assert [f.line for f in check_none_and_empty(view, CTX)] == [11]
    assert 5 not in walked and 10 in walked
    walked.clear()
    reported_class = doc.view(list(doc.tree.body), [(4, 6)])
    assert [f.line for f in check_none_and_empty(reported_class, CTX)] == [6]
    assert 5 in walked
    assert isinstance(doc.tree.body[2], ast.ClassDef) and doc.tree.body[2].lineno == 4


TAIL = textwrap.dedent(
    """\
    import re

    early = re.match("a", input())


    @register(early.group(0))
    def handler(text):
        found = re.match("a+", text)
        return found.group(0)


    late = re.match("c", input())
    LATE_NAME = late.group(0)
    """
)


def test_the_module_code_after_the_last_reported_statement_is_not_walked(walked: list[int]) -> None:
    doc = Document("app.py", TAIL)
    assert doc.tree is not None
    # the decorator's use reads the module-level state before the def; the tail's is its own
    assert sorted(f.line for f in check_none_and_empty(doc, CTX)) == [6, 9, 13]
    walked.clear()  # what the whole document walked
    view = doc.view(list(doc.tree.body), [(6, 9)])
    assert sorted(f.line for f in check_none_and_empty(view, CTX)) == [6, 9]
    assert 3 in walked and 12 not in walked and 13 not in walked
    walked.clear()
    assert sorted(f.line for f in check_none_and_empty(doc, CTX)) == [6, 9, 13]  # a whole document: all of it
    assert 12 in walked and 13 in walked

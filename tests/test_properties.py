"""Invariants over arbitrary input (Hypothesis): the engine never raises, every finding lies inside
the document, fixes keep code parseable, suppressions are idempotent, findings are stable under
unrelated edits."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import context_for
from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.findings import apply_edits

SNIPPETS = [
    "import json\n", "import fastjsonx\n", "from json import loads_fast\n", "from os import path\n",
    "import os.nothing\n", "try:\n    import ujsonx\nexcept ImportError:\n    pass\n",
    "def f(x):\n    return x\n", "class A:\n    pass\n", "x = '😀'\n", "if True:\n\tpass\n",
    "from . import sibling\n", "import sys\nif sys.version_info >= (3, 11):\n    import tomllib\n",
    "def f(:\n", "(((((", "\x00", "'''unterminated", "\r\n", "\r", "# vetpy: ignore[HAL001]\n",
]

python_like = st.lists(st.sampled_from(SNIPPETS), max_size=8).map("".join)
source = st.one_of(python_like, st.text(max_size=300), python_like.flatmap(lambda s: st.integers(0, len(s)).map(lambda i: s[:i])))


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    root = tmp_path_factory.mktemp("prop")
    (root / "sibling.py").write_text("")
    return context_for(root, python=sys.executable)


def _inside(doc: Document, f) -> bool:
    n = doc.line_count
    if not (1 <= f.line <= f.end_line <= n):
        return False
    if not (1 <= f.column <= len(doc.line_text(f.line)) + 1):
        return False
    return (f.end_line, f.end_column) >= (f.line, f.column) and f.end_column <= len(doc.line_text(f.end_line)) + 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=source)
def test_engine_never_raises_and_findings_lie_inside_the_document(ctx, text):
    path = str(Path(ctx.root) / "app.py")
    doc = Document(path, text)
    findings = analyze(doc, ctx)
    again = analyze(Document(path, text), ctx)
    assert findings == again  # deterministic
    for f in findings:
        assert _inside(doc, f), f
        for fix in f.fixes:
            fixed = apply_edits(text, fix.edits)
            if doc.tree is not None:
                ast.parse(fixed)  # a fix never breaks code that parsed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=python_like)
def test_suppressing_every_finding_is_idempotent(ctx, text):
    path = str(Path(ctx.root) / "app.py")
    findings = analyze(Document(path, text), ctx)
    lines = text.splitlines(keepends=True) if text else []
    by_line: dict[int, set[str]] = {}
    for f in findings:
        by_line.setdefault(f.line, set()).add(f.code)
    if not lines or any(l - 1 >= len(lines) for l in by_line):
        return
    doc = Document(path, text)
    if doc.tree is None:
        return
    for line, codes in by_line.items():
        body = lines[line - 1].rstrip("\r\n")
        if "#" in body or body.rstrip().endswith("\\"):
            return  # a line that already has a comment or continues: leave it
        lines[line - 1] = body + f"  # vetpy: ignore[{', '.join(sorted(codes))}]\n"
    suppressed = "".join(lines)
    assert analyze(Document(path, suppressed), ctx) == []
    assert analyze(Document(path, suppressed), ctx) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=python_like, comment=st.text(alphabet="abc xyz", max_size=20))
def test_findings_are_stable_under_an_unrelated_edit_at_the_end(ctx, text, comment):
    path = str(Path(ctx.root) / "app.py")
    if Document(path, text).tree is None or (text and not text.endswith(("\n", "\r"))):
        return
    before = analyze(Document(path, text), ctx)
    after = analyze(Document(path, text + f"# {comment}\n"), ctx)
    assert before == after


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("utf-8", "surrogateescape")))
def test_printable_text_is_printable_and_keeps_printable_text(text):
    """What vetpy prints from untrusted places (interpreters' output, file names) holds nothing a
    terminal would act on or cannot show: not controls, not bidi overrides, not unassigned code
    points (the random bytes of a broken interpreter decode to those); printable text is unchanged."""
    from vetpy.terminal import printable

    shown = printable(text)
    assert shown.isprintable(), repr(shown)
    if text.isprintable():
        assert shown == text
    for char in "\x1b\u202e\u05fb\udc80\xa0":
        assert char not in printable(f"a{char}b")

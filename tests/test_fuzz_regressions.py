"""Regression tests for crashes and invariant violations found by fuzzing (Hypothesis and
atheris).  Each test holds the minimal input that broke an invariant, and names the invariant."""

from __future__ import annotations

from vetpy.document import Document
from vetpy.engine import check_source


def test_suppression_comment_after_a_bare_cr_line_break_applies_to_its_own_line():
    # Found by test_properties: tokenize read the text with universal newlines off, so a
    # comment after a bare "\r" was attributed to the previous line and the suppression missed.
    text = "\rimport fastjsonx  # vetpy: ignore[HAL001]\n"
    doc = Document("x.py", text)
    assert doc.comments == {2: "# vetpy: ignore[HAL001]"}
    assert doc.is_suppressed("HAL001", 2)


def test_comment_lines_match_ast_lines_for_mixed_line_endings():
    text = "x = 1\r# c\ry = 2  # d\r\nz = 3  # e\n"
    doc = Document("x.py", text)
    assert doc.comments == {2: "# c", 3: "# d", 4: "# e"}
    assert [n.lineno for n in doc.tree.body] == [1, 3, 4]
    assert check_source(text) == []

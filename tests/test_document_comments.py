"""Document.comments: the same answers as a tokenization of the whole file, without one for a
line that has no ``#``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vetpy.document import Document

TEXT = '''import os  # the os module
x = "a # not a comment"
y = """
# inside a string, not a comment
"""

def f():
    # a real one
    return x  # noqa
'''


def test_lines_with_and_without_comments():
    doc = Document("m.py", TEXT)
    assert doc.comments.get(1) == "# the os module"
    assert doc.comments.get(2) is None  # '#' inside a string
    assert doc.comments.get(4) is None  # '#' inside a triple-quoted string
    assert doc.comments.get(8) == "# a real one"
    assert doc.comments.get(9) == "# noqa"
    assert dict(doc.comments) == {1: "# the os module", 8: "# a real one", 9: "# noqa"}


def test_a_line_without_hash_does_not_tokenize():
    doc = Document("m.py", TEXT)
    assert doc.comments.get(6, "") == ""
    assert 3 not in doc.comments
    assert doc.comments._all is None  # answered from the line text alone
    assert doc.comments.get(1) == "# the os module"
    assert doc.comments._all is not None


def test_unfinished_code_falls_back_to_the_line_scan():
    doc = Document("m.py", "def f(:\n    x = 1  # here\n    s = '''\n")
    assert doc.comments.get(2) == "# here"
    assert doc.comments.get(1) is None


LINES = st.sampled_from([
    "x = 1", "x = 1  # c", "s = '#'", "t = '''", "# only", "'''", "y = 2 # d '", "", "  ", "z = \"a#b\"  # e",
])


@given(st.lists(LINES, max_size=12), st.lists(st.integers(0, 14), max_size=6))
def test_same_answers_as_the_whole_tokenization(lines, asked):
    text = "\n".join(lines) + "\n"
    doc = Document("m.py", text)
    lazy = [doc.comments.get(line) for line in asked]
    every = Document("m.py", text).tokenized_comments()
    assert lazy == [every.get(line) for line in asked]
    assert dict(doc.comments) == every

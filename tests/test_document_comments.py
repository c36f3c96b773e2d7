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
    assert doc.comments._all is None and list(doc.comments._pieces) == [(1, 1)]  # its statement alone (first, last line)
    assert doc.comments.get(8) == "# a real one"
    assert list(doc.comments._pieces) == [(1, 1), (7, 9)]  # the function's statement, from its `def` line
    assert doc.comments.get(9) == "# noqa"
    assert list(doc.comments._pieces) == [(1, 1), (7, 9), (9, 9)]  # inside it: the innermost statement alone
    assert doc.comments._all is None


def test_unfinished_code_falls_back_to_the_line_scan():
    doc = Document("m.py", "def f(:\n    x = 1  # here\n    s = '''\n")
    assert doc.comments.get(2) == "# here"
    assert doc.comments.get(1) is None


LINES = st.sampled_from([
    "x = 1", "x = 1  # c", "s = '#'", "t = '''", "# only", "'''", "y = 2 # d '", "", "  ", "z = \"a#b\"  # e",
])


# whole top-level statements that span lines, share a line, or hide a '#' in a string across lines
BLOCKS = st.sampled_from([
    "x = 1  # a", "s = '''x\n#y'''; q = 1  # z", "@dec  # d\ndef g():\n    # inside\n    return 1  # r",
    "a = (1,  # open\n     2)  # close", "b = 1 + \\\n    2  # cont", "class C:  # c\n    '''# doc'''",
    "# only", "", 'z = "a#b"  # e', "t = f'{1}#'  # f", "if x:\n    pass\n# between\nelse:  # e\n    pass",
])


@given(st.lists(BLOCKS, max_size=10), st.lists(st.integers(0, 40), max_size=10))
def test_statement_pieces_give_the_answers_of_the_whole_tokenization(blocks, asked):
    text = "\n".join(blocks) + "\n"
    doc = Document("m.py", text)
    assert doc.tree is not None
    lazy = [doc.comments.get(line) for line in asked]
    every = Document("m.py", text).tokenized_comments()
    assert lazy == [every.get(line) for line in asked], text
    assert doc.comments._all is None  # every answer came from a piece


@given(st.lists(LINES, max_size=12), st.lists(st.integers(0, 14), max_size=6))
def test_same_answers_as_the_whole_tokenization(lines, asked):
    text = "\n".join(lines) + "\n"
    doc = Document("m.py", text)
    lazy = [doc.comments.get(line) for line in asked]
    every = Document("m.py", text).tokenized_comments()
    assert lazy == [every.get(line) for line in asked]
    assert dict(doc.comments) == every

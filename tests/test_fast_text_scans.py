"""The fast text scans the editor runs on every edit answer exactly like the regular expressions
they replace (incremental._DYNAMIC, suppression.HINT, the line starts of findings._LINE_BREAK)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vetpy.findings import _LINE_BREAK, _line_starts
from vetpy.incremental import _DYNAMIC, is_dynamic
from vetpy.suppression import HINT, has_hint

PIECES = st.sampled_from([
    "sys", ".", " ", "\t", "\n", "path", "modules", "sys.path", "sys . modules", "globals", "(", "_", "x", "1", "é",
    "myglobals(", "globals (", "__getattr__", "__import__", "import_module", "addsitedir", "syspath_prepend",
    "__builtins__", "noqa", "NOQA", "NoQa", "vetpy", "VETPY", "Vetpy :", ":", "#", "İ", "ſ", "K",
])


@given(st.lists(PIECES, max_size=10).map("".join))
def test_is_dynamic_is_the_regex(text):
    assert is_dynamic(text) == (_DYNAMIC.search(text) is not None)


@given(st.lists(PIECES, max_size=10).map("".join))
def test_has_hint_is_the_regex(text):
    assert has_hint(text) == (HINT.search(text) is not None)


def test_examples():
    assert is_dynamic("x = globals()")
    assert not is_dynamic("x = myglobals()")
    assert is_dynamic("import sys\nsys.path.insert(0, 'x')")
    assert not is_dynamic("import sys\nsys.argv")
    assert has_hint("x = 1  # NoQA: F401")
    assert has_hint("# vetpy : ignore")
    assert not has_hint("x = 1  # vetpy is great")


LINE_PIECES = st.sampled_from(["\n", "\r", "\r\n", "\n\r", "a", "", " ", "é", "\u2028", "\x0c", "\x85", "line"])


@given(st.lists(LINE_PIECES, max_size=12).map("".join))
def test_line_starts_are_the_regex(text):
    assert _line_starts(text) == [0, *(m.end() for m in _LINE_BREAK.finditer(text))]


def test_line_starts_examples():
    assert _line_starts("") == [0]
    assert _line_starts("a\nb") == [0, 2]
    assert _line_starts("a\nb\n") == [0, 2, 4]
    assert _line_starts("a\r\nb\rc\n") == [0, 3, 5, 7]
    assert _line_starts("a\u2028b\x0c") == [0]  # only CR LF, CR and LF end an LSP line


@given(st.lists(PIECES, max_size=12).map("".join), st.lists(PIECES, max_size=4).map("".join),
       st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=8))
def test_the_dynamic_test_after_an_edit_is_the_whole_texts(old, inserted, at, removed):
    """An edit of a text that was not dynamic: searching the changed stretch for the fixed words
    (and the whole text for the patterns) answers like the whole text's test."""
    from vetpy.document import _common_prefix, _common_suffix
    from vetpy.incremental import dynamic_after_edit

    if is_dynamic(old):
        return
    at = min(at, len(old))
    new = old[:at] + inserted + old[at + removed:]
    first = _common_prefix(old, new)
    tail = _common_suffix(old, new, min(len(old), len(new)) - first)
    assert dynamic_after_edit(new, first, tail) == is_dynamic(new)


def test_the_dynamic_test_after_an_edit_examples():
    from vetpy.incremental import dynamic_after_edit

    old = "x = 1\nimport_modul = 2\n"
    new = "x = 1\nimport_module = 2\n"  # the word completed by the last character typed
    assert dynamic_after_edit(new, len("x = 1\nimport_modul"), len(" = 2\n"))
    assert not dynamic_after_edit(old.replace("1", "3"), 4, len(old) - 5)


@given(st.lists(LINE_PIECES, max_size=16).map("".join), st.lists(LINE_PIECES, max_size=5).map("".join),
       st.integers(min_value=0, max_value=80), st.integers(min_value=0, max_value=10))
def test_line_starts_after_an_edit_are_the_whole_texts(old, inserted, at, removed):
    """``Document``'s line starts of an edited text, from the earlier text's (``edited_line_starts``):
    the same as scanning the whole text, CR LF pairs formed or split by the edit included."""
    from vetpy.document import _edit_of, edited_line_starts

    at = min(at, len(old))
    new = old[:at] + inserted + old[at + removed:]
    edit = _edit_of((old, None, None, None), new)
    if edit is None:
        return
    assert edited_line_starts(_line_starts(old), edit, new) == _line_starts(new)


def test_line_starts_after_an_edit_examples():
    from vetpy.document import _edit_of, edited_line_starts

    for old, new in [("a\rb\nc\n", "a\r\nb\nc\n"), ("a\r\nb\n", "a\rb\n"), ("x\ny\nz\n", "x\nyy\nz\n"),
                     ("x\ny\nz", "x\ny\nz\n\n"), ("x\ny\n", "q\ny\n"), ("ab\r\ncd", "ab\r")]:
        edit = _edit_of((old, None, None, None), new)
        assert edit is not None and edited_line_starts(_line_starts(old), edit, new) == _line_starts(new), (old, new)

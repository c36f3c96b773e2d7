"""Edits of a call's argument list that fixes of every family make: adding a keyword argument.

``f(a)`` -> ``f(a, name=value)``; ``f()`` -> ``f(name=value)``. The keyword goes just after the
last argument, also past the parentheses around it (``f((a))`` -> ``f((a), name=value)``, not
inside them), before a trailing comma and a comment (``f(\\n    a,  # note\\n)`` keeps both), and
after ``*args`` / ``**kwargs`` (a keyword after them is valid). None (no fix) when the call's
closing parenthesis is not where its node ends, or when its only argument is a generator
expression without parentheses of its own (``f(x for x in y)``: a keyword beside it needs them).
"""

from __future__ import annotations

import ast

from vetpy.document import Document
from vetpy.findings import TextEdit


def insert_keyword(doc: Document, call: ast.Call, text: str) -> TextEdit | None:
    """An edit adding ``text`` (``name=value``) as the last argument of ``call`` (see the module)."""
    only = call.args[0] if len(call.args) == 1 and not call.keywords else None
    if isinstance(only, ast.GeneratorExp) and (only.end_lineno, only.end_col_offset) == (call.end_lineno, call.end_col_offset):
        return None  # the generator's range is the call's parentheses: it has none of its own
    _, _, end_line, end_col = doc.node_range(call)
    if doc.line_text(end_line)[end_col - 2 : end_col - 1] != ")":
        return None
    items: list[ast.AST] = [*call.args, *call.keywords]
    if not items:
        return TextEdit(end_line, end_col - 1, end_line, end_col - 1, text)
    last = max(items, key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0))
    _, _, line, col = doc.node_range(last)
    line, col = _past_closing_parentheses(doc, (line, col), (end_line, end_col - 1))
    return TextEdit(line, col, line, col, ", " + text)


def _past_closing_parentheses(doc: Document, start: tuple[int, int], stop: tuple[int, int]) -> tuple[int, int]:
    """Just after the last ``)`` between ``start`` (the end of the last argument) and ``stop`` (the
    call's closing parenthesis), skipping comments: the parentheses around the last argument
    (what lies there is otherwise only commas, spaces and comments)."""
    line, col = start
    found = start
    while (line, col) < stop:
        text = doc.line_text(line)
        last = stop[1] if line == stop[0] else len(text) + 1
        while col < last:
            ch = text[col - 1]
            if ch == "#":
                break
            if ch == ")":
                found = (line, col + 1)
            col += 1
        line, col = line + 1, 1
    return found

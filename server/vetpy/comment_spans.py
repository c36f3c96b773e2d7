"""Which lines to tokenize to learn the comment of one line (:class:`vetpy.document.Comments`).

A question about a line with a ``#`` tokenized the whole top-level statement around it: in a
large class (SQLAlchemy's are thousands of lines) that is the whole class for the comment of one
line of one method, and tokenizing is a large part of a cold check.  The innermost statement that
holds the line is enough when it can be tokenized alone exactly as within the file: it starts its
line (nothing but indentation before it or before its first decorator: no string or bracket is
open there) and no other statement shares its first or its last line (``a = 1; b = 2``); a
comment line between statements belongs to the statement around them.  Tokenizing the lines of
such a statement alone gives its comments as the whole file does (a tokenize error there sends
the question to the whole file, as before).
"""

from __future__ import annotations

import ast
from typing import Callable


def _bodies(node: ast.AST) -> list[list[ast.stmt]]:
    """The statement lists directly inside ``node`` (an except clause's and a case's too)."""
    found: list[list[ast.stmt]] = []
    for name in ("body", "orelse", "finalbody", "handlers", "cases"):
        value = getattr(node, name, None)
        if not isinstance(value, list) or not value:
            continue
        if isinstance(value[0], ast.stmt):
            found.append(value)
        else:  # except clauses, match cases: their own bodies
            found.extend(item.body for item in value if getattr(item, "body", None))
    return found


def _first_line(stmt: ast.stmt) -> int:
    return min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])


def _starts_its_line(stmt: ast.stmt, line_text: Callable[[int], str]) -> bool:
    decorators = getattr(stmt, "decorator_list", ())
    if decorators:
        first = min(decorators, key=lambda d: (d.lineno, d.col_offset))
        if first.lineno > stmt.lineno:
            return False
        return line_text(first.lineno).lstrip().startswith("@")
    text = line_text(stmt.lineno)
    # indentation is ASCII: the statement's byte offset is its character offset when only
    # indentation comes before it
    return stmt.col_offset == len(text) - len(text.lstrip())


def narrowest_span(stmt: ast.stmt, line: int, line_text: Callable[[int], str]) -> tuple[int, int] | None:
    """(first, last line) of the innermost statement inside ``stmt`` (a top-level statement that
    shares no line with another) that holds ``line`` and can be tokenized alone; None when no
    statement narrower than ``stmt`` can."""
    found = None
    bodies = _bodies(stmt)
    while bodies:
        inner = None
        for body in bodies:
            for k, child in enumerate(body):
                first, last = _first_line(child), child.end_lineno or child.lineno
                if not first <= line <= last:
                    continue
                alone = (_starts_its_line(child, line_text)
                         and (k == 0 or (body[k - 1].end_lineno or body[k - 1].lineno) < first)
                         and (k + 1 == len(body) or _first_line(body[k + 1]) > last))
                if not alone:
                    return found
                inner = child
                found = (first, last)
                break
            if inner is not None:
                break
        if inner is None:
            return found
        bodies = _bodies(inner)
    return found

"""EDGE025 next-without-default: EDGE012's certain half, a ``next()`` that finds nothing.

The checker is EDGE012's (:mod:`.none_empty`, whose flow walker knows what a condition proves and
what a ``try`` catches); this module holds the rule and the shape of a search by id."""

from __future__ import annotations

import ast
import re

from vetpy.findings import Severity
from vetpy.rules.registry import rule


NEXT_WITHOUT_DEFAULT = rule(
    code="EDGE025",
    name="next-without-default",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if the file is empty, or no element has this id?",
    summary="`next()` without a default (or `[0]`) of the rows of a file, or of a search for an element by its id (`next(r for r in replies if r[\"id\"] == reply_id)`).",
    rationale="""`next()` raises `StopIteration` when nothing comes: a 500 for an uploaded CSV
    file that is empty (`header = next(csv.reader(f))`), or for an id that matches no element
    (`next(t for t in tokens if t.serial == serial)`: a stale, deleted or mistyped id is an
    ordinary input, not a broken invariant), and inside a generator the `StopIteration` silently
    ends it instead. Pass a default and handle it: `next(reader, None)`,
    `next((t for t in tokens if t.serial == serial), None)`. Reported for `next()` of
    `csv.reader`/`csv.DictReader`/openpyxl's `iter_rows` (EDGE012's rows of a file; also `[0]` of
    a list of them, `rows = list(csv.DictReader(f))` then `rows[0]`, not tested first) and of a
    generator whose only condition compares an element's identifier (`id`, `pk`, `uuid`,
    `serial`, `..._id`) with a value that is not a constant. EDGE012's certain half, on by
    default (on real applications its four findings of this shape were all bugs); other filters,
    which the program's own data often guarantees a match, stay EDGE012 (opt-in). Inside a `try`
    that catches `StopIteration` it is not reported.""",
    bad="""
        def get_reply(comment, reply_id):
            return next(r for r in comment.replies if r["id"] == reply_id)
    """,
    good="""
        def get_reply(comment, reply_id):
            reply = next((r for r in comment.replies if r["id"] == reply_id), None)
            if reply is None:
                raise LookupError(f"no reply {reply_id}")
            return reply
    """,
)

FILE_ROWS_MESSAGE = ("`next()` of the rows of a file raises StopIteration when the file is empty; pass a default "
                     "(`next(reader, None)`) and handle it")
FIRST_ROW_MESSAGE = ("`{}` holds the rows of a file, which may be empty: `[0]` raises IndexError; test it first "
                     "(`if not {}: ...`)")
SEARCH_MESSAGE = ("`next()` of a search by id raises StopIteration when no element has the id; pass a default "
                  "(`next((...), None)`) and handle it")

# names of an element's identifier: a search for one by a value from elsewhere can find nothing
_IDENTIFIER = re.compile(r"^(id|pk|uuid|guid|serial|key_id|[a-z0-9_]*_(id|pk|uuid|serial))$")


def _identifier_of(node: ast.expr, element: str) -> bool:
    """``t.id``, ``t.token.serial``, ``t["reply_id"]`` of the loop variable ``element``."""
    if isinstance(node, ast.Attribute):
        name: object = node.attr
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        name = node.slice.value
    else:
        return False
    if not (isinstance(name, str) and _IDENTIFIER.match(name)):
        return False
    root = node.value
    while isinstance(root, (ast.Attribute, ast.Subscript)):
        root = root.value
    return isinstance(root, ast.Name) and root.id == element


def searches_by_id(arg: ast.expr) -> bool:
    """A generator with one loop and one condition, ``element.<id> == value`` (either side), the
    value not a constant: ``(r for r in replies if r["id"] == reply_id)``."""
    if not (isinstance(arg, ast.GeneratorExp) and len(arg.generators) == 1):
        return False
    loop = arg.generators[0]
    if not (isinstance(loop.target, ast.Name) and len(loop.ifs) == 1):
        return False
    test = loop.ifs[0]
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = (test.left, test.comparators[0])
    element = loop.target.id
    for ident, other in (sides, sides[::-1]):
        if _identifier_of(ident, element) and not isinstance(other, ast.Constant) and not any(
                isinstance(n, ast.Name) and n.id == element for n in ast.walk(other)):
            return True
    return False

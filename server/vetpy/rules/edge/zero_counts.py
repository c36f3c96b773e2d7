"""EDGE010 for a count of rows: ``approved / submitted`` where ``submitted`` counts a query's rows.

``submitted = db.session.scalar(select(func.count()).where(...))``, ``n = Order.objects.filter(...).count()``,
``n = session.query(M).filter(...).count()``: a query can match no row, so the count can be zero and
the division raises ``ZeroDivisionError`` (the rate over an empty table on a fresh install, a user
with no orders).  Only a count certain to come from a query counts: ``.scalar(...)``/``.scalar_one()``
of a statement built with ``func.count(...)``, ``await conn.fetchval("SELECT count(*) FROM ...")``
(asyncpg; ``scalar``/``fetch_val`` of the same text), or a ``.count()`` without arguments on a query chain
(``.filter``, ``.filter_by``, ``.where``, ``.query``, ``.objects``, ``.exclude``), also with ``or 0``
after it (a None made zero is still zero).  ``list.count(x)``,
``str.count(s)`` and a count tested before the division (``if submitted:``, ``if submitted == 0:
return``, ``x / n if n else 0``) are not.
"""

from __future__ import annotations

import ast
import re

_QUERY_LINKS = frozenset({"filter", "filter_by", "where", "query", "objects", "exclude", "select_from", "join"})
_SCALARS = frozenset({"scalar", "scalar_one"})
_TEXT_SCALARS = frozenset({"fetchval", "scalar", "fetch_val"})  # asyncpg, databases: the first column of the first row
_COUNT_TEXT = re.compile(r"^\s*select\s+count\s*\([^()]*\)\s+from\s", re.IGNORECASE)
GROUPED = re.compile(r"\bgroup\s+by\b", re.IGNORECASE)  # no group, no row: never a count of 0


def _counts_in_text(sql: ast.expr) -> bool:
    """``"SELECT count(*) FROM ... WHERE ..."``: one row whatever the table holds, 0 when none matched
    (not with ``GROUP BY``: no group, no row)."""
    return (isinstance(sql, ast.Constant) and isinstance(sql.value, str) and bool(_COUNT_TEXT.match(sql.value))
            and not GROUPED.search(sql.value))


def _counts_with_func(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and n.attr == "count" and (getattr(n.value, "id", None) == "func" or getattr(n.value, "attr", None) == "func")
        for n in ast.walk(node)
    )


def counts_rows(value: ast.expr) -> bool:
    """Is ``value`` the number of rows a database query matches (see the module's doc)?  Also with
    a ``None`` made 0 (``session.scalar(select(func.count())...) or 0``)."""
    if (isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) and len(value.values) == 2
            and isinstance(value.values[1], ast.Constant) and value.values[1].value == 0):
        value = value.values[0]
    if isinstance(value, ast.Await):
        value = value.value
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
        return False
    method = value.func.attr
    if method in _TEXT_SCALARS and value.args and _counts_in_text(value.args[0]):
        return True
    if method in _SCALARS:
        return _counts_with_func(value)
    if method != "count" or value.args or value.keywords:
        return False
    node: ast.expr = value.func.value
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr in _QUERY_LINKS:
                return True
            node = node.value
        else:
            return False

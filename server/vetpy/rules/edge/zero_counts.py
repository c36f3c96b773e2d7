"""EDGE010 for a count of rows: ``approved / submitted`` where ``submitted`` counts a query's rows.

``submitted = db.session.scalar(select(func.count()).where(...))``, ``n = Order.objects.filter(...).count()``,
``n = session.query(M).filter(...).count()``: a query can match no row, so the count can be zero and
the division raises ``ZeroDivisionError`` (the rate over an empty table on a fresh install, a user
with no orders).  Only a count certain to come from a query counts: ``.scalar(...)``/``.scalar_one()``
of a statement built with ``func.count(...)``, or a ``.count()`` without arguments on a query chain
(``.filter``, ``.filter_by``, ``.where``, ``.query``, ``.objects``, ``.exclude``), also with ``or 0``
after it (a None made zero is still zero).  ``list.count(x)``,
``str.count(s)`` and a count tested before the division (``if submitted:``, ``if submitted == 0:
return``, ``x / n if n else 0``) are not.
"""

from __future__ import annotations

import ast

_QUERY_LINKS = frozenset({"filter", "filter_by", "where", "query", "objects", "exclude", "select_from", "join"})
_SCALARS = frozenset({"scalar", "scalar_one"})


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
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
        return False
    method = value.func.attr
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

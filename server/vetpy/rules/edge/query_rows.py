"""Project helpers that return the rows of a database query, which may be none (EDGE010/EDGE011).

``invoices = db.list_invoices(session, org_id)`` then ``max(invoices, key=...)`` or
``sum(totals) / len(totals)`` over ``[inv.total for inv in db.list_invoices(...)]``: the helper, a
module-level ``def`` of this module or of another module of the project (found as EDGE013 finds
a helper that blocks, :class:`~.blocking_calls.Facts`), returns on every path the rows of a query:
``<query>.all()`` where the query is a SQLAlchemy ``session.scalars(...)``/``execute(...)``/
``query(...)`` chain, or a cursor's ``fetchall()``.  A query can match no row, so the list can be
empty.  Not summarised (the caller's value stays unknown): a helper with a decorator, one that
returns anything else on some path, or one whose query aggregates (``func.count(...)``, ``SELECT
count(*) ...``: one row whatever the table holds).  Summaries are kept per loaded module, as the
blocking ones are.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from vetpy.rules.edge.blocking_calls import Facts, own_bindings
from vetpy.rules.edge.facts import walk_no_nested
from vetpy.scopes import parameter_names

_QUERY_METHODS = frozenset({"scalars", "execute", "query"})
AGGREGATE_TEXT = re.compile(r"\b(count|sum|avg|max|min|total)\s*\(", re.IGNORECASE)
_AGGREGATES = frozenset({"count", "sum", "avg", "max", "min", "coalesce", "exists"})


def helper_call(value: ast.expr) -> ast.Call | None:
    """The call whose result ``value`` is or holds element by element: ``helper(...)``,
    ``module.helper(...)``, or ``[f(x) for x in helper(...)]`` without a filter (a syntactic
    candidate only; :func:`rows_helper` says what the helper returns)."""
    if isinstance(value, ast.ListComp) and len(value.generators) == 1 and not value.generators[0].ifs:
        value = value.generators[0].iter
    if not isinstance(value, ast.Call):
        return None
    root = value.func
    while isinstance(root, ast.Attribute):
        root = root.value
    return value if isinstance(root, ast.Name) else None


def module_helper(facts: Facts, call: ast.Call, scope: ast.AST) -> tuple[Facts, ast.FunctionDef] | None:
    """The project's plain (undecorated) module-level function ``call`` (made in ``scope``) calls,
    with the module it is in (:meth:`Facts.function`); None for a local or parameter of that name."""
    root = call.func
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return None
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if own_bindings(scope, root.id) is not None or root.id in parameter_names(scope):
            return None  # a local or a parameter of that name: not the module-level helper
    found = facts.function(call.func)
    return None if found is None or found[1].decorator_list else found


def rows_helper(facts: Facts, call: ast.Call, scope: ast.AST) -> str | None:
    """Why ``call`` (made in ``scope``) may return no rows: "`db.list_invoices` returns the rows of
    a query of db.py, which may match none", or None when that is not known."""
    found = module_helper(facts, call, scope)
    if found is None:
        return None
    owner, helper = found
    if returns_rows(owner, helper) is None:
        return None
    name = ast.unparse(call.func)
    return f"`{name}` returns the rows of a query of {Path(owner.path).name}, which may match none"


def returns_rows(facts: Facts, func: ast.FunctionDef) -> int | None:
    """The line of the query whose rows every ``return`` of ``func`` gives, or None."""
    summaries = facts.row_summaries
    if func.name not in summaries:
        summaries[func.name] = _returns_rows(func)
    return summaries[func.name]


def _returns_rows(func: ast.FunctionDef) -> int | None:
    returns = [n for n in walk_no_nested(func.body) if isinstance(n, ast.Return)]
    if not returns or any(n.value is None or not _rows_of_query(n.value) for n in returns):
        return None
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in walk_no_nested(func.body)):
        return None
    if _aggregates(func):
        return None
    return min(n.lineno for n in returns)


def _rows_of_query(value: ast.expr) -> bool:
    """``session.scalars(stmt).all()``, ``session.query(M).filter(...).all()``,
    ``conn.execute(sql).fetchall()``, ``cursor.fetchall()``."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and not value.args and not value.keywords):
        return False
    if value.func.attr == "fetchall":
        return True
    if value.func.attr != "all":
        return False
    node: ast.expr = value.func.value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in _QUERY_METHODS:
            return True
        node = node.func.value
    return False


def _aggregates(func: ast.FunctionDef) -> bool:
    """Does the function build an aggregate query (``func.count(...)``, ``"SELECT count(*)"``)?"""
    for node in walk_no_nested(func.body):
        if isinstance(node, ast.Attribute) and node.attr.lower() in _AGGREGATES and isinstance(node.value, ast.Name) and node.value.id == "func":
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and AGGREGATE_TEXT.search(node.value):
            return True
    return False

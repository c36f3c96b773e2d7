"""EDGE010 for a count a raw SQL query returns in a column of its row.

``row = await conn.fetchrow("SELECT sum(total) AS revenue, count(*) AS trips FROM trips WHERE ...")``
then ``row["revenue"] / row["trips"]`` (service 33), or ``row = cur.execute("SELECT SUM(passed),
COUNT(id) FROM ...").fetchone()`` then ``row[0] / row[1]``: an aggregate without ``GROUP BY``
returns its one row whatever the table holds, and its count is 0 when no row matched (a day with no
trips, a course with no results).  The column is found by its alias (``AS trips``) or its position
in the select list, when it is a bare ``count(...)``.  Not reported: the column tested anywhere in
the function (``if not row["trips"]``, ``x / n if row["trips"] else 0``, a comparison, ``max(...,
1)``), another aggregate (``sum``: not always a count), ``greatest(count(*), 1)``, a query with
``GROUP BY`` (no group, no row: never a count of 0).
"""

from __future__ import annotations

import ast
import re
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding
from vetpy.rules.edge.facts import Module, own_nodes
from vetpy.rules.edge.none_empty import DIVIDE_BY_LEN
from vetpy.rules.edge.zero_counts import GROUPED
from vetpy.rules.registry import REGISTRY

_FETCH_ONE = frozenset({"fetchrow", "fetchone", "fetch_one", "first", "one"})
_SELECT = re.compile(r"^\s*select\s+(.*?)\s+from\s", re.IGNORECASE | re.DOTALL)
_COUNT = re.compile(r"^count\s*\(([^()]*)\)(?:\s+(?:as\s+)?\"?(\w+)\"?)?$", re.IGNORECASE)
_TESTS = (ast.If, ast.IfExp, ast.While, ast.Compare, ast.BoolOp, ast.Assert, ast.UnaryOp)


def counted_columns(sql: str) -> dict[str | int, str]:
    """The columns of ``sql``'s one row that are a bare ``count(...)``: by alias and by position."""
    match = _SELECT.match(sql)
    if match is None or GROUPED.search(sql):
        return {}
    items, depth, start = [], 0, 0
    text = match.group(1)
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            items.append(text[start:i].strip())
            start = i + 1
    items.append(text[start:].strip())
    out: dict[str | int, str] = {}
    for position, item in enumerate(items):
        found = _COUNT.match(item)
        if found:
            out[position] = item
            if found.group(2):
                out[found.group(2)] = item
    return out


def _sql_of(value: ast.expr) -> str | None:
    """The SQL text of ``await conn.fetchrow("SELECT ...")`` or ``conn.execute("SELECT ...").fetchone()``."""
    if isinstance(value, ast.Await):
        value = value.value
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in _FETCH_ONE):
        return None
    query = value if value.args else value.func.value
    if not (isinstance(query, ast.Call) and query.args):
        return None
    first = query.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


@REGISTRY.checker("EDGE010")
def check_counted_columns(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "count" not in doc.text.lower():
        return
    mod = Module.of(doc)
    for func in mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        rows: dict[str, dict[str | int, str]] = {}
        assigned: dict[str, int] = {}
        for node in own_nodes(func):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                assigned[name] = assigned.get(name, 0) + 1
                sql = _sql_of(node.value)
                if sql is not None:
                    columns = counted_columns(sql)
                    if columns:
                        rows[name] = columns
        rows = {name: cols for name, cols in rows.items() if assigned.get(name) == 1}
        if not rows:
            continue
        tested = _tested_columns(func)
        for node in own_nodes(func):
            if not (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod))):
                continue
            column = _column(node.right)
            if column is None or column[0] not in rows or column in tested:
                continue
            item = rows[column[0]].get(column[1])
            if item is None:
                continue
            yield DIVIDE_BY_LEN.finding(
                doc, node,
                f"`{doc.segment(node.right)}` is `{item}` of a query, which may match no row: the division fails when it is 0",
            )


def _column(node: ast.expr) -> tuple[str, str | int] | None:
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant):
        key = node.slice.value
        if isinstance(key, (str, int)) and not isinstance(key, bool):
            return node.value.id, key
    return None


def _tested_columns(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[tuple[str, str | int]]:
    """Columns a condition, a comparison or ``max``/``min`` reads in the function."""
    out: set[tuple[str, str | int]] = set()
    for node in own_nodes(func):
        parts: list[ast.AST] = []
        if isinstance(node, (ast.If, ast.IfExp, ast.While, ast.Assert)):
            parts = [node.test]
        elif isinstance(node, (ast.Compare, ast.BoolOp, ast.UnaryOp)):
            parts = [node]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("max", "min", "bool"):
            parts = list(node.args)
        for part in parts:
            for sub in ast.walk(part):
                if isinstance(sub, ast.expr):
                    column = _column(sub)
                    if column is not None:
                        out.add(column)
    return out

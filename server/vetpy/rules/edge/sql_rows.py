"""EDGE020 unchecked-fetchone: the row of a query that may match nothing, used without a None check.

The check itself is the None flow of :mod:`.none_empty` (guards, early returns, handlers); this
module says which ``fetchone()`` calls are a None source: those whose query text is readable here
(a literal, an f-string, a name bound once to one) and is a ``SELECT`` that can return no row.
"""

from __future__ import annotations

import ast
import re

from typing import TYPE_CHECKING

from vetpy.astutil import dotted_name
from vetpy.findings import Severity
from vetpy.rules.registry import rule
from vetpy.scopes import parameter_names, scope_index

if TYPE_CHECKING:
    from vetpy.document import Document

UNCHECKED_ROW = rule(
    code="EDGE020",
    name="unchecked-fetchone",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if the query matches no row?",
    summary="The row of `cursor.fetchone()` (or asyncpg's `fetchrow()`) is indexed or read (`fetchone()[0]`, `row[\"id\"]`) without a None check, for a `SELECT` that can return no row.",
    rationale="""`fetchone()` returns None when the query returned no row, and then
    `cursor.fetchone()[0]` raises `TypeError: 'NoneType' object is not subscriptable` (for a
    ticket that was deleted, a queue without a counter row, an empty table). Check the row
    (`if row is None: ...`) or raise a clear error. Reported only when the query text is
    readable where it runs (a literal, an f-string, a name bound once to one) and it is a
    `SELECT ... FROM` with a `WHERE` or a `LIMIT`; a query whose columns are all aggregates
    without `GROUP BY` (`SELECT COUNT(*) ...`, `SELECT MAX(id) ...`) always returns one row, and
    `SELECT EXISTS(...)`, `INSERT ... RETURNING` and queries built up piece by piece are left
    alone. asyncpg's `await conn.fetchrow(SQL, *args)` (a connection's or a pool's) is the same
    case: "the first row ..., or None if no records were returned by the query"; a row it picks
    by its key (`WHERE id = $1`) when the key is one the server holds (the signed-in user's own
    id, `request.ctx.member_id`; another row's reference, `res["vehicle_id"]`, or the row an ACL
    context loaded, `context.pet["id"]`) is left alone, for `fetchone()` too (`WHERE id = %s`, `?`,
    `:id`); a reference read from the request's own input (`body["pet_id"]`) is not.""",
    bad="""
        def next_number(conn, queue):
            return conn.execute("SELECT last FROM counters WHERE queue = ?", (queue,)).fetchone()[0]
    """,
    good="""
        def next_number(conn, queue):
            row = conn.execute("SELECT last FROM counters WHERE queue = ?", (queue,)).fetchone()
            if row is None:
                raise LookupError(f"no counter for queue {queue!r}")
            return row[0]
    """,
    cwe=(476,),
)

# SQL aggregate functions (SQLite, PostgreSQL, MySQL): over rows without GROUP BY they return one
# row. EDGE004 (a select list that calls one is not a whole table) and EDGE020 (columns that are
# all aggregates always give a row) read this one list.
SQL_AGGREGATES = ("COUNT", "SUM", "TOTAL", "MAX", "MIN", "AVG", "GROUP_CONCAT", "STRING_AGG", "ARRAY_AGG", "JSON_AGG",
                  "JSONB_AGG", "BOOL_AND", "BOOL_OR", "EVERY", "BIT_AND", "BIT_OR")
_AGGREGATE_COLUMN = re.compile(rf"^(COALESCE\s*\(\s*|IFNULL\s*\(\s*)?({'|'.join(SQL_AGGREGATES)})\s*\(")


def _top_level(sql: str) -> str:
    """The text outside parentheses and quotes, parenthesised parts replaced by ``()``."""
    out: list[str] = []
    depth = 0
    quote = ""
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
            if depth == 0:
                out.append("''")
            continue
        if ch == "(":
            if depth == 0:
                out.append("(")
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
            if depth == 0:
                out.append(")")
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def may_return_no_row(sql: str) -> bool:
    """A ``SELECT ... FROM ... WHERE|LIMIT`` whose columns are not all aggregates (or that groups)."""
    top = " ".join(_top_level(sql).upper().split())
    if not top.startswith("SELECT "):
        return False
    _, sep, rest = top[len("SELECT "):].partition(" FROM ")
    if not sep or not re.search(r"\b(WHERE|LIMIT)\b", rest):
        return False
    if re.search(r"\bGROUP BY\b|\bHAVING\b", rest):
        return True
    full = " ".join(sql.upper().split())
    return not all(_AGGREGATE_COLUMN.match(c) for c in _columns(full[len("SELECT "):]))


def _columns(select_list: str) -> list[str]:
    """The columns of a select list (top-level commas), up to its top-level ``FROM``."""
    columns: list[str] = []
    depth, start, end = 0, 0, len(select_list)
    for i, ch in enumerate(select_list):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch == ",":
            columns.append(select_list[start:i].strip())
            start = i + 1
        elif depth == 0 and select_list.startswith(" FROM ", i):
            end = i
            break
    columns.append(select_list[start:end].strip())
    return columns


def sql_text(node: ast.expr | None, scope: ast.AST, doc: Document | None) -> str | None:
    """The query text of ``node``: a literal, an f-string (its values as ``?``), or a name with
    exactly one binding in the scope (:meth:`~vetpy.scopes.ScopeIndex.bindings`: a nested
    function's own local is none, a ``nonlocal`` rebinding is one; a parameter is one of unknown
    text), a plain assignment of one; or, when the scope never binds it, likewise at module level."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "?" for v in node.values)
    if isinstance(node, ast.Name) and doc is not None and doc.tree is not None:
        index = scope_index(doc)
        for owner in (scope, doc.tree) if scope is not doc.tree else (scope,):
            sites = index.bindings(owner, node.id)
            if not sites and node.id not in parameter_names(owner):
                continue
            if len(sites) != 1 or node.id in parameter_names(owner):
                return None
            site = sites[0]
            single = site.kind == "assign" and not site.unpacked and len(site.node.targets) == 1  # type: ignore[attr-defined]
            return sql_text(site.value, scope, None) if single and isinstance(site.value, (ast.Constant, ast.JoinedStr)) else None  # type: ignore[arg-type]
    return None


def fetchone_reason(call: ast.Call, scope: ast.AST, doc: Document) -> str | None:
    """Why ``call`` may be None: ``X.execute(SQL, ...).fetchone()``, or ``cur.fetchone()`` after
    ``cur.execute(SQL, ...)`` (the last such call on the same name before it, in the scope)."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "fetchone") or call.args or call.keywords:
        return None
    receiver = func.value
    execute: ast.Call | None = None
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) and receiver.func.attr == "execute":
        execute = receiver
    else:
        name = dotted_name(receiver)
        if name is None:
            return None
        earlier = [
            n for n in ast.walk(scope)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "execute"
            and dotted_name(n.func.value) == name and n.lineno < call.lineno
        ]
        execute = max(earlier, key=lambda n: (n.lineno, n.col_offset), default=None)
    if execute is None or not execute.args:
        return None
    sql = sql_text(execute.args[0], scope, doc)
    if sql is None or not may_return_no_row(sql) or _row_the_server_names(sql, _parameters(execute), scope):
        return None
    return "`fetchone()` returns None when the query matches no row"


def _parameters(execute: ast.Call) -> list[ast.expr]:
    """The values bound to a DB-API ``execute(SQL, params)``'s placeholders, when written out: a
    tuple or list (``(inv["owner_id"],)``) or a dict of constant keys (``{"id": ...}``)."""
    if len(execute.args) != 2 or execute.keywords:
        return []
    params = execute.args[1]
    if isinstance(params, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in params.elts):
        return list(params.elts)
    if isinstance(params, ast.Dict) and all(k is not None for k in params.keys):
        return list(params.values)
    return []


def fetchrow_reason(call: ast.Call, scope: ast.AST, doc: Document) -> str | None:
    """Why ``await conn.fetchrow(SQL, *args)`` may be None: asyncpg's ``Connection.fetchrow`` (and
    the pool's; asyncpg 0.32 ``connection.py``: "The first row as a Record instance, or None if no
    records were returned by the query") of a ``SELECT`` that can match no row."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "fetchrow") or not call.args:
        return None
    sql = sql_text(call.args[0], scope, doc)
    if sql is None or not may_return_no_row(sql) or _row_the_server_names(sql, call.args[1:], scope):
        return None
    return "asyncpg's `fetchrow()` returns None when the query matches no row"


# `WHERE id = $1` (or `t.id = %s`, `?`, `:id`, `%(id)s`), the one condition, perhaps locked: a row picked by its key
_BY_KEY = re.compile(r"\bWHERE\s+(?:\w+\.)?id\s*=\s*(?:\$1|%s|\?|:\w+|%\(\w+\)s)\s*(?:FOR\s+(?:NO\s+KEY\s+)?UPDATE\s*)?;?\s*$",
                     re.IGNORECASE)
# the signed-in principal's own id: `request.ctx.member_id`, `current_user.id`, `request.user.id`, `g.user.id`
_PRINCIPAL_WORDS = frozenset({"ctx", "current_user", "user", "principal", "identity"})
# where a handler's client input is read: `request.json_body`, `await request.json()`, `req.media`
_REQUEST_ROOTS = frozenset({"request", "req"})
_INPUT_NAMES = frozenset({"body", "data", "payload", "params", "form", "args", "query", "json_body", "values"})


def _row_the_server_names(sql: str, args: list[ast.expr], scope: ast.AST) -> bool:
    """A row picked by its key when the key is one the server holds, not one the client chose:
    the signed-in user's own id (``request.ctx.member_id``) or another row's reference
    (``res["vehicle_id"]``, the row an ACL context loaded: ``context.pet["id"]``): the row exists
    unless deleted since (referential integrity), and reporting every such read buries the
    fetches by a client's id. A reference read from the request's own input (``body["pet_id"]``
    where ``body = request.json_body``, ``request.matchdict["pet_id"]``) is the client's choice."""
    if len(args) != 1 or not _BY_KEY.search(" ".join(sql.split())):
        return False
    key = args[0]
    if isinstance(key, ast.Subscript) and isinstance(key.slice, ast.Constant) and isinstance(key.slice.value, str) \
            and (key.slice.value == "id" or key.slice.value.endswith("_id")):
        return _held_row(key.value, scope)  # another row's reference: `res["vehicle_id"]`
    parts = (dotted_name(key) or "").split(".")
    return isinstance(key, ast.Attribute) and bool(_PRINCIPAL_WORDS & set(parts[:-1]))


def _held_row(base: ast.expr, scope: ast.AST) -> bool:
    """Is ``base`` a row the server loaded (``inv``, ``context.pet``, ``self.invoice``), not the
    request's input (``request.matchdict``, ``body`` read from ``request.json_body``)?"""
    parts = (dotted_name(base) or "").split(".")
    if not parts[0]:
        return False
    if parts[0] in _REQUEST_ROOTS or parts[:2] == ["self", "request"]:
        return bool(_PRINCIPAL_WORDS & set(parts[1:]))  # `request.identity["id"]`, not `request.matchdict[...]`
    if len(parts) > 1:
        return True  # `context.pet`, `self.invoice`
    if parts[0] in _INPUT_NAMES:
        return False
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == parts[0] for t in node.targets) \
                and _request_input(node.value):
            return False
    return True


def _request_input(value: ast.expr) -> bool:
    """``request.json_body``, ``await request.json()``, ``json.loads(request.body)``: the request's input."""
    while isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call):
        if (dotted_name(value.func) or "").rsplit(".", 1)[-1] == "loads":
            return True
        value = value.func
    parts = (dotted_name(value) or "").split(".")
    if parts[:2] == ["self", "request"]:
        parts = parts[1:]
    return parts[0] in _REQUEST_ROOTS and not (_PRINCIPAL_WORDS & set(parts[1:]))

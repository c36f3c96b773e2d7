"""SEC036's fetches written in SQL (issue #20): asyncpg's ``$n`` parameters.

asyncpg 0.32 (``Connection``/``Pool``: ``fetchrow``, ``fetch``, ``fetchval``, ``execute``) takes
the query first and its arguments after it, ``$1`` being the first argument.  A query of one table
(``SELECT ... FROM notes WHERE id = $1``, ``UPDATE notes SET ... WHERE id = $2``, ``DELETE FROM
notes WHERE id = $1``) whose ``WHERE`` names a row by a key column (``id``, ``note_id``) bound to
request input is a fetch of that table's row, as ``Note.get(id=note_id)`` is; it is scoped when
any argument of the ``WHERE`` reads the signed-in user (``AND owner_id = $2`` with
``request.ctx.user.id``); one of ``SET`` does not scope the row.  A join, a subquery, a query text that is not a literal, and the
DB-API's ``?``/``%s`` are not read (left to the ORM forms)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

# asyncpg's query methods whose first argument is the query and the rest its `$n` arguments
SQL_RUNS = frozenset({"fetchrow", "fetch", "fetchval", "execute"})
_TABLE = re.compile(r"^\s*(?:SELECT\b.*?\bFROM|DELETE\s+FROM|UPDATE)\s+\"?(\w+)\"?", re.IGNORECASE | re.DOTALL)
_WHERE = re.compile(r"\bWHERE\b(.*)$", re.IGNORECASE | re.DOTALL)
_PARAMETER = re.compile(r"\$(\d+)\b")
_CONDITION = re.compile(r"(?:\w+\.)?\"?(\w+)\"?\s*=\s*\$(\d+)\b")
_NOT_ONE_TABLE = re.compile(r"\bJOIN\b|\(\s*SELECT\b|\bUNION\b|,\s*\w+\s+(?:AS\s+)?\w+\s+WHERE", re.IGNORECASE)


def sql_fetch(call: ast.Call, key_column: re.Pattern[str], owner_column: re.Pattern[str],
              from_request: Callable[[ast.expr], bool], reads_user: Callable[[ast.expr], bool]) -> tuple[str, str, bool] | None:
    """(table, key column, scoped) of ``await conn.fetchrow("SELECT ... FROM t WHERE id = $1", note_id)``, else None."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in SQL_RUNS and call.args and not call.keywords
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
        return None
    if any(isinstance(a, ast.Starred) for a in call.args):
        return None
    sql = call.args[0].value
    table = _TABLE.match(sql)
    where = _WHERE.search(sql)
    if table is None or where is None or _NOT_ONE_TABLE.search(sql):
        return None
    args = call.args[1:]
    numbers = [int(n) - 1 for n in _PARAMETER.findall(where.group(1))]
    if any(not 0 <= i < len(args) for i in numbers):
        return None  # the query's parameters and the call's arguments do not agree: not read
    key = None
    for column, number in _CONDITION.findall(where.group(1)):
        column = column.lower()
        if key_column.match(column) and not owner_column.search(column) and from_request(args[int(number) - 1]):
            key = key or column
    if key is None:
        return None
    # scoped: any argument of the WHERE reads the user (`owner_id = $2`, `$2 = ANY(member_ids)`), not one of SET's
    return table.group(1).lower(), key, any(reads_user(args[i]) for i in numbers)


def where_arguments(call: ast.Call) -> list[tuple[str, ast.expr]]:
    """(column, argument) of each ``column = $n`` of the ``WHERE`` of an asyncpg query
    (``conn.fetch("SELECT ... FROM invoices WHERE account_id = $1", account_id)``), joins included;
    [] when the call is not one or its parameters and arguments do not agree."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in SQL_RUNS and call.args and not call.keywords
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)) \
            or any(isinstance(a, ast.Starred) for a in call.args):
        return []
    where = _WHERE.search(call.args[0].value)
    args = call.args[1:]
    if where is None or any(not 0 < int(n) <= len(args) for n in _PARAMETER.findall(where.group(1))):
        return []
    return [(column.lower(), args[int(number) - 1]) for column, number in _CONDITION.findall(where.group(1))]

"""SEC036's fetches written in SQL (issue #20): asyncpg's ``$n`` parameters, the DB-API's ``%s``,
``%(name)s`` and ``?``.

asyncpg 0.32 (``Connection``/``Pool``: ``fetchrow``, ``fetch``, ``fetchval``, ``execute``) takes
the query first and its arguments after it, ``$1`` being the first argument.  psycopg 3
(``Connection.execute(query, params)``, ``Cursor.execute``) and sqlite3 take the query and one
sequence of parameters (``%s`` / ``?``, in order) or a mapping (``%(name)s``; ``%%`` is a literal
percent); a call whose parameters are a tuple, list or dict display is read as if written with
``$n``.  A query of one table (``SELECT ... FROM notes WHERE id = $1``, ``UPDATE notes SET ... WHERE
id = $2``, ``DELETE FROM notes WHERE id = $1``) whose ``WHERE`` names a row by a key column (``id``,
``note_id``) bound to request input is a fetch of that table's row, as ``Note.get(id=note_id)`` is;
it is scoped when any argument of the ``WHERE`` reads the signed-in user (``AND owner_id = $2`` with
``request.ctx.user.id``); one of ``SET`` does not scope the row.  A join (``FROM appointments a JOIN
pets p ON ... WHERE a.id = %s AND p.owner_id = %s``, ``UPDATE appointments a SET ... FROM pets p``)
whose key column is the main table's is a fetch of it too, scoped when any argument outside ``SET``
reads the user; an unscoped one is only a sibling (key ``join``), never reported: its ``ON`` may scope
it in ways not read.  A subquery, a union and a query text that is not a literal are not read."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

# asyncpg's query methods whose first argument is the query and the rest its `$n` arguments
SQL_RUNS = frozenset({"fetchrow", "fetch", "fetchval", "execute"})
_TABLE = re.compile(r"^\s*(?:SELECT\b.*?\bFROM|DELETE\s+FROM|UPDATE)\s+\"?(\w+)\"?(?:\s+(?:AS\s+)?(?!(?:SET|WHERE|JOIN|INNER|LEFT|RIGHT|FULL|CROSS|"
                    r"NATURAL|USING|ON|ORDER|GROUP|LIMIT|FOR|RETURNING)\b)(\w+))?", re.IGNORECASE | re.DOTALL)
_WHERE = re.compile(r"\bWHERE\b(.*)$", re.IGNORECASE | re.DOTALL)
_PARAMETER = re.compile(r"\$(\d+)\b")
_CONDITION = re.compile(r"(?:(\w+)\.)?\"?(\w+)\"?\s*=\s*\$(\d+)\b")
_NOT_READ = re.compile(r"\(\s*SELECT\b|\bUNION\b", re.IGNORECASE)
_JOINED = re.compile(r"\bJOIN\b|,\s*\w+\s+(?:AS\s+)?\w+\s+WHERE", re.IGNORECASE)
_UPDATE_FROM = re.compile(r"^\s*UPDATE\b[^;]*?\bSET\b.*?\bFROM\b|^\s*DELETE\s+FROM\b[^;]*?\bUSING\b", re.IGNORECASE | re.DOTALL)
_AFTER_SET = re.compile(r"^\s*UPDATE\b.*?\bSET\b.*?(?=\b(?:FROM|WHERE)\b)", re.IGNORECASE | re.DOTALL)
# the DB-API's placeholders (psycopg's `%s`/`%(name)s`, sqlite3's `?`); `%%` is a literal percent
_DBAPI = re.compile(r"%%|%s|%\((\w+)\)s|\?")


def _query(call: ast.Call) -> tuple[str, list[ast.expr]] | None:
    """The query of an asyncpg or DB-API call written with ``$n`` parameters, and its arguments in
    that order; None when the call is not one, or its parameters are not a display read so."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in SQL_RUNS and call.args and not call.keywords
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
        return None
    if any(isinstance(a, ast.Starred) for a in call.args):
        return None
    sql: str = call.args[0].value
    if _PARAMETER.search(sql) or len(call.args) != 2 or not isinstance(call.args[1], (ast.Tuple, ast.List, ast.Dict)):
        return sql, list(call.args[1:])  # asyncpg's `$n`
    params = call.args[1]
    if isinstance(params, ast.Dict):
        if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in params.keys):
            return None
        by_name = {k.value: v for k, v in zip(params.keys, params.values)}  # type: ignore[union-attr]
        args: list[ast.expr] = []
        names: dict[str, int] = {}

        def named(m: re.Match[str]) -> str:
            if m.group(0) == "%%":
                return "%"
            if m.group(1) is None or m.group(1) not in by_name:
                raise ValueError(m.group(0))
            if m.group(1) not in names:
                args.append(by_name[m.group(1)])
                names[m.group(1)] = len(args)
            return f"${names[m.group(1)]}"
        try:
            return _DBAPI.sub(named, sql), args
        except ValueError:
            return None  # a positional placeholder with a mapping: not read
    if any(isinstance(e, ast.Starred) for e in params.elts):
        return None
    count = 0

    def positional(m: re.Match[str]) -> str:
        nonlocal count
        if m.group(0) == "%%":
            return "%"
        if m.group(1) is not None:
            raise ValueError(m.group(0))
        count += 1
        return f"${count}"
    try:
        text = _DBAPI.sub(positional, sql)
    except ValueError:
        return None
    return (text, list(params.elts)) if count == len(params.elts) else None


def sql_fetch(call: ast.Call, key_column: re.Pattern[str], owner_column: re.Pattern[str],
              from_request: Callable[[ast.expr], bool], reads_user: Callable[[ast.expr], bool]) -> tuple[str, str, bool] | None:
    """(table, key column, scoped) of ``await conn.fetchrow("SELECT ... FROM t WHERE id = $1", note_id)``,
    ``conn.execute("SELECT ... FROM t WHERE id = %s", (note_id,))``, else None; the key of an
    unscoped join is ``join``."""
    query = _query(call)
    if query is None:
        return None
    sql, args = query
    table = _TABLE.match(sql)
    where = _WHERE.search(sql)
    if table is None or where is None or _NOT_READ.search(sql):
        return None
    numbers = [int(n) - 1 for n in _PARAMETER.findall(where.group(1))]
    if any(not 0 <= i < len(args) for i in numbers):
        return None  # the query's parameters and the call's arguments do not agree: not read
    joined = bool(_JOINED.search(sql) or _UPDATE_FROM.match(sql))
    names = {table.group(1).lower(), (table.group(2) or table.group(1)).lower()}
    key = None
    for qualifier, column, number in _CONDITION.findall(where.group(1)):
        column = column.lower()
        if joined and qualifier.lower() not in names:
            continue  # a joined table's column (or an unqualified one): not the main table's key
        if key_column.match(column) and not owner_column.search(column) and from_request(args[int(number) - 1]):
            key = key or column
    if key is None:
        return None
    if joined:
        # any argument outside `SET` (the `ON`, the `WHERE`) that reads the user scopes the join
        set_clause = _AFTER_SET.match(sql)
        scope = [int(n) - 1 for n in _PARAMETER.findall(sql[set_clause.end() if set_clause else 0:])]
        scoped = any(reads_user(args[i]) for i in scope if 0 <= i < len(args))
        return table.group(1).lower(), key if scoped else "join", scoped
    # scoped: any argument of the WHERE reads the user (`owner_id = $2`, `$2 = ANY(member_ids)`), not one of SET's
    return table.group(1).lower(), key, any(reads_user(args[i]) for i in numbers)


def where_arguments(call: ast.Call) -> list[tuple[str, ast.expr]]:
    """(column, argument) of each ``column = $n`` (or ``%s``) of the ``WHERE`` of a query
    (``conn.fetch("SELECT ... FROM invoices WHERE account_id = $1", account_id)``), joins included;
    [] when the call is not one or its parameters and arguments do not agree."""
    query = _query(call)
    if query is None:
        return []
    sql, args = query
    where = _WHERE.search(sql)
    if where is None or any(not 0 < int(n) <= len(args) for n in _PARAMETER.findall(where.group(1))):
        return []
    return [(column.lower(), args[int(number) - 1]) for _, column, number in _CONDITION.findall(where.group(1))]

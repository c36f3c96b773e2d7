"""Specification tests for the SEC rules: positives, look-alikes a careful reviewer accepts, fixes."""

from __future__ import annotations

import ast
import textwrap

import pytest

from vetpy.engine import check_source
from vetpy.findings import Finding, apply_edits


def findings(src: str, code: str | None = None, path: str = "app.py") -> list[Finding]:
    found = [f for f in check_source(textwrap.dedent(src), path=path) if f.code.startswith("SEC")]
    return [f for f in found if code is None or f.code == code]


def lines(src: str, code: str, path: str = "app.py") -> list[int]:
    return [f.line for f in findings(src, code, path)]


def apply_fix(src: str, code: str, index: int = 0, path: str = "app.py") -> str:
    """Apply the first fix of the ``index``-th finding of ``code``; the result must parse."""
    src = textwrap.dedent(src)
    found = findings(src, code, path)
    assert found, f"no {code} finding"
    assert found[index].fixes, f"{code} finding has no fix"
    new = apply_edits(src, found[index].fixes[0].edits)
    ast.parse(new)
    return new


def no_fix(src: str, code: str) -> bool:
    found = findings(src, code)
    assert found, f"no {code} finding"
    return all(not f.fixes for f in found)


# ---------------------------------------------------------------------------------------------
# SEC001 sql-injection
# ---------------------------------------------------------------------------------------------

SQLITE = "import sqlite3\n"
PSYCOPG = "import psycopg2\n"


@pytest.mark.parametrize(
    "body",
    [
        'cur.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
        'cur.execute("SELECT * FROM users WHERE name = \'" + name + "\'")',
        'cur.execute("SELECT * FROM users WHERE name = \'%s\'" % name)',
        'cur.execute("SELECT * FROM users WHERE name = \'{}\'".format(name))',
        'cur.executemany(f"DELETE FROM t WHERE id = {name}", rows)',
        'cur.executescript(f"DROP TABLE {name};")',
        'cur.execute(f"SELECT * FROM t WHERE a = ? ORDER BY {name}", (1,))',
        'cur.execute(f"SELECT * FROM t WHERE a = ? LIMIT {name}", (1,))',
        'cur.execute("SELECT * FROM t WHERE id IN (" + ",".join(name) + ")")',
    ],
)
def test_sql_formatted_positive(body: str) -> None:
    src = SQLITE + f"def f(cur, name, rows):\n    {body}\n"
    assert lines(src, "SEC001") == [3]


def test_sql_assembled_in_variable() -> None:
    src = SQLITE + textwrap.dedent(
        """
        def f(cur, sort, uid):
            query = "SELECT * FROM items WHERE owner = ?"
            query += f" ORDER BY {sort}"
            cur.execute(query, (uid,))
        """
    )
    assert lines(src, "SEC001") == [6]


def test_sql_request_input_is_error_and_names_source() -> None:
    src = """
        import sqlite3
        from flask import Flask, request
        app = Flask(__name__)

        @app.route("/items")
        def items():
            sort = request.args.get("sort", "name")
            cur.execute(f"SELECT * FROM items WHERE owner = ? ORDER BY {sort}", (1,))
    """
    [f] = findings(src, "SEC001")
    assert f.severity.value == "error"
    assert "request.args" in f.message
    assert "allow-list" in f.message  # ORDER BY is an identifier position
    assert f.cwe == (89,)
    assert not f.fixes  # identifiers are never rewritten to placeholders


@pytest.mark.parametrize(
    "src",
    [
        # module-level constant table name (ruff S608 / bandit B608 flag this)
        'TABLE = "users"\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM {TABLE} WHERE id = ?", (uid,))\n',
        # constant dict lookup
        'SORTS = {"name": "name", "date": "created_at"}\ndef f(cur, key):\n    cur.execute(f"SELECT * FROM t ORDER BY {SORTS[key]}")\n',
        'SORTS = {"name": "name"}\ndef f(cur, key):\n    col = SORTS.get(key, "name")\n    cur.execute(f"SELECT * FROM t ORDER BY {col}")\n',
        # allow-list check before use
        'ALLOWED = {"name", "date"}\ndef f(cur, col):\n    if col not in ALLOWED:\n        raise ValueError(col)\n    cur.execute(f"SELECT * FROM t ORDER BY {col}")\n',
        'def f(cur, col):\n    assert col in ("a", "b")\n    cur.execute(f"SELECT * FROM t ORDER BY {col}")\n',
        'def f(cur, order):\n    direction = "ASC" if order == "up" else "DESC"\n    cur.execute(f"SELECT * FROM t ORDER BY x {direction}")\n',
        # placeholders generated from a constant
        'def f(cur, ids):\n    marks = ",".join("?" * len(ids))\n    cur.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)\n',
        'def f(cur, ids):\n    marks = ", ".join(["%s"] * len(ids))\n    cur.execute("SELECT * FROM t WHERE id IN (" + marks + ")", ids)\n',
        'def f(cur, ids):\n    marks = ",".join("?" for _ in ids)\n    cur.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)\n',
        # numbers cannot inject
        'def f(cur, limit):\n    cur.execute(f"SELECT * FROM t LIMIT {int(limit)}")\n',
        'def f(cur, limit):\n    cur.execute(f"SELECT * FROM t LIMIT {limit:d}")\n',
        # parameterized query
        'def f(cur, uid):\n    cur.execute("SELECT * FROM t WHERE id = ?", (uid,))\n',
        # a query passed in by the caller: nothing known, nothing formatted
        'def f(cur, query):\n    cur.execute(query)\n',
        # not SQL at all
        'def f(executor, job):\n    executor.execute(f"job-{job}")\n',
        # UPPER_CASE settings attribute
        'def f(cur, uid):\n    cur.execute(f"SELECT * FROM {settings.USERS_TABLE} WHERE id = ?", (uid,))\n',
    ],
)
def test_sql_constant_queries_are_not_reported(src: str) -> None:
    assert lines(SQLITE + src, "SEC001") == []


def test_sql_unknown_whole_query_is_silent_but_formatted_unknown_is_reported() -> None:
    src = SQLITE + 'def f(cur, q, col):\n    cur.execute(q)\n    cur.execute(f"SELECT {col} FROM t")\n'
    assert lines(src, "SEC001") == [4]


def test_sql_fix_sqlite_question_marks() -> None:
    src = SQLITE + "def f(cur, name):\n    cur.execute(f\"SELECT * FROM users WHERE name = '{name}' AND age > {age}\")\n"
    new = apply_fix(src, "SEC001")
    assert "cur.execute('SELECT * FROM users WHERE name = ? AND age > ?', (name, age))" in new


def test_sql_fix_psycopg_percent_s_for_percent_formatting() -> None:
    src = PSYCOPG + 'def f(cur, uid):\n    cur.execute("SELECT * FROM t WHERE id = %s" % uid)\n'
    new = apply_fix(src, "SEC001")
    assert "cur.execute('SELECT * FROM t WHERE id = %s', (uid,))" in new


def test_sql_fix_format_method() -> None:
    src = SQLITE + 'def f(cur, uid):\n    cur.execute("SELECT * FROM t WHERE id = {}".format(uid))\n'
    assert "cur.execute('SELECT * FROM t WHERE id = ?', (uid,))" in apply_fix(src, "SEC001")


def test_sql_fix_sqlalchemy_named_parameters() -> None:
    src = "from sqlalchemy import text\ndef f(conn, user):\n    conn.execute(text(f\"SELECT * FROM t WHERE id = {user.id}\"))\n"
    new = apply_fix(src, "SEC001")
    assert "conn.execute(text('SELECT * FROM t WHERE id = :user_id'), {'user_id': user.id})" in new


def test_sql_fix_query_variable() -> None:
    src = SQLITE + 'def f(cur, uid):\n    query = f"SELECT * FROM t WHERE id = {uid}"\n    cur.execute(query)\n'
    new = apply_fix(src, "SEC001")
    assert "query = 'SELECT * FROM t WHERE id = ?'" in new
    assert "cur.execute(query, (uid,))" in new


def test_sql_fix_keeps_constant_table_out_of_placeholders() -> None:
    # a constant hole beside a value hole: the rewrite would need an f-string; no fix, still reported
    src = SQLITE + 'TABLE = "t"\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM {TABLE} WHERE id = {uid}")\n'
    assert lines(src, "SEC001") == [4]
    assert no_fix(src, "SEC001")


@pytest.mark.parametrize(
    "src",
    [
        # no driver import: the placeholder style is unknown
        'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n',
        # LIKE pattern: the value is inside a larger literal
        "import sqlite3\ndef f(cur, q):\n    cur.execute(f\"SELECT * FROM t WHERE name LIKE '%{q}%'\")\n",
        # parameters already passed
        'import sqlite3\ndef f(cur, uid, a):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid} AND a = ?", (a,))\n',
        # a conversion changes the text
        'import sqlite3\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid!r}")\n',
        # two drivers imported
        'import sqlite3, psycopg2\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n',
        # query variable used twice
        'import sqlite3\ndef f(cur, uid):\n    q = f"SELECT * FROM t WHERE id = {uid}"\n    cur.execute(q)\n    log(q)\n',
    ],
)
def test_sql_no_fix_when_not_safe_and_local(src: str) -> None:
    assert no_fix(src, "SEC001")


def test_sql_django_raw_and_pandas() -> None:
    src = """
        import pandas as pd
        def f(conn, name):
            User.objects.raw(f"SELECT * FROM auth_user WHERE username = '{name}'")
            pd.read_sql(f"SELECT * FROM t WHERE a = {name}", conn)
    """
    assert lines(src, "SEC001") == [4, 5]

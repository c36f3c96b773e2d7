"""One list of SQL aggregate functions (``sql_rows.SQL_AGGREGATES``) for EDGE004 and EDGE020.

Specification. EDGE004 (a whole table fetched): a SELECT whose select list calls an aggregate
anywhere returns one row per group, here one row: not reported. EDGE020 (``fetchone()`` used
without a None check): a SELECT whose every column is an aggregate (also wrapped in
``COALESCE``/``IFNULL``), without GROUP BY/HAVING, always returns one row: not reported. The same
names serve both: EDGE004's exemption widens from nine names to the sixteen of EDGE020 (the JSON,
boolean and bit aggregates of PostgreSQL/SQLite collapse the rows to one like COUNT does)."""

from __future__ import annotations

import pytest
from test_edge_rules import flagged

from vetpy.rules.edge import sql_rows, unbounded_queries

FETCHALL = """
    def rows(cur):
        cur.execute("SELECT {columns} FROM users")
        return cur.fetchall()
"""
FETCHONE = """
    def one(cur, uid):
        return cur.execute("SELECT {columns} FROM users WHERE id = ?", (uid,)).fetchone()[0]
"""


@pytest.mark.parametrize("columns", ["json_agg(name)", "jsonb_agg(name)", "bool_and(active)", "BOOL_OR(active)",
                                     "every(active)", "bit_and(flags)", "bit_or(flags)", "count(*)", "name, max(id)"])
def test_edge004_an_aggregate_select_returns_one_row(columns: str) -> None:
    assert flagged(FETCHALL.format(columns=columns), "EDGE004") == []


@pytest.mark.parametrize("columns", ["name", "everyone", "counter", "bit_andx(flags)"])
def test_edge004_columns_that_only_look_like_aggregates_are_reported(columns: str) -> None:
    assert flagged(FETCHALL.format(columns=columns), "EDGE004") == [4]


@pytest.mark.parametrize("columns", ["json_agg(name)", "COALESCE(SUM(total), 0)", "every(active)", "count(*), max(id)"])
def test_edge020_all_aggregate_columns_are_one_row(columns: str) -> None:
    assert flagged(FETCHONE.format(columns=columns), "EDGE020") == []


@pytest.mark.parametrize("columns", ["name, max(id)", "everyone", "counter"])
def test_edge020_a_plain_column_beside_an_aggregate_may_match_no_row(columns: str) -> None:
    assert flagged(FETCHONE.format(columns=columns), "EDGE020") == [3]


def test_one_list_serves_both_rules() -> None:
    assert not hasattr(unbounded_queries, "SQL_AGGREGATE") and not hasattr(sql_rows, "_AGGREGATE")
    for name in sql_rows.SQL_AGGREGATES:
        assert unbounded_queries.AGGREGATE_CALL.search(f"{name.lower()}(x)")

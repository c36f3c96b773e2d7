"""EDGE010 for a count a raw SQL query returns: ``row["revenue"] / row["trips"]`` where the row was
fetched by ``SELECT ..., count(*) AS trips FROM ... WHERE ...`` (service 33), or ``x / n`` with
``n = await conn.fetchval("SELECT count(*) FROM ...")``: a query can match no row, and an aggregate
without ``GROUP BY`` still returns its one row, with a count of 0.

Spec: flagged where marked ``# !``; silent: the count tested (``if not row["n"]``, ``x / n if n
else 0``, a comparison), ``max(row["n"], 1)``, a column that is not a bare count (``sum``,
``greatest(count(*), 1)``), a query with ``GROUP BY`` (no group, no row: never a zero count).
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE010"])

FLAGGED = """\
async def average_ticket(pool, start, end):
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT coalesce(sum(total), 0) AS revenue, count(*) AS trips FROM trips "
                                  "WHERE status = 'billed' AND ended_at::date BETWEEN $1 AND $2", start, end)
    return {"average": row["revenue"] / row["trips"]}  # !


def pass_rate(conn, course_id):
    row = conn.execute("SELECT SUM(passed), COUNT(id) FROM results WHERE course_id = ?", (course_id,)).fetchone()
    return 100 * row[0] / row[1]  # !


async def share(conn, account_id, spent):
    members = await conn.fetchval("SELECT count(*) FROM members WHERE account_id = $1", account_id)
    return spent / members  # !
"""

ACCEPTED = """\
async def tested(conn, start):
    row = await conn.fetchrow("SELECT sum(total) AS revenue, count(*) AS trips FROM trips WHERE day = $1", start)
    if not row["trips"]:
        return 0
    return row["revenue"] / row["trips"]


async def inline(conn, start):
    row = await conn.fetchrow("SELECT sum(total) AS revenue, count(*) AS trips FROM trips WHERE day = $1", start)
    return row["revenue"] / row["trips"] if row["trips"] else 0


async def floor(conn, start):
    row = await conn.fetchrow("SELECT sum(total) AS revenue, count(*) AS trips FROM trips WHERE day = $1", start)
    return row["revenue"] / max(row["trips"], 1)


async def summed(conn, start):
    row = await conn.fetchrow("SELECT count(*) AS trips, sum(km) AS km FROM trips WHERE day = $1", start)
    return row["trips"] / row["km"]


async def greatest(conn, start):
    row = await conn.fetchrow("SELECT sum(total) AS revenue, greatest(count(*), 1) AS trips FROM trips WHERE day = $1", start)
    return row["revenue"] / row["trips"]


async def grouped(conn):
    rows = await conn.fetch("SELECT city, sum(total) AS revenue, count(*) AS trips FROM trips GROUP BY city")
    return [r["revenue"] / r["trips"] for r in rows]


async def grouped_one(conn, city):
    row = await conn.fetchrow("SELECT sum(total) AS revenue, count(*) AS trips FROM trips WHERE city = $1 GROUP BY city", city)
    return row["revenue"] / row["trips"]


async def checked_count(conn, account_id, spent):
    members = await conn.fetchval("SELECT count(*) FROM members WHERE account_id = $1", account_id)
    if members == 0:
        return spent
    return spent / members
"""


def _found(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/reports.py", CTX) if f.code == "EDGE010"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_a_division_by_a_sql_count_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_a_tested_floored_grouped_or_other_column_is_accepted() -> None:
    assert _found(ACCEPTED) == []

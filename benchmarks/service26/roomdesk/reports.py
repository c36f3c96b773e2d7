"""Reporting queries against the warehouse replica (psycopg 3, raw SQL)."""
import logging
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import psycopg
from django.conf import settings
from psycopg import sql
from psycopg.rows import dict_row

logger = logging.getLogger(__name__)

SORT_COLUMNS = {"revenue", "bookings", "room_name", "occupancy"}
STATUSES = ("pending", "confirmed", "cancelled")


@contextmanager
def warehouse():
    conn = psycopg.connect(settings.REPORTS_DSN, row_factory=dict_row, connect_timeout=5)
    try:
        yield conn
    finally:
        conn.close()


def occupancy_by_room(venue_id: int, sort: str = "revenue", direction: str = "desc") -> list[dict]:
    direction = "ASC" if direction.lower() == "asc" else "DESC"
    with warehouse() as conn:
        return conn.execute(
            f"SELECT room_name, bookings, revenue, occupancy FROM room_stats WHERE venue_id = %s ORDER BY {sort} {direction}",  # SEEDED: SEC sql-order-by
            (venue_id,),
        ).fetchall()


def occupancy_by_room_safe(venue_id: int, sort: str = "revenue") -> list[dict]:
    column = sort if sort in SORT_COLUMNS else "revenue"
    query = sql.SQL("SELECT room_name, bookings, revenue FROM room_stats WHERE venue_id = %s ORDER BY {} DESC").format(
        sql.Identifier(column)  # SAFE: sql-order-by
    )
    with warehouse() as conn:
        return conn.execute(query, (venue_id,)).fetchall()


def bookings_by_ids(ids: list[str]) -> list[dict]:
    id_list = ",".join(ids)
    with warehouse() as conn:
        return conn.execute(f"SELECT * FROM bookings WHERE id IN ({id_list})").fetchall()  # SEEDED: SEC sql-in-list


def bookings_for_rooms(room_ids: list[int]) -> list[dict]:
    with warehouse() as conn:
        return conn.execute("SELECT * FROM bookings WHERE room_id = ANY(%s)", (room_ids,)).fetchall()  # SAFE: sql-in-list


def search_guests(term: str) -> list[dict]:
    with warehouse() as conn:
        query = "SELECT name, email, company FROM guests WHERE name ILIKE '%" + term + "%' LIMIT 50"  # SEEDED: SEC sql-like
        return conn.execute(query).fetchall()  # SEEDED-ALSO


def search_companies(term: str) -> list[dict]:
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with warehouse() as conn:
        return conn.execute(
            "SELECT DISTINCT company FROM guests WHERE company ILIKE %s ESCAPE '\\' LIMIT 50", (pattern,)  # SAFE: sql-like
        ).fetchall()


def bookings_with_status(status: str) -> list[dict]:
    if len(status) > 20:
        raise ValueError("status too long")
    with warehouse() as conn:
        return conn.execute(f"SELECT id, title, start_at FROM bookings WHERE status = '{status}'").fetchall()  # SEEDED: SEC length-only-sql


def bookings_with_known_status(status: str) -> list[dict]:
    if status not in STATUSES:
        raise ValueError("unknown status")
    with warehouse() as conn:
        return conn.execute(f"SELECT id, title FROM bookings WHERE status = '{status}'").fetchall()  # SAFE: sql-where


def revenue_for_year(year: int, venue: str) -> list[dict]:
    with warehouse() as conn:
        return conn.execute(
            f"SELECT month, SUM(total) AS revenue FROM invoices WHERE year = {int(year)} AND venue = %s GROUP BY month",  # SAFE: sql-where
            (venue,),
        ).fetchall()


def bookings_between(venue: str, start: date, end: date) -> list[dict]:
    where = f"venue = '{venue}' AND start_at >= %s AND start_at < %s"  # SEEDED: SEC sql-where
    with warehouse() as conn:
        return conn.execute("SELECT id, title, total FROM bookings WHERE " + where, (start, end)).fetchall()  # SEEDED-ALSO


def bookings_between_safe(venue: str, start: date, end: date) -> list[dict]:
    with warehouse() as conn:
        return conn.execute(
            "SELECT id, title, total FROM bookings WHERE venue = %s AND start_at >= %s AND start_at < %s",  # SAFE: sql-where
            (venue, start, end),
        ).fetchall()


def average_booking_value(venue: str) -> Decimal:
    with warehouse() as conn:
        rows = conn.execute("SELECT total FROM invoices WHERE venue = %s", (venue,)).fetchall()
    return sum((r["total"] for r in rows), Decimal(0)) / len(rows)  # SEEDED: EDGE division-by-zero


def cancellation_rate(venue: str) -> float:
    with warehouse() as conn:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE status = 'cancelled') AS cancelled, count(*) AS total FROM bookings WHERE venue = %s",
            (venue,),
        ).fetchone()
    return row["cancelled"] / row["total"] if row["total"] else 0.0  # SAFE: division-by-zero


def export_all_bookings() -> list[dict]:
    with warehouse() as conn:
        return conn.execute("SELECT * FROM bookings").fetchall()  # SEEDED: EDGE unbounded-read


def stream_bookings(batch: int = 1000):
    with warehouse() as conn, conn.cursor(name="export") as cur:
        cur.execute("SELECT * FROM bookings")
        while rows := cur.fetchmany(batch):  # SAFE: unbounded-read
            yield from rows


async def venue_summary(venue_id: int) -> dict:
    async with await psycopg.AsyncConnection.connect(settings.REPORTS_DSN, row_factory=dict_row, connect_timeout=5) as conn:
        cur = await conn.execute("SELECT count(*) AS bookings, sum(total) AS revenue FROM bookings WHERE venue_id = %s", (venue_id,))
        row = await cur.fetchone()
    return {"venue_id": venue_id, "bookings": row["bookings"], "revenue": row["revenue"] or Decimal(0)}  # SAFE: none-deref


def run_admin_sql(statement: str) -> list[dict]:
    """Support console: read-only ad-hoc queries."""
    if not statement.strip().lower().startswith("select"):
        raise PermissionError("only SELECT statements are allowed")
    with warehouse() as conn:
        return conn.execute(statement).fetchmany(500)  # SEEDED: SEC sql-raw

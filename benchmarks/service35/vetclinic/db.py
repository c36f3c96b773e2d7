"""psycopg 3 connection handling and small SQL helpers shared by the views."""
from __future__ import annotations

import contextlib
import logging
from typing import Any, Iterable, Iterator

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from pyramid.httpexceptions import HTTPNotFound

from .config import get_settings

log = logging.getLogger(__name__)

SORTABLE = {
    "pets": {"name", "species", "born_on", "created_at"},
    "owners": {"last_name", "email", "created_at"},
    "appointments": {"starts_at", "status", "created_at"},
    "invoices": {"issued_on", "total_cents", "status"},
}


def connect() -> psycopg.Connection:
    s = get_settings()
    return psycopg.connect(s.database_url, row_factory=dict_row, connect_timeout=5)  # SAFE: timeout-given


def request_db(request) -> psycopg.Connection:
    conn = connect()

    def _close(req):
        if req.exception is not None:
            conn.rollback()
        else:
            conn.commit()
        conn.close()

    request.add_finished_callback(_close)  # SAFE: resource-closed
    return conn


@contextlib.contextmanager
def transaction(conn: psycopg.Connection) -> Iterator[psycopg.Connection]:
    with conn.transaction():
        yield conn


def fetch_one(conn, query, params=None) -> dict | None:
    return conn.execute(query, params).fetchone()


def fetch_all(conn, query, params=None) -> list[dict]:
    return conn.execute(query, params).fetchall()


def get_scoped_or_404(conn, table: str, row_id: int, clinic_id: int) -> dict:
    """Fetch one row of a clinic-owned table, 404 if it is another clinic's."""
    query = sql.SQL("SELECT * FROM {} WHERE id = %s AND clinic_id = %s").format(sql.Identifier(table))  # SAFE: sql-identifier
    row = conn.execute(query, (row_id, clinic_id)).fetchone()  # SAFE: tenant-scoped
    if row is None:
        raise HTTPNotFound()
    return row


def get_or_404(conn, table: str, row_id: int) -> dict:
    query = sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table))  # SAFE: sql-identifier
    row = conn.execute(query, (row_id,)).fetchone()
    if row is None:
        raise HTTPNotFound()
    return row


def order_clause(table: str, sort: str | None, direction: str | None) -> sql.Composable:
    column = sort if sort in SORTABLE.get(table, ()) else "created_at"  # SAFE: sort-allowlist
    desc = sql.SQL("DESC") if (direction or "").lower() == "desc" else sql.SQL("ASC")
    return sql.SQL("ORDER BY {} {}").format(sql.Identifier(column), desc)


def in_list(values: Iterable[int]) -> tuple[sql.Composable, list[int]]:
    ids = [int(v) for v in values]
    placeholders = sql.SQL(", ").join(sql.Placeholder() * len(ids))  # SAFE: generated-placeholders
    return placeholders, ids


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def update_row(conn, table: str, row_id: int, changes: dict[str, Any], allowed: set[str]) -> int:
    fields = {k: v for k, v in changes.items() if k in allowed}  # SAFE: column-allowlist
    if not fields:
        return 0
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in fields
    )
    query = sql.SQL("UPDATE {} SET {} WHERE id = {}").format(
        sql.Identifier(table), assignments, sql.Placeholder("row_id")
    )
    cur = conn.execute(query, {**fields, "row_id": row_id})  # SAFE: sql-composed
    return cur.rowcount


def page_bounds(page: str | None, size: str | None, max_size: int = 100) -> tuple[int, int]:
    try:
        p = max(1, int(page or 1))
        n = min(max(1, int(size or 25)), max_size)  # SAFE: page-size-clamped
    except ValueError:
        p, n = 1, 25
    return n, (p - 1) * n


def page_count(total: int, size: int) -> int:
    return -(-total // size) if size else 0  # SAFE: ceil-division

"""Database set-up and the raw-SQL reporting queries (aiosqlite on the reporting copy, Tortoise's
connection for the live tables)."""
from __future__ import annotations

import re
from typing import Any

import aiosqlite
from tortoise import Tortoise, connections

from . import config

SORTABLE = {"created_at", "weight_grams", "status", "recipient_country"}
STATUSES = {"created", "in_transit", "out_for_delivery", "delivered", "returned"}


async def init_db() -> None:
    # the framework integrations shipped with tortoise (starlette, fastapi, sanic) enable the global fallback too
    await Tortoise.init(config=config.TORTOISE_ORM, _enable_global_fallback=True)
    await Tortoise.generate_schemas(safe=True)


async def close_db() -> None:
    await connections.close_all()


def _live():
    return connections.get("default")


async def shipments_sorted(owner_id: int, sort: str, direction: str) -> list[dict[str, Any]]:
    sql = f"SELECT * FROM shipments WHERE owner_id = ? ORDER BY {sort} {direction}"  # SEEDED: SEC sql-order-by
    return await _live().execute_query_dict(sql, [owner_id])  # SEEDED-ALSO


async def shipments_sorted_safe(owner_id: int, sort: str, descending: bool) -> list[dict[str, Any]]:
    if sort not in SORTABLE:
        sort = "created_at"
    order = "DESC" if descending else "ASC"
    sql = f"SELECT * FROM shipments WHERE owner_id = ? ORDER BY {sort} {order}"  # SAFE: sql-order-by
    return await _live().execute_query_dict(sql, [owner_id])


async def shipments_page(owner_id: int, limit: str, offset: str) -> list[dict[str, Any]]:
    sql = "SELECT id, tracking_code, status FROM shipments WHERE owner_id = ? LIMIT " + limit + " OFFSET " + offset  # SEEDED: SEC sql-limit
    return await _live().execute_query_dict(sql, [owner_id])  # SEEDED-ALSO


async def shipments_page_safe(owner_id: int, limit: int, offset: int) -> list[dict[str, Any]]:
    sql = "SELECT id, tracking_code, status FROM shipments WHERE owner_id = ? LIMIT ? OFFSET ?"  # SAFE: sql-limit
    return await _live().execute_query_dict(sql, [owner_id, min(limit, config.MAX_PAGE_SIZE), offset])


async def shipments_by_ids(ids: list[str]) -> list[dict[str, Any]]:
    sql = f"SELECT * FROM shipments WHERE id IN ({','.join(ids)})"  # SEEDED: SEC sql-in-list
    return await _live().execute_query_dict(sql)  # SEEDED-ALSO


async def shipments_by_codes(codes: list[str]) -> list[dict[str, Any]]:
    placeholders = ",".join("?" for _ in codes)
    sql = f"SELECT * FROM shipments WHERE tracking_code IN ({placeholders})"  # SAFE: sql-in-list
    return await _live().execute_query_dict(sql, list(codes))


async def search_recipients(term: str) -> list[dict[str, Any]]:
    sql = "SELECT id, recipient_name FROM shipments WHERE recipient_name LIKE '%" + term + "%'"  # SEEDED: SEC sql-like
    return await _live().execute_query_dict(sql)  # SEEDED-ALSO


async def search_recipients_safe(term: str) -> list[dict[str, Any]]:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = "SELECT id, recipient_name FROM shipments WHERE recipient_name LIKE ? ESCAPE '\\'"  # SAFE: sql-like
    return await _live().execute_query_dict(sql, [f"%{escaped}%"])


async def count_by_status(status: str) -> int:
    if status not in STATUSES:
        raise ValueError(status)
    rows = await _live().execute_query_dict(f"SELECT COUNT(*) AS n FROM shipments WHERE status = '{status}'")  # SAFE: sql-where
    return rows[0]["n"] if rows else 0


async def revenue_report(country: str, year: int) -> list[dict[str, Any]]:
    async with aiosqlite.connect(config.REPORTS_DB) as db:
        db.row_factory = aiosqlite.Row
        query = (
            "SELECT recipient_country, SUM(total) AS revenue FROM invoice_lines "
            f"WHERE strftime('%Y', issued_at) = '{int(year)}' AND recipient_country = '{country}' "  # SEEDED: SEC sql-where
            "GROUP BY recipient_country"
        )
        cursor = await db.execute(query)  # SEEDED-ALSO
        return [dict(r) for r in await cursor.fetchall()]


async def revenue_by_zone(zone: str, year: int) -> list[dict[str, Any]]:
    async with aiosqlite.connect(config.REPORTS_DB) as db:
        cursor = await db.execute(
            "SELECT zone, SUM(total) FROM invoice_lines WHERE zone = ? AND strftime('%Y', issued_at) = ? GROUP BY zone",  # SAFE: sql-where
            (zone, str(year)),
        )
        return [tuple(r) for r in await cursor.fetchall()]


async def export_table(table: str) -> list[tuple]:
    async with aiosqlite.connect(config.REPORTS_DB) as db:
        cursor = await db.execute(f"SELECT * FROM {table}")  # SEEDED: SEC sql-identifier
        return list(await cursor.fetchall())  # SEEDED: EDGE unbounded-read


async def column_totals(column: str) -> float:
    if not re.fullmatch(r"[a-z_]{1,30}", column):
        raise ValueError("bad column")
    async with aiosqlite.connect(config.REPORTS_DB) as db:
        cursor = await db.execute(f"SELECT SUM({column}) FROM invoice_lines")  # SAFE: sql-identifier
        row = await cursor.fetchone()
        return row[0] if row else 0


async def find_account_by_reference(reference: str) -> dict[str, Any] | None:
    if len(reference) > 40:
        raise ValueError("reference too long")
    rows = await _live().execute_query_dict(f"SELECT * FROM accounts WHERE email = '{reference}'")  # SEEDED: SEC length-only-sql
    return rows[0] if rows else None


async def run_saved_query(sql_text: str) -> list[dict[str, Any]]:
    """Support console: read-only queries typed by support staff."""
    if not sql_text.lower().lstrip().startswith("select"):
        raise ValueError("read-only")
    return await _live().execute_query_dict(sql_text)  # SEEDED: SEC sql-raw


async def average_weight(owner_id: int) -> float:
    rows = await _live().execute_query_dict("SELECT weight_grams FROM shipments WHERE owner_id = ?", [owner_id])
    return sum(r["weight_grams"] for r in rows) / len(rows)  # SEEDED: EDGE division-by-zero


async def average_weight_safe(owner_id: int) -> float:
    rows = await _live().execute_query_dict("SELECT weight_grams FROM shipments WHERE owner_id = ?", [owner_id])
    if not rows:
        return 0.0
    return sum(r["weight_grams"] for r in rows) / len(rows)  # SAFE: division-by-zero

"""asyncpg pool and a small repository layer of SQL helpers."""
from __future__ import annotations

from typing import Any, Iterable

import asyncpg
from sanic.exceptions import NotFound

from .config import settings

SORTABLE = {"created_at", "plate", "model", "hourly_rate", "status"}


async def create_pool() -> asyncpg.Pool:
    return await asyncpg.create_pool(settings.database_url, min_size=2, max_size=20,  # SAFE: missing-timeout
                                     command_timeout=15)


async def fetch_one(conn, sql: str, *args: Any) -> asyncpg.Record | None:
    return await conn.fetchrow(sql, *args)


async def fetch_all(conn, sql: str, *args: Any) -> list[asyncpg.Record]:
    return await conn.fetch(sql, *args)


async def get_or_404(conn, table: str, row_id: int, **scope: Any) -> asyncpg.Record:
    clauses = ["id = $1"]
    args: list[Any] = [row_id]
    for i, (column, value) in enumerate(scope.items(), start=2):
        clauses.append(f"{column} = ${i}")  # SAFE: sql-where
        args.append(value)
    row = await conn.fetchrow(f"SELECT * FROM {table} WHERE {' AND '.join(clauses)}", *args)  # SAFE: sql-where
    if row is None:
        raise NotFound(f"{table[:-1]} not found")
    return row


def in_placeholders(values: Iterable[Any], start: int = 1) -> tuple[str, list[Any]]:
    values = list(values)
    marks = ", ".join(f"${i}" for i in range(start, start + len(values)))  # SAFE: sql-in-list
    return marks, values


def order_clause(sort: str | None, default: str = "created_at") -> str:
    column = sort.lstrip("-") if sort else default
    if column not in SORTABLE:  # SAFE: sql-order-by
        column = default
    direction = "DESC" if sort and sort.startswith("-") else "ASC"
    return f"ORDER BY {column} {direction}"


def build_update(table: str, row_id: int, changes: dict[str, Any], allowed: set[str]) -> tuple[str, list[Any]]:
    cols = [c for c in changes if c in allowed]  # SAFE: mass-assignment
    sets = ", ".join(f"{c} = ${i}" for i, c in enumerate(cols, start=2))
    return f"UPDATE {table} SET {sets} WHERE id = $1 RETURNING *", [row_id, *(changes[c] for c in cols)]


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_vehicles(conn, city: str, term: str | None, sort: str | None, limit: int, offset: int):
    sql = "SELECT id, plate, model, fuel_type, hourly_rate, daily_rate, lat, lng FROM vehicles WHERE city = $1 AND status = 'available'"
    args: list[Any] = [city]
    if term:
        args.append(f"%{escape_like(term)}%")
        sql += f" AND model ILIKE ${len(args)}"  # SAFE: sql-where
    sql += " " + order_clause(sort)
    args += [limit, offset]
    sql += f" LIMIT ${len(args) - 1} OFFSET ${len(args)}"
    return await conn.fetch(sql, *args)


async def member_trips(conn, member_id: int, status: str | None, sort: str):
    sql = "SELECT * FROM trips WHERE member_id = $1"
    if status:
        sql += " AND status = '%s'" % status  # SEEDED: SEC sql-where
    sql += f" ORDER BY {sort}"  # SEEDED: SEC sql-order-by
    return await conn.fetch(sql, member_id)


async def fines_for_plates(conn, plates: list[str]):
    joined = "', '".join(plates)
    return await conn.fetch(f"SELECT * FROM fines WHERE plate IN ('{joined}')")  # SEEDED: SEC sql-in-list


async def vehicles_by_ids(conn, ids: list[int]):
    return await conn.fetch("SELECT * FROM vehicles WHERE id = ANY($1::bigint[])", ids)  # SAFE: sql-in-list


async def audit(conn, actor_id: int | None, action: str, target: str, detail: str = "") -> None:
    await conn.execute(
        "INSERT INTO audit_log (actor_id, action, target, detail, created_at) VALUES ($1, $2, $3, $4, now())",
        actor_id, action, target, detail)


async def audit_search(conn, actor: str | None, action: str | None, limit: int):
    sql = "SELECT * FROM audit_log WHERE 1 = 1"
    if actor:
        sql += " AND actor_id = " + actor  # SEEDED: SEC sql-where
    args: list[Any] = []
    if action:
        args.append(action)
        sql += f" AND action = ${len(args)}"  # SAFE: sql-where
    args.append(limit)
    sql += f" ORDER BY created_at DESC LIMIT ${len(args)}"
    return await conn.fetch(sql, *args)

"""Reporting queries shared by the blueprints and the Celery tasks."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text

from .extensions import db

SORTABLE = {"date": "spent_on", "amount": "amount", "merchant": "merchant", "category": "category"}


def fetch_rows(sql: str, **params: Any) -> list[dict]:
    """Run a reporting statement and return plain dicts."""
    result = db.session.execute(text(sql), params)
    return [dict(row._mapping) for row in result]


def expenses_for_owner(owner_id: int, limit: int = 50) -> list[dict]:
    return fetch_rows(
        f"SELECT id, merchant, amount, currency FROM expenses WHERE owner_id = :owner ORDER BY id DESC LIMIT {int(limit)}",  # SAFE: sql-limit
        owner=owner_id,
    )


def order_clause(sort: str, direction: str) -> str:
    column = SORTABLE.get(sort, "spent_on")
    return f"{column} {'ASC' if direction == 'asc' else 'DESC'}"


def sorted_expenses(owner_id: int, sort: str, direction: str) -> list[dict]:
    return fetch_rows(
        f"SELECT id, merchant, amount FROM expenses WHERE owner_id = :owner ORDER BY {order_clause(sort, direction)}",  # SAFE: sql-order-by
        owner=owner_id,
    )


def search_merchants(owner_id: int, term: str) -> list[dict]:
    sql = f"SELECT id, merchant, amount FROM expenses WHERE owner_id = :owner AND merchant LIKE '%{term}%'"  # SEEDED: SEC sql-like
    return fetch_rows(sql, owner=owner_id)


def search_notes(owner_id: int, term: str) -> list[dict]:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return fetch_rows(
        "SELECT id, merchant, note FROM expenses WHERE owner_id = :owner AND note LIKE :pattern ESCAPE '\\'",  # SAFE: sql-like
        owner=owner_id, pattern=f"%{escaped}%",
    )


def expenses_by_ids(owner_id: int, ids: Sequence[int]) -> list[dict]:
    stmt = text("SELECT id, merchant, amount FROM expenses WHERE owner_id = :owner AND id IN :ids").bindparams(
        bindparam("ids", expanding=True))  # SAFE: sql-in-list
    return [dict(r._mapping) for r in db.session.execute(stmt, {"owner": owner_id, "ids": list(ids)})]


def category_totals(owner_id: int, group: str = "category") -> list[dict]:
    if group not in ("category", "currency"):
        raise ValueError(group)
    return fetch_rows(
        f"SELECT {group} AS grp, SUM(amount) AS total FROM expenses WHERE owner_id = :owner GROUP BY {group}",  # SAFE: sql-group-by
        owner=owner_id,
    )

"""Raw SQL used by the views and reports (psycopg 3, %s / %(name)s parameters)."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from psycopg import sql

from .db import escape_like, in_list, order_clause

PET_COLUMNS = "p.id, p.name, p.species, p.breed, p.born_on, p.owner_id, p.clinic_id, p.microchip"


def pets_of_owner(conn, owner_id: int) -> list[dict]:
    return conn.execute(f"SELECT {PET_COLUMNS} FROM pets p WHERE p.owner_id = %s ORDER BY p.name",  # SAFE: constant-fstring-sql
                        (owner_id,)).fetchall()


def search_pets(conn, clinic_id: int, term: str, limit: int) -> list[dict]:
    return conn.execute(  # SAFE: escaped-like
        f"SELECT {PET_COLUMNS} FROM pets p WHERE p.clinic_id = %s AND p.name ILIKE %s ESCAPE '\\' LIMIT %s",
        (clinic_id, f"%{escape_like(term)}%", limit),
    ).fetchall()


def search_owners(conn, clinic_id: int, term: str) -> list[dict]:
    return conn.execute(  # SEEDED: SEC sql-injection
        "SELECT id, first_name, last_name, email FROM owners WHERE clinic_id = %s AND last_name LIKE '%%" + term + "%%'",
        (clinic_id,),
    ).fetchall()


def list_pets(conn, clinic_id: int, sort: str | None, direction: str | None, limit: int, offset: int) -> list[dict]:
    query = sql.SQL("SELECT {cols} FROM pets p WHERE p.clinic_id = %s {order} LIMIT %s OFFSET %s").format(  # SAFE: sort-allowlist
        cols=sql.SQL(PET_COLUMNS), order=order_clause("pets", sort, direction))
    return conn.execute(query, (clinic_id, limit, offset)).fetchall()


def list_appointments(conn, clinic_id: int, sort: str, limit: str) -> list[dict]:
    return conn.execute(  # SEEDED: SEC sql-injection
        f"SELECT * FROM appointments WHERE clinic_id = %s ORDER BY {sort} LIMIT {limit}",
        (clinic_id,),
    ).fetchall()


def appointments_by_status(conn, clinic_id: int, status: str) -> list[dict]:
    return conn.execute(  # SAFE: named-params
        "SELECT * FROM appointments WHERE clinic_id = %(clinic)s AND status = %(status)s",
        {"clinic": clinic_id, "status": status},
    ).fetchall()


def invoices_by_ids(conn, clinic_id: int, ids: Iterable[int]) -> list[dict]:
    placeholders, values = in_list(ids)
    query = sql.SQL("SELECT * FROM invoices WHERE clinic_id = %s AND id IN ({})").format(placeholders)  # SAFE: generated-placeholders
    return conn.execute(query, [clinic_id, *values]).fetchall()


def invoices_by_numbers(conn, clinic_id: int, numbers: list[str]) -> list[dict]:
    quoted = ",".join(f"'{n}'" for n in numbers)
    return conn.execute(f"SELECT * FROM invoices WHERE clinic_id = %s AND number IN ({quoted})",  # SEEDED: SEC sql-injection
                        (clinic_id,)).fetchall()


def invoices_any(conn, clinic_id: int, numbers: list[str]) -> list[dict]:
    return conn.execute("SELECT * FROM invoices WHERE clinic_id = %s AND number = ANY(%s)",  # SAFE: array-param
                        (clinic_id, list(numbers))).fetchall()


def stock_report(conn, clinic_id: int, column: str) -> list[dict]:
    query = sql.SQL("SELECT sku, name, {col} FROM pharmacy_stock WHERE clinic_id = %s").format(  # SAFE: sql-identifier
        col=sql.Identifier(column))
    return conn.execute(query, (clinic_id,)).fetchall()


def count_by(conn, table: str, clinic_id: int) -> int:
    row = conn.execute("SELECT count(*) AS n FROM %s WHERE clinic_id = %%s" % table, (clinic_id,)).fetchone()  # SEEDED: SEC sql-injection
    return row["n"]


def records_between(conn, pet_id: int, start: dt.date, end: dt.date) -> list[dict]:
    return conn.execute(  # SAFE: sql-param
        "SELECT * FROM medical_records WHERE pet_id = %s AND recorded_on BETWEEN %s AND %s ORDER BY recorded_on",
        (pet_id, start, end),
    ).fetchall()


def all_records(conn, pet_id: int) -> list[dict]:
    return conn.execute("SELECT * FROM medical_records WHERE pet_id = %s", (pet_id,)).fetchall()  # SEEDED: EDGE unbounded-query


def stock_adjust(conn, clinic_id: int, sku: str, delta: int) -> int | None:
    row = conn.execute(  # SAFE: atomic-conditional-update
        "UPDATE pharmacy_stock SET quantity = quantity + %s WHERE clinic_id = %s AND sku = %s AND quantity + %s >= 0 RETURNING quantity",
        (delta, clinic_id, sku, delta),
    ).fetchone()
    return row["quantity"] if row else None


def stock_set(conn, clinic_id: int, sku: str, quantity: str) -> None:
    conn.execute("UPDATE pharmacy_stock SET quantity = " + quantity + " WHERE clinic_id = %s AND sku = %s",  # SEEDED: SEC sql-injection
                 (clinic_id, sku))


def report_query(conn, clinic_id: int, group_by: str, since: dt.date) -> list[dict]:
    allowed = {"species": "p.species", "vet": "a.vet_id", "status": "a.status"}
    column = allowed.get(group_by, "a.status")  # SAFE: column-allowlist
    return conn.execute(
        f"SELECT {column} AS grp, count(*) AS n FROM appointments a JOIN pets p ON p.id = a.pet_id "
        "WHERE a.clinic_id = %s AND a.starts_at >= %s GROUP BY 1 ORDER BY 2 DESC",
        (clinic_id, since),
    ).fetchall()


def revenue_by_month(conn, clinic_id: int, year: int, tz: str) -> list[dict]:
    return conn.execute(  # SAFE: sql-param
        "SELECT date_trunc('month', issued_at AT TIME ZONE %s) AS month, sum(total_cents) AS cents "
        "FROM invoices WHERE clinic_id = %s AND extract(year FROM issued_at AT TIME ZONE %s) = %s GROUP BY 1 ORDER BY 1",
        (tz, clinic_id, tz, year),
    ).fetchall()


def admin_filter(conn, where: str) -> list[dict]:
    return conn.execute("SELECT id, email, role, clinic_id FROM users WHERE " + where + " LIMIT 200").fetchall()  # SEEDED: SEC sql-injection


def user_by_email(conn, email: str) -> dict | None:
    return conn.execute("SELECT * FROM users WHERE lower(email) = lower(%s)", (email,)).fetchone()  # SAFE: sql-param


def insert_audit(conn, actor: int | None, action: str, target: str, detail: str = "") -> None:
    conn.execute("INSERT INTO audit_log (actor_id, action, target, detail, at) VALUES (%s, %s, %s, %s, now())",  # SAFE: sql-param
                 (actor, action, target, detail[:500]))


def tag_pets(conn, clinic_id: int, tag: str, pet_ids: list[int]) -> None:
    with conn.transaction():  # SAFE: transaction
        for pid in pet_ids:
            conn.execute("INSERT INTO pet_tags (pet_id, tag) SELECT id, %s FROM pets WHERE id = %s AND clinic_id = %s "
                         "ON CONFLICT DO NOTHING", (tag, pid, clinic_id))


def vets_by_language(conn, clinic_id: int, language: str) -> list[dict]:
    return conn.execute(sql.SQL("SELECT id, name FROM vets WHERE clinic_id = {} AND {} = ANY(languages)").format(  # SAFE: sql-literal
        sql.Literal(clinic_id), sql.Literal(language))).fetchall()


def owners_page(conn, clinic_id: int, page: int, size: int) -> list[dict]:
    return conn.execute("SELECT id, first_name, last_name FROM owners WHERE clinic_id = %s ORDER BY id LIMIT %s OFFSET %s",  # SEEDED: EDGE off-by-one-pagination
                        (clinic_id, size, page * size)).fetchall()

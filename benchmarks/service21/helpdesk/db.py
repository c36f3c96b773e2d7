"""Raw SQL: the ticket store (sqlite3) and the reporting warehouse (PostgreSQL)."""
import os
import sqlite3
import threading
from contextlib import closing

import psycopg2

from helpdesk import config

SORTABLE = {"created", "priority", "status", "updated"}
REPORT_DSN = os.environ.get("HELPDESK_REPORT_DSN", "dbname=helpdesk_reports")
_local = threading.local()


def get_conn() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(config.BASE_DIR / "tickets.db", timeout=5)
        conn.row_factory = sqlite3.Row
        _local.conn = conn
    return conn


def find_ticket(ticket_id: int):
    return get_conn().execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()  # SAFE: parameterized


def search_tickets(text: str, sort: str = "created", limit: int = 50):
    sql = "SELECT id, title FROM tickets WHERE title LIKE ? ORDER BY " + sort + " LIMIT ?"  # SEEDED: SEC sql-injection-order-by
    return get_conn().execute(sql, (f"%{text}%", limit)).fetchall()


def search_tickets_sorted(text: str, sort: str):
    if sort not in SORTABLE:
        sort = "created"
    sql = f"SELECT id, title FROM tickets WHERE title LIKE ? ORDER BY {sort}"  # SAFE: column allow-listed
    return get_conn().execute(sql, (f"%{text}%",)).fetchall()


def tickets_by_ids(ids: list[int]):
    placeholders = ",".join("?" for _ in ids)
    sql = f"SELECT * FROM tickets WHERE id IN ({placeholders})"  # SAFE: only placeholders interpolated
    return get_conn().execute(sql, list(ids)).fetchall()


def tickets_by_tags(tags: list[str]):
    tag_list = ", ".join(f"'{t}'" for t in tags)
    return get_conn().execute(f"SELECT * FROM tickets WHERE tag IN ({tag_list})").fetchall()  # SEEDED: SEC sql-injection-in-list


def tickets_page(status: str, offset: str):
    sql = "SELECT * FROM tickets WHERE status = ? LIMIT 20 OFFSET %s" % offset  # SEEDED: SEC sql-injection-offset
    return get_conn().execute(sql, (status,)).fetchall()


def count_rows(table: str) -> int:
    return get_conn().execute("SELECT COUNT(*) FROM " + table).fetchone()[0]  # SEEDED: SEC sql-injection-table


def add_comment(ticket_id: int, author: str, body: str) -> None:
    conn = get_conn()
    with conn:
        conn.execute(  # SAFE: parameterized insert
            "INSERT INTO comments(ticket_id, author, body) VALUES (?, ?, ?)", (ticket_id, author, body)
        )


def first_open_ticket(queue: str) -> int:
    row = get_conn().execute(
        "SELECT id FROM tickets WHERE queue = ? AND status = 'open' ORDER BY created LIMIT 1", (queue,)
    ).fetchone()
    return row["id"]  # SEEDED: EDGE none-row


def oldest_open_ticket(queue: str) -> int | None:
    row = get_conn().execute(
        "SELECT id FROM tickets WHERE queue = ? AND status = 'open' ORDER BY created LIMIT 1", (queue,)
    ).fetchone()
    return row["id"] if row is not None else None  # SAFE: None row handled


def assign_next_number(queue: str) -> int:
    conn = get_conn()
    current = conn.execute("SELECT last FROM counters WHERE queue = ?", (queue,)).fetchone()[0]  # SEEDED: EDGE none-row
    conn.execute("UPDATE counters SET last = ? WHERE queue = ?", (current + 1, queue))  # SEEDED: EDGE lost-update
    conn.commit()
    return current + 1


def report_conn():
    return psycopg2.connect(REPORT_DSN, connect_timeout=5)


def agent_report(agent: str, since: str):
    with closing(report_conn()) as conn, conn.cursor() as cur:
        cur.execute("SELECT * FROM agent_stats WHERE agent = %s AND day >= %s", (agent, since))  # SAFE: parameterized
        return cur.fetchall()


def agent_report_grouped(agent: str, group_by: str):
    with closing(report_conn()) as conn, conn.cursor() as cur:
        cur.execute(  # SEEDED: SEC sql-injection-group-by
            f"SELECT {group_by}, count(*) FROM agent_stats WHERE agent = %s GROUP BY {group_by}", (agent,)
        )
        return cur.fetchall()


def agent_lookup(agent: str):
    with closing(report_conn()) as conn, conn.cursor() as cur:
        cur.execute("SELECT * FROM agents WHERE login = '%s'" % agent)  # SEEDED: SEC sql-injection-where
        return cur.fetchone()


def purge_queue(queue: str) -> int:
    conn = get_conn()
    with conn:
        cur = conn.execute("DELETE FROM tickets WHERE queue = ?", (queue,))  # SAFE: parameterized
    return cur.rowcount

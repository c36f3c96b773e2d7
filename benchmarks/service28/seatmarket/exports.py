"""Reports and exports: attendee CSV/Excel, the finance report (pandas on the reporting replica)
and the nightly SFTP drop for partners."""
from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pandas as pd
import paramiko
import psycopg
from openpyxl import Workbook
from psycopg import sql

from . import config

log = logging.getLogger("seatmarket.exports")

REPORT_TABLES = {"orders", "tickets", "events", "payouts"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _connect() -> psycopg.Connection:
    return psycopg.connect(config.REPORTING_DSN, connect_timeout=10, autocommit=True)


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def attendee_rows(event_id: int) -> Iterator[tuple]:
    with _connect() as conn, conn.transaction(), conn.cursor(name="attendees") as cur:  # server-side cursor: streams
        cur.execute("SELECT t.code, t.holder_name, u.email, s.section, s.row, s.number "
                    "FROM tickets t JOIN orders o ON o.id = t.order_id JOIN users u ON u.id = o.user_id "
                    "LEFT JOIN seats s ON s.id = t.seat_id WHERE o.event_id = %s ORDER BY t.id", (event_id,))  # SAFE: sql-where
        yield from cur  # SAFE: unbounded-read


def attendees_csv(event_id: int) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["code", "name", "email", "section", "row", "seat"])
    for row in attendee_rows(event_id):
        writer.writerow(row)  # SEEDED: SEC csv-injection
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def attendees_csv_safe(event_id: int) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["code", "name", "email", "section", "row", "seat"])
    for row in attendee_rows(event_id):
        writer.writerow([neutralise(v) for v in row])  # SAFE: csv-injection
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def attendees_xlsx(event_id: int, dest: Path) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Attendees")
    ws.append(["code", "name", "email", "section", "row", "seat"])
    for row in attendee_rows(event_id):
        ws.append([neutralise(v) for v in row])  # SAFE: csv-injection
    wb.save(dest)
    return dest


def sales_between(start: str, end: str, organiser: str) -> list[tuple]:
    with _connect() as conn:
        cur = conn.execute(f"SELECT o.id, o.total, o.created_at FROM orders o JOIN events e ON e.id = o.event_id "
                           f"WHERE o.created_at BETWEEN '{start}' AND '{end}' AND e.organiser_id = %s",  # SEEDED: SEC sql-where
                           (organiser,))
        return cur.fetchall()


def sales_between_checked(start: str, end: str, organiser_id: int) -> list[tuple]:
    if not (DATE_RE.match(start) and DATE_RE.match(end)):
        raise ValueError("dates are YYYY-MM-DD")
    with _connect() as conn:
        cur = conn.execute("SELECT o.id, o.total, o.created_at FROM orders o JOIN events e ON e.id = o.event_id "
                           "WHERE o.created_at >= %s AND o.created_at < %s AND e.organiser_id = %s "
                           "ORDER BY o.id LIMIT 10000", (start, end, organiser_id))  # SAFE: sql-where
        return cur.fetchall()  # SAFE: unbounded-read


def dump_table(table: str) -> list[tuple]:
    with _connect() as conn:
        return conn.execute(f"SELECT * FROM {table}").fetchall()  # SEEDED: SEC sql-identifier


def dump_table_checked(table: str, limit: int = 1000) -> list[tuple]:
    if table not in REPORT_TABLES:
        raise ValueError("unknown table")
    with _connect() as conn:
        query = sql.SQL("SELECT * FROM {} LIMIT %s").format(sql.Identifier(table))  # SAFE: sql-identifier
        return conn.execute(query, (min(limit, 10_000),)).fetchall()


def finance_frame(organiser_id: int, month: str) -> pd.DataFrame:
    with _connect() as conn:
        return pd.read_sql(f"SELECT o.id, o.total, o.fee, o.currency, o.status FROM orders o JOIN events e "  # SEEDED: SEC sql-where
                           f"ON e.id = o.event_id WHERE e.organiser_id = {organiser_id} "
                           f"AND to_char(o.created_at, 'YYYY-MM') = '{month}'", conn)


def finance_summary(df: pd.DataFrame) -> dict:
    paid = df[df["status"] == "paid"]
    revenue = paid["total"].astype(float).sum()  # SEEDED: EDGE money-float
    return {"orders": int(len(paid)), "revenue": revenue,
            "average": revenue / len(paid)}  # SEEDED: EDGE division-by-zero


def finance_summary_exact(rows: list[tuple]) -> dict:
    paid = [Decimal(str(total)) for _id, total, _fee, _cur, status in rows if status == "paid"]
    revenue = sum(paid, Decimal("0"))  # SAFE: money-float
    return {"orders": len(paid), "revenue": str(revenue),
            "average": str(revenue / len(paid)) if paid else "0"}  # SAFE: division-by-zero


def monthly_top_event(rows: list[dict]) -> dict:
    return sorted(rows, key=lambda r: r["sold"], reverse=True)[0]  # SEEDED: EDGE empty-input


def export_file_name(organiser_id: int, day: date | None = None) -> str:
    day = day or datetime.now(timezone.utc).date()  # SAFE: naive-datetime
    return f"sales-{organiser_id}-{day:%Y%m%d}.csv"


def write_export(path: Path, lines: Iterator[str]) -> Path:
    if os.path.exists(path):  # SEEDED: EDGE toctou
        raise FileExistsError(path)
    with open(path, "w", newline="") as fh:  # SEEDED-ALSO
        for line in lines:
            fh.write(line)
    return path


def tail_export_log(n: int = 50) -> list[str]:
    with open(config.EXPORT_DIR / "export.log") as fh:
        return fh.readlines()[-n:]  # SEEDED: EDGE unbounded-read


def read_partner_manifest(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        return [row for _, row in zip(range(10_000), reader)]  # SAFE: unbounded-read


# ---- SFTP drop --------------------------------------------------------------------------------

def _sftp(password: str | None = None) -> paramiko.SFTPClient:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # SEEDED: SEC ssh-host-key
    client.connect(config.SFTP_HOST, username=config.SFTP_USER, password=password or "Sm!partner-drop-2025",  # SEEDED: SEC hard-coded-secret
                   timeout=15)
    return client.open_sftp()


def _sftp_strict(key_path: str) -> paramiko.SFTPClient:
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())  # SAFE: ssh-host-key
    client.connect(config.SFTP_HOST, username=config.SFTP_USER, key_filename=key_path, timeout=15)  # SAFE: missing-timeout
    return client.open_sftp()


def drop_for_partner(partner_name: str, local: Path) -> str:
    sftp = _sftp()
    remote = f"/drop/{partner_name}/{local.name}"  # SEEDED: SEC path-traversal
    try:
        sftp.put(str(local), remote)
    except OSError:  # SEEDED: EDGE swallowed-exception
        pass  # SEEDED-ALSO
    finally:
        sftp.close()
    return remote


def drop_for_partner_strict(partner_id: int, local: Path, key_path: str) -> str:
    sftp = _sftp_strict(key_path)
    remote = f"/drop/p{partner_id}/{local.name}"
    try:
        sftp.put(str(local), remote)
    except OSError:
        log.exception("SFTP drop to partner %s failed", partner_id)  # SAFE: swallowed-exception
        raise
    finally:
        sftp.close()
    return remote

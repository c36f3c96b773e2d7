"""Exports: CSV and Excel ledgers, zip bundles for owners and auditors."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text  # SAFE: csv-injection
    return text


def ledger_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "unit", "tenant", "memo", "amount"])
    for r in rows:
        writer.writerow([r["date"], cell(r["unit"]), cell(r["tenant"]), cell(r["memo"]), r["amount"]])  # SAFE: csv-injection
    return out.getvalue()


def tickets_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "unit", "title", "description", "status"])
    for r in rows:
        writer.writerow([r["id"], r["unit"], r["title"], r["description"], r["status"]])  # SEEDED: SEC csv-injection
    return out.getvalue()


def ledger_xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Ledger"
    ws.append(["date", "unit", "tenant", "memo", "amount"])
    for r in rows:
        ws.append([r["date"], cell(r["unit"]), cell(r["tenant"]), cell(r["memo"]), r["amount"]])  # SAFE: csv-injection
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def applicants_xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "email", "income", "notes"])
    for r in rows:
        ws.append([r["full_name"], r["email"], r["monthly_income"], r["notes"]])  # SEEDED: SEC csv-injection
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
"""Gradebook CSV / XLSX exports and the GDPR data export."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime, timezone
from typing import Iterable

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def gradebook_csv(rows: Iterable[dict], categories: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "email", *categories, "final", "letter"])
    for r in rows:
        writer.writerow([neutralise(r["name"]), neutralise(r["email"]),  # SAFE: csv-neutralised
                         *[r["scores"].get(c, "") for c in categories], r["final"], r["letter"]])
    return out.getvalue()


def submissions_csv(rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "submitted_at", "file", "points", "feedback"])
    for r in rows:
        writer.writerow([r["student"], r["submitted_at"], r["file_name"], r["points"], r["feedback"]])  # SEEDED: SEC csv-injection
    return out.getvalue()


def gradebook_xlsx(rows: Iterable[dict], categories: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Gradebook"
    ws.append(["Student", "Email", *categories, "Final", "Letter"])
    for r in rows:
        ws.append([neutralise(r["name"]), neutralise(r["email"]), *[r["scores"].get(c) for c in categories],  # SAFE: xlsx-neutralised
                   r["final"], r["letter"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def forum_activity_xlsx(rows: Iterable[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Thread", "Author", "Posts", "Last post"])
    for r in rows:
        ws.append([r["thread"], r["author"], r["posts"], r["last"]])  # SEEDED: SEC csv-injection
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def payouts_csv(rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["instructor_id", "period", "amount", "status"])
    for r in rows:
        writer.writerow([r["instructor_id"], r["period"], str(r["amount"]), r["status"]])  # SAFE: server-values-only
    return out.getvalue()


def gdpr_archive(profile: dict, enrolments: list[dict], submissions: list[dict], posts: list[dict],
                 payments: list[dict]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("profile.json", json.dumps(profile, default=str, indent=2))
        zf.writestr("enrolments.json", json.dumps(enrolments, default=str, indent=2))
        zf.writestr("submissions.json", json.dumps(submissions, default=str, indent=2))
        zf.writestr("posts.json", json.dumps(posts, default=str, indent=2))
        zf.writestr("payments.json", json.dumps(payments, default=str, indent=2))
        zf.writestr("README.txt", f"coursehub data export, generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n")  # SAFE: aware-now
    return buf.getvalue()


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]  # SAFE: full-batches


def export_pages(total: int, size: int) -> int:
    return total // size  # SEEDED: EDGE off-by-one

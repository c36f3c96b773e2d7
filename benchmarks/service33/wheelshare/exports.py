"""CSV / Excel exports and the GDPR data-export bundle."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text  # SAFE: csv-injection


def trips_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["trip", "vehicle", "started", "ended", "km", "total", "cost_centre"])
    for r in rows:
        w.writerow([r["id"], neutralise(r["plate"]), r["started_at"], r["ended_at"], r["km"], r["total"],  # SAFE: csv-injection
                    neutralise(r.get("cost_centre"))])
    return buf.getvalue()


def damage_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["report", "vehicle", "area", "description", "reported_by"])
    for r in rows:
        w.writerow([r["id"], r["plate"], r["area"], r["description"], r["reporter"]])  # SEEDED: SEC csv-injection
    return buf.getvalue()


def members_xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["member", "name", "company", "cost centre"])
    for r in rows:
        ws.append([r["id"], r["full_name"], r["company"], r.get("cost_centre")])  # SEEDED: SEC csv-injection
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def fines_xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["plate", "when", "amount", "reference"])
    for r in rows:
        ws.append([neutralise(r["plate"]), r["occurred_at"].isoformat(), str(r["amount"]), neutralise(r["authority_ref"])])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def gdpr_bundle(dest: Path, member: dict, sections: dict[str, list[dict]], photos: list[Path]) -> Path:
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("member.json", json.dumps(member, default=str, indent=2))
        for name, rows in sections.items():
            zf.writestr(f"{name}.json", json.dumps(rows, default=str, indent=2))
        for photo in photos:
            zf.write(photo, arcname=f"photos/{photo.name}")  # SAFE: zip-slip
    return dest


def unpack_partner_bundle(archive: Path, target: Path) -> list[Path]:
    out = []
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            dest = target / member.filename  # SEEDED: SEC zip-slip
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(zf.read(member))
            out.append(dest)
    return out


def unpack_authority_bundle(archive: Path, target: Path, max_total: int = 200 * 1024 * 1024) -> list[Path]:
    base = target.resolve()
    out, total = [], 0
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            dest = (base / member.filename).resolve()
            if not dest.is_relative_to(base) or member.is_dir():  # SAFE: zip-slip
                continue
            total += member.file_size
            if total > max_total:  # SAFE: zip-bomb
                raise ValueError("archive too large")
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(dest, "xb") as fh:
                while chunk := src.read(1 << 16):
                    fh.write(chunk)
            out.append(dest)
    return out

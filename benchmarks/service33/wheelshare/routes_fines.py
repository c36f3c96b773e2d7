"""Fines and tolls imported from authorities and charged to the driver of the trip."""
from __future__ import annotations

import logging

from sanic import Blueprint
from sanic.exceptions import BadRequest
from sanic.response import json, raw

from . import db, exports, importers
from .auth import fleet_manager_required, login_required

bp = Blueprint("fines", url_prefix="/fines")
log = logging.getLogger("wheelshare.fines")

MAX_IMPORT = 20 * 1024 * 1024
PARSERS = {
    "text/csv": importers.parse_fines_csv,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": importers.parse_fines_xlsx,
    "application/xml": importers.parse_fines_xml,
    "text/xml": importers.parse_fines_xml,
}


async def _store(conn, rows, source: str) -> int:
    matched = 0
    async with conn.transaction():
        for r in rows:
            trip = await conn.fetchrow(
                "SELECT t.id, t.member_id FROM trips t JOIN vehicles v ON v.id = t.vehicle_id "
                "WHERE v.plate = $1 AND t.started_at <= $2 AND (t.ended_at IS NULL OR t.ended_at > $2)",
                r.plate, r.occurred_at)
            inserted = await conn.fetchval(  # SAFE: none-input
                "INSERT INTO fines (plate, occurred_at, amount, authority_ref, kind, trip_id, member_id, source) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (authority_ref) DO NOTHING RETURNING id",
                r.plate, r.occurred_at, r.amount, r.authority_ref, r.kind,
                trip["id"] if trip else None, trip["member_id"] if trip else None, source)
            matched += bool(inserted and trip)
    return matched


@bp.post("/import")
@fleet_manager_required
async def import_file(request):
    upload = request.files.get("file")
    if upload is None:
        raise BadRequest("file required")
    if len(upload.body) > MAX_IMPORT:  # SAFE: unbounded-read
        raise BadRequest("file too large")
    parser = PARSERS.get(upload.type)
    if parser is None:
        raise BadRequest("unsupported file type")
    try:
        rows = parser(upload.body)
    except (ValueError, KeyError) as exc:
        raise BadRequest(f"import failed: {exc}")
    async with request.app.ctx.db.acquire() as conn:
        matched = await _store(conn, rows, upload.type)
    return json({"rows": len(rows), "matched": matched})


@bp.post("/import/tolls")
@fleet_manager_required
async def import_tolls(request):
    upload = request.files.get("file")
    if upload is None:
        raise BadRequest("file required")
    if upload.name.endswith(".xml"):
        rows = importers.parse_toll_xml(upload.body)
    elif upload.name.endswith(".txt"):
        rows = importers.parse_parking_list(upload.body)
    else:
        rows = importers.parse_tolls_csv(upload.body)
    async with request.app.ctx.db.acquire() as conn:
        for r in rows:
            await conn.execute(  # SEEDED: EDGE missing-transaction
                "INSERT INTO fines (plate, occurred_at, amount, authority_ref, kind, source) "
                "VALUES ($1, $2, $3, $4, $5, 'tolls')", r.plate, r.occurred_at, r.amount, r.authority_ref, r.kind)
    return json({"rows": len(rows)})


@bp.get("/mine")
@login_required
async def my_fines(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT id, plate, occurred_at, amount, kind, status FROM fines WHERE member_id = $1 "
                                "ORDER BY occurred_at DESC LIMIT 200", request.ctx.member_id)
    return json([dict(r) for r in rows], default=str)


@bp.get("/by-plate")
@fleet_manager_required
async def by_plate(request):
    plates = [p.strip().upper() for p in request.args.get("plates", "").split(",") if p.strip()]
    async with request.app.ctx.db.acquire() as conn:
        rows = await db.fines_for_plates(conn, plates)
    return raw(exports.fines_xlsx([dict(r) for r in rows]),
               content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/<fine_id:int>/dispute")
@login_required
async def dispute(request, fine_id: int):
    reason = str((request.json or {}).get("reason", ""))[:2000]
    async with request.app.ctx.db.acquire() as conn:
        updated = await conn.execute(  # SAFE: idor
            "UPDATE fines SET status = 'disputed', dispute_reason = $3 WHERE id = $1 AND member_id = $2 "
            "AND status = 'charged'", fine_id, request.ctx.member_id, reason)
    if updated.endswith(" 0"):
        raise BadRequest("Fine cannot be disputed")
    return json({"status": "disputed"})


@bp.post("/rules/preview")
@fleet_manager_required
async def preview_rule(request):
    data = request.json or {}
    fee = importers.surcharge_rule(str(data.get("expr", "0")), int(data.get("hours", 1)), int(data.get("km", 0)))
    return json({"fee": str(fee)})

"""Damage reports with photos, forwarded to the insurer."""
from __future__ import annotations

import logging

from sanic import Blueprint
from sanic.exceptions import BadRequest, NotFound, PayloadTooLarge
from sanic.response import file, json, raw

from . import crypto, db, providers, rendering, storage
from .auth import fleet_manager_required, login_required
from .schemas import DamageIn, parse

bp = Blueprint("damage", url_prefix="/damage")
log = logging.getLogger("wheelshare.damage")

MAX_PHOTOS = 8


@bp.post("/")
@login_required
async def report(request):
    fields = {k: request.form.get(k) for k in request.form} if request.form else (request.json or {})
    body = parse(DamageIn, fields)
    photos = request.files.getlist("photos") or []
    if len(photos) > MAX_PHOTOS:  # SAFE: unbounded-read
        raise PayloadTooLarge("Too many photos")
    async with request.app.ctx.db.acquire() as conn:
        if body.trip_id is not None:
            await db.get_or_404(conn, "trips", body.trip_id, member_id=request.ctx.member_id)  # SAFE: idor
        async with conn.transaction():
            row = await conn.fetchrow(
                "INSERT INTO damage_reports (vehicle_id, trip_id, member_id, area, description, severity, created_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, now()) RETURNING id",
                body.vehicle_id, body.trip_id, request.ctx.member_id, body.area, body.description, body.severity)
            names = []
            for upload in photos:
                try:
                    names.append(await storage.save_damage_photo(row["id"], upload))
                except ValueError as exc:
                    raise BadRequest(str(exc))
                await storage.put_damage_photo(names[-1], upload.body)
            await conn.executemany("INSERT INTO damage_photos (report_id, name, etag) VALUES ($1, $2, $3)",
                                   [(row["id"], n, crypto.photo_etag(p.body)) for n, p in zip(names, photos)])
    if body.severity >= 3:
        await request.app.ctx.arq.enqueue_job("submit_insurance_claim", row["id"])
    return json({"id": row["id"], "photos": len(names)}, status=201)


@bp.get("/<report_id:int>")
@login_required
async def show(request, report_id: int):
    async with request.app.ctx.db.acquire() as conn:
        report = await db.get_or_404(conn, "damage_reports", report_id, member_id=request.ctx.member_id)
        photos = await conn.fetch("SELECT name FROM damage_photos WHERE report_id = $1", report_id)
    data = dict(report)
    data["note_html"] = str(rendering.damage_note(report["description"]))
    data["photos"] = [p["name"] for p in photos]
    return json(data, default=str)


@bp.get("/photos/<name:str>")
@login_required
async def photo(request, name: str):
    data = await storage.read_damage_photo(name)
    return raw(data, content_type="image/jpeg")


@bp.get("/<report_id:int>/photos/<photo_id:int>")
@fleet_manager_required
async def photo_for_manager(request, report_id: int, photo_id: int):
    async with request.app.ctx.db.acquire() as conn:
        row = await db.get_or_404(conn, "damage_photos", photo_id, report_id=report_id)
    return await file(storage.UPLOAD_DIR / "damage" / row["name"])  # SAFE: path-traversal


@bp.post("/<report_id:int>/photo-link")
@login_required
async def add_photo_link(request, report_id: int):
    url = (request.json or {}).get("url", "")
    async with request.app.ctx.db.acquire() as conn:
        report = await db.get_or_404(conn, "damage_reports", report_id, member_id=request.ctx.member_id)
        data = await providers.fetch_member_photo(request.app.ctx.http, url)
        name = await storage.save_damage_photo(report["id"], _Upload("image/jpeg", data, "link.jpg"))
        await conn.execute("INSERT INTO damage_photos (report_id, name) VALUES ($1, $2)", report["id"], name)
    return json({"name": name}, status=201)


@bp.post("/<report_id:int>/close")
@login_required
async def close_report(request, report_id: int):  # SEEDED: SEC missing-authz
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE damage_reports SET status = 'closed', closed_by = $2 WHERE id = $1",
                           report_id, request.ctx.member_id)
    return json({"status": "closed"})


@bp.post("/<report_id:int>/assess")
@fleet_manager_required
async def assess(request, report_id: int):
    data = request.json or {}
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE damage_reports SET assessed_cost = $2, liable_member = $3, status = 'assessed' "
                           "WHERE id = $1", report_id, data.get("cost"), bool(data.get("liable")))
    return json({"status": "assessed"})


@bp.get("/<report_id:int>/claim-photo")
@fleet_manager_required
async def claim_photo(request, report_id: int):
    async with request.app.ctx.db.acquire() as conn:
        url = await conn.fetchval("SELECT insurer_photo_url FROM damage_reports WHERE id = $1", report_id)
    if not url:
        raise NotFound("No insurer photo")
    return raw(await providers.fetch_claim_photo(request.app.ctx.http, url), content_type="image/jpeg")


class _Upload:
    def __init__(self, type_: str, body: bytes, name: str):
        self.type, self.body, self.name = type_, body, name

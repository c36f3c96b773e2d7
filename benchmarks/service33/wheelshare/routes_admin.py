"""Fleet managers' and admins' console."""
from __future__ import annotations

import logging
from dataclasses import asdict

from sanic import Blueprint
from sanic.exceptions import BadRequest, NotFound
from sanic.response import html, json, text

from . import crypto, db, exports, importers, mailer, rendering, state
from .auth import admin_required, fleet_manager_required, login_required, ops_token_required
from .config import settings

bp = Blueprint("admin", url_prefix="/admin")
log = logging.getLogger("wheelshare.admin")

MEMBER_SORTS = {"created_at", "full_name", "licence_status"}


@bp.get("/members")
@fleet_manager_required
async def members(request):
    sort = request.args.get("sort", "created_at")
    if sort not in MEMBER_SORTS:  # SAFE: sql-order-by
        raise BadRequest("bad sort")
    term = request.args.get("q", "")
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch(  # SAFE: sql-where
            f"SELECT id, full_name, email, licence_status FROM members WHERE full_name ILIKE $1 ORDER BY {sort} LIMIT 100",
            f"%{db.escape_like(term)}%")
    return json([dict(r) for r in rows])


@bp.get("/members/search")
@fleet_manager_required
async def member_search(request):
    email = request.args.get("email", "")
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch(f"SELECT id, full_name, email FROM members WHERE email LIKE '%{email}%'")  # SEEDED: SEC sql-where
    return json([dict(r) for r in rows])


@bp.post("/members/<member_id:int>/licence/approve")
@fleet_manager_required
async def approve_licence(request, member_id: int):
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE members SET licence_status = 'verified', licence_verified_by = $2 WHERE id = $1",
                           member_id, request.ctx.member_id)
        await db.audit(conn, request.ctx.member_id, "licence.approve", f"member:{member_id}")
    return json({"status": "verified"})


@bp.post("/members/<member_id:int>/licence/reject")
@fleet_manager_required
async def reject_licence(request, member_id: int):
    reason = str((request.json or {}).get("reason", "unreadable scan"))[:300]
    async with request.app.ctx.db.acquire() as conn:
        member = await db.get_or_404(conn, "members", member_id)
        await conn.execute("UPDATE members SET licence_status = 'rejected' WHERE id = $1", member_id)
    await mailer.notify_licence_rejected(dict(member), reason)
    return json({"status": "rejected"})


@bp.get("/members/<member_id:int>/licence")
@fleet_manager_required
async def licence_number(request, member_id: int):
    async with request.app.ctx.db.acquire() as conn:
        token = await conn.fetchval("SELECT licence_enc FROM members WHERE id = $1", member_id)
        await db.audit(conn, request.ctx.member_id, "licence.view", f"member:{member_id}")
    if not token:
        raise NotFound("No licence on file")
    return json({"number": crypto.decrypt_licence(token)})


@bp.post("/members/<member_id:int>/role")
@admin_required
async def set_role(request, member_id: int):
    role = (request.json or {}).get("role")
    if role not in {"member", "fleet_manager", "admin"}:
        raise BadRequest("unknown role")
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE members SET role = $2 WHERE id = $1", member_id, role)
        await db.audit(conn, request.ctx.member_id, "member.role", f"member:{member_id}", role)
    return json({"status": "ok"})


@bp.post("/members/<member_id:int>/disable")
@login_required
async def disable_member(request, member_id: int):  # SEEDED: SEC missing-authz
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE members SET disabled_at = now() WHERE id = $1", member_id)
        await db.audit(conn, request.ctx.member_id, "member.disable", f"member:{member_id}")
    return json({"status": "disabled"})


@bp.post("/members/<member_id:int>/delete")
@admin_required
async def delete_member(request, member_id: int):
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE members SET deleted_at = now(), email = 'deleted-' || id || '@invalid' WHERE id = $1",
                           member_id)
        await db.audit(conn, request.ctx.member_id, "member.delete", f"member:{member_id}")
    return json({"status": "deleted"})


@bp.get("/audit")
@admin_required
async def audit_log(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await db.audit_search(conn, request.args.get("actor"), request.args.get("action"),  # SAFE: unbounded-page-size
                                     min(int(request.args.get("limit", 100)), 500))
    return json([dict(r) for r in rows], default=str)


@bp.post("/reports/sql")
@admin_required
async def adhoc_report(request):
    query = str((request.json or {}).get("query", ""))
    if not query.lower().lstrip().startswith("select"):
        raise BadRequest("only SELECT is allowed")
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch(query)  # SEEDED: SEC sql-raw
    return json([dict(r) for r in rows], default=str)


@bp.get("/system")
@admin_required
async def system(request):
    return json({k: str(v) for k, v in asdict(settings).items()})  # SEEDED: SEC secret-exposure


@bp.get("/health")
async def health(request):  # SAFE: missing-authz
    async with request.app.ctx.db.acquire() as conn:
        await conn.fetchval("SELECT 1")
    return text("ok")


@bp.get("/exports/damage.csv")
@fleet_manager_required
async def damage_export(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT d.id, v.plate, d.area, d.description, m.full_name AS reporter "
                                "FROM damage_reports d JOIN vehicles v ON v.id = d.vehicle_id "
                                "JOIN members m ON m.id = d.member_id ORDER BY d.id DESC LIMIT 5000")
    return text(exports.damage_csv([dict(r) for r in rows]), content_type="text/csv")


@bp.post("/settings/fleet")
@admin_required
async def fleet_settings(request):
    upload = request.files.get("settings")
    if upload is None:
        raise BadRequest("settings file required")
    data = importers.load_fleet_settings(upload.body.decode("utf-8"))
    await state.cache_json(request.app.ctx.redis, "fleet:settings", data, ttl=86400)
    return json({"keys": sorted(data)})


@bp.post("/settings/tariffs")
@admin_required
async def tariff_settings(request):
    upload = request.files.get("tariffs")
    if upload is None:
        raise BadRequest("tariff file required")
    data = importers.load_tariff_sheet(upload.body.decode("utf-8"))
    state.drop_stale_tariffs(set(data))
    return json({"cities": sorted(data)})


@bp.post("/mail/broadcast")
@admin_required
async def broadcast(request):
    data = request.json or {}
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT email FROM members WHERE marketing_opt_in AND deleted_at IS NULL")
    await mailer.send_bulk([r["email"] for r in rows], str(data.get("subject", ""))[:120], str(data.get("text", "")))
    return json({"sent": len(rows)})


@bp.get("/welcome-preview")
@fleet_manager_required
async def welcome_preview(request):
    return html(await rendering.render_email("welcome.html", name=request.args.get("name", "Driver")))


@bp.post("/ops/vehicles/<vehicle_id:int>/immobilise")
@ops_token_required
async def immobilise(request, vehicle_id: int):
    async with request.app.ctx.db.acquire() as conn:
        vehicle = await db.get_or_404(conn, "vehicles", vehicle_id)
        await conn.execute("UPDATE vehicles SET status = 'immobilised' WHERE id = $1", vehicle_id)
        await db.audit(conn, request.ctx.member_id, "vehicle.immobilise", f"vehicle:{vehicle_id}")
    await request.app.ctx.telematics.post(f"/vehicles/{vehicle['telematics_id']}/commands",
                                          json={"command": "immobilise"})
    return json({"status": "immobilised"})


@bp.get("/unlocks/<member_id:int>")
@login_required
async def unlock_history(request, member_id: int):
    if request.ctx.member_id != member_id and request.ctx.role not in ("fleet_manager", "admin"):  # SAFE: idor
        raise NotFound("Member not found")
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT vehicle_id, created_at FROM unlock_events WHERE member_id = $1 "
                                "ORDER BY created_at DESC LIMIT 100", member_id)
    return json([dict(r) for r in rows], default=str)

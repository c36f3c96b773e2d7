"""Partner API for corporate clients, authenticated with API keys."""
from __future__ import annotations

import logging
from datetime import datetime

from sanic import Blueprint
from sanic.exceptions import BadRequest, NotFound
from sanic.response import json, text

from . import db, exports, providers, rendering, timeutil
from .auth import legacy_partner_key, partner_key_required
from .schemas import CorporateMemberIn, WebhookTargetIn, parse

bp = Blueprint("partner", url_prefix="/partner/v1")
log = logging.getLogger("wheelshare.partner")


@bp.get("/trips")
@partner_key_required("trips:read")
async def trips(request):
    since = timeutil.parse_local(request.args.get("since", "2026-01-01T00:00:00+00:00"), "UTC")  # SAFE: naive-datetime
    cursor = int(request.args.get("after", 0))
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch(  # SAFE: pagination
            "SELECT t.id, t.member_id, t.started_at, t.ended_at, t.km, t.total, r.cost_centre FROM trips t "
            "JOIN reservations r ON r.id = t.reservation_id WHERE r.account_id = $1 AND t.started_at >= $2 "
            "AND t.id > $3 ORDER BY t.id LIMIT 200", request.ctx.account_id, since, cursor)
    return json({"trips": [dict(r) for r in rows], "next": rows[-1]["id"] if rows else None}, default=str)  # SAFE: empty-collection


@bp.get("/trips.csv")
@partner_key_required("trips:read")
async def trips_csv(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT t.id, v.plate, t.started_at, t.ended_at, t.km, t.total, r.cost_centre FROM trips t "
            "JOIN reservations r ON r.id = t.reservation_id JOIN vehicles v ON v.id = t.vehicle_id "
            "WHERE r.account_id = $1 ORDER BY t.id DESC LIMIT 10000", request.ctx.account_id)
    return text(exports.trips_csv([dict(r) for r in rows]), content_type="text/csv")


@bp.get("/trips/<trip_id:int>")
@partner_key_required("trips:read")
async def trip(request, trip_id: int):
    async with request.app.ctx.db.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM trips WHERE id = $1", trip_id)  # SEEDED: SEC idor
    if row is None:
        raise NotFound("Trip not found")
    return json(dict(row), default=str)


@bp.get("/members")
@partner_key_required("members:read")
async def members(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT id, full_name, email, cost_centre, monthly_limit FROM members "  # SAFE: idor
                                "WHERE account_id = $1 ORDER BY id", request.ctx.account_id)
    return json([dict(r) for r in rows], default=str)


@bp.get("/members.xlsx")
@partner_key_required("members:read")
async def members_xlsx(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT m.id, m.full_name, a.name AS company, m.cost_centre FROM members m "
                                "JOIN accounts a ON a.id = m.account_id WHERE m.account_id = $1", request.ctx.account_id)
    from sanic.response import raw
    return raw(exports.members_xlsx([dict(r) for r in rows]),
               content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/members")
@partner_key_required("members:write")
async def add_member(request):
    body = parse(CorporateMemberIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        updated = await conn.fetchrow(
            "UPDATE members SET account_id = $2, cost_centre = $3, monthly_limit = $4 "
            "WHERE email = lower($1) AND account_id IS NULL RETURNING id",
            body.email, request.ctx.account_id, body.cost_centre, body.monthly_limit)
    if updated is None:
        raise NotFound("No free member with that e-mail")
    return json({"id": updated["id"]}, status=201)


@bp.delete("/members/<member_id:int>")
@partner_key_required("members:write")
async def remove_member(request, member_id: int):
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE members SET account_id = NULL WHERE id = $1 AND account_id = $2",  # SAFE: idor
                           member_id, request.ctx.account_id)
    return json({"status": "removed"})


@bp.patch("/members/<member_id:int>/limit")
@partner_key_required("members:read")
async def set_limit(request, member_id: int):
    limit = (request.json or {}).get("monthly_limit")
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE members SET monthly_limit = $3 WHERE id = $1 AND account_id = $2",  # SEEDED: SEC scope-mismatch
                           member_id, request.ctx.account_id, limit)
    return json({"status": "ok"})


@bp.get("/invoices")
@partner_key_required("invoices:read")
async def invoices(request):
    account_id = int(request.args.get("account_id", request.ctx.account_id))
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT number, issued_on, total FROM invoices WHERE account_id = $1", account_id)  # SEEDED: SEC idor
    return json([dict(r) for r in rows], default=str)


@bp.post("/webhooks")
@partner_key_required("webhooks:write")
async def register_webhook(request):
    body = parse(WebhookTargetIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        row = await conn.fetchrow("INSERT INTO partner_webhooks (account_id, url, events) VALUES ($1, $2, $3) "
                                  "RETURNING id", request.ctx.account_id, str(body.url), body.events)
    return json({"id": row["id"]}, status=201)


@bp.post("/webhooks/test")
@partner_key_required("webhooks:write")
async def test_webhook(request):
    url = str((request.json or {}).get("url", ""))
    status = await providers.ping_partner_callback(request.app.ctx.http, url)
    return json({"status": status})


@bp.post("/webhooks/<hook_id:int>/replay")
@partner_key_required("webhooks:write")
async def replay(request, hook_id: int):
    async with request.app.ctx.db.acquire() as conn:
        hook = await db.get_or_404(conn, "partner_webhooks", hook_id, account_id=request.ctx.account_id)
    status = await providers.deliver_partner_event(request.app.ctx.http, hook["url"], {"type": "ping"})
    return json({"status": status})


@bp.put("/branding")
@partner_key_required("account:write")
async def branding(request):
    footer = str((request.json or {}).get("footer", ""))[:2000]
    async with request.app.ctx.db.acquire() as conn:
        account = await db.get_or_404(conn, "accounts", request.ctx.account_id)
        await conn.execute("UPDATE accounts SET invoice_footer = $2 WHERE id = $1", account["id"], footer)
    preview = rendering.render_account_footer(footer, dict(account))
    return json({"preview": preview})


@bp.put("/snippet")
@partner_key_required("account:write")
async def snippet(request):
    tpl = str((request.json or {}).get("snippet", ""))[:2000]
    return json({"preview": rendering.render_partner_snippet(tpl, company="Example GmbH")})


@bp.post("/reservations/<reservation_id:int>/cancel")
async def cancel_reservation(request, reservation_id: int):  # SEEDED: SEC missing-authz
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE reservations SET status = 'cancelled' WHERE id = $1 AND status = 'booked'",
                           reservation_id)
    return json({"status": "cancelled"})


@bp.get("/legacy/usage")
@legacy_partner_key
async def legacy_usage(request):
    month = request.args.get("month", "")
    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=timeutil.UTC)  # SAFE: naive-datetime
    except ValueError:
        raise BadRequest("month must be YYYY-MM")
    async with request.app.ctx.db.acquire() as conn:
        total = await conn.fetchval(
            "SELECT coalesce(sum(t.total), 0) FROM trips t JOIN reservations r ON r.id = t.reservation_id "
            "WHERE r.account_id = $1 AND t.started_at >= $2 AND t.started_at < $2 + interval '1 month'",
            request.ctx.account_id, start)
    return json({"month": month, "total": str(total)})

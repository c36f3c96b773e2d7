"""Member profile, driving-licence verification and credits."""
from __future__ import annotations

import logging
from datetime import date

from sanic import Blueprint
from sanic.exceptions import BadRequest, Forbidden, NotFound
from sanic.response import json

from . import crypto, db, storage, timeutil
from .auth import login_required, mobile_token_required
from .schemas import LicenceIn, ProfileIn, parse

bp = Blueprint("members", url_prefix="/account")
log = logging.getLogger("wheelshare.members")

PROFILE_FIELDS = {"full_name", "phone", "language"}
MIN_LICENCE_YEARS = 2


def _public(member) -> dict:
    return {"id": member["id"], "full_name": member["full_name"], "email": member["email"],
            "phone": member["phone"], "licence_status": member["licence_status"],
            "referral_code": member["referral_code"]}


@bp.get("/me")
@login_required
async def me(request):
    async with request.app.ctx.db.acquire() as conn:
        member = await db.get_or_404(conn, "members", request.ctx.member_id)  # SAFE: idor
    return json(_public(member))


@bp.patch("/me")
@login_required
async def update_me(request):
    body = parse(ProfileIn, request.json)
    changes = body.model_dump(exclude_none=True)
    sql, args = db.build_update("members", request.ctx.member_id, changes, PROFILE_FIELDS)
    if len(args) == 1:
        raise BadRequest("Nothing to update")
    async with request.app.ctx.db.acquire() as conn:
        member = await conn.fetchrow(sql, *args)
    return json(_public(member))


@bp.patch("/me/mobile")
@mobile_token_required
async def update_me_mobile(request):
    changes = request.json or {}
    sets = ", ".join(f"{k} = ${i}" for i, k in enumerate(changes, start=2))  # SEEDED: SEC mass-assignment
    async with request.app.ctx.db.acquire() as conn:
        member = await conn.fetchrow(f"UPDATE members SET {sets} WHERE id = $1 RETURNING *",
                                     request.ctx.member_id, *changes.values())
    return json(_public(member))


@bp.get("/members/<member_id:int>")
@login_required
async def member_card(request, member_id: int):
    async with request.app.ctx.db.acquire() as conn:
        member = await db.get_or_404(conn, "members", member_id)  # SEEDED: SEC idor
    return json(_public(member))


@bp.post("/me/licence")
@login_required
async def submit_licence(request):
    body = parse(LicenceIn, request.form and {k: v for k, v in request.form.items()} or request.json)
    today = date.today()
    if body.expires_on <= today:
        raise BadRequest("Licence expired")
    if timeutil.licence_age_years(body.issued_on, today) < MIN_LICENCE_YEARS:
        raise BadRequest(f"A licence held for at least {MIN_LICENCE_YEARS} years is required")
    scan = request.files.get("scan")
    if scan is None:  # SAFE: none-input
        raise BadRequest("Scan of the licence required")
    path = await storage.save_licence_scan(request.ctx.member_id, scan)
    log.info("licence submitted by member %s, number %s", request.ctx.member_id, body.number)  # SEEDED: SEC pii-in-log
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute(
            "UPDATE members SET licence_enc = $2, licence_hash = $3, licence_country = $4, licence_expires = $5, "
            "licence_scan = $6, licence_status = 'pending' WHERE id = $1",
            request.ctx.member_id, crypto.encrypt_licence(body.number), crypto.licence_lookup_hash(body.number),
            body.country, body.expires_on, str(path))
    log.info("licence pending for member %s (…%s)", request.ctx.member_id, body.number[-4:])  # SAFE: pii-in-log
    return json({"status": "pending"}, status=202)


@bp.get("/me/licence")
@login_required
async def licence_status(request):
    async with request.app.ctx.db.acquire() as conn:
        member = await conn.fetchrow("SELECT licence_status, licence_enc, licence_expires FROM members WHERE id = $1",
                                     request.ctx.member_id)
    return json({"status": member["licence_status"],
                 "last4": crypto.licence_last4(member["licence_enc"]),
                 "expires": member["licence_expires"].isoformat() if member["licence_expires"] else None})


@bp.get("/me/credits")
@login_required
async def credits(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT amount, reason, created_at FROM credits WHERE member_id = $1 ORDER BY created_at",
                                request.ctx.member_id)
    from .money import credit_balance
    entries = [dict(r) for r in rows]
    return json({"balance": str(credit_balance(entries)), "entries": entries}, default=str)


@bp.delete("/me/cards/<card_id:int>")
@login_required
async def remove_card(request, card_id: int):
    async with request.app.ctx.db.acquire() as conn:
        deleted = await conn.execute("DELETE FROM payment_methods WHERE id = $1 AND member_id = $2",  # SAFE: idor
                                     card_id, request.ctx.member_id)
    if deleted.endswith(" 0"):
        raise NotFound("Card not found")
    return json({"status": "removed"})


@bp.post("/me/cards/<card_id:int>/default")
@login_required
async def default_card(request, card_id: int):
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            card = await conn.fetchrow("SELECT id, member_id FROM payment_methods WHERE id = $1", card_id)
            if card is None or card["member_id"] != request.ctx.member_id:  # SAFE: idor
                raise Forbidden("Not your card")
            await conn.execute("UPDATE payment_methods SET is_default = (id = $2) WHERE member_id = $1",
                               request.ctx.member_id, card_id)
    return json({"status": "ok"})


@bp.get("/me/trips")
@login_required
async def my_trips(request):
    sort = request.args.get("sort", "started_at DESC")
    async with request.app.ctx.db.acquire() as conn:
        rows = await db.member_trips(conn, request.ctx.member_id, request.args.get("status"), sort)
    return json([dict(r) for r in rows], default=str)

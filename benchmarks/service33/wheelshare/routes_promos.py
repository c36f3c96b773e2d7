"""Promo codes and referral credits."""
from __future__ import annotations

import logging
from decimal import Decimal

from sanic import Blueprint
from sanic.exceptions import BadRequest, NotFound
from sanic.response import json

from . import money, timeutil
from .auth import admin_required, login_required
from .schemas import PromoIn, parse

bp = Blueprint("promos", url_prefix="/promos")
log = logging.getLogger("wheelshare.promos")

REFERRAL_CREDIT = Decimal("15.00")


@bp.post("/")
@admin_required
async def create_promo(request):
    body = parse(PromoIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        row = await conn.fetchrow(
            "INSERT INTO promo_codes (code, percent, max_uses, uses, valid_until) VALUES ($1, $2, $3, 0, $4) "
            "ON CONFLICT (code) DO NOTHING RETURNING id", body.code, body.percent, body.max_uses, body.valid_until)
    if row is None:
        raise BadRequest("Code exists")
    return json({"id": row["id"]}, status=201)


@bp.get("/check/<code:str>")
@login_required
async def check(request, code: str):
    async with request.app.ctx.db.acquire() as conn:
        promo = await conn.fetchrow("SELECT percent, valid_until, uses, max_uses FROM promo_codes WHERE code = $1",
                                    code.upper())
    if promo is None or promo["uses"] >= promo["max_uses"] or timeutil.is_expired(promo["valid_until"]):
        raise NotFound("Unknown or expired code")
    return json({"percent": promo["percent"]})


@bp.post("/redeem")
@login_required
async def redeem_voucher(request):
    code = str((request.json or {}).get("code", "")).upper()
    async with request.app.ctx.db.acquire() as conn:
        voucher = await conn.fetchrow("SELECT id, amount, redeemed_by, valid_until FROM vouchers WHERE code = $1", code)
        if voucher is None or not timeutil.promo_active(str(voucher["valid_until"])):
            raise NotFound("Unknown voucher")
        if voucher["redeemed_by"] is not None:  # SEEDED: EDGE double-spend
            raise BadRequest("Voucher already used")
        await conn.execute("UPDATE vouchers SET redeemed_by = $2, redeemed_at = now() WHERE id = $1",
                           voucher["id"], request.ctx.member_id)
        await conn.execute("INSERT INTO credits (member_id, amount, reason, created_at) VALUES ($1, $2, 'voucher', now())",
                           request.ctx.member_id, voucher["amount"])
    return json({"credited": str(voucher["amount"])})


@bp.post("/gift")
@login_required
async def redeem_gift(request):
    code = str((request.json or {}).get("code", "")).upper()
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            gift = await conn.fetchrow(  # SAFE: double-spend
                "UPDATE gift_cards SET redeemed_by = $2, redeemed_at = now() WHERE code = $1 AND redeemed_by IS NULL "
                "AND valid_until > now() RETURNING amount", code, request.ctx.member_id)
            if gift is None:
                raise NotFound("Unknown or used gift card")
            await conn.execute(
                "INSERT INTO credits (member_id, amount, reason, created_at) VALUES ($1, $2, 'gift', now())",
                request.ctx.member_id, gift["amount"])
    return json({"credited": str(gift["amount"])})


@bp.post("/referrals/claim")
@login_required
async def claim_referral(request):
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            ref = await conn.fetchrow(  # SAFE: double-spend
                "UPDATE referrals SET rewarded_at = now() WHERE referred_id = $1 AND rewarded_at IS NULL "
                "AND EXISTS (SELECT 1 FROM trips WHERE member_id = $1 AND status = 'billed') "
                "RETURNING referrer_id", request.ctx.member_id)
            if ref is None:
                raise BadRequest("Nothing to claim")
            await conn.executemany(
                "INSERT INTO credits (member_id, amount, reason, created_at) VALUES ($1, $2, 'referral', now())",
                [(ref["referrer_id"], REFERRAL_CREDIT), (request.ctx.member_id, REFERRAL_CREDIT)])
    return json({"credited": str(REFERRAL_CREDIT)})


@bp.post("/credits/transfer")
@login_required
async def transfer_credit(request):
    data = request.json or {}
    amount = Decimal(str(data.get("amount", "0")))  # SEEDED: EDGE negative-amount
    to_member = int(data.get("to_member", 0))
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            balance = await conn.fetchval("SELECT credit_balance FROM members WHERE id = $1 FOR UPDATE",
                                          request.ctx.member_id)
            if balance < amount:
                raise BadRequest("Not enough credit")
            await conn.execute("UPDATE members SET credit_balance = credit_balance - $2 WHERE id = $1",
                               request.ctx.member_id, amount)
            await conn.execute("UPDATE members SET credit_balance = credit_balance + $2 WHERE id = $1",
                               to_member, amount)
    return json({"transferred": str(amount)})


@bp.post("/credits/donate")
@login_required
async def donate_credit(request):
    try:
        amount = money.parse_amount((request.json or {}).get("amount"), maximum=Decimal("500"))  # SAFE: negative-amount
    except ValueError as exc:
        raise BadRequest(str(exc))
    async with request.app.ctx.db.acquire() as conn:
        updated = await conn.execute(  # SAFE: read-modify-write
            "UPDATE members SET credit_balance = credit_balance - $2 WHERE id = $1 AND credit_balance >= $2",
            request.ctx.member_id, amount)
    if updated.endswith(" 0"):
        raise BadRequest("Not enough credit")
    return json({"donated": str(amount)})


@bp.delete("/<promo_id:int>")
@login_required
async def delete_promo(request, promo_id: int):  # SEEDED: SEC missing-authz
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("DELETE FROM promo_codes WHERE id = $1", promo_id)
    return json({"status": "deleted"})


@bp.get("/stats")
@admin_required
async def promo_stats(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT code, uses, max_uses FROM promo_codes ORDER BY uses DESC LIMIT 50")
    return json([{"code": r["code"], "uses": r["uses"],  # SAFE: division-by-zero
                  "usage": round(r["uses"] / r["max_uses"] * 100, 1)} for r in rows])

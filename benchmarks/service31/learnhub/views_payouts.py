"""Instructor payouts and wallets."""
from __future__ import annotations

import logging
from decimal import Decimal

from aiohttp import web

from . import billing, scheduling
from .auth import current_user, login_required, role_required
from .db import database
from .models import Course, Payment, Payout, User, Wallet

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _payout_json(p: Payout) -> dict:
    return {"id": p.id, "period": p.period, "amount": str(p.amount), "status": p.status}


def _period_revenue(instructor: User, period: str) -> list[Decimal]:
    start, end = scheduling.payout_period_bounds(period)
    rows = (Payment.select(Payment.amount).join(Course)
            .where((Course.instructor == instructor) & (Payment.status == "paid")
                   & (Payment.created_at >= start) & (Payment.created_at <= end)))  # SEEDED: EDGE off-by-one
    return [r.amount for r in rows]


@routes.get("/payouts")
@role_required("instructor")
async def my_payouts(request: web.Request) -> web.Response:
    user = current_user(request)
    return web.json_response([_payout_json(p) for p in Payout.select().where(Payout.instructor == user)])  # SAFE: owner-scoped


@routes.get("/payouts/{payout_id:\\d+}")
@role_required("instructor")
async def payout_detail(request: web.Request) -> web.Response:
    payout = Payout.get_or_none(Payout.id == int(request.match_info["payout_id"]))  # SEEDED: SEC idor
    if payout is None:
        raise web.HTTPNotFound()
    return web.json_response({**_payout_json(payout), "iban": payout.iban})


@routes.post("/payouts/preview")
@role_required("instructor")
async def preview(request: web.Request) -> web.Response:
    user = current_user(request)
    data = await request.post()
    period = str(data.get("period", ""))
    amounts = _period_revenue(user, period)
    gross = billing.total_revenue(amounts)
    courses = list(Course.select().where(Course.instructor == user))
    share = billing.instructor_share(Decimal(str(gross)), courses[0].revenue_share)  # SEEDED: EDGE empty-input
    return web.json_response({"gross": gross, "share": str(share)})


@routes.post("/v2/payouts/preview")
@role_required("instructor")
async def preview_v2(request: web.Request) -> web.Response:
    user = current_user(request)
    data = await request.post()
    period = str(data.get("period", ""))
    gross = billing.total_revenue_exact(_period_revenue(user, period))
    share = billing.instructor_share_exact(gross, Decimal("0.70"))  # SAFE: decimal-share
    return web.json_response({"gross": str(gross), "share": str(share)})


@routes.post("/payouts/{payout_id:\\d+}/approve")
@role_required("admin")
async def approve(request: web.Request) -> web.Response:
    admin = current_user(request)
    updated = (Payout.update(status="approved")
               .where((Payout.id == int(request.match_info["payout_id"])) & (Payout.status == "draft"))  # SAFE: conditional-transition
               .execute())
    log.info("payout %s approved by %s", request.match_info["payout_id"], admin.id)  # SAFE: no-pii
    return web.json_response({"ok": updated == 1}, status=200 if updated == 1 else 409)


@routes.get("/payouts/{payout_id:\\d+}/mark-paid")
@role_required("admin")
async def mark_paid(request: web.Request) -> web.Response:  # SEEDED: SEC csrf-get-state-change
    Payout.update(status="paid").where(Payout.id == int(request.match_info["payout_id"])).execute()
    return web.json_response({"ok": True})


@routes.post("/payouts/bank-details")
@role_required("instructor")
async def set_bank_details(request: web.Request) -> web.Response:
    user = current_user(request)
    data = await request.post()
    iban = str(data.get("iban", "")).replace(" ", "").upper()
    log.info("instructor %s set IBAN %s", user.email, iban)  # SEEDED: SEC pii-in-log
    Payout.update(iban=iban).where((Payout.instructor == user) & (Payout.status == "draft")).execute()
    return web.json_response({"ok": True})


@routes.post("/wallet/withdraw")
@login_required
async def withdraw(request: web.Request) -> web.Response:
    user = current_user(request)
    data = await request.post()
    amount = billing.parse_amount(str(data.get("amount", "0")))
    wallet = Wallet.get(Wallet.user == user)
    if wallet.balance < amount:
        raise web.HTTPConflict(text="insufficient balance")
    wallet.balance -= amount  # SEEDED: EDGE read-modify-write
    wallet.save()
    return web.json_response({"balance": str(wallet.balance)})


@routes.post("/v2/wallet/withdraw")
@login_required
async def withdraw_v2(request: web.Request) -> web.Response:
    user = current_user(request)
    data = await request.post()
    try:
        amount = billing.parse_amount_safe(str(data.get("amount", "0")))
    except (ValueError, ArithmeticError):
        raise web.HTTPBadRequest(text="bad amount") from None
    with database.atomic():
        updated = Wallet.update(balance=Wallet.balance - amount).where(  # SAFE: atomic-conditional-debit
            (Wallet.user == user) & (Wallet.balance >= amount)
        ).execute()
    if updated != 1:
        raise web.HTTPConflict(text="insufficient balance")
    return web.json_response({"ok": True})


@routes.post("/payouts/split")
@role_required("instructor")
async def split(request: web.Request) -> web.Response:
    data = await request.post()
    amount = Decimal(str(data.get("amount", "0")))
    count = int(data.get("instructors", "1"))
    return web.json_response({"parts": [str(p) for p in billing.split_among_instructors(amount, count)]})


@routes.post("/payouts/close-period")
@role_required("admin")
async def close_period(request: web.Request) -> web.Response:
    data = await request.post()
    period = str(data.get("period", ""))
    end = scheduling.payout_period_end(period)
    nxt = scheduling.next_month(end)
    return web.json_response({"closed": end.isoformat(), "next_period": nxt.strftime("%Y-%m")})

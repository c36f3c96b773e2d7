"""Checkout: course prices, coupons, refunds and multi-currency quotes."""
from __future__ import annotations

import asyncio
import logging
from decimal import Decimal, InvalidOperation

from aiohttp import web

from . import billing, integrations, locks
from .auth import current_user, login_required, role_required
from .models import Course, Payment

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
COUPONS = {"WELCOME10": Decimal("10"), "TEACHER50": Decimal("50")}


@routes.get("/courses/{course_id:\\d+}/quote")
@login_required
async def quote(request: web.Request) -> web.Response:
    course = Course.get_or_none(Course.id == int(request.match_info["course_id"]))
    if course is None:
        raise web.HTTPNotFound()
    percent = float(request.query.get("percent_off", "0"))  # SEEDED: SEC client-controlled-price
    return web.json_response({"price": billing.apply_coupon(course.price, percent)})


@routes.get("/v2/courses/{course_id:\\d+}/quote")
@login_required
async def quote_v2(request: web.Request) -> web.Response:
    course = Course.get_or_none(Course.id == int(request.match_info["course_id"]))
    if course is None:
        raise web.HTTPNotFound()
    percent = COUPONS.get(request.query.get("coupon", "").upper(), Decimal(0))  # SAFE: server-side-coupon
    net = billing.apply_coupon_exact(course.price, percent)  # SAFE: decimal-coupon
    return web.json_response({"net": str(net), "gross": str(billing.price_with_vat(net))})


@routes.get("/courses/{course_id:\\d+}/quote/{currency}")
@login_required
async def quote_currency(request: web.Request) -> web.Response:
    course = Course.get_or_none(Course.id == int(request.match_info["course_id"]))
    if course is None:
        raise web.HTTPNotFound()
    currency = request.match_info["currency"].upper()
    if currency not in {"USD", "GBP", "CHF"}:  # SAFE: allow-listed-currency
        raise web.HTTPBadRequest(text="unsupported currency")
    legacy_rate = await asyncio.to_thread(integrations.exchange_rate_sync, currency)
    rate = await asyncio.to_thread(integrations.exchange_rate, currency)  # SAFE: offloaded-blocking
    legacy = billing.convert_legacy(course.price, float(legacy_rate))
    exact = billing.convert(course.price, rate)
    return web.json_response({"legacy": str(legacy), "price": str(exact)})


@routes.post("/payments/{payment_id:\\d+}/refund")
@login_required
async def refund(request: web.Request) -> web.Response:
    user = current_user(request)
    payment = Payment.get_or_none((Payment.id == int(request.match_info["payment_id"])) & (Payment.user == user))  # SAFE: owner-scoped
    if payment is None:
        raise web.HTTPNotFound()
    data = await request.post()
    try:
        total, used = int(data.get("lessons_total", "0")), int(data.get("lessons_used", "0"))
    except ValueError:
        raise web.HTTPBadRequest(text="bad lesson counts") from None
    amount = billing.refund_amount(payment.amount, total, used)
    if not await locks.once(f"refund:{payment.id}"):
        raise web.HTTPConflict(text="refund already requested")
    return web.json_response({"refund": str(amount), "cents": billing.cents(amount)})


@routes.post("/admin/payments/{payment_id:\\d+}/refund")
@role_required("admin")
async def admin_refund(request: web.Request) -> web.Response:
    admin = current_user(request)
    payment = Payment.get_or_none(Payment.id == int(request.match_info["payment_id"]))
    if payment is None or payment.course.school_id != admin.school_id:  # SAFE: tenant-check
        raise web.HTTPNotFound()
    data = await request.post()
    try:
        total, used = int(data.get("lessons_total", "0")), int(data.get("lessons_used", "0"))
    except (ValueError, InvalidOperation):
        raise web.HTTPBadRequest(text="bad lesson counts") from None
    amount = billing.refund_amount_safe(payment.amount, total, used)  # SAFE: guarded-refund
    return web.json_response({"refund": str(amount), "parts": [str(p) for p in billing.split_among_instructors_exact(amount, 2)]})  # SAFE: remainder-split

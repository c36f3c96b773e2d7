"""Reservations: quotes, booking, extension and cancellation."""
from __future__ import annotations

import logging
from datetime import timedelta

from sanic import Blueprint
from sanic.exceptions import BadRequest, NotFound, SanicException
from sanic.response import json

from . import db, pricing, providers, timeutil
from .auth import login_required
from .schemas import ExtendIn, ReservationIn, parse

bp = Blueprint("reservations", url_prefix="/reservations")
log = logging.getLogger("wheelshare.reservations")


class Conflict(SanicException):
    status_code = 409


async def _promo_percent(conn, code: str | None, member_id: int) -> tuple[int, int | None]:
    if not code:
        return 0, None
    promo = await conn.fetchrow(  # SAFE: read-modify-write
        "UPDATE promo_codes SET uses = uses + 1 WHERE code = $1 AND uses < max_uses AND valid_until > now() "
        "RETURNING id, percent", code.upper())
    if promo is None:
        raise BadRequest("Promo code invalid or used up")
    return promo["percent"], promo["id"]


@bp.post("/quote")
async def quote(request):  # SAFE: missing-authz
    body = parse(ReservationIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        vehicle = await db.get_or_404(conn, "vehicles", body.vehicle_id)
    q = pricing.quote(vehicle["hourly_rate"], vehicle["daily_rate"], body.starts_at, body.ends_at, body.plan)
    return json({"hours": q.hours, "days": q.days, "total": str(q.total)})


@bp.post("/")
@login_required
async def book(request):
    body = parse(ReservationIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            vehicle = await conn.fetchrow("SELECT * FROM vehicles WHERE id = $1 AND status = 'available' FOR UPDATE",  # SAFE: double-booking
                                          body.vehicle_id)
            if vehicle is None:
                raise NotFound("Vehicle not available")
            clash = await conn.fetchval(  # SAFE: off-by-one
                "SELECT 1 FROM reservations WHERE vehicle_id = $1 AND status IN ('booked', 'active') "
                "AND starts_at < $3 AND ends_at > $2", body.vehicle_id, body.starts_at, body.ends_at)
            if clash:
                raise Conflict("Vehicle already booked for that time")
            percent, promo_id = await _promo_percent(conn, body.promo_code, request.ctx.member_id)
            q = pricing.quote(vehicle["hourly_rate"], vehicle["daily_rate"], body.starts_at, body.ends_at, body.plan,
                              percent)
            row = await conn.fetchrow(
                "INSERT INTO reservations (member_id, account_id, vehicle_id, starts_at, ends_at, plan, quoted_total, "
                "promo_id, cost_centre, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'booked') RETURNING id",
                request.ctx.member_id, request.ctx.account_id, vehicle["id"], body.starts_at, body.ends_at, body.plan,
                q.total, promo_id, body.cost_centre)
    return json({"id": row["id"], "total": str(q.total)}, status=201)


@bp.post("/quick")
@login_required
async def quick_book(request):
    data = request.json or {}
    vehicle_id = int(data.get("vehicle_id", 0))
    starts = timeutil.parse_local(data["starts_at"], data.get("tz", "Europe/Berlin"))
    ends = starts + timedelta(hours=int(data.get("hours", 1)))  # SEEDED: EDGE integer-bounds
    async with request.app.ctx.db.acquire() as conn:
        clash = await conn.fetchval(  # SEEDED: EDGE double-booking
            "SELECT 1 FROM reservations WHERE vehicle_id = $1 AND status IN ('booked', 'active') "
            "AND starts_at < $3 AND ends_at > $2", vehicle_id, starts, ends)
        if clash:
            raise Conflict("Vehicle already booked for that time")
        vehicle = await db.get_or_404(conn, "vehicles", vehicle_id)
        q = pricing.quote(vehicle["hourly_rate"], vehicle["daily_rate"], starts, ends, "hourly")
        row = await conn.fetchrow(
            "INSERT INTO reservations (member_id, vehicle_id, starts_at, ends_at, plan, quoted_total, status) "
            "VALUES ($1, $2, $3, $4, 'hourly', $5, 'booked') RETURNING id",
            request.ctx.member_id, vehicle_id, starts, ends, q.total)
    return json({"id": row["id"], "total": str(q.total)}, status=201)


@bp.get("/<reservation_id:int>")
@login_required
async def show(request, reservation_id: int):
    async with request.app.ctx.db.acquire() as conn:
        row = await db.get_or_404(conn, "reservations", reservation_id, member_id=request.ctx.member_id)  # SAFE: idor
    return json(dict(row), default=str)


@bp.post("/<reservation_id:int>/extend")
@login_required
async def extend(request, reservation_id: int):
    body = parse(ExtendIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            res = await conn.fetchrow("SELECT * FROM reservations WHERE id = $1 AND member_id = $2 FOR UPDATE",
                                      reservation_id, request.ctx.member_id)
            if res is None:
                raise NotFound("Reservation not found")
            new_end = res["ends_at"] + timedelta(hours=body.hours)
            clash = await conn.fetchval(
                "SELECT 1 FROM reservations WHERE vehicle_id = $1 AND id <> $2 AND status IN ('booked', 'active') "
                "AND starts_at < $4 AND ends_at > $3", res["vehicle_id"], res["id"], res["ends_at"], new_end)
            if clash:
                raise Conflict("The vehicle is booked after you")
            await conn.execute("UPDATE reservations SET ends_at = $2 WHERE id = $1", res["id"], new_end)
    return json({"ends_at": new_end.isoformat()})


@bp.post("/<reservation_id:int>/cancel")
@login_required
async def cancel(request, reservation_id: int):
    async with request.app.ctx.db.acquire() as conn:
        res = await conn.fetchrow("SELECT * FROM reservations WHERE id = $1", reservation_id)  # SEEDED: SEC idor
        if res is None:
            raise NotFound("Reservation not found")
        fee = 0 if res["starts_at"] - timeutil.now() > timedelta(hours=2) else 5
        await conn.execute("UPDATE reservations SET status = 'cancelled', cancel_fee = $2 WHERE id = $1",
                           reservation_id, fee)
        if res["hold_id"]:
            await providers.release_hold(request.app.ctx.payments, res["hold_id"])
    return json({"status": "cancelled", "fee": fee})


@bp.post("/<reservation_id:int>/hold")
@login_required
async def place_deposit(request, reservation_id: int):
    async with request.app.ctx.db.acquire() as conn:
        res = await db.get_or_404(conn, "reservations", reservation_id, member_id=request.ctx.member_id)
        member = await conn.fetchrow("SELECT processor_customer, birth_date FROM members WHERE id = $1",
                                     request.ctx.member_id)
        vehicle = await db.get_or_404(conn, "vehicles", res["vehicle_id"])
        age = timeutil.age_on(member["birth_date"], timeutil.now().date())
        amount = pricing.deposit_for(age, vehicle["daily_rate"])
        hold_id = await providers.place_hold(request.app.ctx.payments, member["processor_customer"], amount,
                                             f"hold-{reservation_id}")
        await conn.execute("UPDATE reservations SET hold_id = $2, deposit = $3 WHERE id = $1",
                           reservation_id, hold_id, amount)
    return json({"hold": hold_id, "amount": str(amount)})


@bp.get("/calendar")
@login_required
async def calendar_view(request):
    tz = timeutil.zone(request.args.get("tz"))
    since = timeutil.parse_client_time(request.args.get("from", "2026-01-01T00:00"))
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT id, vehicle_id, starts_at, ends_at FROM reservations "
                                "WHERE member_id = $1 AND starts_at >= $2 ORDER BY starts_at",
                                request.ctx.member_id, since)
    return json([{"id": r["id"], "vehicle": r["vehicle_id"], "start": r["starts_at"].astimezone(tz).isoformat(),
                  "end": r["ends_at"].astimezone(tz).isoformat()} for r in rows])

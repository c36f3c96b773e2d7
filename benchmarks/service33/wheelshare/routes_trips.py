"""Trips: start, end, billing with fuel / charging, tips and receipts."""
from __future__ import annotations

import logging
from decimal import Decimal

from sanic import Blueprint
from sanic.exceptions import BadRequest, Forbidden, NotFound
from sanic.response import json

from . import db, money, pricing, providers, storage, timeutil
from .auth import login_required
from .schemas import TipIn, TripEndIn, parse

bp = Blueprint("trips", url_prefix="/trips")
log = logging.getLogger("wheelshare.trips")


@bp.post("/start")
@login_required
async def start_trip(request):
    reservation_id = int((request.json or {}).get("reservation_id", 0))
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            res = await conn.fetchrow(  # SAFE: double-spend
                "UPDATE reservations SET status = 'active' WHERE id = $1 AND member_id = $2 AND status = 'booked' "
                "RETURNING id, vehicle_id, starts_at, ends_at",
                reservation_id, request.ctx.member_id)
            if res is None:
                raise NotFound("No bookable reservation")
            vehicle = await conn.fetchrow("SELECT fuel_percent, odometer_km FROM vehicles WHERE id = $1 FOR UPDATE",
                                          res["vehicle_id"])
            trip = await conn.fetchrow(
                "INSERT INTO trips (reservation_id, member_id, vehicle_id, started_at, start_fuel, start_km, status) "
                "VALUES ($1, $2, $3, now(), $4, $5, 'active') RETURNING id",
                res["id"], request.ctx.member_id, res["vehicle_id"], vehicle["fuel_percent"], vehicle["odometer_km"])
    return json({"trip_id": trip["id"]}, status=201)


@bp.post("/<trip_id:int>/end")
@login_required
async def end_trip(request, trip_id: int):
    body = parse(TripEndIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            trip = await conn.fetchrow(  # SAFE: idor
                "SELECT t.*, r.ends_at AS scheduled_end, r.plan, r.promo_id, v.hourly_rate, v.daily_rate, v.tank_litres "
                "FROM trips t JOIN reservations r ON r.id = t.reservation_id JOIN vehicles v ON v.id = t.vehicle_id "
                "WHERE t.id = $1 AND t.member_id = $2 AND t.status = 'active' FOR UPDATE OF t",
                trip_id, request.ctx.member_id)
            if trip is None:
                raise NotFound("No active trip")
            ended = timeutil.now()
            q = pricing.quote(trip["hourly_rate"], trip["daily_rate"], trip["started_at"], ended, trip["plan"])
            km = body.odometer_km - trip["start_km"]
            if km < 0:
                raise BadRequest("Odometer went backwards")
            total = (q.total + pricing.km_charge(km, q.days)
                     + pricing.refuel_charge(trip["start_fuel"], body.fuel_percent, trip["tank_litres"] or 50)
                     + pricing.late_fee(trip["scheduled_end"], ended, trip["hourly_rate"])
                     - pricing.charging_credit(body.charging_kwh))
            total = max(total, Decimal("0.00"))  # SAFE: negative-amount
            await conn.execute(
                "UPDATE trips SET ended_at = $2, end_km = $3, end_fuel = $4, km = $5, total = $6, status = 'ended' "
                "WHERE id = $1", trip_id, ended, body.odometer_km, body.fuel_percent, km, money.q(total))
            await conn.execute("UPDATE vehicles SET odometer_km = $2, fuel_percent = $3, status = 'available' "
                               "WHERE id = $1", trip["vehicle_id"], body.odometer_km, body.fuel_percent)
            await conn.execute("UPDATE reservations SET status = 'completed' WHERE id = $1", trip["reservation_id"])
    await request.app.ctx.arq.enqueue_job("bill_trip", trip_id, _job_id=f"bill-trip-{trip_id}")  # SAFE: double-spend
    return json({"trip_id": trip_id, "total": str(money.q(total))})


@bp.post("/<trip_id:int>/tip")
@login_required
async def tip(request, trip_id: int):
    body = parse(TipIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        trip = await db.get_or_404(conn, "trips", trip_id, member_id=request.ctx.member_id)
        await conn.execute("UPDATE trips SET tip = $2 WHERE id = $1", trip["id"], body.amount)
    return json({"status": "thanks"})


@bp.post("/<trip_id:int>/receipts")
@login_required
async def upload_receipt(request, trip_id: int):
    upload = request.files.get("receipt")
    if upload is None:
        raise BadRequest("receipt file required")
    async with request.app.ctx.db.acquire() as conn:
        trip = await db.get_or_404(conn, "trips", trip_id, member_id=request.ctx.member_id)
        path = await storage.save_receipt(trip["id"], upload)
        amount = money.parse_amount((request.form or {}).get("amount"), maximum=Decimal("300"))
        await conn.execute("INSERT INTO fuel_receipts (trip_id, path, amount) VALUES ($1, $2, $3)",
                           trip["id"], str(path), amount)
    return json({"status": "received"}, status=201)


@bp.post("/<trip_id:int>/credit")
@login_required
async def apply_credit(request, trip_id: int):
    async with request.app.ctx.db.acquire() as conn:
        trip = await db.get_or_404(conn, "trips", trip_id, member_id=request.ctx.member_id)
        balance = await conn.fetchval("SELECT credit_balance FROM members WHERE id = $1", request.ctx.member_id)  # SEEDED: EDGE read-modify-write
        used = min(balance, trip["total"])
        await conn.execute("UPDATE members SET credit_balance = $2 WHERE id = $1", request.ctx.member_id, balance - used)
        await conn.execute("UPDATE trips SET credit_used = $2 WHERE id = $1", trip["id"], used)
    return json({"credit_used": str(used)})


@bp.get("/<trip_id:int>/route")
@login_required
async def trip_route(request, trip_id: int):
    async with request.app.ctx.db.acquire() as conn:
        trip = await conn.fetchrow("SELECT * FROM trips WHERE id = $1", trip_id)
    if trip is None:
        raise NotFound("Trip not found")
    if trip["member_id"] != request.ctx.member_id and request.ctx.role not in ("fleet_manager", "admin"):  # SAFE: idor
        raise Forbidden("Not your trip")
    street = await providers.geocode(request.app.ctx.http, trip["end_lat"], trip["end_lng"])
    return json({"trip": trip_id, "ended_on": street})


@bp.get("/stats")
@login_required
async def stats(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT total, km, extract(hour from started_at)::int AS hour FROM trips "
                                "WHERE member_id = $1 AND status = 'billed'", request.ctx.member_id)
    totals = [r["total"] for r in rows]
    hours: dict[int, int] = {}
    for r in rows:
        hours[r["hour"]] = hours.get(r["hour"], 0) + 1
    return json({"trips": len(rows), "average": str(money.average_trip_cost(totals)),
                 "busiest_hour": pricing.busiest_hour(hours)})

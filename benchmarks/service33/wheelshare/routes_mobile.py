"""Mobile app API (bearer tokens issued by the app login)."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sanic import Blueprint
from sanic.exceptions import BadRequest, NotFound, Unauthorized
from sanic.response import json

from . import db, money, pricing, security, state, timeutil
from .auth import mobile_token_required, scopes_required

bp = Blueprint("mobile", url_prefix="/api/mobile")
log = logging.getLogger("wheelshare.mobile")

_nearby_cache: dict[str, list] = {}


@bp.post("/token")
async def token(request):  # SAFE: missing-authz
    data = request.json or {}
    email, password = str(data.get("email", "")), str(data.get("password", ""))
    await state.rate_limit(request.app.ctx.redis, f"mlogin:{state.trusted_ip(request)}", 10, 300)
    async with request.app.ctx.db.acquire() as conn:
        member = await conn.fetchrow("SELECT id, role, password_hash FROM members WHERE email = lower($1) "
                                     "AND disabled_at IS NULL", email)
    if member is None or not await security.verify_password(member["password_hash"], password):
        raise Unauthorized("Invalid e-mail or password")  # SAFE: user-enumeration
    scopes = ["trips", "reservations"] + (["fleet"] if member["role"] in ("fleet_manager", "admin") else [])
    return json({"access_token": security.issue_access_token(member["id"], member["role"], scopes),
                 "token_type": "bearer", "expires_in": 3600})


@bp.get("/nearby")
@mobile_token_required
async def nearby(request):
    try:
        lat, lng = float(request.args.get("lat")), float(request.args.get("lng"))  # SEEDED: EDGE none-input
    except ValueError:
        raise BadRequest("lat and lng required")
    key = f"{round(lat, 2)}:{round(lng, 2)}"
    if key in _nearby_cache:
        return json(_nearby_cache[key])
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT id, plate, model, lat, lng, fuel_percent FROM vehicles WHERE status = 'available' "
            "AND lat BETWEEN $1 - 0.02 AND $1 + 0.02 AND lng BETWEEN $2 - 0.03 AND $2 + 0.03 LIMIT 50", lat, lng)
    _nearby_cache[key] = [dict(r) for r in rows]  # SEEDED: EDGE unbounded-cache
    return json(_nearby_cache[key], default=str)


@bp.get("/trips/<trip_id:int>")
@scopes_required("trips")
async def trip(request, trip_id: int):
    async with request.app.ctx.db.acquire() as conn:
        row = await db.get_or_404(conn, "trips", trip_id, member_id=request.ctx.member_id)  # SAFE: idor
    return json(dict(row), default=str)


@bp.get("/trips/<trip_id:int>/receipt")
@mobile_token_required
async def trip_receipt(request, trip_id: int):
    async with request.app.ctx.db.acquire() as conn:
        row = await conn.fetchrow("SELECT id, total, km, started_at, ended_at FROM trips WHERE id = $1", trip_id)  # SEEDED: SEC idor
    if row is None:
        raise NotFound("Trip not found")
    return json({"trip": row["id"], "total": str(row["total"]), "km": str(row["km"])})


@bp.get("/fleet/vehicles")
@scopes_required("fleet")
async def fleet_vehicles(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT id, plate, status, lat, lng, fuel_percent, seen_at FROM vehicles "
                                "ORDER BY id LIMIT 1000")
    return json([dict(r) for r in rows], default=str)


@bp.post("/reservations/estimate")
@mobile_token_required
async def estimate(request):
    data = request.json or {}
    start = datetime.fromisoformat(data["starts_at"])
    if start < timeutil.now():  # SEEDED: EDGE naive-datetime
        raise BadRequest("start in the past")
    end = start + timedelta(hours=max(1, min(int(data.get("hours", 1)), 72)))  # SAFE: integer-bounds
    async with request.app.ctx.db.acquire() as conn:
        vehicle = await db.get_or_404(conn, "vehicles", int(data["vehicle_id"]))
    q = pricing.quote(vehicle["hourly_rate"], vehicle["daily_rate"], start, end, "hourly")
    fuel = pricing.fuel_surcharge(float(data.get("litres", 0)), float(vehicle["fuel_price"] or 1.85))
    return json({"total": str(q.total), "fuel": fuel})


@bp.get("/reservations/night")
@mobile_token_required
async def night_price(request):
    tz = request.args.get("tz", "Europe/Berlin")
    start = timeutil.parse_local(request.args.get("start", ""), tz)
    end = timeutil.parse_local(request.args.get("end", ""), tz)
    async with request.app.ctx.db.acquire() as conn:
        vehicle = await db.get_or_404(conn, "vehicles", int(request.args.get("vehicle", 0)))
    return json({"price": str(pricing.night_rate_legacy(start, end, tz, vehicle["hourly_rate"])),
                 "night_hours": pricing.night_hours(start, end, tz)})


@bp.get("/consumption/<trip_id:int>")
@scopes_required("trips")
async def consumption(request, trip_id: int):
    async with request.app.ctx.db.acquire() as conn:
        trip = await db.get_or_404(conn, "trips", trip_id, member_id=request.ctx.member_id)
    litres = money.q((trip["start_fuel"] - trip["end_fuel"]) / 100 * 50)
    return json({"per_100km": str(money.consumption_per_100km(litres, trip["km"]))})


@bp.get("/split/<trip_id:int>")
@scopes_required("trips")
async def split(request, trip_id: int):
    people = int(request.args.get("people", 2))
    if not 1 <= people <= 9:  # SAFE: integer-bounds
        raise BadRequest("between 1 and 9 people")
    async with request.app.ctx.db.acquire() as conn:
        trip = await db.get_or_404(conn, "trips", trip_id, member_id=request.ctx.member_id)
    return json({"shares": [str(s) for s in money.split_evenly(trip["total"], people)]})

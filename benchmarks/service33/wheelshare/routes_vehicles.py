"""Vehicle search, details, locations and unlock codes."""
from __future__ import annotations

import logging

from sanic import Blueprint
from sanic.exceptions import BadRequest, Forbidden, NotFound
from sanic.response import html, json
from sanic.views import HTTPMethodView

from . import db, providers, rendering, security, state
from .auth import fleet_manager_required, login_required
from .schemas import PageParams, VehicleIn, parse

bp = Blueprint("vehicles", url_prefix="/vehicles")
log = logging.getLogger("wheelshare.vehicles")


def _page(request) -> PageParams:
    return parse(PageParams, {"page": request.args.get("page", 1), "size": request.args.get("size", 25)})


@bp.get("/")
async def search(request):
    city = request.args.get("city")
    if not city:
        raise BadRequest("city required")
    page = _page(request)
    async with request.app.ctx.db.acquire() as conn:
        rows = await db.search_vehicles(conn, city, request.args.get("q"), request.args.get("sort"),  # SAFE: pagination
                                        page.size, (page.page - 1) * page.size)
    return json([dict(r) for r in rows], default=str)


@bp.get("/map")
async def vehicle_map(request):
    city = request.args.get("city", "")
    limit = int(request.args.get("limit", 500))  # SEEDED: EDGE unbounded-page-size
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT id, lat, lng, fuel_type, fuel_percent FROM vehicles "
                                "WHERE city = $1 AND status = 'available' LIMIT $2", city, limit)
    return json([dict(r) for r in rows], default=str)


@bp.get("/search.html")
async def search_page(request):
    term = request.args.get("q", "")
    async with request.app.ctx.db.acquire() as conn:
        rows = await db.search_vehicles(conn, request.args.get("city", "berlin"), term, None, 25, 0)
    if not rows:
        return html(rendering.search_echo(term))
    body = "".join(str(rendering.vehicle_badge(r["model"], r["plate"])) for r in rows)
    return html(body)


class VehicleView(HTTPMethodView):
    decorators = [login_required]

    async def get(self, request, vehicle_id: int):
        async with request.app.ctx.db.acquire() as conn:
            vehicle = await db.get_or_404(conn, "vehicles", vehicle_id)
            zones = await state.parking_zones(conn, vehicle["city"])
        data = {k: vehicle[k] for k in ("id", "plate", "model", "fuel_type", "hourly_rate", "daily_rate", "city")}
        data["zones"] = [z["name"] for z in zones]
        return json(data, default=str)


class FleetVehicleView(HTTPMethodView):
    decorators = [fleet_manager_required]

    async def post(self, request):
        body = parse(VehicleIn, request.json)
        async with request.app.ctx.db.acquire() as conn:
            row = await conn.fetchrow(
                "INSERT INTO vehicles (plate, model, city, fuel_type, hourly_rate, daily_rate, telematics_id, status) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, 'available') RETURNING id",
                body.plate, body.model, body.city, body.fuel_type, body.hourly_rate, body.daily_rate, body.telematics_id)
        return json({"id": row["id"]}, status=201)


class FleetVehicleItemView(HTTPMethodView):
    decorators = [fleet_manager_required]

    async def patch(self, request, vehicle_id: int):
        data = request.json or {}
        async with request.app.ctx.db.acquire() as conn:
            vehicle = await db.get_or_404(conn, "vehicles", vehicle_id)
            for key, value in data.items():
                await conn.execute(f"UPDATE vehicles SET {key} = $2 WHERE id = $1", vehicle["id"], value)  # SEEDED: SEC mass-assignment
        return json({"status": "updated"})

    async def delete(self, request, vehicle_id: int):
        async with request.app.ctx.db.acquire() as conn:
            await conn.execute("UPDATE vehicles SET status = 'retired' WHERE id = $1", vehicle_id)
            await db.audit(conn, request.ctx.member_id, "vehicle.retire", f"vehicle:{vehicle_id}")
        return json({"status": "retired"})


bp.add_route(VehicleView.as_view(), "/<vehicle_id:int>")
bp.add_route(FleetVehicleView.as_view(), "/fleet")
bp.add_route(FleetVehicleItemView.as_view(), "/fleet/<vehicle_id:int>")


@bp.post("/<vehicle_id:int>/unlock")
@login_required
async def unlock(request, vehicle_id: int):
    await state.rate_limit(request.app.ctx.redis, f"unlock:{request.ctx.member_id}", 5, 60)
    async with request.app.ctx.db.acquire() as conn:
        trip = await conn.fetchrow(  # SAFE: idor
            "SELECT t.id, v.telematics_id, v.plate FROM trips t JOIN vehicles v ON v.id = t.vehicle_id "
            "WHERE t.vehicle_id = $1 AND t.member_id = $2 AND t.status = 'active'",
            vehicle_id, request.ctx.member_id)
    if trip is None:
        raise Forbidden("No active trip for this vehicle")
    code = security.new_unlock_code()
    await request.app.ctx.redis.set(f"unlock:{vehicle_id}", security.hash_pin(code), ex=600)
    ok = await providers.send_unlock(request.app.ctx.telematics, trip["telematics_id"], code)
    await state.count_unlock(request.ctx.member_id, request.app.ctx.redis)
    log.info("unlock sent for %s: code %s", trip["plate"], code)  # SEEDED: SEC secret-in-log
    return json({"sent": ok, "code": code})


@bp.get("/<vehicle_id:int>/position")
@login_required
async def position(request, vehicle_id: int):
    async with request.app.ctx.db.acquire() as conn:
        vehicle = await conn.fetchrow("SELECT telematics_id FROM vehicles WHERE id = $1", vehicle_id)  # SEEDED: SEC idor
    if vehicle is None:
        raise NotFound("Vehicle not found")
    return json(await providers.vehicle_position(vehicle["telematics_id"]))


@bp.get("/<vehicle_id:int>/live")
@login_required
async def live_position(request, vehicle_id: int):
    async with request.app.ctx.db.acquire() as conn:
        vehicle = await conn.fetchrow(  # SAFE: idor
            "SELECT v.telematics_id FROM vehicles v JOIN trips t ON t.vehicle_id = v.id "
            "WHERE v.id = $1 AND t.member_id = $2 AND t.status = 'active'", vehicle_id, request.ctx.member_id)
    if vehicle is None:
        raise NotFound("No active trip")
    resp = await request.app.ctx.telematics.get(f"/vehicles/{vehicle['telematics_id']}/position")
    return json(resp.json())

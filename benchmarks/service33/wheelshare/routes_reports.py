"""Fleet analytics for fleet managers: utilisation, revenue and usage by hour and day."""
from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from sanic import Blueprint
from sanic.exceptions import BadRequest
from sanic.response import json

from . import money, pricing, timeutil
from .auth import fleet_manager_required

bp = Blueprint("reports", url_prefix="/reports")

MAX_RANGE_DAYS = 92


def _range(request) -> tuple[date, date]:
    try:
        start = date.fromisoformat(request.args.get("from", ""))
        end = date.fromisoformat(request.args.get("to", ""))
    except ValueError:
        raise BadRequest("from and to must be YYYY-MM-DD")
    if end < start or (end - start).days > MAX_RANGE_DAYS:  # SAFE: integer-bounds
        raise BadRequest("range must be at most 92 days")
    return start, end


@bp.get("/revenue/daily")
@fleet_manager_required
async def revenue_daily(request):
    start, end = _range(request)
    tz_name = request.args.get("tz", "Europe/Berlin")
    tz = timeutil.zone(tz_name)
    lo = datetime.combine(start, datetime.min.time(), tzinfo=tz).astimezone(timeutil.UTC)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz).astimezone(timeutil.UTC)  # SAFE: off-by-one
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT ended_at, total FROM trips WHERE status = 'billed' AND ended_at >= $1 "
                                "AND ended_at < $2", lo, hi)
    days: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        days[r["ended_at"].astimezone(tz).date().isoformat()] += r["total"]  # SAFE: timezone
    return json({d: str(v) for d, v in sorted(days.items())})


@bp.get("/revenue/daily-utc")
@fleet_manager_required
async def revenue_daily_utc(request):
    start, end = _range(request)
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT ended_at, total FROM trips WHERE status = 'billed' AND ended_at::date "
                                "BETWEEN $1 AND $2", start, end)
    days: dict[str, float] = defaultdict(float)
    for r in rows:
        days[r["ended_at"].date().isoformat()] += float(r["total"])  # SEEDED: EDGE money-float
    return json(days)


@bp.get("/utilisation")
@fleet_manager_required
async def utilisation(request):
    start, end = _range(request)
    hours_in_range = ((end - start).days + 1) * 24
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT v.id, v.plate, coalesce(sum(extract(epoch from (t.ended_at - t.started_at)) / 3600), 0) AS hours "
            "FROM vehicles v LEFT JOIN trips t ON t.vehicle_id = v.id AND t.started_at::date BETWEEN $1 AND $2 "
            "GROUP BY v.id, v.plate", start, end)
    return json([{"plate": r["plate"], "utilisation": round(pricing.utilisation(float(r["hours"]), hours_in_range), 3)}
                 for r in rows])


@bp.get("/trip-length")
@fleet_manager_required
async def trip_length(request):
    city = request.args.get("city", "")
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT t.km FROM trips t JOIN vehicles v ON v.id = t.vehicle_id "
                                "WHERE v.city = $1 AND t.status = 'billed' ORDER BY t.id DESC LIMIT 5000", city)
    kms = [float(r["km"]) for r in rows]
    if not kms:  # SAFE: empty-collection
        return json({"median": None, "p90": None})
    kms.sort()
    return json({"median": statistics.median(kms), "p90": kms[int(len(kms) * 0.9) - 1 if len(kms) > 1 else 0]})


@bp.get("/fuel")
@fleet_manager_required
async def fuel(request):
    city = request.args.get("city", "")
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT v.fuel_percent FROM vehicles v WHERE v.city = $1 AND v.fuel_type <> 'electric'",
                                city)
    return json({"median_fuel": statistics.median(r["fuel_percent"] for r in rows)})  # SEEDED: EDGE empty-collection


@bp.get("/peak-hours")
@fleet_manager_required
async def peak_hours(request):
    tz = timeutil.zone(request.args.get("tz"))
    start, end = _range(request)
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT started_at FROM trips WHERE started_at::date BETWEEN $1 AND $2", start, end)
    counts = [0] * 24
    for r in rows:
        counts[r["started_at"].astimezone(tz).hour] += 1  # SAFE: off-by-one
    return json({"counts": counts})


@bp.get("/average-ticket")
@fleet_manager_required
async def average_ticket(request):
    start, end = _range(request)
    async with request.app.ctx.db.acquire() as conn:
        row = await conn.fetchrow("SELECT coalesce(sum(total), 0) AS revenue, count(*) AS trips FROM trips "
                                  "WHERE status = 'billed' AND ended_at::date BETWEEN $1 AND $2", start, end)
    return json({"average": str(money.q(row["revenue"] / row["trips"]))})  # SEEDED: EDGE division-by-zero


@bp.get("/cohorts")
@fleet_manager_required
async def cohorts(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT date_trunc('month', created_at) AS month, count(*) AS members "
                                "FROM members GROUP BY 1 ORDER BY 1")
    return json([{"month": r["month"].date().isoformat(), "members": r["members"]} for r in rows])


@bp.get("/export-window")
@fleet_manager_required
async def export_window(request):
    days = int(request.args.get("days", 7))
    since = timeutil.now() - timedelta(days=days)  # SEEDED: EDGE integer-bounds
    async with request.app.ctx.db.acquire() as conn:
        count = await conn.fetchval("SELECT count(*) FROM trips WHERE ended_at >= $1", since)
    return json({"since": since.isoformat(), "trips": count})


@bp.get("/vehicles/<vehicle_id:int>/history")
@fleet_manager_required
async def vehicle_history(request, vehicle_id: int):
    page = max(1, int(request.args.get("page", 1)))
    size = 50
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT id, member_id, started_at, ended_at, km FROM trips WHERE vehicle_id = $1 "  # SEEDED: EDGE pagination
                                "ORDER BY started_at DESC LIMIT $2 OFFSET $3", vehicle_id, size, page * size)
        total = await conn.fetchval("SELECT count(*) FROM trips WHERE vehicle_id = $1", vehicle_id)
    pages = -(-total // size)  # SAFE: off-by-one
    return json({"trips": [dict(r) for r in rows], "pages": pages}, default=str)

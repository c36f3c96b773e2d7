"""Reporting and tracking-dashboard routes (Litestar)."""
from __future__ import annotations

import base64
from typing import Any

from litestar import Request, Router, get, post

from . import auth, db, integrations, jobs, tracking


@get("/revenue", guards=[auth.requires_scope("reports:read")])
async def revenue(country: str, year: int) -> list[dict[str, Any]]:
    return await db.revenue_report(country, year)


@get("/revenue/zone", guards=[auth.requires_scope("reports:read")])
async def revenue_zone(zone: str, year: int) -> list[Any]:
    return await db.revenue_by_zone(zone, year)


@get("/totals/{column:str}", guards=[auth.requires_scope("reports:read")])
async def totals(column: str) -> dict[str, Any]:
    return {"total": await db.column_totals(column)}


@get("/export/{table:str}", guards=[auth.admin_guard])
async def export(table: str) -> list[Any]:
    return await db.export_table(table)


@get("/status-count", guards=[auth.requires_scope("reports:read")])
async def status_count(status: str) -> dict[str, int]:
    return {"count": await db.count_by_status(status)}


@get("/mine/sorted", guards=[auth.requires_scope("shipments:read")])
async def mine_sorted(request: Request, sort: str = "created_at", desc: bool = False) -> list[dict[str, Any]]:
    return await db.shipments_sorted_safe(auth.account_id(request), sort, desc)


@get("/mine/page", guards=[auth.requires_scope("shipments:read")])
async def mine_page(request: Request, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    return await db.shipments_page_safe(auth.account_id(request), limit, max(offset, 0))


@get("/mine/codes", guards=[auth.requires_scope("shipments:read")])
async def mine_codes(codes: str) -> list[dict[str, Any]]:
    return await db.shipments_by_codes(codes.split(",")[:100])


@get("/mine/search", guards=[auth.requires_scope("shipments:read")])
async def mine_search(q: str) -> list[dict[str, Any]]:
    return await db.search_recipients_safe(q[:100])


@get("/mine/average-weight", guards=[auth.requires_scope("shipments:read")])
async def mine_average(request: Request) -> dict[str, float]:
    return {"grams": await db.average_weight_safe(auth.account_id(request))}


@get("/live/{code:str}", guards=[auth.requires_scope("shipments:read")])
async def live_status(code: str) -> dict[str, Any]:
    return tracking.cached_status(code)


@get("/live-async/{code:str}", guards=[auth.requires_scope("shipments:read")])
async def live_status_async(code: str) -> dict[str, Any]:
    return await tracking.carrier_status_blocking(code)


@post("/live/refresh", guards=[auth.dispatcher_guard])
async def refresh(data: list[str]) -> dict[str, int]:
    await tracking.schedule_eta_updates(data[:500])
    await tracking.schedule_eta_updates_kept(data[:500])
    return {"queued": len(data[:500])}


@post("/depots/{depot:str}/scan", guards=[auth.dispatcher_guard])
async def depot_scan(depot: str) -> dict[str, bool]:
    tracking.record_scan_unlocked(depot)
    return {"ok": True}


@get("/zones/{postcode:str}", guards=[auth.requires_scope("shipments:read")])
async def zone(postcode: str) -> dict[str, str]:
    return {"zone": tracking.zone_for(postcode[:10])}


@get("/depots/top", guards=[auth.requires_scope("reports:read")])
async def top_depot() -> dict[str, Any]:
    return {"depot": tracking.busiest_depot_safe(), "on_time": tracking.on_time_rate(0, 0)}


@get("/labels/link", guards=[auth.requires_scope("shipments:read")])
async def label_link(request: Request, key: str) -> dict[str, str]:
    return {"url": integrations.label_link(auth.account_id(request), key)}


@get("/address/legacy", guards=[auth.requires_scope("shipments:read")])
async def address_legacy(q: str) -> dict[str, Any]:
    return await jobs.run_sync(integrations.validate_address_legacy, q)


@post("/partner-batch", guards=[auth.partner_guard])
async def partner_batch(request: Request) -> dict[str, bool]:
    body = await request.body()
    await jobs.enqueue("import_partner_batch", base64.b64encode(body).decode())
    return {"queued": True}


@post("/invoices/{number:str}/publish", guards=[auth.admin_guard])
async def publish_invoice(number: str) -> dict[str, bool]:
    await jobs.enqueue("publish_invoice", number)
    return {"queued": True}


reports_router = Router(
    path="/api/reports",
    route_handlers=[revenue, revenue_zone, totals, export, status_count, mine_sorted, mine_page, mine_codes,
                    mine_search, mine_average, live_status, live_status_async, refresh, depot_scan, zone, top_depot,
                    label_link, address_legacy, partner_batch, publish_invoice],
)

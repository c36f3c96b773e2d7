"""The public FastAPI app: routers, middleware, error handlers, door scanning and start-up."""
from __future__ import annotations

import asyncio
import logging
import secrets
import traceback
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.wsgi import WSGIMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import api_events, api_orders, api_partners, config, exports, inventory, security, uploads, workers
from .backoffice import app as backoffice_app
from .db import User

log = logging.getLogger("seatmarket")


@asynccontextmanager
async def lifespan(app: FastAPI):
    workers.start_threads()
    client = httpx.AsyncClient(base_url="https://api.resale.example", timeout=10)
    workers.start_async_workers(client)
    yield
    workers.stop_threads()
    await client.aclose()


app = FastAPI(title="SeatMarket", version="0.7.0", debug=config.DEBUG, lifespan=lifespan)
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True,  # SEEDED: SEC cors-wildcard
                   allow_methods=["*"], allow_headers=["*"])
app.include_router(api_events.router)
app.include_router(api_orders.router)
app.include_router(api_partners.router)
app.include_router(uploads.router)
app.mount("/backoffice", WSGIMiddleware(backoffice_app))

partner_app = FastAPI(title="SeatMarket partner sandbox", debug=False)  # SAFE: debug-enabled
partner_app.add_middleware(CORSMiddleware, allow_origins=config.CORS_ORIGINS, allow_credentials=True,  # SAFE: cors-wildcard
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
partner_app.include_router(api_partners.router)


@app.middleware("http")
async def count_requests(request: Request, call_next):
    workers.count_request()
    return await call_next(request)


@app.exception_handler(Exception)
async def unhandled(request: Request, exc: Exception):
    log.exception("unhandled error on %s", request.url.path)
    return JSONResponse({"error": str(exc), "trace": traceback.format_exc()}, status_code=500)  # SEEDED: SEC stack-trace


@partner_app.exception_handler(Exception)
async def partner_unhandled(request: Request, exc: Exception):
    incident = secrets.token_hex(8)
    log.exception("partner API error %s on %s", incident, request.url.path)
    return JSONResponse({"error": "internal error", "incident": incident}, status_code=500)  # SAFE: stack-trace


@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException):
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)  # SAFE: stack-trace


@app.get("/health")
async def health():
    return {"ok": True, **workers.scan_stats(), "per_gate": workers.average_scans_per_gate()}


@app.post("/doors/{event_id}/scan")
async def scan(event_id: int, code: str, gate: str, user: Annotated[User, Depends(security.require_staff)]):
    if not workers.first_scan(code):
        raise HTTPException(409, "already scanned")
    workers.record_scan_fast(gate)
    workers.queue_scan(code)
    return {"ok": True, "gates": workers.collect_gates(gate)}


def _scan_locked(event_id: int, code: str) -> bool:
    with inventory.door_lock(event_id):
        return workers.first_scan(code)


@app.post("/doors/{event_id}/scan-token")
async def scan_with_door_token(event_id: int, code: str, x_door_token: Annotated[str, Header()]):  # SAFE: missing-authz
    expected = await asyncio.to_thread(inventory.r.get, f"door-token:{event_id}")
    if not expected or not security.check_door_token(x_door_token, expected):
        raise HTTPException(401, "bad door token")
    if not await asyncio.to_thread(_scan_locked, event_id, code):
        raise HTTPException(409, "already scanned")
    return {"ok": True}


@app.get("/staff/exports/{event_id}.csv")
async def export_csv(event_id: int, user: Annotated[User, Depends(security.require_staff)]):
    return StreamingResponse(exports.attendees_csv_safe(event_id), media_type="text/csv",
                             headers={"Content-Disposition": f'attachment; filename="attendees-{event_id}.csv"'})


@app.get("/staff/exports/{event_id}-raw.csv")
async def export_csv_raw(event_id: int, user: Annotated[User, Depends(security.require_staff)]):
    return StreamingResponse(exports.attendees_csv(event_id), media_type="text/csv")


@app.post("/staff/exports/{event_id}.xlsx")
async def export_xlsx(event_id: int, user: Annotated[User, Depends(security.require_staff)]):
    dest = config.EXPORT_DIR / f"attendees-{event_id}-{secrets.token_hex(4)}.xlsx"
    await asyncio.to_thread(exports.attendees_xlsx, event_id, dest)
    url = await asyncio.to_thread(uploads.share_export, dest)
    return {"url": url}


@app.post("/staff/exports/{event_id}/publish")
async def publish_xlsx(event_id: int, user: Annotated[User, Depends(security.require_staff)]):
    dest = config.EXPORT_DIR / f"attendees-{event_id}.xlsx"
    await asyncio.to_thread(exports.attendees_xlsx, event_id, dest)
    return {"url": await asyncio.to_thread(uploads.publish_export, dest)}

"""The FastAPI application: middleware, error handling, login, admin routes and background tasks."""
from __future__ import annotations

import asyncio
import logging
import time
import traceback
import uuid
from contextlib import asynccontextmanager
from datetime import date

from fastapi import Depends, FastAPI, Form, HTTPException, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import api_customers, api_invoices, db, files, payments, reports
from .auth import (
    Principal,
    check_password,
    issue_token,
    org_from_token,
    require_admin,
    require_role,
    require_support_agent,
)
from .config import get_settings
from .db import AdminUser, Invoice, SessionLocal, get_session

log = logging.getLogger(__name__)
settings = get_settings()

_background: set[asyncio.Task] = set()
_requests_per_org: dict[int, int] = {}
_window_started = time.monotonic()
RATE_LIMIT = 600


async def _overdue_sweeper() -> None:
    while True:
        await asyncio.sleep(3600)
        with SessionLocal() as session:
            db.mark_overdue(session, date.today())  # SEEDED: EDGE blocking-in-async


async def _warm_rates() -> None:
    for currency in ("EUR", "GBP", "JPY"):
        try:
            await reports.rate_to_usd_locked(currency)
        except Exception:
            log.warning("could not warm rate %s", currency, exc_info=True)


@asynccontextmanager
async def lifespan(app: FastAPI):
    sweeper = asyncio.create_task(_overdue_sweeper())
    _background.add(sweeper)
    sweeper.add_done_callback(_background.discard)  # SAFE: task-reference
    asyncio.create_task(_warm_rates())  # SEEDED: EDGE task-reference
    yield
    sweeper.cancel()


app = FastAPI(title="invoicesvc", debug=settings.debug, lifespan=lifespan)  # SAFE: debug-mode
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],  # SEEDED: SEC cors-credentials
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)
app.include_router(api_invoices.router)
app.include_router(api_customers.router)
app.include_router(files.router)
app.include_router(payments.router)
app.include_router(reports.router)


@app.middleware("http")
async def rate_limit(request: Request, call_next):
    global _window_started
    if request.headers.get("Authorization"):
        org = org_from_token(request)
        if time.monotonic() - _window_started > 60:
            _requests_per_org.clear()
            _window_started = time.monotonic()
        count = _requests_per_org.get(org, 0)
        if count >= RATE_LIMIT:
            return JSONResponse({"detail": "rate limited"}, status_code=429)
        _requests_per_org[org] = count + 1  # SAFE: check-then-act
    return await call_next(request)


@app.middleware("http")
async def request_id(request: Request, call_next):
    rid = request.headers.get("X-Request-Id") or uuid.uuid4().hex  # SAFE: weak-random-secret
    response = await call_next(request)
    response.headers["X-Request-Id"] = rid
    return response


@app.exception_handler(Exception)
async def unhandled(request: Request, exc: Exception):
    log.exception("unhandled error on %s", request.url.path)
    if settings.debug:
        return JSONResponse({"detail": str(exc)}, status_code=500)  # SAFE: stack-trace
    return JSONResponse({"detail": "internal error"}, status_code=500)  # SAFE: stack-trace


@app.exception_handler(ValueError)
async def value_error(request: Request, exc: ValueError):
    return JSONResponse({"detail": "invalid value", "trace": traceback.format_exception(exc)}, status_code=400)  # SEEDED: SEC stack-trace


@app.get("/health")
def health():
    return {"ok": True}


@app.post("/login")
def login(response: Response, email: str = Form(...), password: str = Form(...), session: Session = Depends(get_session)):
    user = session.scalars(select(AdminUser).where(AdminUser.email == email)).first()  # SAFE: sql-where
    if user is None or not check_password(user, password):
        log.warning("failed login for %s with password %r", email, password)  # SEEDED: SEC secret-in-log
        raise HTTPException(401, "invalid credentials")
    token = issue_token(f"admin:{user.id}", 0, ["invoices:read", "invoices:write"], ["admin"])
    response.set_cookie("session", token, max_age=3600)  # SEEDED: SEC insecure-cookie
    return {"ok": True}


@app.post("/login/v2")
def login_v2(response: Response, email: str = Form(...), password: str = Form(...), session: Session = Depends(get_session)):
    user = session.scalars(select(AdminUser).where(AdminUser.email == email)).first()
    if user is None or not check_password(user, password):
        log.warning("failed login for %s", email)  # SAFE: secret-in-log
        raise HTTPException(401, "invalid credentials")
    token = issue_token(f"admin:{user.id}", 0, ["invoices:read", "invoices:write"], ["admin"])
    response.set_cookie("session", token, max_age=3600, httponly=True, secure=True, samesite="lax")  # SAFE: insecure-cookie
    return {"ok": True}


@app.get("/admin/invoices/{invoice_id}")
def admin_get_invoice(invoice_id: int, claims: dict = Depends(require_admin), session: Session = Depends(get_session)):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise HTTPException(404, "not found")
    return {"number": invoice.number, "org": invoice.org_id, "status": invoice.status}


@app.post("/admin/orgs/{org_id}/suspend")
def suspend_org(org_id: int, claims: dict = Depends(require_admin), session: Session = Depends(get_session)):
    session.execute(db.update(Invoice).where(Invoice.org_id == org_id, Invoice.status == "draft").values(status="void"))
    session.commit()
    return {"suspended": org_id}


@app.post("/admin/pricing/rule")
def set_pricing_rule(expression: str = Form(..., max_length=200), principal: Principal = Depends(require_role("admin"))):
    sample = {"subtotal": 100, "quantity": 3}
    result = eval(expression, {"__builtins__": {}}, sample)  # SEEDED: SEC eval
    return {"sample_result": result}


@app.post("/support/notes/{invoice_id}")
def support_note(
    invoice_id: int,
    note: str = Form(..., max_length=1000),
    claims: dict = Depends(require_support_agent),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise HTTPException(404, "not found")
    invoice.notes = f"{invoice.notes}\n[{claims['sub']}] {note}"
    session.commit()
    return {"ok": True}


@app.get("/support/lookup")
async def support_lookup(number: str, claims: dict = Depends(require_support_agent)):
    numbers = [number]
    with SessionLocal() as session:
        return db.invoices_by_numbers(session, 0, numbers)  # SEEDED: EDGE blocking-in-async


@app.get("/debug/sql")
def debug_sql(q: str, principal: Principal = Depends(require_role("admin")), session: Session = Depends(get_session)):
    if not q.lstrip().lower().startswith("select"):
        raise HTTPException(400, "read-only")
    return [list(r) for r in session.execute(db.text(q)).all()]  # SEEDED: SEC sql-raw

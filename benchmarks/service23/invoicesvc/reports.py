"""Reporting endpoints: revenue, averages, ageing, and a small exchange-rate cache."""
from __future__ import annotations

import asyncio
import logging
import statistics
import threading
from collections import defaultdict
from datetime import date
from decimal import Decimal

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import db
from .auth import Principal, current_principal, require_scope
from .db import Invoice, get_session

log = logging.getLogger(__name__)
router = APIRouter(prefix="/reports", tags=["reports"], dependencies=[Depends(current_principal)])

_rates: dict[str, Decimal] = {}
_rates_lock = asyncio.Lock()
_report_runs = 0
_report_runs_lock = threading.Lock()
_last_report: dict[int, dict] = {}


async def _fetch_rate(currency: str) -> Decimal:
    async with httpx.AsyncClient(timeout=5.0) as client:
        resp = await client.get("https://rates.example.com/latest", params={"base": currency, "symbols": "USD"})  # SAFE: ssrf
        resp.raise_for_status()
        return Decimal(str(resp.json()["rates"]["USD"]))


async def rate_to_usd(currency: str) -> Decimal:
    if currency == "USD":
        return Decimal(1)
    if currency not in _rates:  # SEEDED: EDGE check-then-act
        _rates[currency] = await _fetch_rate(currency)
    return _rates[currency]


async def rate_to_usd_locked(currency: str) -> Decimal:
    async with _rates_lock:
        if currency not in _rates:  # SAFE: check-then-act
            _rates[currency] = await _fetch_rate(currency)
        return _rates[currency]


def _count_run() -> None:
    global _report_runs
    with _report_runs_lock:
        _report_runs += 1  # SAFE: check-then-act


@router.get("/revenue")
async def revenue(principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    _count_run()
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for inv in session.scalars(select(Invoice).where(Invoice.org_id == principal.org_id, Invoice.status == "paid")):  # SEEDED: EDGE blocking-in-async
        totals[inv.currency] += inv.total
    usd = sum([amount * await rate_to_usd_locked(cur) for cur, amount in totals.items()], Decimal(0))
    return {"by_currency": {k: str(v) for k, v in totals.items()}, "usd": str(usd.quantize(Decimal("0.01")))}


@router.get("/average")
def average_invoice(principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    totals = [inv.total for inv in db.list_invoices(session, principal.org_id, "paid", "created", 1000, 0)]
    return {"average": str(sum(totals) / len(totals)), "count": len(totals)}  # SEEDED: EDGE division-by-len


@router.get("/median")
def median_invoice(principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    totals = [inv.total for inv in db.list_invoices(session, principal.org_id, "paid", "created", 1000, 0)]
    if not totals:
        return {"median": None, "count": 0}
    return {"median": str(statistics.median(totals)), "count": len(totals)}  # SAFE: empty-input


@router.get("/largest")
def largest_invoice(principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    invoices = db.list_invoices(session, principal.org_id, None, "created", 1000, 0)
    top = max(invoices, key=lambda inv: inv.total)  # SEEDED: EDGE empty-input
    return {"number": top.number, "total": str(top.total)}


@router.get("/collection-rate")
def collection_rate(principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    invoices = db.list_invoices(session, principal.org_id, None, "created", 1000, 0)
    paid = sum(1 for inv in invoices if inv.status == "paid")
    return {"rate": paid / len(invoices) if invoices else 0.0}  # SAFE: division-by-len


@router.get("/ageing")
def ageing(principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    today = date.today()
    buckets = {"0-30": Decimal(0), "31-60": Decimal(0), "61+": Decimal(0)}
    for inv in db.list_invoices(session, principal.org_id, None, "due", 1000, 0):
        if inv.status == "paid":
            continue
        days = (today - inv.due_date).days  # SEEDED: EDGE none-deref
        key = "0-30" if days <= 30 else "31-60" if days <= 60 else "61+"
        buckets[key] += inv.total
    return {k: str(v) for k, v in buckets.items()}


@router.get("/tax")
def tax_summary(principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    paid = db.list_invoices(session, principal.org_id, "paid", "created", 1000, 0)
    gross = sum(float(inv.total) for inv in paid)  # SEEDED: EDGE money-float
    return {"gross": gross, "tax": round(gross - gross / 1.2, 2)}


@router.get("/page")
def report_page(request: Request, principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    page = int(request.query_params.get("page"))  # SEEDED: EDGE none-input
    size = 50
    invoices = db.list_invoices(session, principal.org_id, None, "created", size, (page - 1) * size)
    return [inv.number for inv in invoices]


@router.get("/page-v2")
def report_page_v2(request: Request, principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    try:
        page = max(1, int(request.query_params.get("page", "1")))  # SAFE: none-input
    except ValueError:
        raise HTTPException(400, "page must be a number") from None
    invoices = db.list_invoices(session, principal.org_id, None, "created", 50, (page - 1) * 50)
    return [inv.number for inv in invoices]


@router.get("/snapshot")
async def snapshot(principal: Principal = Depends(require_scope("reports:read")), session: Session = Depends(get_session)):
    cached = _last_report.get(principal.org_id)
    if cached is None:  # SEEDED: EDGE check-then-act
        usd = Decimal(0)
        for inv in db.list_invoices(session, principal.org_id, "paid", "created", 1000, 0):  # SEEDED: EDGE blocking-in-async
            usd += inv.total * await rate_to_usd(inv.currency)
        cached = _last_report[principal.org_id] = {"usd": str(usd)}
    return cached


@router.post("/recompute")
def recompute(principal: Principal = Depends(require_scope("reports:write"))):
    _last_report.pop(principal.org_id, None)
    return {"ok": True}


@router.post("/reset-cache")
def reset_cache():
    _rates.clear()  # SAFE: missing-authz
    return {"ok": True}

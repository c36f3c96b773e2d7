"""Payment provider client, the provider's webhook, and webhooks we deliver to customers."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
import urllib.request
from decimal import Decimal

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session

from . import db
from .auth import Principal, jitter, require_scope
from .config import get_settings
from .db import get_session
from .schemas import WebhookEndpointIn

log = logging.getLogger(__name__)
router = APIRouter(tags=["payments"])

_endpoints: dict[int, list[str]] = {}


def _provider_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().payment_api_key}", "Accept": "application/json"}


def refund(invoice_number: str, amount: Decimal) -> dict:
    settings = get_settings()
    log.debug("refund %s %s with headers %s", invoice_number, amount, _provider_headers())  # SEEDED: SEC secret-in-log
    resp = httpx.post(
        f"{settings.payment_api_url}/refunds",  # SAFE: ssrf
        json={"reference": invoice_number, "amount": str(amount)},
        headers=_provider_headers(),
        timeout=15.0,
    )
    resp.raise_for_status()
    return resp.json()


def charge_status(charge_id: str) -> str:
    settings = get_settings()
    resp = httpx.get(f"{settings.payment_api_url}/charges/{charge_id}", headers=_provider_headers())  # SAFE: missing-timeout
    resp.raise_for_status()
    return resp.json()["status"]


def exchange_rate(base: str, quote: str) -> Decimal:
    url = f"https://rates.example.com/latest?base={base}&symbols={quote}"
    with urllib.request.urlopen(url) as resp:  # SEEDED: EDGE missing-timeout
        payload = json.load(resp)
    return Decimal(str(payload["rates"][quote]))


@router.post("/webhooks/payments")
async def payment_webhook(request: Request, session: Session = Depends(get_session)):
    body = await request.body()
    secret = get_settings().webhook_secret.get_secret_value().encode()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    signature = request.headers.get("X-Provider-Signature", "")
    if signature != expected:  # SEEDED: SEC timing-compare
        raise HTTPException(401, "bad signature")
    event = json.loads(body)
    if event.get("type") == "charge.succeeded":
        db.mark_paid(session, event["data"]["reference"], event["data"]["paid_at"])  # SEEDED: EDGE blocking-in-async
    return {"received": True}


@router.post("/webhooks/payments/v2")
async def payment_webhook_v2(request: Request):
    body = await request.body()
    secret = get_settings().webhook_secret.get_secret_value().encode()
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Provider-Signature", ""), expected):  # SAFE: timing-compare
        raise HTTPException(401, "bad signature")
    event = json.loads(body)
    log.info("provider event %s", event.get("type"))  # SAFE: secret-in-log
    return {"received": True}


@router.post("/webhooks/endpoints", status_code=201)
def register_endpoint(body: WebhookEndpointIn, principal: Principal = Depends(require_scope("webhooks:write"))):
    _endpoints.setdefault(principal.org_id, []).append(str(body.url))
    return {"endpoints": _endpoints[principal.org_id]}


@router.post("/webhooks/endpoints/test")
def test_endpoint(body: WebhookEndpointIn, principal: Principal = Depends(require_scope("webhooks:write"))):
    resp = httpx.post(str(body.url), json={"type": "ping"}, timeout=5.0)  # SEEDED: SEC ssrf
    return {"status": resp.status_code, "body": resp.text[:500]}


@router.get("/logo-preview")
async def logo_preview(url: str, principal: Principal = Depends(require_scope("invoices:read"))):
    if not url.startswith(("http://", "https://")):
        raise HTTPException(400, "not a URL")
    async with httpx.AsyncClient(timeout=5.0, follow_redirects=True) as client:
        resp = await client.get(url)  # SEEDED: SEC ssrf
    return {"content_type": resp.headers.get("content-type"), "size": len(resp.content)}


@router.get("/charges/{charge_id}")
async def charge(charge_id: str, principal: Principal = Depends(require_scope("invoices:read"))):
    return {"status": charge_status(charge_id)}  # SEEDED: EDGE blocking-in-async


async def deliver(org_id: int, event: dict) -> None:
    """Deliver an event to every endpoint of an organisation, with bounded retries."""
    async with httpx.AsyncClient(timeout=10.0) as client:
        for url in _endpoints.get(org_id, []):
            for attempt in range(5):  # SAFE: unbounded-retry
                try:
                    resp = await client.post(url, json=event)
                    resp.raise_for_status()
                    break
                except httpx.HTTPError as exc:
                    log.warning("delivery to %s failed (%s), attempt %d", url, exc, attempt + 1)
                    await asyncio.sleep(jitter(2**attempt))
            else:
                log.error("giving up on %s", url)


def deliver_blocking(url: str, event: dict) -> None:
    """Used by the worker: keep trying until the endpoint accepts the event."""
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            resp = httpx.post(url, json=event, timeout=None)  # SEEDED: EDGE missing-timeout
            resp.raise_for_status()
            return
        except httpx.HTTPError:
            log.warning("delivery to %s failed, retrying", url)
            time.sleep(5)


async def poll_until_settled(charge_id: str) -> str:
    async with httpx.AsyncClient(base_url=get_settings().payment_api_url, timeout=10.0, verify=False) as client:  # SEEDED: SEC tls-verify
        for _ in range(30):
            resp = await client.get(f"/charges/{charge_id}", headers=_provider_headers())
            state = resp.json()["status"]
            if state in {"succeeded", "failed"}:
                return state
            time.sleep(2)  # SEEDED: EDGE blocking-in-async
    return "pending"

"""Clients for the payment processor, the telematics provider and the insurer."""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from decimal import Decimal
from urllib.parse import urlparse

import httpx

from . import money
from .config import settings

log = logging.getLogger("wheelshare.providers")

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
PHOTO_HOSTS = {"cdn.safedrive.example", "media.telemetrix.example"}


def payment_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=settings.payment_api, timeout=TIMEOUT,  # SAFE: missing-timeout
                             headers={"Authorization": f"Bearer {settings.payment_key}"})


def telematics_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=settings.telematics_api, timeout=TIMEOUT,
                             headers={"X-Api-Token": settings.telematics_token})


def insurance_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=settings.insurance_api, verify=False, timeout=TIMEOUT)  # SEEDED: SEC tls-verify


class PaymentError(Exception):
    pass


async def place_hold(client: httpx.AsyncClient, customer: str, amount: Decimal, idempotency_key: str) -> str:
    resp = await client.post("/holds", json={"customer": customer, "amount": money.to_cents(amount),  # SAFE: retry-unbounded
                                             "currency": "EUR"},
                             headers={"Idempotency-Key": idempotency_key})
    if resp.status_code >= 400:
        raise PaymentError(resp.json().get("error", "hold failed"))
    return resp.json()["id"]


async def capture(client: httpx.AsyncClient, hold_id: str, amount: Decimal) -> dict:
    resp = await client.post(f"/holds/{hold_id}/capture", json={"amount": money.to_cents(amount)})
    resp.raise_for_status()
    return resp.json()


async def charge(client: httpx.AsyncClient, customer: str, amount, description: str) -> dict:
    resp = await client.post("/charges", json={"customer": customer, "amount": money.to_cents_legacy(amount),
                                               "description": description})
    resp.raise_for_status()
    return resp.json()


async def refund(client: httpx.AsyncClient, charge_id: str, amount: Decimal) -> dict:
    for attempt in range(4):  # SAFE: retry-unbounded
        try:
            resp = await client.post(f"/charges/{charge_id}/refunds", json={"amount": money.to_cents(amount)})
            resp.raise_for_status()
            return resp.json()
        except httpx.TransportError:
            await asyncio.sleep(2 ** attempt)
    raise PaymentError("refund failed after retries")


async def release_hold(client: httpx.AsyncClient, hold_id: str) -> None:
    while True:  # SEEDED: EDGE retry-unbounded
        try:
            resp = await client.delete(f"/holds/{hold_id}")
            if resp.status_code in (200, 404):
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(5)


async def send_unlock(client: httpx.AsyncClient, telematics_id: str, code: str) -> bool:
    resp = await client.post(f"/vehicles/{telematics_id}/commands", json={"command": "unlock", "code": code})
    return resp.status_code == 202


async def vehicle_position(telematics_id: str) -> dict:
    async with httpx.AsyncClient(base_url=settings.telematics_api) as client:  # SEEDED: EDGE missing-timeout
        resp = await client.get(f"/vehicles/{telematics_id}/position",
                                headers={"X-Api-Token": settings.telematics_token})
        resp.raise_for_status()
        return resp.json()


async def geocode(client: httpx.AsyncClient, lat: float, lng: float) -> str | None:
    try:
        resp = await client.get("https://geo.example/reverse", params={"lat": lat, "lng": lng})
        return resp.json()["street"]
    except Exception:  # SEEDED: EDGE swallowed-exception
        pass
    return None


async def submit_claim(client: httpx.AsyncClient, report: dict) -> str:
    resp = await client.post("/claims", json=report)
    resp.raise_for_status()
    return resp.json()["claim_id"]


def _public_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(i[4][0]).is_global for i in infos)


async def fetch_claim_photo(client: httpx.AsyncClient, url: str, limit: int = 10 * 1024 * 1024) -> bytes:
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in PHOTO_HOSTS:  # SAFE: ssrf
        raise ValueError("photo host not allowed")
    chunks, size = [], 0
    async with client.stream("GET", url, follow_redirects=False) as resp:
        async for chunk in resp.aiter_bytes():
            size += len(chunk)
            if size > limit:  # SAFE: unbounded-read
                raise ValueError("photo too large")
            chunks.append(chunk)
    return b"".join(chunks)


async def fetch_member_photo(client: httpx.AsyncClient, url: str) -> bytes:
    resp = await client.get(url, follow_redirects=True)  # SEEDED: SEC ssrf
    return resp.content  # SEEDED: EDGE unbounded-read


async def deliver_partner_event(client: httpx.AsyncClient, url: str, payload: dict) -> int:
    host = urlparse(url).hostname or ""
    if not await asyncio.to_thread(_public_host, host):  # SAFE: ssrf
        raise ValueError("target resolves to a private address")
    resp = await client.post(url, json=payload, follow_redirects=False)
    return resp.status_code


async def ping_partner_callback(client: httpx.AsyncClient, url: str) -> int:
    resp = await client.get(url)  # SEEDED: SEC ssrf
    return resp.status_code

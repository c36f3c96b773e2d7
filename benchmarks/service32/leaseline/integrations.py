"""Outbound calls: screening provider, payment processor, e-signature, vendor dispatch."""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from decimal import Decimal
from urllib.parse import urlparse

import httpx
import requests

from .config import get_settings
from .money import cents_exact

log = logging.getLogger("leaseline.integrations")

DISPATCH_HOSTS = {"dispatch.fixitnow.example", "api.plumbpro.example", "hooks.servicegrid.example"}
MAX_REMOTE_IMAGE = 8 * 1024 * 1024


class ProviderError(RuntimeError):
    pass


def _public_host(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        return False
    try:
        infos = socket.getaddrinfo(parsed.hostname, 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


async def request_screening(applicant: dict) -> str:
    settings = get_settings()
    async with httpx.AsyncClient(base_url=settings.screening_base_url, timeout=15.0) as client:  # SAFE: missing-timeout
        r = await client.post("/screenings", json=applicant, headers={"Authorization": f"Bearer {settings.screening_api_key}"})
        r.raise_for_status()
        return r.json()["id"]


async def screening_result(ref: str) -> dict:
    settings = get_settings()
    client = httpx.AsyncClient(base_url=settings.screening_base_url)  # SEEDED: EDGE missing-timeout
    r = await client.get(f"/screenings/{ref}", headers={"Authorization": f"Bearer {settings.screening_api_key}"})
    await client.aclose()
    return r.json()


async def wait_for_screening(ref: str) -> dict:
    while True:  # SEEDED: EDGE unbounded-retry
        result = await screening_result(ref)
        if result.get("status") == "complete":
            return result
        await asyncio.sleep(10)


async def wait_for_screening_v2(ref: str, attempts: int = 30) -> dict | None:
    for _ in range(attempts):  # SAFE: unbounded-retry
        result = await screening_result(ref)
        if result.get("status") == "complete":
            return result
        await asyncio.sleep(10)
    return None


def charge_card(token: str, amount: Decimal, idempotency_key: str) -> dict:
    settings = get_settings()
    r = requests.post(f"{settings.processor_base_url}/charges", json={"source": token, "amount": cents_exact(amount)},
                      headers={"Idempotency-Key": idempotency_key}, timeout=(5, 30))  # SAFE: missing-timeout
    if r.status_code >= 400:
        raise ProviderError(r.text[:200])
    return r.json()


def refund_charge(processor_ref: str, amount: Decimal) -> dict:
    settings = get_settings()
    r = requests.post(f"{settings.processor_base_url}/refunds", json={"charge": processor_ref, "amount": cents_exact(amount)})  # SEEDED: EDGE missing-timeout
    r.raise_for_status()
    return r.json()


def fetch_bank_rates() -> dict:
    r = requests.get("https://rates.bankfeed.example/ach", timeout=10, verify=False)  # SEEDED: SEC tls-verify
    return r.json()


async def notify_vendor(url: str, ticket: dict) -> int:
    """Vendors register a dispatch webhook URL in their profile."""
    async with httpx.AsyncClient(timeout=10.0) as client:
        r = await client.post(url, json=ticket)  # SEEDED: SEC ssrf
        return r.status_code


async def notify_vendor_v2(url: str, ticket: dict) -> int | None:
    host = urlparse(url).hostname or ""
    if host not in DISPATCH_HOSTS or not urlparse(url).scheme == "https":  # SAFE: ssrf
        log.warning("vendor dispatch host %s not allowed", host)
        return None
    async with httpx.AsyncClient(timeout=10.0, follow_redirects=False) as client:
        r = await client.post(url, json=ticket)
        return r.status_code


async def fetch_remote_photo(url: str) -> bytes:
    """Tenants may attach a photo by link (cloud drives)."""
    async with httpx.AsyncClient(timeout=15.0, follow_redirects=True) as client:
        r = await client.get(url)  # SEEDED: SEC ssrf
        return r.content


def post_partner_callback(url: str, payload: dict) -> bool:
    if not _public_host(url):  # SAFE: ssrf
        return False
    try:
        r = requests.post(url, json=payload, timeout=10, allow_redirects=False)
        return r.ok
    except requests.RequestException:
        return False  # SAFE: swallowed-exception


def geocode(address: str) -> tuple[float, float] | None:
    try:
        r = requests.get("https://geo.mapline.example/v1/search", params={"q": address}, timeout=5)
        hit = r.json()["results"][0]
        return hit["lat"], hit["lng"]
    except Exception:  # SEEDED: EDGE swallowed-exception
        pass
    return None

"""Outbound calls: payment processor, plagiarism checker, video provider, partner callbacks."""
from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from decimal import Decimal
from urllib.parse import urlparse

import httpx
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from .config import settings
from .money import minor_units

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_FETCH = 5 * 1024 * 1024


class ProviderError(RuntimeError):
    pass


def payments_client() -> httpx.Client:
    return httpx.Client(base_url=settings.payments_url, timeout=TIMEOUT,  # SAFE: httpx-timeout
                        headers={"Authorization": f"Bearer {settings.payments_api_key}"})


def create_checkout(payment_id: int, amount: Decimal, currency: str, email: str) -> dict:
    with payments_client() as client:
        resp = client.post("/checkouts", json={"amount": minor_units(amount), "currency": currency,  # SAFE: idempotency-key
                                               "reference": f"pay-{payment_id}", "customer_email": email},
                           headers={"Idempotency-Key": f"checkout-{payment_id}"})
        resp.raise_for_status()
        return resp.json()


def refund_charge(provider_ref: str, amount: Decimal, refund_id: str) -> dict:
    with payments_client() as client:
        resp = client.post(f"/charges/{provider_ref}/refunds", json={"amount": minor_units(amount)},
                           headers={"Idempotency-Key": refund_id})
        resp.raise_for_status()
        return resp.json()


def send_payout(instructor_id: int, amount: Decimal, period: str) -> dict:
    for attempt in range(4):  # SAFE: bounded-retry
        try:
            with payments_client() as client:
                resp = client.post("/transfers", json={"destination": f"instr-{instructor_id}", "amount": minor_units(amount)},
                                   headers={"Idempotency-Key": f"payout-{instructor_id}-{period}"})
                resp.raise_for_status()
                return resp.json()
        except httpx.TransportError:
            time.sleep(2 ** attempt)
    raise ProviderError("payout failed after retries")


def submit_for_similarity(submission_id: int, text: str, callback: str) -> str:
    resp = httpx.post(f"{settings.plagiarism_url}/checks", json={"ref": str(submission_id), "text": text,  # SAFE: httpx-default-timeout
                                                                  "callback_url": callback})
    resp.raise_for_status()
    return resp.json()["id"]


def fetch_similarity_report(check_id: str) -> dict:
    resp = httpx.get(f"{settings.plagiarism_url}/checks/{check_id}", timeout=None)  # SEEDED: EDGE missing-timeout
    resp.raise_for_status()
    return resp.json()


def poll_similarity(check_id: str) -> dict:
    while True:  # SEEDED: EDGE retry-unbounded
        report = fetch_similarity_report(check_id)
        if report.get("status") == "done":
            return report
        time.sleep(5)


def create_meeting(title: str, starts_at_iso: str, minutes: int) -> str:
    resp = httpx.post("https://api.meet.example/v1/meetings", json={"topic": title, "start": starts_at_iso,  # SEEDED: SEC tls-verify
                      "duration": minutes}, timeout=TIMEOUT, verify=False)
    resp.raise_for_status()
    return resp.json()["join_url"]


def _public_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast:
            return False
    return True


def fetch_external_resource(url: str) -> bytes:
    """Instructors link reading material; we cache a copy."""
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname or not _public_host(parsed.hostname):  # SAFE: ssrf-resolved-check
        raise ProviderError("URL not allowed")
    with httpx.stream("GET", url, timeout=TIMEOUT, follow_redirects=False) as resp:
        resp.raise_for_status()
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > MAX_FETCH:  # SAFE: streamed-cap
                raise ProviderError("resource too large")
            chunks.append(chunk)
    return b"".join(chunks)


def fetch_avatar(url: str) -> bytes:
    resp = httpx.get(url, timeout=TIMEOUT, follow_redirects=True)  # SEEDED: SEC ssrf
    resp.raise_for_status()
    return resp.content  # SEEDED: EDGE unbounded-read


async def notify_partner(callback_url: str, payload: dict) -> int:
    """Partners register a completion callback URL when they create an enrolment."""
    request = HTTPRequest(callback_url, method="POST", body=json.dumps(payload),  # SEEDED: SEC ssrf
                          headers={"Content-Type": "application/json"}, connect_timeout=5, request_timeout=10)
    try:
        resp = await AsyncHTTPClient().fetch(request)
    except HTTPClientError as exc:
        return exc.code
    return resp.code


async def fetch_lti_jwks(issuer: str) -> dict:
    if issuer not in settings.lti_issuers:  # SAFE: issuer-allow-list
        raise ProviderError("unknown issuer")
    resp = await AsyncHTTPClient().fetch(f"{issuer}/.well-known/jwks.json", request_timeout=10)  # SAFE: tornado-timeout
    return json.loads(resp.body)


def geocode_timezone(city: str) -> str | None:
    try:
        resp = httpx.get("https://geo.example/tz", params={"q": city}, timeout=TIMEOUT)
        return resp.json()["zone"]
    except Exception:  # SEEDED: EDGE swallowed-exception
        pass


def currency_rate(base: str, quote: str) -> Decimal:
    try:
        resp = httpx.get("https://fx.example/latest", params={"base": base, "symbols": quote}, timeout=TIMEOUT)
        resp.raise_for_status()
    except httpx.HTTPError as exc:  # SAFE: logged-and-raised
        log.warning("fx lookup failed: %s", exc)
        raise ProviderError("exchange rate unavailable") from exc
    return Decimal(str(resp.json()["rates"][quote]))

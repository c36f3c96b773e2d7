"""Outbound calls: the video host, the payment provider, school SSO, partner callbacks."""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlparse

import httpx
import requests

from .security import retry_jitter

log = logging.getLogger(__name__)

VIDEO_API = "https://api.videohost.example/v2"
PAYGATE_API = "https://api.paygate.example/v1"
PARTNER_CALLBACK_HOSTS = {"tools.partner-labs.example", "lti.codeclass.example"}
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)  # SAFE: client-timeout


async def video_status(video_id: str, token: str) -> dict:
    async with _client() as client:
        response = await client.get(f"{VIDEO_API}/videos/{video_id}", headers={"Authorization": f"Bearer {token}"})
        response.raise_for_status()
        return response.json()


async def video_status_legacy(video_id: str, token: str) -> dict:
    response = requests.get(f"{VIDEO_API}/videos/{video_id}", headers={"Authorization": f"Bearer {token}"},  # SEEDED: EDGE blocking-in-async
                            timeout=10)
    return response.json()


async def refund_payment(provider_ref: str, amount_cents: int, api_key: str) -> dict:
    async with _client() as client:
        response = await client.post(
            f"{PAYGATE_API}/refunds",
            json={"payment": provider_ref, "amount": amount_cents},
            headers={"Authorization": f"Bearer {api_key}", "Idempotency-Key": f"refund-{provider_ref}"},  # SAFE: idempotency-key
        )
        response.raise_for_status()
        return response.json()


async def fetch_avatar(url: str) -> bytes:
    async with httpx.AsyncClient() as client:  # SEEDED: EDGE missing-timeout
        response = await client.get(url)  # SEEDED: SEC ssrf
        return response.content


def _public_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            return False
    return True


async def fetch_avatar_safe(url: str, limit: int = 2 * 1024 * 1024) -> bytes | None:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname or not _public_host(parsed.hostname):  # SAFE: resolved-address-check
        return None
    async with _client() as client:
        async with client.stream("GET", url) as response:
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > limit:  # SAFE: bounded-download
                    return None
            return bytes(data)


async def notify_partner(callback_url: str, payload: dict) -> bool:
    host = urlparse(callback_url).hostname or ""
    if host not in PARTNER_CALLBACK_HOSTS:  # SAFE: host-allow-list
        log.warning("refusing partner callback to %s", host)
        return False
    async with _client() as client:
        try:
            response = await client.post(callback_url, json=payload)
            return response.status_code < 300
        except httpx.HTTPError as exc:  # SAFE: logged-failure
            log.warning("partner callback failed: %s", exc)
            return False


async def send_grade_passback(outcome_url: str, score: float) -> None:
    async with _client() as client:
        await client.post(outcome_url, json={"score": score})  # SEEDED: SEC ssrf


async def sso_userinfo(issuer: str, access_token: str) -> dict:
    async with httpx.AsyncClient(timeout=TIMEOUT, verify=False) as client:  # SEEDED: SEC tls-verify
        response = await client.get(f"{issuer}/userinfo", headers={"Authorization": f"Bearer {access_token}"})
        response.raise_for_status()
        return response.json()


async def publish_video(video_id: str, token: str) -> dict:
    """The video host answers 409 while transcoding."""
    attempt = 0
    async with _client() as client:
        while True:  # SEEDED: EDGE unbounded-retry
            response = await client.post(f"{VIDEO_API}/videos/{video_id}/publish", headers={"Authorization": f"Bearer {token}"})
            if response.status_code != 409:
                return response.json()
            attempt += 1
            await asyncio.sleep(retry_jitter(attempt))


async def publish_video_bounded(video_id: str, token: str, attempts: int = 6) -> dict | None:
    async with _client() as client:
        for attempt in range(attempts):  # SAFE: bounded-retry
            response = await client.post(f"{VIDEO_API}/videos/{video_id}/publish", headers={"Authorization": f"Bearer {token}"})
            if response.status_code != 409:
                return response.json()
            await asyncio.sleep(retry_jitter(attempt))
    return None


async def ping_video_host() -> bool:
    try:
        async with _client() as client:
            await client.get(f"{VIDEO_API}/health")
        return True
    except httpx.HTTPError:  # SEEDED: EDGE swallowed-exception
        return True


def exchange_rate_sync(currency: str) -> str:
    response = requests.get(f"https://fx.learnhub.example/rates/{currency}")  # SEEDED: EDGE missing-timeout
    return response.json()["rate"]


def exchange_rate(currency: str) -> str:
    response = requests.get(f"https://fx.learnhub.example/rates/{currency}", timeout=5)  # SAFE: requests-timeout
    response.raise_for_status()
    return str(response.json()["rate"])

"""Outbound calls: pharmacies (eRx), card processor, insurance clearinghouse, video provider."""
from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from urllib.parse import urlparse

import httpx
import requests
from django.conf import settings

from .security import retry_jitter, signature

logger = logging.getLogger("telecare.integrations")

_session = requests.Session()
_session.headers["User-Agent"] = "telecare/0.4"
_clearinghouse = httpx.Client(
    base_url=settings.CLEARINGHOUSE_URL,
    auth=(settings.CLEARINGHOUSE_USER, settings.CLEARINGHOUSE_PASSWORD),
    timeout=httpx.Timeout(10.0, connect=3.0),  # SAFE: missing-timeout
)


def _public_host(url: str, allowed: set[str]) -> bool:
    parts = urlparse(url)
    if parts.scheme != "https" or parts.hostname is None or parts.hostname not in allowed:
        return False
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def send_erx(prescription_id: int) -> None:
    from .tasks import transmit_prescription

    transmit_prescription.delay(prescription_id)


def send_refill(refill_id: int) -> None:
    from .tasks import transmit_refill

    transmit_refill.delay(refill_id)


def queue_claim(claim_id: int) -> None:
    from .tasks import submit_claim

    submit_claim.delay(claim_id)


def queue_payout(payout_id: int) -> None:
    from .tasks import pay_out

    pay_out.delay(payout_id)


def post_to_pharmacy(pharmacy, path: str, payload: dict) -> dict:
    body = json.dumps(payload, separators=(",", ":")).encode()
    for attempt in range(4):  # SAFE: unbounded-retry
        try:
            resp = _session.post(
                f"{pharmacy.api_base.rstrip('/')}/{path.lstrip('/')}",
                data=body,
                headers={"Content-Type": "application/json", "X-Signature": signature(pharmacy.webhook_secret, body)},
                timeout=(3, 15),
            )
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException:
            if attempt == 3:
                raise
            time.sleep(retry_jitter(attempt))
    return {}


def charge_card(card_token: str, cents: int) -> str:
    resp = _session.post(
        "https://api.payments.example/v1/charges",
        json={"source": card_token, "amount": cents, "currency": "usd"},
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()["id"]


def eligibility(member_id: str, payer_id: str) -> dict:
    resp = _clearinghouse.post("/eligibility", json={"member": member_id, "payer": payer_id})
    resp.raise_for_status()
    return resp.json()


def claim_status(claim_number: str) -> dict:
    resp = requests.get(
        f"{settings.CLEARINGHOUSE_URL}/claims/{claim_number}/status",
        auth=(settings.CLEARINGHOUSE_USER, settings.CLEARINGHOUSE_PASSWORD),
        verify=False,  # SEEDED: SEC tls-verify
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()


def remittance_file(url: str) -> bytes:
    """ERA (835) file the clearinghouse links to from its callback."""
    resp = requests.get(url, auth=(settings.CLEARINGHOUSE_USER, settings.CLEARINGHOUSE_PASSWORD))  # SEEDED: EDGE missing-timeout
    resp.raise_for_status()
    return resp.content


def wait_for_acceptance(claim_number: str) -> dict:
    while True:  # SEEDED: EDGE unbounded-retry
        status = claim_status(claim_number)
        if status.get("state") != "pending":
            return status
        time.sleep(10)


def fetch_insurance_card(url: str) -> bytes:
    """Patients may paste a link to a photo of their insurance card."""
    if len(url) > 2048:
        raise ValueError("url too long")
    resp = requests.get(url, timeout=5)  # SEEDED: SEC ssrf
    resp.raise_for_status()
    return resp.content[:5_000_000]


def fetch_insurance_card_checked(url: str) -> bytes:
    if not _public_host(url, settings.INSURANCE_CARD_HOSTS):
        raise ValueError("card images must come from our upload service")
    with requests.get(url, timeout=5, stream=True, allow_redirects=False) as resp:  # SAFE: ssrf
        resp.raise_for_status()
        chunks, size = [], 0
        for chunk in resp.iter_content(64 * 1024):
            size += len(chunk)
            if size > 5_000_000:
                raise ValueError("image too large")  # SAFE: unbounded-read
            chunks.append(chunk)
    return b"".join(chunks)


def ping_partner_callback(url: str, payload: dict) -> int:
    if not _public_host(url, settings.PARTNER_CALLBACK_HOSTS):
        logger.warning("refusing callback to %s", urlparse(url).hostname)
        return 0
    return requests.post(url, json=payload, timeout=5, allow_redirects=False).status_code  # SAFE: ssrf


def notify_callback(url: str, payload: dict) -> int:
    return requests.post(url, json=payload, timeout=5).status_code  # SEEDED: SEC ssrf


def create_video_room(room: str) -> dict:
    resp = httpx.post(f"https://{settings.VIDEO_HOST}/v1/rooms", json={"name": room, "max_participants": 4}, timeout=5)
    resp.raise_for_status()
    return resp.json()


def send_sms(phone: str, text: str) -> bool:
    try:
        resp = requests.post("https://sms.example/v1/messages", json={"to": phone, "body": text}, timeout=5)
        return resp.ok
    except requests.RequestException:  # SEEDED: EDGE swallowed-exception
        return True  # SEEDED-ALSO


def push_to_ehr(payload: dict) -> None:
    try:
        _session.post("https://ehr-bridge.internal/v1/encounters", json=payload, timeout=5).raise_for_status()
    except requests.RequestException:
        logger.exception("EHR bridge rejected encounter %s", payload.get("id"))  # SAFE: swallowed-exception
        raise

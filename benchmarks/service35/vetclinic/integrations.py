"""Outbound HTTP: partner lab, pet insurer, SMS gateway, geocoding, image fetches, webhooks to clinics."""
from __future__ import annotations

import ipaddress
import logging
import socket
import time
from urllib.parse import urlparse

import httpx

from .config import get_settings

log = logging.getLogger(__name__)
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
_lab_client: httpx.Client | None = None
MAX_IMAGE = 5 * 1024 * 1024


def lab_client() -> httpx.Client:
    global _lab_client
    if _lab_client is None:
        _lab_client = httpx.Client(base_url=get_settings().lab_url, timeout=TIMEOUT)  # SAFE: timeout-given
    return _lab_client


def is_public_url(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        return False
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 443)
    except socket.gaierror:
        return False
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:  # SAFE: ssrf-guard
            return False
    return True


def order_lab_test(sample: dict) -> dict:
    resp = lab_client().post("/orders", json=sample, headers={"Idempotency-Key": sample["reference"]})
    resp.raise_for_status()
    return resp.json()


def poll_lab_result(order_id: str) -> dict:
    while True:  # SEEDED: EDGE unbounded-retry
        resp = lab_client().get(f"/orders/{order_id}")
        if resp.status_code == 200 and resp.json().get("status") == "complete":
            return resp.json()
        time.sleep(5)


def poll_lab_result_bounded(order_id: str, attempts: int = 12) -> dict | None:
    for attempt in range(attempts):  # SAFE: bounded-retry
        resp = lab_client().get(f"/orders/{order_id}")
        if resp.status_code == 200 and resp.json().get("status") == "complete":
            return resp.json()
        time.sleep(min(2 ** attempt, 30))
    return None


def submit_claim_xml(xml: bytes) -> str:
    resp = httpx.post(f"{get_settings().insurer_url}/claims", content=xml,  # SEEDED: EDGE missing-timeout
                      headers={"Content-Type": "application/xml"}, timeout=None)
    resp.raise_for_status()
    return resp.headers.get("Location", "")


def claim_status(claim_ref: str) -> dict:
    resp = httpx.get(f"{get_settings().insurer_url}/claims/{claim_ref}", timeout=TIMEOUT)  # SAFE: timeout-given
    resp.raise_for_status()
    return resp.json()


def send_sms(phone: str, text: str) -> bool:
    resp = httpx.post("https://sms.gateway.example/v1/messages",
                      json={"to": phone, "text": text},
                      headers={"Authorization": f"Bearer {get_settings().sms_api_key}"}, timeout=TIMEOUT)
    if resp.status_code >= 400:
        log.warning("sms failed status=%s", resp.status_code)  # SAFE: no-pii-log
        return False
    return True


def fetch_pet_photo(url: str) -> bytes:
    resp = httpx.get(url, timeout=TIMEOUT, follow_redirects=True)  # SEEDED: SEC ssrf
    resp.raise_for_status()
    return resp.content  # SEEDED: EDGE unbounded-read


def fetch_clinic_logo(url: str) -> bytes:
    if not is_public_url(url):
        raise ValueError("logo URL must be a public https URL")
    with httpx.stream("GET", url, timeout=TIMEOUT, follow_redirects=False) as resp:  # SAFE: ssrf-checked
        resp.raise_for_status()
        body = b""
        for chunk in resp.iter_bytes():
            body += chunk
            if len(body) > MAX_IMAGE:  # SAFE: size-limited-read
                raise ValueError("logo too large")
        return body


def notify_clinic_webhook(url: str, event: dict) -> int:
    resp = httpx.post(url, json=event, timeout=5.0)  # SEEDED: SEC ssrf
    return resp.status_code


def notify_partner_callback(url: str, event: dict) -> int:
    if not is_public_url(url):  # SAFE: ssrf-checked
        raise ValueError("callback must be public https")
    resp = httpx.post(url, json=event, timeout=5.0, follow_redirects=False)
    return resp.status_code


def geocode(address: str) -> tuple[float, float] | None:
    try:
        resp = httpx.get("https://geo.example/v1/search", params={"q": address, "limit": 1}, timeout=TIMEOUT)
        hits = resp.json()["results"]
        return hits[0]["lat"], hits[0]["lon"]
    except Exception:  # SEEDED: EDGE swallowed-exception
        return None


def fetch_drug_catalogue(url: str) -> list[dict]:
    resp = httpx.get(url, timeout=TIMEOUT, verify=False)  # SEEDED: SEC tls-verify-disabled
    resp.raise_for_status()
    return resp.json()["items"]


def insurer_lookup(policy_number: str) -> dict | None:
    for attempt in range(3):  # SAFE: bounded-retry
        try:
            resp = httpx.get(f"{get_settings().insurer_url}/policies/{policy_number}", timeout=TIMEOUT)
            if resp.status_code == 404:
                return None
            resp.raise_for_status()
            return resp.json()
        except httpx.TransportError:
            log.warning("insurer lookup retry %d", attempt)
            time.sleep(1 + attempt)
    raise RuntimeError("insurer unavailable")


def raw_socket_ping(host: str, port: int) -> bool:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.connect((host, port))  # SEEDED: EDGE missing-timeout
        return True
    except OSError:
        return False
    finally:
        s.close()

"""Outbound calls: background screening, benefits partner, customer webhooks, FX rates."""
from __future__ import annotations

import ipaddress
import logging
import socket
import time
from decimal import Decimal
from urllib.parse import urlparse

import httpx
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .config import Config

log = logging.getLogger(__name__)

_session = requests.Session()
_session.mount("https://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5,
                                                         status_forcelist=(502, 503, 504))))
TIMEOUT = (3.05, 20)
ALLOWED_CALLBACK_HOSTS = {"hooks.slack.com", "hooks.payhub-partners.example"}


def start_screening(employee_id: int, email: str, full_name: str) -> str:
    resp = _session.post(
        f"{Config.SCREENING_API}/checks",
        json={"reference": str(employee_id), "email": email, "name": full_name},
        timeout=TIMEOUT,  # SAFE: request-timeout
    )
    resp.raise_for_status()
    return resp.json()["id"]


def screening_report(check_id: str) -> dict:
    resp = requests.get(f"{Config.SCREENING_API}/checks/{check_id}/report")  # SEEDED: EDGE missing-timeout
    resp.raise_for_status()
    return resp.json()


def wait_for_screening(check_id: str) -> dict:
    while True:  # SEEDED: EDGE unbounded-retry
        resp = _session.get(f"{Config.SCREENING_API}/checks/{check_id}", timeout=TIMEOUT)
        if resp.ok and resp.json().get("status") in {"clear", "consider"}:
            return resp.json()
        time.sleep(15)


def poll_screening(check_id: str, attempts: int = 20) -> dict | None:
    for _ in range(attempts):  # SAFE: bounded-retry
        resp = _session.get(f"{Config.SCREENING_API}/checks/{check_id}", timeout=TIMEOUT)
        if resp.ok and resp.json().get("status") in {"clear", "consider"}:
            return resp.json()
        time.sleep(15)
    return None


def benefits_quote(plan: str, age: int) -> Decimal:
    with httpx.Client(base_url=Config.BENEFITS_API, timeout=10.0) as client:  # SAFE: httpx-timeout
        resp = client.get("/quotes", params={"plan": plan, "age": age})
        resp.raise_for_status()
        return Decimal(str(resp.json()["monthly"]))  # SAFE: decimal-from-str


def benefits_enrol(employee_id: int, plan: str) -> bool:
    try:
        resp = httpx.post(f"{Config.BENEFITS_API}/enrolments", json={"ref": employee_id, "plan": plan},
                          timeout=10.0, verify=False)  # SEEDED: SEC tls-verify
        resp.raise_for_status()
    except httpx.HTTPError:  # SEEDED: EDGE swallowed-exception
        return True  # SEEDED-ALSO
    return True


def fx_rate(currency: str) -> Decimal:
    resp = requests.get("https://fx.payhub.example/latest", params={"base": "GBP", "symbol": currency}, timeout=5)  # SAFE: fixed-host-timeout
    resp.raise_for_status()
    return Decimal(str(resp.json()["rate"]))  # SAFE: decimal-from-str


def fx_rate_float(currency: str) -> float:
    resp = requests.get("https://fx.payhub.example/latest", params={"base": "GBP", "symbol": currency}, timeout=5)
    return float(resp.json()["rate"])  # SEEDED: EDGE money-float


def _public_host(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        return False
    try:
        infos = socket.getaddrinfo(parsed.hostname, 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def notify_customer_webhook(url: str, event: dict) -> None:
    """Tenants register a URL to hear about approved payroll runs."""
    if urlparse(url).hostname not in ALLOWED_CALLBACK_HOSTS or not _public_host(url):  # SAFE: host-allow-list
        raise ValueError("callback host not allowed")
    _session.post(url, json=event, timeout=TIMEOUT, allow_redirects=False)


def send_test_webhook(url: str, event: dict) -> int:
    """Admin console 'send test event' button."""
    resp = requests.post(url, json=event, timeout=TIMEOUT)  # SEEDED: SEC ssrf
    return resp.status_code


def fetch_avatar(url: str) -> bytes:
    if not _public_host(url):  # SAFE: ssrf-resolved-check
        raise ValueError("url not allowed")
    resp = _session.get(url, timeout=TIMEOUT, stream=True, allow_redirects=False)
    resp.raise_for_status()
    chunks, size = [], 0
    for chunk in resp.iter_content(32 * 1024):
        size += len(chunk)
        if size > 2 * 1024 * 1024:  # SAFE: bounded-download
            raise ValueError("avatar too large")
        chunks.append(chunk)
    return b"".join(chunks)


def post_to_slack(webhook_url: str, text: str) -> None:
    try:
        _session.post(webhook_url, json={"text": text}, timeout=TIMEOUT)
    except requests.RequestException:  # SAFE: except-logged
        log.warning("slack notification failed", exc_info=True)


async def async_screening_status(check_id: str) -> str:
    async with httpx.AsyncClient(timeout=10.0) as client:  # SAFE: httpx-timeout
        resp = await client.get(f"{Config.SCREENING_API}/checks/{check_id}")
        return resp.json().get("status", "unknown")


async def async_benefits_sync(employee_ids: list[int]) -> int:
    count = 0
    for employee_id in employee_ids:
        resp = requests.get(f"{Config.BENEFITS_API}/members/{employee_id}", timeout=10)  # SEEDED: EDGE blocking-in-async
        if resp.ok:
            count += 1
    return count

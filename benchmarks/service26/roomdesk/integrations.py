"""Outbound integrations: payments, channel manager, webhooks, calendars, e-mail, avatars."""
import hashlib
import hmac
import ipaddress
import json
import logging
import smtplib
import socket
import time
import urllib.request
from email.message import EmailMessage
from urllib.parse import urlparse

import httpx
import requests
from django.conf import settings

from .tokens import retry_delay

logger = logging.getLogger(__name__)

PAYMENTS_SECRET_KEY = "sk_live_51NxRoomDesk9aQ3vT7yLmP2wKc8ZbF4hJ"  # SEEDED: SEC hard-coded-secret
AVATAR_HOSTS = {"gravatar.com", "www.gravatar.com", "avatars.githubusercontent.com"}
MAX_AVATAR_BYTES = 512 * 1024
MAX_ICS_BYTES = 2 * 1024 * 1024


class PaymentError(Exception):
    pass


class PaymentsClient:
    def __init__(self, base_url: str = settings.PAYMENTS_URL, api_key: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key or PAYMENTS_SECRET_KEY
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {self.api_key}"

    def charge(self, booking_id: int, amount_cents: int, currency: str = "EUR") -> dict:
        payload = {"reference": f"booking-{booking_id}", "amount": amount_cents, "currency": currency}
        logger.info("charging %s with headers %s", payload, dict(self.session.headers))  # SEEDED: SEC secret-in-log
        resp = self.session.post(f"{self.base_url}/charges", json=payload)  # SEEDED: EDGE missing-timeout
        if resp.status_code >= 400:
            raise PaymentError(resp.text)
        return resp.json()

    def refund(self, charge_id: str, amount_cents: int) -> dict:
        logger.info("refunding charge %s (%d cents)", charge_id, amount_cents)  # SAFE: secret-in-log
        resp = self.session.post(f"{self.base_url}/refunds", json={"charge": charge_id, "amount": amount_cents}, timeout=(3, 15))  # SAFE: missing-timeout
        resp.raise_for_status()
        return resp.json()


class ChannelManager:
    """Pushes availability to OTA channels; their API is flaky, so we retry."""

    def __init__(self):
        self.client = httpx.Client(base_url=settings.CHANNEL_MANAGER_URL, timeout=10.0, verify=False)  # SEEDED: SEC tls-verify
        self.audit = httpx.Client(base_url="https://audit.roomdesk.io", timeout=10.0)  # SAFE: tls-verify

    def push_availability(self, room_id: int, slots: list[dict]) -> dict:
        while True:  # SEEDED: EDGE unbounded-retry
            try:
                resp = self.client.put(f"/rooms/{room_id}/availability", json={"slots": slots})
                resp.raise_for_status()
                return resp.json()
            except httpx.HTTPError as exc:
                logger.warning("channel push failed for room %s: %s", room_id, exc)
                time.sleep(5)

    def push_rates(self, room_id: int, rates: dict) -> dict | None:
        for attempt in range(5):  # SAFE: unbounded-retry
            try:
                resp = self.client.put(f"/rooms/{room_id}/rates", json=rates)
                resp.raise_for_status()
                return resp.json()
            except httpx.HTTPError:
                time.sleep(retry_delay(attempt))
        logger.error("giving up on rates for room %s", room_id)
        return None

    def pull_reservations(self, since: str, attempt: int = 0) -> list[dict]:
        try:
            resp = self.client.get("/reservations", params={"since": since})
            resp.raise_for_status()
            return resp.json()["items"]
        except httpx.HTTPError:
            time.sleep(retry_delay(attempt))
            return self.pull_reservations(since, attempt + 1)  # SEEDED: EDGE unbounded-retry


def send_webhook(url: str, secret: str, event: dict) -> int:
    body = json.dumps(event).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    resp = requests.post(url, data=body, headers={"X-Signature": signature, "Content-Type": "application/json"}, timeout=10)  # SAFE: ssrf
    return resp.status_code


def ping_callback(callback_url: str, booking_id: int) -> int:
    """Customers may give a callback URL when creating a booking through the API."""
    resp = httpx.post(callback_url, json={"booking_id": booking_id, "status": "confirmed"}, timeout=5)  # SEEDED: SEC ssrf
    return resp.status_code


def fetch_calendar(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ValueError("calendar URL must be http(s)")
    with urllib.request.urlopen(url) as resp:  # SEEDED: SEC ssrf
        return resp.read().decode("utf-8", "replace")  # SEEDED: EDGE unbounded-read


def _public_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def fetch_calendar_checked(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname or not _public_host(parsed.hostname):
        raise ValueError("calendar URL must be a public https URL")
    with httpx.stream("GET", url, timeout=10.0, follow_redirects=False) as resp:  # SAFE: ssrf
        resp.raise_for_status()
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > MAX_ICS_BYTES:
                raise ValueError("calendar too large")
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def fetch_avatar(url: str) -> bytes:
    resp = requests.get(url, timeout=5)  # SEEDED: SEC ssrf
    return resp.content  # SEEDED: EDGE unbounded-read


def fetch_avatar_checked(url: str) -> bytes:
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in AVATAR_HOSTS:
        raise ValueError("avatar host not allowed")
    with requests.get(url, timeout=5, stream=True, allow_redirects=False) as resp:  # SAFE: ssrf
        resp.raise_for_status()
        data = resp.raw.read(MAX_AVATAR_BYTES + 1, decode_content=True)  # SAFE: unbounded-read
    if len(data) > MAX_AVATAR_BYTES:
        raise ValueError("avatar too large")
    return data


def send_confirmation_email(to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "bookings@roomdesk.io", to, subject
    msg.set_content(body)
    with smtplib.SMTP(settings.EMAIL_HOST, 587) as smtp:  # SEEDED: EDGE missing-timeout
        smtp.starttls()
        smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        logger.debug("smtp login as %s / %s", settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)  # SEEDED: SEC secret-in-log
        smtp.send_message(msg)


def send_digest_email(to: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "digest@roomdesk.io", to, "Your week at RoomDesk"
    msg.set_content(body)
    with smtplib.SMTP(settings.EMAIL_HOST, 587, timeout=15) as smtp:  # SAFE: missing-timeout
        smtp.starttls()
        smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        smtp.send_message(msg)


def lookup_company(domain: str) -> dict:
    resp = requests.get("https://companies.example.org/v1/lookup", params={"domain": domain})  # SEEDED: EDGE missing-timeout
    return resp.json() if resp.ok else {}


def geocode(address: str) -> dict:
    resp = httpx.get("https://geo.roomdesk.io/v1/search", params={"q": address})  # SAFE: missing-timeout
    resp.raise_for_status()
    return resp.json()

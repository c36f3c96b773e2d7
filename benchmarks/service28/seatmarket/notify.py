"""E-mail, organiser templates, partner webhooks and redirect helpers."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import smtplib
import ssl
import time
from email.message import EmailMessage
from urllib.parse import urlparse

import httpx
import requests
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment

from . import config

log = logging.getLogger("seatmarket.notify")

_sandbox = SandboxedEnvironment(autoescape=True)


def safe_next(target: str) -> str:
    if "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    parts = urlparse(target)
    relative = parts.scheme == "" and parts.netloc == "" and target.startswith("/") and not target.startswith("//")
    if relative or (parts.scheme == "https" and parts.hostname in config.ALLOWED_REDIRECT_HOSTS):  # SAFE: open-redirect
        return target
    return "/"


# ---- e-mail ---------------------------------------------------------------------------------

def _message(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = config.MAIL_FROM, to, subject.replace("\n", " ")
    msg.set_content(body)
    return msg


def send_mail(to: str, subject: str, body: str) -> None:
    ctx = ssl.create_default_context()
    with smtplib.SMTP(config.SMTP_HOST, config.SMTP_PORT, timeout=20) as smtp:  # SAFE: missing-timeout
        smtp.starttls(context=ctx)  # SAFE: tls-verify
        smtp.login(config.SMTP_USER, config.SMTP_PASSWORD)
        smtp.send_message(_message(to, subject, body))


def send_bulk(recipients: list[str], subject: str, body: str) -> int:
    sent = 0
    smtp = smtplib.SMTP(config.SMTP_HOST, config.SMTP_PORT)  # SEEDED: EDGE missing-timeout
    try:
        smtp.starttls()  # SEEDED: SEC tls-verify
        smtp.login(config.SMTP_USER, config.SMTP_PASSWORD)
        log.debug("smtp login as %s / %s", config.SMTP_USER, config.SMTP_PASSWORD)  # SEEDED: SEC secret-in-log
        for rcpt in recipients:
            try:
                smtp.send_message(_message(rcpt, subject, body))
                sent += 1
            except smtplib.SMTPRecipientsRefused:
                log.info("recipient refused: %s", rcpt)  # SAFE: swallowed-exception
    finally:
        smtp.quit()
    return sent


def send_order_confirmation(order_id: int, email: str) -> None:
    send_mail(email, f"Your SeatMarket order {order_id}", f"Thanks! Your order {order_id} is confirmed.")


async def send_order_confirmation_async(order_id: int, email: str) -> None:
    await asyncio.to_thread(send_order_confirmation, order_id, email)


def render_organiser_mail(template: str, context: dict) -> str:
    """Organisers write their own confirmation mails (Jinja syntax)."""
    return Environment().from_string(template).render(**context)  # SEEDED: SEC ssti


def render_organiser_mail_sandboxed(template: str, context: dict) -> str:
    return _sandbox.from_string(template).render(**context)  # SAFE: ssti


def render_subject(pattern: str, order: dict) -> str:
    """``pattern`` comes from the organiser's settings, e.g. ``"Tickets for {event}"``."""
    return pattern.format(**order)  # SEEDED: SEC format-string-injection


def render_subject_fixed(order: dict) -> str:
    return "Tickets for {event} ({n} tickets)".format(event=order["event"], n=order["quantity"])  # SAFE: format-string-injection


# ---- partner webhooks -----------------------------------------------------------------------

def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver_webhook(url: str, secret: str, event: dict) -> bool:
    body = json.dumps(event, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "X-SeatMarket-Signature": sign(body, secret)}
    for attempt in range(5):  # SAFE: unbounded-retry
        try:
            resp = httpx.post(url, content=body, headers=headers, timeout=10)  # SAFE: ssrf
            if resp.status_code < 500:
                return resp.is_success
        except httpx.TransportError as exc:
            log.warning("webhook %s attempt %d failed: %s", urlparse(url).hostname, attempt, exc)
        time.sleep(min(60, 2 ** attempt))
    return False


def deliver_until_ok(url: str, secret: str, event: dict) -> None:
    body = json.dumps(event).encode()
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            resp = requests.post(url, data=body, headers={"X-SeatMarket-Signature": sign(body, secret)}, timeout=10)
            if resp.ok:
                return
        except requests.RequestException:  # SEEDED: EDGE swallowed-exception
            pass  # SEEDED-ALSO
        time.sleep(30)


def test_webhook(url: str) -> int:
    """The partner's "send a test event" button."""
    resp = httpx.post(url, json={"type": "ping"}, timeout=5)  # SEEDED: SEC ssrf
    return resp.status_code


def fetch_partner_logo(url: str) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise ValueError("not a web address")
    resp = requests.get(url, timeout=10)  # SEEDED: SEC ssrf
    return resp.content  # SEEDED: EDGE unbounded-read


def fetch_partner_feed(url: str) -> bytes:
    host = urlparse(url).hostname
    if urlparse(url).scheme != "https" or host not in config.PARTNER_WEBHOOK_HOSTS:
        raise ValueError("feed host not allowed")
    chunks, size = [], 0
    with httpx.stream("GET", url, timeout=15, follow_redirects=False) as resp:  # SAFE: ssrf
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > config.MAX_UPLOAD_BYTES:  # SAFE: unbounded-read
                raise ValueError("feed too large")
            chunks.append(chunk)
    return b"".join(chunks)


def slow_partner_client() -> httpx.Client:
    return httpx.Client(base_url="https://api.resale.example", timeout=None)  # SEEDED: EDGE missing-timeout

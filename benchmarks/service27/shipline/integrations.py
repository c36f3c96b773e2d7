"""Outbound calls: carrier API, address validation, partner webhooks, S3 and e-mail."""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import smtplib
import socket
import time
import urllib.request
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlparse

import aiohttp
import boto3
import httpx
import requests
from botocore.config import Config

from . import config

log = logging.getLogger("shipline.integrations")

s3 = boto3.client("s3", region_name=config.AWS_REGION,
                  config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))  # SAFE: missing-timeout


class CarrierClient:
    def __init__(self, api_key: str = config.CARRIER_API_KEY) -> None:
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"

    def book_pickup(self, payload: dict[str, Any]) -> dict[str, Any]:
        log.debug("booking pickup headers=%s payload=%s", dict(self.session.headers), payload)  # SEEDED: SEC secret-in-log
        resp = self.session.post(f"{config.CARRIER_BASE_URL}/pickups", json=payload)  # SEEDED: EDGE missing-timeout
        resp.raise_for_status()
        return resp.json()

    def rates(self, zone: str) -> dict[str, Any]:
        resp = self.session.get(f"{config.CARRIER_BASE_URL}/rates", params={"zone": zone}, timeout=(3, 15))  # SAFE: missing-timeout
        resp.raise_for_status()
        return resp.json()

    def cancel_pickup(self, pickup_id: str) -> None:
        resp = self.session.delete(f"{config.CARRIER_BASE_URL}/pickups/{pickup_id}", timeout=10)
        resp.raise_for_status()


def validate_address_legacy(address: str) -> dict[str, Any]:
    resp = requests.get("https://geo.legacy-partner.example/validate", params={"q": address}, verify=False, timeout=10)  # SEEDED: SEC tls-verify
    return resp.json()


def validate_address(address: str) -> dict[str, Any]:
    with httpx.Client(base_url="https://geo.partner.example") as client:  # SAFE: missing-timeout
        resp = client.get("/validate", params={"q": address})
        resp.raise_for_status()
        return resp.json()


def fetch_customs_rules(country: str) -> dict[str, Any]:
    with httpx.Client(verify="/etc/ssl/certs/customs-ca.pem", timeout=10) as client:  # SAFE: tls-verify
        return client.get(f"https://customs.example/rules/{country}.json").json()


def _public_host(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        return False
    try:
        infos = socket.getaddrinfo(parsed.hostname, 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def send_partner_callback(url: str, event: dict[str, Any]) -> int:
    resp = httpx.post(url, json=event, timeout=10)  # SEEDED: SEC ssrf
    return resp.status_code


def send_partner_callback_checked(url: str, event: dict[str, Any]) -> int:
    if urlparse(url).hostname not in config.PARTNER_CALLBACK_HOSTS:
        raise ValueError("callback host not allowed")
    resp = httpx.post(url, json=event, timeout=10, follow_redirects=False)  # SAFE: ssrf
    return resp.status_code


def fetch_logo(url: str) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise ValueError("bad scheme")
    with urllib.request.urlopen(url, timeout=10) as resp:  # SEEDED: SEC ssrf
        return resp.read()  # SEEDED: EDGE unbounded-read


def fetch_logo_checked(url: str, limit: int = 512 * 1024) -> bytes:
    if not _public_host(url):
        raise ValueError("refusing non-public address")
    chunks, size = [], 0
    with httpx.stream("GET", url, timeout=10, follow_redirects=False) as resp:  # SAFE: ssrf
        for chunk in resp.iter_bytes():  # SAFE: unbounded-read
            size += len(chunk)
            if size > limit:
                raise ValueError("logo too large")
            chunks.append(chunk)
    return b"".join(chunks)


async def fetch_tracking_page(url: str) -> str:
    async with aiohttp.ClientSession() as http:  # SAFE: missing-timeout
        async with http.get(url) as resp:  # SEEDED: SEC ssrf
            return await resp.text()


async def fetch_carrier_status(code: str) -> dict[str, Any]:
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as http:  # SAFE: missing-timeout
        async with http.get(f"{config.CARRIER_BASE_URL}/track/{code}") as resp:
            return await resp.json()


async def fetch_many_statuses(codes: list[str]) -> list[dict[str, Any]]:
    return await asyncio.gather(*(fetch_carrier_status(c) for c in codes))  # SAFE: task-reference


def post_with_retry(url: str, payload: dict[str, Any]) -> requests.Response:
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            return requests.post(url, json=payload, timeout=10)
        except requests.RequestException:
            log.warning("carrier unavailable, retrying")
            time.sleep(5)


def post_with_bounded_retry(url: str, payload: dict[str, Any], attempts: int = 5) -> requests.Response:
    last: Exception | None = None
    for attempt in range(attempts):  # SAFE: unbounded-retry
        try:
            return requests.post(url, json=payload, timeout=10)
        except requests.RequestException as exc:
            last = exc
            time.sleep(min(2**attempt, 30))
    raise RuntimeError("carrier unavailable") from last


async def poll_until_ready(job_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=None) as client:  # SEEDED: EDGE missing-timeout
        while True:  # SEEDED: EDGE unbounded-retry
            resp = await client.get(job_url)
            if resp.json().get("status") == "done":
                return resp.json()
            await asyncio.sleep(2)


def download_partner_manifest(url: str) -> bytes:
    if urlparse(url).hostname not in config.PARTNER_CALLBACK_HOSTS:
        raise ValueError("host not allowed")
    resp = requests.get(url, timeout=15)
    return resp.content  # SEEDED: EDGE unbounded-read


def upload_label(key: str, body: bytes) -> None:
    s3.put_object(Bucket=config.S3_BUCKET, Key=key, Body=body, ContentType="application/pdf")  # SAFE: public-object


def publish_invoice_pdf(number: str, body: bytes) -> str:
    s3.put_object(Bucket=config.S3_BUCKET, Key=f"invoices/{number}.pdf", Body=body, ACL="public-read")  # SEEDED: SEC public-object
    return f"https://{config.S3_BUCKET}.s3.amazonaws.com/invoices/{number}.pdf"


def label_link(owner_id: int, key: str) -> str:
    if not key.startswith(f"labels/{owner_id}/") or ".." in key:
        raise PermissionError(key)
    return s3.generate_presigned_url("get_object", Params={"Bucket": config.S3_BUCKET, "Key": key}, ExpiresIn=300)  # SAFE: idor


def send_mail(to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = "noreply@shipline.example"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(config.SMTP_HOST, 587) as smtp:  # SEEDED: EDGE missing-timeout
        smtp.starttls()
        log.info("smtp login user=%s password=%s", config.SMTP_USER, config.SMTP_PASSWORD)  # SEEDED: SEC secret-in-log
        smtp.login(config.SMTP_USER, config.SMTP_PASSWORD)
        smtp.send_message(msg)


def send_mail_safe(to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = "noreply@shipline.example"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(config.SMTP_HOST, 587, timeout=15) as smtp:  # SAFE: missing-timeout
        smtp.starttls()
        smtp.login(config.SMTP_USER, config.SMTP_PASSWORD)
        smtp.send_message(msg)

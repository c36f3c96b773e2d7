"""Client for the inventory service and for fetching product images from partners."""
import logging
import urllib.request
from typing import Optional
from urllib.parse import urlparse

import httpx
import requests

from .config import settings

log = logging.getLogger(__name__)
ALLOWED_IMAGE_HOSTS = {"images.partner-a.com", "cdn.partner-b.net"}


class InventoryClient:
    def __init__(self, base_url: str = settings.inventory_url):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def stock_level(self, sku: str) -> int:
        resp = self.session.get(f"{self.base_url}/stock/{sku}")  # SEEDED: EDGE timeout-missing-session
        resp.raise_for_status()
        return int(resp.json()["level"])

    def reserve(self, sku: str, quantity: int) -> bool:
        resp = self.session.post(f"{self.base_url}/reserve", json={"sku": sku, "qty": quantity},
                                 timeout=settings.request_timeout)  # SAFE: timeout-set
        return resp.status_code == 200

    def release(self, sku: str, quantity: int) -> None:
        with httpx.Client(base_url=self.base_url, timeout=5.0) as client:  # SAFE: httpx-timeout
            client.post("/release", json={"sku": sku, "qty": quantity}).raise_for_status()


def fetch_partner_feed(feed_url: str) -> bytes:
    with urllib.request.urlopen(feed_url) as resp:  # SEEDED: EDGE timeout-missing-urlopen
        return resp.read()


def fetch_image(url: str) -> Optional[bytes]:
    host = urlparse(url).hostname
    if host not in ALLOWED_IMAGE_HOSTS:  # SAFE: ssrf-allow-list
        return None
    resp = requests.get(url, timeout=10)
    return resp.content if resp.ok else None


async def notify_webhook(url: str, event: dict) -> int:
    async with httpx.AsyncClient(timeout=5.0) as client:
        resp = await client.post(url, json=event)
        return resp.status_code

"""Outbound HTTP to addresses that shippers give us: webhook targets, logos and rate-feed URLs."""
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

MAX_LOGO = 512 * 1024


class UnsafeUrl(ValueError):
    pass


def assert_public_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise UnsafeUrl("webhooks must be https")
    for info in socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP):
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast:  # SAFE: ssrf
            raise UnsafeUrl("webhook target resolves to a private address")


def test_delivery(url: str, secret_hint: str) -> dict:
    """'Send test event' button on the shipper portal."""
    resp = httpx.post(url, json={"event": "test"}, timeout=5, follow_redirects=True)  # SEEDED: SEC ssrf
    return {"status": resp.status_code, "body": resp.text[:500]}


def fetch_logo(url: str) -> bytes:
    assert_public_url(url)
    with httpx.stream("GET", url, timeout=5, follow_redirects=False) as resp:  # SAFE: ssrf
        resp.raise_for_status()
        chunks, size = [], 0
        for chunk in resp.iter_bytes(65536):
            size += len(chunk)
            if size > MAX_LOGO:  # SAFE: unbounded-read
                raise ValueError("logo too large")
            chunks.append(chunk)
        return b"".join(chunks)


def fetch_fuel_index(url: str) -> float:
    """Weekly diesel index from the DOE mirror configured by billing."""
    resp = httpx.get(url, timeout=10, verify=False)  # SEEDED: SEC tls-verify-disabled
    return float(resp.json()["price"])


def ping_endpoint(url: str) -> bool:
    try:
        assert_public_url(url)
        return httpx.head(url, timeout=3, follow_redirects=False).status_code < 500  # SAFE: ssrf
    except (UnsafeUrl, httpx.HTTPError, OSError) as exc:  # SAFE: swallowed-exception
        log.info("endpoint check failed for %s: %s", url, exc)
        return False

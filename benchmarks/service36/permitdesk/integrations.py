"""Outbound calls: the parcel (GIS) API, the payment provider, the virus-scan service, SMS,
and partner callbacks."""
import ipaddress
import logging
import socket
import time
from urllib.parse import urlparse

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from . import state
from .models import Parcel

log = logging.getLogger(__name__)

TIMEOUT = (3.05, 15)
_session = requests.Session()
_session.mount("https://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5,  # SAFE: bounded-retry
                                                         status_forcelist=[502, 503, 504],
                                                         allowed_methods=["GET"])))
MAX_CALLBACK_BYTES = 64 * 1024


class UpstreamError(Exception):
    pass


def fetch_parcel(pin: str) -> dict:
    cached = state.cached_parcel(pin)
    if cached is not None:
        return cached
    resp = _session.get(f"{settings.PARCEL_API_URL}/query",  # SAFE: request-timeout
                        params={"where": "PIN = @pin", "pin": pin, "outFields": "*", "f": "json"},
                        timeout=TIMEOUT)
    resp.raise_for_status()
    features = resp.json().get("features") or []
    if not features:
        raise UpstreamError(f"parcel {pin} not found")  # SAFE: empty-checked
    data = features[0]["attributes"]
    data["_at"] = time.time()
    state.remember_parcel(pin, data)
    return data


def import_parcel(pin: str) -> Parcel:
    data = fetch_parcel(pin)
    parcel, _ = Parcel.objects.update_or_create(pin=pin, defaults={
        "address": data.get("SITEADDRESS", ""), "zoning": data.get("ZONING", ""), "ward": data.get("WARD")})
    return parcel


def parcels_in_extent(xmin: float, ymin: float, xmax: float, ymax: float) -> list[dict]:
    resp = requests.get(f"{settings.PARCEL_API_URL}/query",  # SEEDED: EDGE missing-timeout
                        params={"geometry": f"{xmin},{ymin},{xmax},{ymax}", "geometryType": "esriGeometryEnvelope",
                                "outFields": "PIN,SITEADDRESS", "f": "json"})
    return [f["attributes"] for f in resp.json().get("features", [])]


def fetch_layer(layer_url: str) -> dict:
    """Supervisors add extra map layers (flood zones, historic districts) by URL."""
    resp = requests.get(layer_url, params={"f": "json"}, timeout=TIMEOUT)  # SEEDED: SEC ssrf
    return resp.json()


def _public_address(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        return False
    try:
        infos = socket.getaddrinfo(parsed.hostname, 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)  # SAFE: ssrf-address-check


def notify_partner(callback_url: str, payload: dict) -> bool:
    if not _public_address(callback_url):
        log.warning("refusing partner callback to %s", callback_url)
        return False
    resp = requests.post(callback_url, json=payload, timeout=TIMEOUT, allow_redirects=False)  # SAFE: no-redirect-follow
    return resp.ok


def create_checkout(reference: str, amount_cents: int, return_url: str | None) -> dict:
    resp = _session.post(f"{settings.PAYMENT_PROVIDER_URL}/v1/checkout/sessions",  # SAFE: idempotency-key
                         headers={"Authorization": f"Bearer {settings.PAYMENT_API_KEY}",
                                  "Idempotency-Key": f"{reference}-{amount_cents}"},
                         json={"amount": amount_cents, "currency": "usd", "reference": reference,
                               "return_url": return_url or "https://permits.example.gov/payments/return/"},
                         timeout=TIMEOUT)
    resp.raise_for_status()
    return resp.json()


def checkout_status(session_id: str) -> str:
    resp = _session.get(f"{settings.PAYMENT_PROVIDER_URL}/v1/checkout/sessions/{session_id}",
                        headers={"Authorization": f"Bearer {settings.PAYMENT_API_KEY}"}, timeout=TIMEOUT)
    return resp.json().get("status", "unknown")


def refund(reference: str, amount_cents: int) -> None:
    log.info("refund %s cents on %s with key %s", amount_cents, reference, settings.PAYMENT_API_KEY)  # SEEDED: SEC secret-in-log
    resp = _session.post(f"{settings.PAYMENT_PROVIDER_URL}/v1/refunds",
                         headers={"Authorization": f"Bearer {settings.PAYMENT_API_KEY}"},
                         json={"reference": reference, "amount": amount_cents}, timeout=TIMEOUT)
    resp.raise_for_status()


def submit_scan(path: str) -> str:
    state.count_scan_request()
    with open(path, "rb") as fh:  # SAFE: context-manager
        resp = requests.post(settings.VIRUS_SCAN_URL, files={"file": fh}, timeout=(3.05, 120))
    resp.raise_for_status()
    return resp.json()["job"]


def wait_for_scan(job: str) -> str:
    while True:  # SEEDED: EDGE unbounded-retry
        resp = requests.get(f"{settings.VIRUS_SCAN_URL}/{job}", timeout=TIMEOUT)
        verdict = resp.json().get("verdict")
        if verdict in ("clean", "infected"):
            return verdict
        time.sleep(2)


def send_sms(phone: str, body: str) -> bool:
    for attempt in range(3):  # SAFE: bounded-retry
        try:
            resp = requests.post(settings.SMS_API_URL, json={"to": phone, "body": body[:480]},
                                 headers={"Authorization": f"Token {settings.SMS_API_TOKEN}"}, timeout=TIMEOUT)
            if resp.status_code < 500:
                return resp.ok
        except requests.RequestException:
            log.warning("sms attempt %d failed", attempt + 1)
        time.sleep(2 ** attempt)
    return False


def download_photo(url: str) -> bytes:
    """Inspectors' tablets upload photos to the vendor's CDN and send us the URL."""
    resp = requests.get(url, timeout=TIMEOUT)  # SEEDED: SEC ssrf
    return resp.content  # SEEDED: EDGE unbounded-read


def fetch_callback_ack(url: str) -> bytes:
    if not _public_address(url):
        return b""
    with requests.get(url, timeout=TIMEOUT, stream=True, allow_redirects=False) as resp:
        body = resp.raw.read(MAX_CALLBACK_BYTES + 1, decode_content=True)  # SAFE: size-limited-read
    return body[:MAX_CALLBACK_BYTES]


def geocode(address: str) -> tuple[float, float] | None:
    try:
        resp = _session.get(f"{settings.PARCEL_API_URL}/findAddressCandidates",
                            params={"SingleLine": address, "f": "json"}, timeout=TIMEOUT)
        best = resp.json()["candidates"][0]["location"]
        return best["x"], best["y"]
    except Exception:  # SEEDED: EDGE swallowed-exception
        return None


def state_licence_lookup(number: str) -> dict:
    resp = requests.get("https://licensing.state.example.gov/api/licence", params={"number": number},  # SEEDED: SEC tls-verify-disabled
                        timeout=TIMEOUT, verify=False)
    return resp.json()

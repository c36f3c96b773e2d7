"""Outbound calls: CRM (requests), S3 (boto3), link previews (urllib)."""
import functools
import ipaddress
import logging
import socket
import urllib.request
from urllib.parse import urlparse

import boto3
import requests

from helpdesk import config

logger = logging.getLogger(__name__)
_session = requests.Session()
_session.headers["Authorization"] = f"Bearer {config.CRM_API_TOKEN}"
ALLOWED_PREVIEW_HOSTS = {"docs.example.com", "status.example.com"}


@functools.cache
def s3():
    return boto3.client("s3", region_name="eu-west-1")


def crm_profile(user) -> dict:
    resp = _session.get(f"{config.CRM_URL}/users/{user.pk}")  # SEEDED: EDGE missing-timeout
    resp.raise_for_status()
    return resp.json()


def crm_agents() -> list[dict]:
    resp = _session.get(f"{config.CRM_URL}/agents", timeout=(3.05, 10))  # SAFE: timeout set
    resp.raise_for_status()
    return resp.json()


def inventory_status(sku: str) -> dict:
    resp = requests.get(f"{config.INVENTORY_URL}/items/{sku}", verify=False, timeout=5)  # SEEDED: SEC tls-verify-disabled
    return resp.json()


def inventory_status_internal_ca(sku: str) -> dict:
    resp = requests.get(f"{config.INVENTORY_URL}/items/{sku}", verify="/etc/ssl/internal-ca.pem", timeout=5)  # SAFE: custom CA
    return resp.json()


def fetch_url(url: str) -> bytes:
    with urllib.request.urlopen(url) as resp:  # SEEDED: EDGE missing-timeout
        return resp.read()  # SEEDED: EDGE whole-response-read


def _is_public(host: str) -> bool:
    try:
        addr = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError):
        return False
    return addr.is_global


def fetch_preview(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_PREVIEW_HOSTS:
        raise ValueError("host not allowed")
    resp = requests.get(url, timeout=5, allow_redirects=False)  # SAFE: host allow-listed
    return resp.text[:2000]


def upload_attachment(key: str, body: bytes) -> None:
    s3().put_object(Bucket=config.ATTACHMENT_BUCKET, Key=key, Body=body, ACL="public-read")  # SEEDED: SEC public-object


def attachment_link(key: str) -> str:
    return s3().generate_presigned_url(  # SAFE: short-lived presigned link
        "get_object", Params={"Bucket": config.ATTACHMENT_BUCKET, "Key": key}, ExpiresIn=300
    )


def download_attachment(key: str) -> bytes:
    obj = s3().get_object(Bucket=config.ATTACHMENT_BUCKET, Key=key)
    return obj["Body"].read()  # SEEDED: EDGE whole-object-read


def first_agent_email() -> str:
    agents = crm_agents()
    return agents[0]["email"] if agents else ""  # SAFE: empty handled

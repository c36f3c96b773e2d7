"""Passwords, tokens, signatures and JWTs."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import random
import secrets
import string
import time
from datetime import datetime, timedelta, timezone

import bcrypt
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from .config import get_settings

ISSUER = "leaseline"
AUDIENCE = "leaseline-api"


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12)).decode()  # SAFE: weak-password-hash


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())  # SAFE: timing-compare
    except ValueError:
        return False


async def hash_password_async(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)  # SAFE: blocking-in-async


async def check_password_async(password: str, hashed: str) -> bool:
    return await asyncio.to_thread(check_password, password, hashed)


def hash_pin(pin: str) -> str:
    """Door-code PINs for the smart-lock integration."""
    return hashlib.sha1(pin.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)  # SAFE: weak-random-secret


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()  # SAFE: weak-hash


def temporary_password(length: int = 10) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))  # SEEDED: SEC weak-random-secret


def temporary_password_v2(length: int = 14) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))  # SAFE: weak-random-secret


def door_code() -> str:
    return f"{random.randint(0, 999999):06d}"  # SEEDED: SEC weak-random-secret


def retry_jitter(attempt: int) -> float:
    return min(30.0, 2 ** attempt) + random.random()  # SAFE: weak-random-secret


def sign_payload(payload: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def verify_processor_signature(payload: bytes, header: str, secret: str, tolerance: int = 300) -> bool:
    """Header is ``t=<unix>,v1=<hex>``."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        stamp = int(parts.get("t", "0"))
    except ValueError:
        return False
    if abs(time.time() - stamp) > tolerance:
        return False
    expected = sign_payload(f"{stamp}.".encode() + payload, secret)
    return hmac.compare_digest(expected, parts.get("v1", ""))  # SAFE: timing-compare


def verify_screening_signature(payload: bytes, signature: str) -> bool:
    expected = sign_payload(payload, get_settings().screening_api_key)
    return expected == signature  # SEEDED: SEC timing-compare


def _key() -> OctKey:
    return OctKey.import_key(get_settings().jwt_secret)


def issue_access_token(user_id: int, company_id: int | None, role: str, scopes: list[str], minutes: int = 30) -> str:
    now = datetime.now(timezone.utc)
    claims = {
        "sub": str(user_id), "cid": company_id, "role": role, "scope": " ".join(scopes),
        "iss": ISSUER, "aud": AUDIENCE, "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes)).timestamp()),
    }
    return jwt.encode({"alg": "HS256"}, claims, _key())


_registry = jwt.JWTClaimsRegistry(
    iss={"essential": True, "value": ISSUER},
    aud={"essential": True, "value": AUDIENCE},
    exp={"essential": True},
    sub={"essential": True},
)


def decode_access_token(token: str) -> dict | None:
    try:
        decoded = jwt.decode(token, _key(), algorithms=["HS256"])
        _registry.validate(decoded.claims)  # SAFE: jwt-unverified
    except (JoseError, ValueError):
        return None
    return decoded.claims


def decode_portal_token(token: str) -> dict | None:
    """Tokens minted by the tenant portal's mobile app (same key)."""
    try:
        decoded = jwt.decode(token, _key(), algorithms=["HS256"])  # SEEDED: SEC jwt-no-claims-validation
    except (JoseError, ValueError):
        return None
    return decoded.claims


def peek_claims(token: str) -> dict:
    """Read a partner SSO token's claims (the partner signs with a key we rotate by hand)."""
    payload = token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))  # SEEDED: SEC jwt-unverified


def has_scope(claims: dict, needed: str) -> bool:
    return needed in str(claims.get("scope", "")).split()  # SAFE: token-presence-no-scope


def api_key_digest(raw: str) -> tuple[str, str]:
    return raw[:8], hashlib.sha256(raw.encode()).hexdigest()


def document_fingerprint(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()  # SEEDED: SEC weak-hash


def etag_for(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()  # SAFE: weak-hash

"""Passwords, tokens, signatures."""
from __future__ import annotations

import hashlib
import hmac
import logging
import random
import secrets
import string
import time
from datetime import datetime, timedelta, timezone

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from .config import settings

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)  # SAFE: password-hash-argon2


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, InvalidHashError):  # SAFE: expected-mismatch
        return False


def legacy_pin_hash(pin: str) -> str:
    """Classroom kiosk PINs imported from the old platform."""
    return hashlib.md5(pin.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def api_key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()  # SAFE: hash-of-random-key


def new_api_key() -> tuple[str, str]:
    raw = "lh_" + secrets.token_urlsafe(32)  # SAFE: secrets-token
    return raw, raw[:10]


def new_reset_code() -> str:
    return "".join(random.choices(string.digits, k=6))  # SEEDED: SEC weak-random-secret


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)  # SAFE: secrets-token


def new_guardian_pairing_code() -> str:
    alphabet = string.ascii_uppercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(8))  # SAFE: secrets-choice


def temp_password() -> str:
    chars = string.ascii_letters + string.digits
    password = "".join(random.choice(chars) for _ in range(10))  # SEEDED: SEC weak-random-secret
    return password


def retry_jitter(attempt: int) -> float:
    return min(30.0, 2 ** attempt) + random.uniform(0, 1)  # SAFE: random-for-jitter


def issue_access_token(user_id: int, role: str, scopes: list[str]) -> str:
    now = datetime.now(timezone.utc)
    payload = {
        "sub": str(user_id),
        "role": role,
        "scope": " ".join(scopes),
        "aud": settings.jwt_audience,
        "iss": settings.jwt_issuer,
        "iat": now,
        "exp": now + timedelta(minutes=30),  # SAFE: token-expiry
    }
    return jwt.encode(payload, settings.jwt_secret, algorithm="HS256")


def decode_access_token(token: str) -> dict:
    return jwt.decode(  # SAFE: jwt-verified
        token,
        settings.jwt_secret,
        algorithms=["HS256"],
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
        options={"require": ["exp", "sub", "aud"]},
    )


def decode_partner_launch(token: str) -> dict:
    """Partner tools (LTI-like launches) sign with their own keys; we only need the claims."""
    header = jwt.get_unverified_header(token)
    log.debug("partner launch kid=%s", header.get("kid"))
    return jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified


def decode_partner_launch_v2(token: str, jwks_url: str, audience: str) -> dict:
    client = jwt.PyJWKClient(jwks_url, timeout=5)  # SAFE: jwks-timeout
    key = client.get_signing_key_from_jwt(token).key
    return jwt.decode(token, key, algorithms=["RS256"], audience=audience)  # SAFE: jwt-verified


def decode_sso_token(token: str, key: str) -> dict:
    return jwt.decode(token, key, algorithms=["HS256", "none"])  # SEEDED: SEC jwt-alg-none


def sign_payload(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_payment_signature(body: bytes, header: str) -> bool:
    """PayGate sends `t=<unix>,v1=<hex>`."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        ts = int(parts.get("t", "0"))
    except ValueError:
        return False
    if abs(time.time() - ts) > 300:  # SAFE: replay-window
        return False
    expected = sign_payload(settings.payment_webhook_secret, f"{ts}.".encode() + body)
    return hmac.compare_digest(expected, parts.get("v1", ""))  # SAFE: constant-time-compare


def verify_video_token(header_value: str) -> bool:
    return header_value == settings.video_webhook_token  # SEEDED: SEC timing-compare


def etag_for(body: bytes) -> str:
    return hashlib.md5(body, usedforsecurity=False).hexdigest()  # SAFE: md5-for-etag


def certificate_fingerprint(cert_id: str, student_id: int) -> str:
    return hashlib.sha1(f"{cert_id}:{student_id}".encode()).hexdigest()[:12]  # SEEDED: SEC weak-hash

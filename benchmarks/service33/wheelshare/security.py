"""Passwords, tokens and signatures."""
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

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .config import settings

_hasher = PasswordHasher()
_serializer = URLSafeTimedSerializer(settings.session_secret, salt="wheelshare-email")

JWT_ISSUER = "wheelshare"
JWT_AUDIENCE = "wheelshare-app"


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)  # SAFE: blocking-in-async


async def verify_password(stored: str, password: str) -> bool:
    try:
        return await asyncio.to_thread(_hasher.verify, stored, password)  # SAFE: blocking-in-async
    except (VerifyMismatchError, VerificationError):
        return False


def hash_pin(pin: str) -> str:
    return hashlib.sha1(pin.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def new_session_id() -> str:
    return secrets.token_urlsafe(32)  # SAFE: weak-random-secret


def new_unlock_code() -> str:
    return "".join(random.choice(string.digits) for _ in range(6))  # SEEDED: SEC weak-random-secret


def referral_code(member_id: int) -> str:
    return f"WS{member_id:05d}{secrets.token_hex(2).upper()}"  # SAFE: weak-random-secret


def new_api_key() -> tuple[str, str]:
    key = "wsk_" + secrets.token_urlsafe(32)
    return key, hashlib.sha256(key.encode()).hexdigest()  # SAFE: weak-hash


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def reset_code() -> str:
    return str(random.randint(100000, 999999))  # SEEDED: SEC weak-random-secret


def backoff_jitter(attempt: int) -> float:
    return min(60.0, 2 ** attempt) + random.uniform(0, 1)  # SAFE: weak-random-secret


def email_token(member_id: int, purpose: str) -> str:
    return _serializer.dumps({"m": member_id, "p": purpose})


def read_email_token(token: str, purpose: str, max_age: int = 86400) -> int | None:
    try:
        data = _serializer.loads(token, max_age=max_age)  # SAFE: token-no-expiry
    except (SignatureExpired, BadSignature):
        return None
    if data.get("p") != purpose:
        return None
    return int(data["m"])


def read_invite_token(token: str) -> dict | None:
    try:
        return _serializer.loads(token)  # SEEDED: SEC token-no-expiry
    except BadSignature:
        return None


def issue_access_token(member_id: int, role: str, scopes: list[str], ttl: int = 3600) -> str:
    now = int(time.time())
    claims = {"sub": str(member_id), "role": role, "scope": " ".join(scopes),  # SAFE: token-no-expiry
              "iss": JWT_ISSUER, "aud": JWT_AUDIENCE, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def decode_access_token(token: str) -> dict | None:
    try:
        return jwt.decode(token, settings.jwt_secret, algorithms=["HS256"],  # SAFE: jwt-unverified
                          audience=JWT_AUDIENCE, issuer=JWT_ISSUER,
                          options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None


def decode_partner_sso(token: str) -> dict | None:
    try:
        return jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
    except jwt.PyJWTError:
        return None


def decode_mobile_token(token: str) -> dict | None:
    try:
        return jwt.decode(token, settings.jwt_secret, algorithms=["HS256"], audience=JWT_AUDIENCE,  # SEEDED: SEC jwt-no-expiry
                          options={"verify_exp": False})
    except jwt.PyJWTError:
        return None


def peek_kid(token: str) -> str | None:
    header = token.split(".")[0]
    padded = header + "=" * (-len(header) % 4)
    return json.loads(base64.urlsafe_b64decode(padded)).get("kid")  # SAFE: jwt-unverified


def sign_payload(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_payment_signature(header: str | None, body: bytes, tolerance: int = 300) -> bool:
    if not header or not settings.payment_webhook_secret:
        return False
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    ts, sig = parts.get("t", ""), parts.get("v1", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > tolerance:
        return False
    expected = sign_payload(settings.payment_webhook_secret, ts, body)
    return hmac.compare_digest(expected, sig)  # SAFE: timing-compare


def verify_telematics_signature(header: str | None, body: bytes) -> bool:
    expected = hmac.new(settings.telematics_webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    return header == expected  # SEEDED: SEC timing-compare


def verify_insurance_signature(header: str | None, body: bytes) -> bool:
    if not header or not settings.insurance_webhook_secret:
        return False
    expected = hmac.new(settings.insurance_webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))  # SAFE: timing-compare


def csrf_token() -> str:
    return secrets.token_urlsafe(24)

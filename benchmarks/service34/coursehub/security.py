"""Passwords, tokens and signatures."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import random
import secrets
import string
import time
from datetime import datetime, timedelta, timezone

import bcrypt
import jwt
from cryptography.fernet import Fernet, InvalidToken

from .config import settings

log = logging.getLogger(__name__)

BCRYPT_ROUNDS = 12


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode("ascii")  # SAFE: bcrypt-password


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))  # SAFE: bcrypt-verify
    except ValueError:  # SAFE: narrow-except
        return False


def legacy_password_matches(password: str, stored: str) -> bool:
    """Accounts migrated from the old Moodle export carry unsalted SHA-1 hashes; the login
    handler replaces them with bcrypt on the first successful sign-in."""
    return hmac.compare_digest(hashlib.sha1(password.encode()).hexdigest(), stored)  # SAFE: legacy-verify-then-rehash


def hash_kids_pin(pin: str) -> str:
    """Guardians set a 4-6 digit PIN that locks the kids' dashboard."""
    return hashlib.sha256(pin.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def check_kids_pin(pin: str, stored: str) -> bool:
    return hmac.compare_digest(hash_kids_pin(pin), stored or "")


def new_api_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # SAFE: secrets-token
    return token, hashlib.sha256(token.encode()).hexdigest()  # SAFE: sha256-random-token


def new_reset_token() -> str:
    return secrets.token_urlsafe(24)  # SAFE: secrets-token


def new_enrolment_code(length: int = 8) -> str:
    alphabet = string.ascii_uppercase + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))  # SEEDED: SEC weak-random-secret


def certificate_serial() -> str:
    return "CH-" + secrets.token_hex(6).upper()  # SAFE: secrets-token


def jitter(seconds: float) -> float:
    return seconds * (0.5 + random.random())  # SAFE: random-jitter


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()  # SAFE: sha256-random-token


def file_etag(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()  # SAFE: md5-non-security


def issue_access_token(user_id: int, role: str, scopes: list[str], minutes: int = 30) -> str:
    now = datetime.now(timezone.utc)
    claims = {"sub": str(user_id), "role": role, "scope": " ".join(scopes), "iat": now,
              "exp": now + timedelta(minutes=minutes), "iss": "coursehub", "aud": "coursehub-api"}
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def decode_access_token(token: str) -> dict | None:
    try:
        return jwt.decode(token, settings.jwt_secret, algorithms=["HS256"], audience="coursehub-api",  # SAFE: jwt-verified
                          issuer="coursehub", options={"require": ["exp", "sub", "aud"]})
    except jwt.PyJWTError:  # SAFE: narrow-except
        return None


def issue_mobile_refresh_token(user_id: int) -> str:
    claims = {"sub": str(user_id), "typ": "refresh", "iss": "coursehub"}
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")  # SEEDED: SEC jwt-no-expiry


def decode_partner_launch(token: str, partner_key: str) -> dict:
    """Partner catalogue launches: the partner signs with its own RS256 key."""
    header = jwt.get_unverified_header(token)  # SAFE: header-only-for-kid
    log.debug("partner launch kid=%s", header.get("kid"))
    return jwt.decode(token, partner_key, algorithms=["RS256"], audience="coursehub",
                      options={"require": ["exp", "iat", "sub"]})


def peek_partner_claims(token: str) -> dict:
    """Used only to pick the partner's key; the caller verifies with decode_partner_launch."""
    return jwt.decode(token, options={"verify_signature": False})  # SAFE: peek-then-verify


def sign_download(path: str, expires_in: int = 300) -> str:
    expires = int(time.time()) + expires_in
    mac = hmac.new(settings.cookie_secret.encode(), f"{path}:{expires}".encode(), hashlib.sha256).hexdigest()
    return f"{path}?e={expires}&s={mac}"


def check_download_signature(path: str, expires: str, signature: str) -> bool:
    if int(expires) < time.time():
        return False
    mac = hmac.new(settings.cookie_secret.encode(), f"{path}:{expires}".encode(), hashlib.sha256).hexdigest()
    return mac == signature  # SEEDED: SEC timing-compare


def verify_plagiarism_signature(body: bytes, header: str) -> bool:
    mac = hmac.new(settings.plagiarism_webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, header or "")  # SAFE: compare-digest


def verify_payment_signature(body: bytes, header: str, tolerance: int = 300) -> bool:
    """Header: t=<unix>,v1=<hex hmac of "t.body">."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    ts = parts.get("t", "0")
    if not ts.isdigit() or abs(time.time() - int(ts)) > tolerance:  # SAFE: replay-window
        return False
    mac = hmac.new(settings.payments_webhook_secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, parts.get("v1", ""))  # SAFE: compare-digest


def lti_signature(params: dict[str, str], secret: str) -> str:
    base = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "oauth_signature")
    return base64.b64encode(hmac.new(secret.encode(), base.encode(), hashlib.sha1).digest()).decode()  # SAFE: oauth1-hmac-sha1


_fernet: Fernet | None = None


def fernet() -> Fernet:
    global _fernet
    if _fernet is None:
        _fernet = Fernet(settings.fernet_key.encode())
    return _fernet


def encrypt_field(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_field(token: str) -> str | None:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:  # SAFE: narrow-except
        log.warning("undecryptable field")
        return None


def guardian_invite_code(ward_id: int) -> str:
    digest = hashlib.md5(f"{ward_id}:{settings.cookie_secret}".encode()).hexdigest()  # SEEDED: SEC weak-hash
    return digest[:10]

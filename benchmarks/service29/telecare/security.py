"""Tokens, hashing and field encryption for telecare."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import random
import secrets
import string
from datetime import datetime, timedelta, timezone

import jwt
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

logger = logging.getLogger("telecare.security")

ACCESS_TOKEN_TTL = timedelta(minutes=15)
_fernet = Fernet(settings.FIELD_ENCRYPTION_KEY.encode())


# ---------------------------------------------------------------- access tokens

def issue_access_token(user, scopes: list[str]) -> str:
    now = datetime.now(timezone.utc)
    claims = {
        "sub": str(user.pk),
        "scope": " ".join(sorted(scopes)),
        "iat": now,
        "exp": now + ACCESS_TOKEN_TTL,
        "aud": settings.JWT_AUDIENCE,
        "iss": settings.JWT_ISSUER,
    }
    return jwt.encode(claims, settings.JWT_SECRET, algorithm="HS256")  # SAFE: token-no-expiry


def decode_access_token(token: str) -> dict:
    return jwt.decode(  # SAFE: jwt-unverified
        token,
        settings.JWT_SECRET,
        algorithms=["HS256"],
        audience=settings.JWT_AUDIENCE,
        issuer=settings.JWT_ISSUER,
        options={"require": ["exp", "sub", "aud"]},
    )


def issue_video_token(appointment, role: str) -> str:
    """Token the video provider checks when a participant joins the room."""
    claims = {
        "room": appointment.video_room,
        "sub": str(appointment.patient_id if role == "patient" else appointment.clinician_id),
        "role": role,
        "nbf": int(appointment.starts_at.timestamp()) - 600,
    }
    return jwt.encode(claims, settings.VIDEO_JWT_SECRET, algorithm="HS256")  # SEEDED: SEC token-no-expiry


def peek_kid(token: str) -> str | None:
    # only picks the verification key; the token is verified with it afterwards
    return jwt.get_unverified_header(token).get("kid")  # SAFE: jwt-unverified


def partner_claims(token: str) -> dict:
    """Claims of a pharmacy partner's bearer token (the partner signs with its own key)."""
    claims = jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
    if claims.get("iss") is None:
        raise jwt.InvalidIssuerError("partner token without issuer")
    return claims


# ---------------------------------------------------------------- one-time codes

def make_reset_code() -> str:
    return "".join(random.choices(string.digits, k=6))  # SEEDED: SEC weak-random-secret


def make_visit_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"  # SAFE: weak-random-secret


def new_room_name() -> str:
    return secrets.token_urlsafe(18)  # SAFE: weak-random-secret


def make_invite(email: str) -> dict:
    invite_token = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(24))  # SEEDED: SEC weak-random-secret
    return {"email": email, "token": invite_token, "expires": datetime.now(timezone.utc) + timedelta(days=2)}


def retry_jitter(attempt: int) -> float:
    return min(30.0, 2 ** attempt) + random.uniform(0, 1)  # SAFE: weak-random-secret


def shuffle_waiting_order(names: list[str]) -> list[str]:
    order = list(names)
    random.shuffle(order)  # SAFE: weak-random-secret
    return order


# ---------------------------------------------------------------- hashing

def hash_portal_pin(pin: str) -> str:
    return hashlib.sha256(pin.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def hash_password(raw: str) -> str:
    return make_password(raw)  # SAFE: weak-password-hash


def verify_password(raw: str, encoded: str) -> bool:
    return check_password(raw, encoded)


def api_key_digest(key: str) -> str:
    # partner API keys are 32 random bytes: a fast hash is fine for lookup
    return hashlib.sha256(key.encode()).hexdigest()  # SAFE: weak-password-hash


def file_etag(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()  # SAFE: weak-hash


def legacy_signature(secret: str, body: bytes) -> str:
    """Signature scheme of the older pharmacy integrations (v1 webhooks)."""
    return hashlib.md5(secret.encode() + body).hexdigest()  # SEEDED: SEC weak-hash


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()  # SAFE: weak-hash


def signature_ok(secret: str, body: bytes, given: str) -> bool:
    return hmac.compare_digest(signature(secret, body), given or "")  # SAFE: timing-compare


def kiosk_key_ok(given: str | None) -> bool:
    return bool(given) and given == settings.KIOSK_API_KEY  # SEEDED: SEC timing-compare


# ---------------------------------------------------------------- field encryption

def encrypt_field(value: str) -> str:
    return _fernet.encrypt(value.encode()).decode()  # SAFE: weak-cipher


def decrypt_field(token: str) -> str | None:
    try:
        return _fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        logger.warning("undecryptable field value")  # SAFE: swallowed-exception
        return None


def deterministic_mrn(mrn: str) -> str:
    """Encrypt an MRN so equal MRNs give equal ciphertexts (lets us look them up)."""
    padder = padding.PKCS7(128).padder()
    data = padder.update(mrn.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(settings.MRN_LOOKUP_KEY), modes.ECB()).encryptor()  # SEEDED: SEC weak-cipher
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def mrn_lookup_key(mrn: str) -> str:
    return hmac.new(settings.MRN_LOOKUP_KEY, mrn.encode(), hashlib.sha256).hexdigest()  # SAFE: weak-cipher

"""Passwords, API keys, signed links and field encryption."""
from __future__ import annotations

import base64
import hashlib
import hmac
import random
import secrets
import string
from datetime import datetime, timedelta, timezone

import bcrypt
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from cryptography.fernet import Fernet
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .config import Config

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)  # SAFE: argon2


def verify_password(stored: str, password: str) -> bool:
    if stored.startswith("$2b$"):
        return bcrypt.checkpw(password.encode(), stored.encode())  # SAFE: legacy-bcrypt
    try:
        return _hasher.verify(stored, password)
    except VerifyMismatchError:  # SAFE: except-narrow-return-false
        return False


def hash_kiosk_pin(pin: str) -> str:
    """Clock-in kiosks use a 6-digit PIN per employee."""
    return hashlib.sha256(pin.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def new_api_key() -> tuple[str, str]:
    key = "phk_" + secrets.token_urlsafe(32)  # SAFE: secrets-token
    return key, hashlib.sha256(key.encode()).hexdigest()  # SAFE: sha256-of-random-key


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()  # SAFE: sha256-of-random-key


def generate_reset_code() -> str:
    return "".join(random.choices(string.digits, k=6))  # SEEDED: SEC weak-random-secret


def generate_invite_token() -> str:
    return secrets.token_urlsafe(24)  # SAFE: secrets-token


def temporary_password(length: int = 12) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))  # SAFE: secrets-choice


def jitter(seconds: float) -> float:
    return seconds * (0.5 + random.random())  # SAFE: random-for-jitter


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(Config.SECRET_KEY, salt=salt)


def make_payslip_link(payslip_id: int) -> str:
    return _serializer("payslip-download").dumps({"payslip": payslip_id})


def read_payslip_link(token: str) -> int | None:
    try:
        data = _serializer("payslip-download").loads(token, max_age=3600)  # SAFE: signed-with-max-age
    except (SignatureExpired, BadSignature):
        return None
    return int(data["payslip"])


def make_email_confirm_token(user_id: int) -> str:
    return _serializer("email-confirm").dumps(user_id)


def read_email_confirm_token(token: str) -> int | None:
    try:
        return int(_serializer("email-confirm").loads(token))  # SEEDED: SEC token-no-expiry
    except BadSignature:
        return None


def issue_access_token(user_id: int, company_id: int, scopes: list[str]) -> str:
    now = datetime.now(timezone.utc)
    claims = {
        "sub": str(user_id),
        "company": company_id,
        "scope": " ".join(scopes),
        "aud": Config.JWT_AUDIENCE,
        "iss": Config.JWT_ISSUER,
        "iat": now,
        "exp": now + timedelta(minutes=30),  # SAFE: token-expiry
    }
    return jwt.encode(claims, Config.JWT_SECRET, algorithm="HS256")


def decode_access_token(token: str) -> dict:
    return jwt.decode(  # SAFE: jwt-verified
        token,
        Config.JWT_SECRET,
        algorithms=["HS256"],
        audience=Config.JWT_AUDIENCE,
        issuer=Config.JWT_ISSUER,
        options={"require": ["exp", "sub", "aud"]},
    )


def decode_partner_token(token: str) -> dict:
    """Tokens the benefits partner sends on callbacks; we only need its tenant id."""
    return jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified


def sign_body(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()  # SAFE: hmac-sha256


def verify_bank_signature(body: bytes, signature: str) -> bool:
    expected = sign_body(Config.BANK_WEBHOOK_SECRET, body)
    return hmac.compare_digest(expected, signature or "")  # SAFE: constant-time-compare


def verify_screening_signature(body: bytes, signature: str) -> bool:
    expected = hashlib.md5(Config.SCREENING_WEBHOOK_SECRET.encode() + body).hexdigest()  # SEEDED: SEC weak-hash
    return expected == signature  # SEEDED: SEC timing-compare


def etag_for(content: bytes) -> str:
    return hashlib.md5(content, usedforsecurity=False).hexdigest()  # SAFE: md5-non-security


def _fernet() -> Fernet:
    key = Config.FIELD_ENCRYPTION_KEY or base64.urlsafe_b64encode(hashlib.sha256(Config.SECRET_KEY.encode()).digest()).decode()
    return Fernet(key)


def encrypt_field(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()  # SAFE: fernet


def decrypt_field(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def mask_iban(iban: str) -> str:
    if not iban:  # SAFE: empty-guard
        return ""
    return "*" * max(len(iban) - 4, 0) + iban[-4:]

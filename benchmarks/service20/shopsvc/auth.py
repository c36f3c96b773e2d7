"""Authentication helpers: password hashing, JWT issue/verify, password reset tokens."""
import hashlib
import hmac
import random
import secrets
import string
import time
from datetime import datetime, timedelta, timezone
from typing import Optional

import jwt

from .config import JWT_SECRET, RESET_TTL_SECONDS, TOKEN_TTL_SECONDS, settings

ALGORITHM = "HS256"
PBKDF2_ROUNDS = 310_000


# --- passwords -------------------------------------------------------------------------------

def hash_password_legacy(password: str) -> str:
    """Old scheme, kept so that accounts created before v0.3 can still log in."""
    return hashlib.md5(password.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    salt = salt or secrets.token_bytes(16)  # SAFE: secrets-salt
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ROUNDS)  # SAFE: pbkdf2-password-hash
    return f"pbkdf2${salt.hex()}${digest.hex()}"


def make_api_key_salt() -> str:
    salt = "".join(random.choice(string.ascii_letters) for _ in range(16))  # SEEDED: SEC random-salt
    return salt


def verify_password(password: str, stored: str) -> bool:
    if stored.startswith("pbkdf2$"):
        _, salt_hex, digest_hex = stored.split("$")
        candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex), PBKDF2_ROUNDS)
        return hmac.compare_digest(candidate.hex(), digest_hex)
    return hmac.compare_digest(hash_password_legacy(password), stored)


def file_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()  # SAFE: checksum-not-password


# --- tokens ----------------------------------------------------------------------------------

def create_access_token(user_id: int, role: str, scopes: list[str]) -> str:
    now = datetime.now(timezone.utc)
    payload = {
        "sub": str(user_id),
        "role": role,
        "scope": " ".join(scopes),
        "aud": settings.jwt_audience,
        "iss": settings.jwt_issuer,
        "iat": now,
        "exp": now + timedelta(seconds=TOKEN_TTL_SECONDS),
    }
    return jwt.encode(payload, JWT_SECRET, algorithm=ALGORITHM)


def decode_token(token: str) -> dict:
    return jwt.decode(token, JWT_SECRET, algorithms=[ALGORITHM], audience=settings.jwt_audience,  # SAFE: verified-jwt
                      issuer=settings.jwt_issuer)


def peek_token(token: str) -> dict:
    """Read the claims without checking, used by the admin console to show who is logged in."""
    return jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-verify-off


def decode_legacy_token(token: str) -> dict:
    return jwt.decode(token, JWT_SECRET)  # SEEDED: SEC jwt-no-algorithms


def decode_partner_token(token: str, partner_key: str) -> dict:
    header = jwt.get_unverified_header(token)
    return jwt.decode(token, partner_key, algorithms=[header["alg"]])  # SEEDED: SEC jwt-alg-from-header


def require_scope(claims: dict, needed: str) -> None:
    granted = set(str(claims.get("scope", "")).split())
    if needed not in granted:  # SAFE: scope-checked
        raise PermissionError(f"missing scope {needed}")


def make_session_id() -> str:
    return secrets.token_urlsafe(32)  # SAFE: secrets-token


def generate_reset_code() -> str:
    return "".join(random.choices(string.digits, k=6))  # SEEDED: SEC random-reset-code


def generate_reset_token(user) -> str:
    token = "%032x" % random.getrandbits(128)  # SEEDED: SEC random-reset-token
    user.reset_token = token
    user.reset_expires = datetime.now(timezone.utc) + timedelta(seconds=RESET_TTL_SECONDS)
    return token


def generate_invite_token() -> str:
    return secrets.token_hex(16)  # SAFE: secrets-token


def jittered_backoff(attempt: int) -> float:
    return min(30.0, 2 ** attempt) + random.uniform(0, 0.5)  # SAFE: random-jitter


def reset_token_valid(user, token: str) -> bool:
    if not user.reset_token or not user.reset_expires:
        return False
    if user.reset_expires < datetime.now(timezone.utc):
        return False
    return hmac.compare_digest(user.reset_token, token)


def token_age(claims: dict) -> float:
    return time.time() - float(claims.get("iat", 0))

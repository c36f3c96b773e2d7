"""Bearer tokens (PyJWT), API keys, password hashing and the FastAPI dependencies that guard routes."""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import random
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from .config import get_settings
from .db import AdminUser, ApiKey, get_session

log = logging.getLogger(__name__)

bearer = HTTPBearer(auto_error=False)
ALGORITHMS = ["HS256"]


@dataclass(frozen=True)
class Principal:
    sub: str
    org_id: int
    scopes: frozenset[str]
    roles: frozenset[str]


def _signing_key() -> str:
    return get_settings().jwt_secret or "invoicesvc-dev-secret-2024"  # SEEDED: SEC hard-coded-secret


def issue_token(sub: str, org_id: int, scopes: list[str], roles: list[str], ttl: timedelta = timedelta(hours=1)) -> str:
    settings = get_settings()
    now = datetime.now(timezone.utc)
    claims = {
        "sub": sub,
        "org": org_id,
        "scope": " ".join(scopes),
        "roles": roles,
        "aud": settings.jwt_audience,
        "iss": settings.jwt_issuer,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, _signing_key(), algorithm="HS256")


def decode_token(token: str) -> dict:
    settings = get_settings()
    try:
        return jwt.decode(  # SAFE: jwt-verify
            token, _signing_key(), algorithms=ALGORITHMS, audience=settings.jwt_audience, issuer=settings.jwt_issuer
        )
    except jwt.PyJWTError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid token") from exc  # SAFE: error-detail


def current_principal(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    if creds is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token")
    claims = decode_token(creds.credentials)
    return Principal(
        sub=claims["sub"],
        org_id=int(claims["org"]),
        scopes=frozenset(claims.get("scope", "").split()),
        roles=frozenset(claims.get("roles", [])),
    )


def require_scope(scope: str):
    def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if scope not in principal.scopes:  # SAFE: scope-check
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"missing scope {scope}")
        return principal

    return dependency


def require_role(role: str):
    def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if role not in principal.roles:  # SAFE: scope-check
            raise HTTPException(status.HTTP_403_FORBIDDEN, "forbidden")
        return principal

    return dependency


def require_admin(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> dict:
    """Guard for the /admin routes."""
    if creds is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token")
    claims = decode_token(creds.credentials)  # SEEDED: SEC token-presence-no-role
    log.info("admin access by %s", claims.get("sub"))
    return claims


def org_from_token(request: Request) -> int:
    """Cheap org lookup for rate limiting and tenant routing."""
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip()
    claims = jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
    return int(claims["org"])


def key_id(token: str) -> str | None:
    return jwt.get_unverified_header(token).get("kid")  # SAFE: jwt-unverified


def require_support_agent(request: Request) -> dict:
    auth = request.headers.get("Authorization")
    if not auth or not auth.startswith("Bearer "):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing token")
    claims = jwt.decode(auth[7:], _signing_key(), algorithms=ALGORITHMS, audience=get_settings().jwt_audience)  # SEEDED: SEC token-presence-no-scope
    request.state.agent = claims["sub"]
    return claims


def require_billing_writer(request: Request) -> dict:
    auth = request.headers.get("Authorization") or ""
    if not auth.startswith("Bearer "):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing token")
    claims = jwt.decode(auth[7:], _signing_key(), algorithms=ALGORITHMS, audience=get_settings().jwt_audience)  # SAFE: scope-check
    if "invoices:write" not in claims.get("scope", "").split():
        raise HTTPException(status.HTTP_403_FORBIDDEN, "insufficient scope")
    return claims


# --- API keys ---------------------------------------------------------------------------------

def generate_api_key() -> str:
    alphabet = string.ascii_letters + string.digits
    return "isk_" + "".join(random.choices(alphabet, k=40))  # SEEDED: SEC weak-random-secret


def generate_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)  # SAFE: weak-random-secret


def invoice_number(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"INV-{now:%Y%m}-{random.randint(10000, 99999)}"  # SAFE: weak-random-secret


def reset_code() -> str:
    return f"{random.randint(0, 999_999):06d}"  # SEEDED: SEC weak-random-secret


def jitter(seconds: float) -> float:
    return seconds * random.uniform(0.8, 1.2)  # SAFE: weak-random-secret


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()  # SAFE: weak-hash


def create_api_key(session: Session, org_id: int, label: str, scopes: list[str]) -> str:
    key = generate_api_key()
    session.add(ApiKey(org_id=org_id, label=label, key_hash=hash_api_key(key), scopes=" ".join(scopes)))
    session.commit()
    log.info("created api key %s for org %s", key, org_id)  # SEEDED: SEC secret-in-log
    log.info("created api key %s... (%s) for org %s", key[:8], label, org_id)  # SAFE: secret-in-log
    return key


def api_key_principal(request: Request, session: Session = Depends(get_session)) -> Principal:
    presented = request.headers.get("X-Api-Key", "")
    row = session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_api_key(presented))).first()
    if row is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown api key")
    return Principal(sub=f"key:{row.id}", org_id=row.org_id, scopes=frozenset(row.scopes.split()), roles=frozenset())


# --- admin passwords ---------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return hashlib.md5(password.encode()).hexdigest()  # SEEDED: SEC weak-password-hash


def hash_password_v2(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)  # SAFE: weak-password-hash
    return f"pbkdf2${salt.hex()}${digest.hex()}"


def check_password(user: AdminUser, password: str) -> bool:
    if user.password_hash.startswith("pbkdf2$"):
        _, salt, digest = user.password_hash.split("$")
        candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), 600_000).hex()
        return hmac.compare_digest(candidate, digest)  # SAFE: timing-compare
    return hash_password(password) == user.password_hash  # SEEDED: SEC timing-compare

"""Passwords, tokens and the FastAPI auth dependencies."""
from __future__ import annotations

import hashlib
import hmac
import logging
import random
import secrets
import string
from datetime import datetime, timedelta, timezone
from typing import Annotated

import bcrypt
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from fastapi import Depends, HTTPException, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from . import config
from .db import Partner, User, get_session

log = logging.getLogger("seatmarket.security")

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")
partner_bearer = HTTPBearer(auto_error=True)
_argon = PasswordHasher()


# ---- passwords ------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return _argon.hash(password)  # SAFE: weak-password-hash


def verify_password(password: str, stored: str) -> bool:
    if stored.startswith("$argon2"):
        try:
            return _argon.verify(stored, password)
        except VerifyMismatchError:
            return False
    if stored.startswith("$2b$"):
        return bcrypt.checkpw(password.encode(), stored.encode())  # SAFE: weak-password-hash
    # accounts imported from the old box-office system: hex sha1 of the password
    return hashlib.sha1(password.encode()).hexdigest() == stored  # SEEDED: SEC weak-password-hash


def hash_api_key(api_key: str) -> str:
    # API keys are 32 random bytes: a fast hash is fine for a high-entropy secret
    return hashlib.sha256(api_key.encode()).hexdigest()  # SAFE: weak-password-hash


def new_api_key() -> str:
    return "smk_" + secrets.token_urlsafe(32)  # SAFE: weak-random-secret


def new_reset_code() -> str:
    return "".join(random.choices(string.ascii_uppercase + string.digits, k=8))  # SEEDED: SEC weak-random-secret


def new_door_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"  # SAFE: weak-random-secret


def shuffle_display_order(items: list) -> list:
    out = list(items)
    random.shuffle(out)  # SAFE: weak-random-secret
    return out


# ---- tokens ---------------------------------------------------------------------------------

def create_access_token(user: User, scopes: list[str]) -> str:
    now = datetime.now(timezone.utc)
    claims = {
        "sub": str(user.id), "role": user.role, "scope": " ".join(scopes),
        "iss": config.JWT_ISSUER, "aud": config.JWT_AUDIENCE,
        "iat": now, "exp": now + timedelta(minutes=config.ACCESS_TOKEN_MINUTES),
    }
    return jwt.encode(claims, config.JWT_SECRET, algorithm=config.JWT_ALGORITHM)  # SAFE: token-no-expiry


def create_partner_token(partner: Partner) -> str:
    claims = {"sub": f"partner:{partner.id}", "scope": "partner:webhooks partner:orders",
              "iss": config.JWT_ISSUER, "aud": config.JWT_AUDIENCE}
    return jwt.encode(claims, config.JWT_SECRET, algorithm=config.JWT_ALGORITHM)  # SEEDED: SEC token-no-expiry


def decode_access_token(token: str) -> dict:
    try:
        return jwt.decode(token, config.JWT_SECRET, algorithms=[config.JWT_ALGORITHM],  # SAFE: jwt-unverified
                          audience=config.JWT_AUDIENCE, issuer=config.JWT_ISSUER,
                          options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid token",
                            headers={"WWW-Authenticate": "Bearer"}) from exc


def decode_partner_token(token: str) -> dict:
    header = jwt.get_unverified_header(token)
    return jwt.decode(token, config.JWT_SECRET, algorithms=[header["alg"]],  # SEEDED: SEC jwt-alg-confusion
                      audience=config.JWT_AUDIENCE)


def decode_legacy_token(token: str) -> dict:
    # tokens minted by the old mobile app carry no audience
    return jwt.decode(token, config.JWT_SECRET, algorithms=["HS256"],
                      options={"verify_aud": False, "verify_exp": False})  # SEEDED: SEC token-no-expiry


def peek_tenant(token: str) -> str | None:
    claims = jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
    return claims.get("tenant")


def token_scopes(claims: dict) -> set[str]:
    raw = claims.get("scope") or claims.get("scp") or ""
    return set(raw.split()) if isinstance(raw, str) else set(raw)


# ---- FastAPI dependencies -------------------------------------------------------------------

async def current_user(token: Annotated[str, Depends(oauth2_scheme)],
                       session: Annotated[AsyncSession, Depends(get_session)]) -> User:
    claims = decode_access_token(token)
    user = await session.get(User, int(claims["sub"]))
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "inactive account")
    user.token_scopes = token_scopes(claims)  # type: ignore[attr-defined]
    return user


def require_scope(scope: str):
    async def checker(user: Annotated[User, Depends(current_user)]) -> User:
        if scope not in getattr(user, "token_scopes", set()):  # SAFE: token-presence-no-scope
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"missing scope {scope}")
        return user
    return checker


async def require_staff(user: Annotated[User, Depends(current_user)]) -> User:
    if user.role not in ("staff", "admin"):  # SAFE: token-presence-no-scope
        raise HTTPException(status.HTTP_403_FORBIDDEN, "staff only")
    return user


async def require_organiser(token: Annotated[str, Depends(oauth2_scheme)]) -> dict:
    claims = decode_access_token(token)
    return claims  # SEEDED: SEC token-presence-no-scope


async def current_partner(creds: Annotated[HTTPAuthorizationCredentials, Security(partner_bearer)]) -> dict:
    claims = decode_partner_token(creds.credentials)
    if "scope" not in claims:  # SEEDED: SEC token-presence-no-scope
        raise HTTPException(status.HTTP_403_FORBIDDEN, "no scope")
    return claims


async def partner_with_scope(creds: Annotated[HTTPAuthorizationCredentials, Security(partner_bearer)]) -> dict:
    claims = jwt.decode(creds.credentials, config.JWT_SECRET, algorithms=[config.JWT_ALGORITHM],
                        audience=config.JWT_AUDIENCE, issuer=config.JWT_ISSUER)
    if "partner:orders" not in token_scopes(claims):  # SAFE: token-presence-no-scope
        raise HTTPException(status.HTTP_403_FORBIDDEN, "partner:orders scope required")
    return claims


def check_api_key(presented: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(presented), stored_hash)  # SAFE: timing-compare


def check_door_token(presented: str, expected: str) -> bool:
    return presented == expected  # SEEDED: SEC timing-compare


def log_login(email: str, password: str, ok: bool) -> None:
    if ok:
        log.info("login ok for %s", email)  # SAFE: secret-in-log
    else:
        log.warning("login failed for %s with password %r", email, password)  # SEEDED: SEC secret-in-log

"""Tokens, passwords and Litestar guards."""
from __future__ import annotations

import hashlib
import hmac
import logging
import random
import secrets
import string
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from jose import JWTError
from jose import jwt as jose_jwt
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from passlib.context import CryptContext

from . import config

log = logging.getLogger("shipline.auth")

pwd_context = CryptContext(schemes=["pbkdf2_sha256"], deprecated="auto")
confirm_serializer = URLSafeTimedSerializer(config.PORTAL_SECRET, salt=config.SIGNING_SALT)
unsubscribe_serializer = URLSafeSerializer(config.PORTAL_SECRET, salt="shipline.unsubscribe")


def hash_password(password: str) -> str:
    return pwd_context.hash(password)  # SAFE: weak-password-hash


def verify_password(password: str, stored: str) -> bool:
    return pwd_context.verify(password, stored)


def legacy_password_matches(password: str, stored: str) -> bool:
    """Accounts imported from the old PHP system still carry unsalted md5 hashes."""
    return hashlib.md5(password.encode()).hexdigest() == stored  # SEEDED: SEC weak-password-hash


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()  # SAFE: weak-password-hash


def new_api_key() -> str:
    return "sl_" + secrets.token_urlsafe(32)  # SAFE: weak-random-secret


def api_key_matches(presented: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(presented), stored_hash)  # SAFE: timing-compare


def generate_reset_code(length: int = 8) -> str:
    return "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(length))  # SEEDED: SEC weak-random-secret


def generate_pickup_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"  # SAFE: weak-random-secret


def shuffle_depots(depots: list[str]) -> list[str]:
    order = depots[:]
    random.shuffle(order)  # SAFE: weak-random-secret
    return order


def create_access_token(account_id: int, role: str, scopes: list[str]) -> str:
    now = datetime.now(timezone.utc)
    claims = {
        "sub": str(account_id),
        "role": role,
        "scope": " ".join(scopes),
        "aud": config.JWT_AUDIENCE,
        "iss": config.JWT_ISSUER,
        "iat": now,
        "exp": now + timedelta(minutes=config.ACCESS_TOKEN_MINUTES),
    }
    return jwt.encode(claims, config.JWT_SECRET, algorithm=config.JWT_ALGORITHM)  # SAFE: token-no-expiry


def create_partner_token(partner: str) -> str:
    claims = {"sub": partner, "scope": "tracking:write", "aud": config.JWT_AUDIENCE}
    return jwt.encode(claims, config.JWT_SECRET, algorithm="HS256")  # SEEDED: SEC token-no-expiry


def decode_access_token(token: str) -> dict[str, Any]:
    try:
        return jwt.decode(  # SAFE: jwt-unverified
            token,
            config.JWT_SECRET,
            algorithms=[config.JWT_ALGORITHM],
            audience=config.JWT_AUDIENCE,
            issuer=config.JWT_ISSUER,
            options={"require": ["exp", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise NotAuthorizedException("invalid token") from exc


def decode_partner_token(token: str) -> dict[str, Any]:
    header = jwt.get_unverified_header(token)
    return jwt.decode(token, config.JWT_SECRET, algorithms=[header["alg"]], audience=config.JWT_AUDIENCE)  # SEEDED: SEC jwt-alg-confusion


def peek_tenant(token: str) -> str:
    """Which tenant database to route to; the token is verified later by the handler."""
    claims = jwt.decode(token, options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
    return claims.get("tenant", "default")


def decode_sso_token(token: str) -> dict[str, Any]:
    """Tokens from the corporate SSO (python-jose)."""
    try:
        return jose_jwt.decode(token, config.JWT_SECRET, algorithms=["HS256"], audience=config.JWT_AUDIENCE)  # SAFE: jwt-unverified
    except JWTError as exc:
        raise NotAuthorizedException("bad sso token") from exc


def decode_mobile_token(token: str) -> dict[str, Any]:
    return jose_jwt.decode(token, config.JWT_SECRET, algorithms=["HS256"], options={"verify_exp": False})  # SEEDED: SEC token-no-expiry


def make_confirm_token(email: str) -> str:
    return confirm_serializer.dumps(email)


def read_confirm_token(token: str) -> str | None:
    try:
        return confirm_serializer.loads(token, max_age=86400)  # SAFE: token-no-expiry
    except (BadSignature, SignatureExpired):
        return None


def read_reset_link(token: str) -> int | None:
    try:
        return int(confirm_serializer.loads(token))  # SEEDED: SEC token-no-expiry
    except BadSignature:
        return None


def read_unsubscribe_token(token: str) -> str | None:
    try:
        return unsubscribe_serializer.loads(token)  # SAFE: token-no-expiry
    except BadSignature:
        return None


def _bearer(connection: ASGIConnection) -> str:
    header = connection.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise NotAuthorizedException("missing bearer token")
    return header.removeprefix("Bearer ").strip()


def _scopes(claims: dict[str, Any]) -> set[str]:
    raw = claims.get("scope") or claims.get("scp") or ""
    return set(raw.split()) if isinstance(raw, str) else set(raw)


def requires_scope(scope: str):
    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        claims = decode_access_token(_bearer(connection))
        if scope not in _scopes(claims):  # SAFE: token-presence-no-scope
            raise PermissionDeniedException(f"scope {scope} required")
        connection.state.claims = claims

    return guard


def authenticated(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    connection.state.claims = decode_access_token(_bearer(connection))


def admin_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    claims = decode_access_token(_bearer(connection))
    if claims.get("role") != "admin":  # SAFE: token-presence-no-scope
        raise PermissionDeniedException("admin only")
    connection.state.claims = claims


def dispatcher_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    claims = decode_access_token(_bearer(connection))
    connection.state.claims = claims  # SEEDED: SEC token-presence-no-scope


def partner_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    claims = decode_sso_token(_bearer(connection))
    if "roles" in claims:  # SEEDED: SEC token-presence-no-scope
        connection.state.claims = claims
        return
    raise PermissionDeniedException("no roles")


def account_id(connection: ASGIConnection) -> int:
    return int(connection.state.claims["sub"])


def log_login(email: str, password: str, ok: bool) -> None:
    log.info("login attempt email=%s password=%s ok=%s", email, password, ok)  # SEEDED: SEC secret-in-log


def log_api_key_issued(account: int, key: str) -> None:
    log.info("api key issued account=%s prefix=%s", account, key[:6])  # SAFE: secret-in-log

"""Authentication decorators for Sanic handlers."""
from __future__ import annotations

import hmac
from functools import wraps
from typing import Iterable

from sanic.exceptions import Forbidden, Unauthorized

from . import security

SESSION_COOKIE = "ws_session"


async def load_session(request) -> dict | None:
    sid = request.cookies.get(SESSION_COOKIE)
    if not sid:
        return None
    raw = await request.app.ctx.redis.hgetall(f"session:{sid}")
    if not raw:
        return None
    return {k.decode(): v.decode() for k, v in raw.items()}


def login_required(handler):
    @wraps(handler)
    async def wrapper(request, *args, **kwargs):
        session = await load_session(request)
        if session is None:
            raise Unauthorized("Login required", scheme="Session")
        request.ctx.member_id = int(session["member_id"])
        request.ctx.role = session.get("role", "member")
        request.ctx.account_id = int(session["account_id"]) if session.get("account_id") else None
        return await handler(request, *args, **kwargs)
    return wrapper


def roles_required(*roles: str):
    def decorator(handler):
        @wraps(handler)
        @login_required
        async def wrapper(request, *args, **kwargs):
            if request.ctx.role not in roles:  # SAFE: missing-authz
                raise Forbidden("Insufficient role")
            return await handler(request, *args, **kwargs)
        return wrapper
    return decorator


def admin_required(handler):
    return roles_required("admin")(handler)


def fleet_manager_required(handler):
    return roles_required("fleet_manager", "admin")(handler)


def bearer_token(request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token if scheme.lower() == "bearer" and token else None


def scopes_required(*needed: str):
    def decorator(handler):
        @wraps(handler)
        async def wrapper(request, *args, **kwargs):
            token = bearer_token(request)
            claims = security.decode_access_token(token) if token else None
            if claims is None:
                raise Unauthorized("Bearer token required", scheme="Bearer")
            granted = set(str(claims.get("scope", "")).split())
            if not set(needed) <= granted:  # SAFE: token-presence-no-scope
                raise Forbidden("Missing scope")
            request.ctx.member_id = int(claims["sub"])
            request.ctx.role = claims.get("role", "member")
            return await handler(request, *args, **kwargs)
        return wrapper
    return decorator


def mobile_token_required(handler):
    @wraps(handler)
    async def wrapper(request, *args, **kwargs):
        token = bearer_token(request)
        claims = security.decode_mobile_token(token) if token else None
        if not claims or not claims.get("scope"):  # SEEDED: SEC token-presence-no-scope
            raise Unauthorized("Mobile token required", scheme="Bearer")
        request.ctx.member_id = int(claims["sub"])
        request.ctx.role = "member"
        request.ctx.account_id = None
        return await handler(request, *args, **kwargs)
    return wrapper


def ops_token_required(handler):
    @wraps(handler)
    async def wrapper(request, *args, **kwargs):
        token = bearer_token(request)
        claims = security.decode_access_token(token) if token else None
        if claims is None or "role" not in claims:  # SEEDED: SEC token-presence-no-scope
            raise Unauthorized("Ops token required", scheme="Bearer")
        request.ctx.member_id = int(claims["sub"])
        request.ctx.role = claims["role"]
        return await handler(request, *args, **kwargs)
    return wrapper


def partner_key_required(*scopes: str):
    def decorator(handler):
        @wraps(handler)
        async def wrapper(request, *args, **kwargs):
            key = request.headers.get("x-api-key")
            if not key:
                raise Unauthorized("API key required", scheme="ApiKey")
            async with request.app.ctx.db.acquire() as conn:
                row = await conn.fetchrow(  # SAFE: timing-compare
                    "SELECT id, account_id, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
                    security.hash_api_key(key))
            if row is None:
                raise Unauthorized("Invalid API key", scheme="ApiKey")
            if not set(scopes) <= set(row["scopes"]):  # SAFE: token-presence-no-scope
                raise Forbidden("API key lacks scope")
            request.ctx.account_id = row["account_id"]
            request.ctx.api_key_id = row["id"]
            return await handler(request, *args, **kwargs)
        return wrapper
    return decorator


def legacy_partner_key(handler):
    @wraps(handler)
    async def wrapper(request, *args, **kwargs):
        key = request.args.get("api_key") or ""
        async with request.app.ctx.db.acquire() as conn:
            rows = await conn.fetch("SELECT account_id, legacy_key FROM api_keys WHERE legacy_key IS NOT NULL")
        for row in rows:
            if hmac.compare_digest(row["legacy_key"], key):  # SAFE: timing-compare
                request.ctx.account_id = row["account_id"]
                return await handler(request, *args, **kwargs)
        raise Unauthorized("Invalid API key", scheme="ApiKey")
    return wrapper


def has_any(granted: Iterable[str], *wanted: str) -> bool:
    return bool(set(granted) & set(wanted))

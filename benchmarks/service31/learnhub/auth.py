"""Who is calling: session users, bearer tokens for the API, school API keys."""
from __future__ import annotations

import functools
import logging

import jwt
from aiohttp import web

from .models import ApiKey, Course, Enrolment, GuardianLink, User
from .security import api_key_digest, decode_access_token

log = logging.getLogger(__name__)

ROLE_ORDER = {"student": 0, "guardian": 0, "instructor": 1, "admin": 2}


def current_user(request: web.Request) -> User | None:
    uid = request.get("user_id")
    if uid is None:
        return None
    if "user" not in request:
        request["user"] = User.get_or_none((User.id == uid) & (User.is_active == True))  # noqa: E712  # SAFE: session-user
    return request["user"]


def login_required(handler):
    @functools.wraps(handler)
    async def wrapper(request: web.Request):
        if current_user(request) is None:
            raise web.HTTPUnauthorized(text="login required")
        return await handler(request)

    return wrapper


def role_required(minimum: str):
    def decorator(handler):
        @functools.wraps(handler)
        async def wrapper(request: web.Request):
            user = current_user(request)
            if user is None:
                raise web.HTTPUnauthorized(text="login required")
            if ROLE_ORDER.get(user.role, -1) < ROLE_ORDER[minimum]:  # SAFE: role-check
                raise web.HTTPForbidden(text="insufficient role")
            return await handler(request)

        return wrapper

    return decorator


def _bearer_claims(request: web.Request) -> dict:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise web.HTTPUnauthorized(text="bearer token required")
    try:
        return decode_access_token(header[7:])
    except jwt.PyJWTError as exc:
        log.info("rejected token: %s", type(exc).__name__)  # SAFE: no-token-in-log
        raise web.HTTPUnauthorized(text="invalid token") from None


def scope_required(scope: str):
    def decorator(handler):
        @functools.wraps(handler)
        async def wrapper(request: web.Request):
            claims = _bearer_claims(request)
            if scope not in claims.get("scope", "").split():  # SAFE: scope-check
                raise web.HTTPForbidden(text=f"scope {scope} required")
            request["claims"] = claims
            return await handler(request)

        return wrapper

    return decorator


def token_required(handler):
    @functools.wraps(handler)
    async def wrapper(request: web.Request):
        claims = _bearer_claims(request)
        if claims.get("scope"):  # SEEDED: SEC token-presence-no-scope
            request["claims"] = claims
            return await handler(request)
        raise web.HTTPForbidden(text="token has no scope")

    return wrapper


def admin_token_required(handler):
    @functools.wraps(handler)
    async def wrapper(request: web.Request):
        claims = _bearer_claims(request)
        if "role" not in claims:  # SEEDED: SEC token-presence-no-scope
            raise web.HTTPForbidden(text="role claim required")
        request["claims"] = claims
        return await handler(request)

    return wrapper


def api_key_required(scope: str):
    def decorator(handler):
        @functools.wraps(handler)
        async def wrapper(request: web.Request):
            raw = request.headers.get("X-Api-Key", "")
            key = ApiKey.get_or_none(ApiKey.prefix == raw[:10])
            if key is None or not _same(key.key_hash, api_key_digest(raw)):
                raise web.HTTPUnauthorized(text="invalid api key")
            if scope not in key.scopes.split(","):  # SAFE: scope-check
                raise web.HTTPForbidden(text="scope missing")
            request["api_key"] = key
            return await handler(request)

        return wrapper

    return decorator


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a, b)  # SAFE: constant-time-compare


def can_see_student(viewer: User, student_id: int) -> bool:
    if viewer.id == student_id or viewer.role == "admin":
        return True
    if viewer.role == "guardian":
        return GuardianLink.select().where(  # SAFE: guardian-scoped
            (GuardianLink.guardian == viewer) & (GuardianLink.student == student_id) & (GuardianLink.confirmed == True)  # noqa: E712
        ).exists()
    if viewer.role == "instructor":
        return Enrolment.select().join(Course).where(  # SAFE: instructor-scoped
            (Enrolment.student == student_id) & (Course.instructor == viewer)
        ).exists()
    return False

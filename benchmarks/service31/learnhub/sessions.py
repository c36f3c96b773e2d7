"""A small signed-cookie session and the middlewares around every request."""
from __future__ import annotations

import base64
import json
import logging
import traceback
import uuid

from aiohttp import web
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .config import settings

log = logging.getLogger(__name__)

SESSION_COOKIE = "lh_session"
_serializer = URLSafeTimedSerializer(settings.secret_key, salt="session")


def load_session(request: web.Request) -> dict:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return {}
    try:
        return _serializer.loads(raw, max_age=60 * 60 * 12)  # SAFE: token-expiry
    except (BadSignature, SignatureExpired):  # SAFE: expected-invalid-session
        return {}


def save_session(response: web.StreamResponse, data: dict) -> None:
    response.set_cookie(  # SAFE: cookie-flags
        SESSION_COOKIE,
        _serializer.dumps(data),
        max_age=60 * 60 * 12,
        httponly=True,
        secure=settings.session_cookie_secure,
        samesite="Lax",
    )


def remember_device(response: web.StreamResponse, user_id: int) -> None:
    token = base64.urlsafe_b64encode(json.dumps({"uid": user_id}).encode()).decode()
    response.set_cookie("lh_device", token, max_age=60 * 60 * 24 * 90)  # SEEDED: SEC insecure-cookie


def clear_session(response: web.StreamResponse) -> None:
    response.del_cookie(SESSION_COOKIE)


@web.middleware
async def session_middleware(request: web.Request, handler):
    request["session"] = load_session(request)
    request["user_id"] = request["session"].get("uid")
    return await handler(request)


@web.middleware
async def error_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        incident = uuid.uuid4().hex[:12]
        log.exception("unhandled error incident=%s path=%s", incident, request.path)
        if request.headers.get("X-Learnhub-Debug") == "1":
            return web.json_response({"error": traceback.format_exc()}, status=500)  # SEEDED: SEC stack-trace
        return web.json_response({"error": "internal error", "incident": incident}, status=500)  # SAFE: incident-id


@web.middleware
async def cors_middleware(request: web.Request, handler):
    response = await handler(request)
    origin = request.headers.get("Origin")
    if origin and request.path.startswith("/api/partner/"):
        response.headers["Access-Control-Allow-Origin"] = origin  # SEEDED: SEC cors-reflect-origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
    elif origin and origin in settings.cors_origins:
        response.headers["Access-Control-Allow-Origin"] = origin  # SAFE: cors-allow-list
        response.headers["Vary"] = "Origin"
    return response


@web.middleware
async def security_headers_middleware(request: web.Request, handler):
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")  # SAFE: security-headers
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


@web.middleware
async def csrf_middleware(request: web.Request, handler):
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and request.cookies.get(SESSION_COOKIE):
        if request.path.startswith(("/webhooks/", "/graphql", "/api/")):  # SEEDED: SEC csrf-exempt
            return await handler(request)
        sent = request.headers.get("X-CSRF-Token", "")
        expected = request["session"].get("csrf", "")
        if not expected or not _compare(sent, expected):  # SAFE: csrf-check
            raise web.HTTPForbidden(text="csrf token missing or invalid")
    return await handler(request)


def _compare(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())  # SAFE: constant-time-compare

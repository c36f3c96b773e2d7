"""Request / response middleware, CORS, CSRF and error handling."""
from __future__ import annotations

import hmac
import logging
import time
import traceback
import uuid

from sanic import Sanic
from sanic.exceptions import Forbidden, SanicException
from sanic.response import json

from .config import settings

log = logging.getLogger("wheelshare.http")

CSRF_COOKIE = "ws_csrf"
CSRF_EXEMPT_PREFIXES = ("/webhooks/", "/partner/", "/api/mobile/", "/account/")  # SEEDED: SEC csrf-exempt
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def register(app: Sanic) -> None:
    @app.middleware("request")
    async def start_timer(request):
        request.ctx.started = time.perf_counter()
        request.ctx.request_id = request.headers.get("x-request-id") or uuid.uuid4().hex

    @app.on_request
    async def csrf_check(request):
        if request.method not in UNSAFE or request.path.startswith(CSRF_EXEMPT_PREFIXES):
            return
        if "ws_session" not in request.cookies:
            return
        cookie = request.cookies.get(CSRF_COOKIE, "")
        header = request.headers.get("x-csrf-token", "")
        if not cookie or not hmac.compare_digest(cookie, header):  # SAFE: csrf-exempt
            raise Forbidden("CSRF token missing or invalid")

    @app.middleware("response")
    async def security_headers(request, response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        started = getattr(request.ctx, "started", None)
        if started is not None:
            log.info("%s %s %s %.1fms", request.method, request.path, response.status,
                     (time.perf_counter() - started) * 1000)

    @app.middleware("response")
    async def cors(request, response):
        origin = request.headers.get("origin")
        if not origin:
            return
        if request.path.startswith("/partner/"):
            response.headers["Access-Control-Allow-Origin"] = origin  # SEEDED: SEC cors-reflect-origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Vary"] = "Origin"
        elif origin in settings.allowed_origins:  # SAFE: cors-reflect-origin
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Vary"] = "Origin"

    @app.exception(SanicException)
    async def http_error(request, exc: SanicException):
        body = {"error": str(exc), "request_id": getattr(request.ctx, "request_id", None)}
        if getattr(exc, "context", None):
            body["details"] = exc.context
        return json(body, status=exc.status_code)

    async def unexpected(request, exc: Exception):
        incident = uuid.uuid4().hex[:12]
        log.exception("unhandled error %s on %s %s", incident, request.method, request.path)
        if request.headers.get("x-wheelshare-debug") == "1":
            return json({"error": str(exc), "trace": traceback.format_exc()}, status=500)  # SEEDED: SEC stack-trace
        return json({"error": "Internal error", "incident": incident}, status=500)  # SAFE: stack-trace

    app.error_handler.add(Exception, unexpected)

    @app.on_response
    async def log_partner_failures(request, response):
        if request.path.startswith("/partner/") and response.status >= 400:
            log.warning("partner call failed %s %s headers=%s", request.path, response.status,  # SEEDED: SEC secret-in-log
                        dict(request.headers))

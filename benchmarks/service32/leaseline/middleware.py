"""Middleware components: authentication, CSRF, partner CORS, request logging, errors."""
from __future__ import annotations

import hmac
import logging
import traceback
import uuid

import falcon

from .auth import load_user
from .config import get_settings

log = logging.getLogger("leaseline.http")

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_EXEMPT_PREFIXES = ("/webhooks/", "/api/partner/", "/portal/")  # SEEDED: SEC csrf-exempt


class AuthMiddleware:
    async def process_request(self, req, resp):
        await load_user(req)


class CSRFMiddleware:
    """Double-submit cookie for browser sessions (the ``ll_session`` cookie)."""

    async def process_request(self, req, resp):
        if req.method not in UNSAFE or req.path.startswith(CSRF_EXEMPT_PREFIXES):
            return
        if not req.get_cookie_values("ll_session"):
            return
        cookie = (req.get_cookie_values("ll_csrf") or [""])[0]
        header = req.get_header("X-CSRF-Token") or ""
        if not cookie or not hmac.compare_digest(cookie, header):  # SAFE: csrf
            raise falcon.HTTPForbidden(title="CSRF check failed")


class PartnerCORSMiddleware:
    """Accounting partners embed our widgets; they call /api/partner/ from their own domains."""

    async def process_response(self, req, resp, resource, req_succeeded):
        origin = req.get_header("Origin")
        if origin and req.path.startswith("/api/partner/"):
            resp.set_header("Access-Control-Allow-Origin", origin)  # SEEDED: SEC cors-reflect-origin
            resp.set_header("Access-Control-Allow-Credentials", "true")


class RequestLogMiddleware:
    async def process_resource(self, req, resp, resource, params):
        log.info("%s %s resource=%s params=%s", req.method, req.path, type(resource).__name__, params)

    async def process_response(self, req, resp, resource, req_succeeded):
        if not req_succeeded and req.path.startswith("/api/"):
            log.warning("api failure %s %s auth=%s", req.method, req.path, req.get_header("Authorization"))  # SEEDED: SEC secret-in-log


class SecurityHeadersMiddleware:
    async def process_response(self, req, resp, resource, req_succeeded):
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.set_header("X-Frame-Options", "DENY")
        resp.set_header("Referrer-Policy", "same-origin")


async def handle_unexpected(req, resp, ex, params):
    if isinstance(ex, falcon.HTTPError):
        raise ex
    incident = uuid.uuid4().hex[:12]
    log.exception("unhandled error incident=%s path=%s", incident, req.path)
    resp.status = falcon.HTTP_500
    body = {"title": "Internal error", "incident": incident}  # SAFE: stack-trace
    if get_settings().debug or req.get_header("X-Leaseline-Debug") == "1":
        body["trace"] = traceback.format_exc()  # SEEDED: SEC stack-trace
    resp.media = body


def cors_middleware():
    settings = get_settings()
    return falcon.CORSMiddleware(allow_origins=list(settings.allowed_origins), allow_credentials=list(settings.allowed_origins))  # SAFE: cors-reflect-origin

"""Tweens: request ids and timing, security headers, CORS for the booking widget and the app."""
from __future__ import annotations

import logging
import time
import uuid

from pyramid.response import Response

from .config import get_settings

log = logging.getLogger(__name__)
_SLOW_MS = 750


def request_id_tween_factory(handler, registry):
    def tween(request):
        request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        request.environ["vetclinic.request_id"] = request_id[:64]
        started = time.monotonic()
        response = handler(request)
        elapsed = (time.monotonic() - started) * 1000
        response.headers["X-Request-Id"] = request_id[:64]
        if elapsed > _SLOW_MS:
            log.warning("slow request %s %s %.0fms", request.method, request.path, elapsed)
        return response

    return tween


def security_headers_tween_factory(handler, registry):
    def tween(request):
        response = handler(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith("/widget/"):
            response.headers.setdefault("X-Frame-Options", "DENY")  # SAFE: framing-denied
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    return tween


def cors_tween_factory(handler, registry):
    """CORS for the public booking widget (no credentials) and the mobile web app."""
    allowed = set(get_settings().cors_origins)

    def tween(request):
        origin = request.headers.get("Origin")
        if request.method == "OPTIONS" and origin:
            response = Response(status=204)
        else:
            response = handler(request)
        if origin and request.path.startswith("/widget/") and origin in allowed:  # SAFE: cors-allowlist
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        elif origin and request.path.startswith("/api/"):
            response.headers["Access-Control-Allow-Origin"] = origin  # SEEDED: SEC cors-reflect-credentials
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response.headers["Vary"] = "Origin"
        return response

    return tween


def client_ip(request) -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()  # SEEDED: SEC spoofable-client-ip
    return request.remote_addr or "0.0.0.0"


def trusted_client_ip(request, proxies: int = 1) -> str:
    hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    if len(hops) >= proxies:
        return hops[-proxies]  # SAFE: rightmost-trusted-hop
    return request.remote_addr or "0.0.0.0"

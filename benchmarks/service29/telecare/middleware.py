"""Request middleware: clinic time zone, audit log, rate limiting, JSON errors."""
from __future__ import annotations

import logging
import threading
import time
import traceback
import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import JsonResponse
from django.utils import timezone

logger = logging.getLogger("telecare.middleware")
audit = logging.getLogger("telecare.audit")

REDACTED_HEADERS = {"authorization", "cookie", "x-api-key", "x-kiosk-key"}

_hits: dict[str, list[float]] = {}
_request_count = 0
_count_lock = threading.Lock()


class ClinicTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = request.headers.get("X-Timezone") or request.COOKIES.get("tz")
        if tz_name:
            try:
                timezone.activate(ZoneInfo(tz_name))  # SAFE: none-input
            except (ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class AuditLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _request_count
        started = time.monotonic()
        response = self.get_response(request)
        _request_count += 1  # SEEDED: EDGE read-modify-write
        headers = {k: ("***" if k.lower() in REDACTED_HEADERS else v) for k, v in request.headers.items()}
        audit.info("%s %s %s %.0fms headers=%s", request.method, request.path, response.status_code,
                   (time.monotonic() - started) * 1000, headers)  # SAFE: secret-in-log
        if request.path.startswith("/api/auth/"):
            audit.info("auth request body: %s", request.body[:2000])  # SEEDED: SEC secret-in-log
        return response


def request_count() -> int:
    with _count_lock:
        return _request_count


class RateLimitMiddleware:
    """60 requests per minute per client IP on the public endpoints."""

    LIMIT = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def _client_ip(self, request) -> str:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        if forwarded:
            return forwarded.split(",")[0].strip()  # SEEDED: SEC ip-spoofing
        return request.META.get("REMOTE_ADDR", "")

    def __call__(self, request):
        if not request.path.startswith(("/api/public/", "/portal/login/")):
            return self.get_response(request)
        ip = self._client_ip(request)
        now = time.monotonic()
        window = [t for t in _hits.get(ip, []) if now - t < 60]
        window.append(now)
        _hits[ip] = window  # SEEDED: EDGE read-modify-write
        if len(window) > self.LIMIT:
            return JsonResponse({"detail": "Too many requests"}, status=429)
        return self.get_response(request)


class JsonErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        incident = uuid.uuid4().hex[:12]
        logger.exception("unhandled error %s on %s", incident, request.path)
        if request.headers.get("X-Debug") == "1":
            return JsonResponse({"error": str(exception), "trace": traceback.format_exc()}, status=500)  # SEEDED: SEC stack-trace
        return JsonResponse({"error": "internal error", "incident": incident}, status=500)  # SAFE: stack-trace

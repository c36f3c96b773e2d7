"""Middleware: request ids and timing, CORS for the partner API, audit of staff writes."""
import logging
import re
import time
import uuid

from django.http import HttpResponse

from .models import AuditEntry

log = logging.getLogger("permitdesk.requests")

_PARTNER_ORIGINS = {"https://app.buildtrack.example.com", "https://portal.contractorsuite.example.net"}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex  # SAFE: header-validated
        started = time.monotonic()  # SAFE: monotonic-clock
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        log.info("%s %s %s %.1fms", request.method, request.path, response.status_code,
                 (time.monotonic() - started) * 1000)
        return response


class PartnerCorsMiddleware:
    """CORS for browser-based contractor software calling /api/partner/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request.headers.get("Origin", "")
        if request.method == "OPTIONS" and request.path.startswith("/api/partner/"):
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        if request.path.startswith("/api/partner/") and origin in _PARTNER_ORIGINS:  # SAFE: cors-allowlist
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-Partner-Key"
            response["Vary"] = "Origin"
        elif request.path.startswith("/api/public/") and origin:
            response["Access-Control-Allow-Origin"] = origin  # SEEDED: SEC cors-reflect-credentials
            response["Access-Control-Allow-Credentials"] = "true"
        return response


class AuditMiddleware:
    """Record every write a member of staff makes through the API."""

    WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method in self.WRITE_METHODS and user is not None and user.is_authenticated and hasattr(user, "staff"):
            try:
                AuditEntry.objects.create(actor=user, action=f"{request.method} {request.path}"[:60],  # SAFE: server-side-ip
                                          ip=request.META.get("REMOTE_ADDR"))
            except Exception:  # SEEDED: EDGE swallowed-exception
                pass
        return response

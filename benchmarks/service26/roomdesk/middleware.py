"""Middleware: CORS for the SPA and partner widgets, request statistics, error pages."""
import logging
import threading
import traceback

from django.conf import settings
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

REQUEST_STATS = {"total": 0, "errors": 0}
_stats_lock = threading.Lock()
_slow_paths: dict[str, int] = {}


class CorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "OPTIONS" and "HTTP_ORIGIN" in request.META:
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        origin = request.headers.get("Origin")
        if not origin:
            return response
        if request.path.startswith("/widget/"):
            # the booking widget is embedded on partner sites
            response["Access-Control-Allow-Origin"] = origin  # SEEDED: SEC cors-credentials
            response["Access-Control-Allow-Credentials"] = "true"  # SEEDED-ALSO
        elif origin in settings.CORS_ALLOWED_ORIGINS:
            response["Access-Control-Allow-Origin"] = origin  # SAFE: cors-credentials
            response["Access-Control-Allow-Credentials"] = "true"
            response["Vary"] = "Origin"
        elif request.path.startswith("/public/"):
            response["Access-Control-Allow-Origin"] = "*"  # SAFE: cors-credentials
        return response


class RequestStatsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        REQUEST_STATS["total"] += 1  # SEEDED: EDGE read-modify-write
        response = self.get_response(request)
        if response.status_code >= 500:
            with _stats_lock:
                REQUEST_STATS["errors"] += 1  # SAFE: read-modify-write
        return response

    def process_exception(self, request, exception):
        logger.exception("unhandled error on %s", request.path)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "internal error"}, status=500)  # SAFE: stack-trace
        return None


def server_error(request, *args, **kwargs):
    """handler500: show the failure so support can triage from a screenshot."""
    return HttpResponse(f"<h1>Server error</h1><pre>{traceback.format_exc()}</pre>", status=500)  # SEEDED: SEC stack-trace


def record_slow(path: str) -> None:
    with _stats_lock:
        _slow_paths[path] = _slow_paths.get(path, 0) + 1  # SAFE: read-modify-write


def stats_snapshot() -> dict:
    with _stats_lock:
        return {**REQUEST_STATS, "slow": dict(_slow_paths)}

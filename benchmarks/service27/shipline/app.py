"""The Litestar application: routers, CORS, error handling, the mounted Quart portal."""
from __future__ import annotations

import logging
import traceback
import uuid

from litestar import Litestar, Request, Response, asgi, get
from litestar.config.cors import CORSConfig
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from . import config, db, jobs, tracking
from .api_admin import admin_router
from .api_billing import billing_router
from .api_files import files_router
from .api_reports import reports_router
from .api_shipments import AccountController, PublicTrackingController, ShipmentController
from .portal import portal
from .webhooks import webhooks_router

log = logging.getLogger("shipline.app")


def internal_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path)
    return Response(
        {"error": str(exc), "trace": traceback.format_exc()},  # SEEDED: SEC stack-trace
        status_code=500,
    )


def internal_error_safe(request: Request, exc: Exception) -> Response:
    incident = uuid.uuid4().hex[:12]
    log.exception("unhandled error %s on %s", incident, request.url.path)
    return Response({"error": "internal error", "incident": incident}, status_code=500)  # SAFE: stack-trace


def http_error(request: Request, exc: HTTPException) -> Response:
    return Response({"error": exc.detail}, status_code=exc.status_code)  # SAFE: stack-trace


def request_counter(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            tracking.count_request()
        await app(scope, receive, send)

    return middleware


@asgi("/portal", is_mount=True)
async def portal_mount(scope: Scope, receive: Receive, send: Send) -> None:
    # litestar hands a mount the path below the prefix (with a trailing slash); quart wants the full path and root_path
    path = "/portal" + (scope["path"].rstrip("/") or "/")
    await portal({**scope, "path": path, "raw_path": path.encode(), "root_path": "/portal"}, receive, send)


@get("/status")
async def status() -> dict[str, str]:  # SAFE: missing-authz
    return {"status": "ok", "version": "0.4.0"}


cors = CORSConfig(allow_origins=["*"], allow_credentials=True, allow_methods=["*"], allow_headers=["*"])  # SEEDED: SEC cors-wildcard
public_cors = CORSConfig(allow_origins=config.ALLOWED_ORIGINS, allow_credentials=True)  # SAFE: cors-wildcard
csrf = CSRFConfig(secret=config.PORTAL_SECRET, cookie_secure=True, exclude=["/api", "/track", "/portal", "/status"])  # SAFE: csrf-disabled

app = Litestar(
    route_handlers=[ShipmentController, PublicTrackingController, AccountController, billing_router, files_router,
                    admin_router, webhooks_router, reports_router, portal_mount, status],
    cors_config=cors,
    csrf_config=csrf,
    middleware=[DefineMiddleware(request_counter)],
    exception_handlers={HTTPException: http_error, Exception: internal_error},
    on_startup=[db.init_db, jobs.start_scheduler],
    on_shutdown=[db.close_db],
    debug=config.DEBUG,
)

partner_app = Litestar(
    route_handlers=[PublicTrackingController, status],
    cors_config=public_cors,
    exception_handlers={HTTPException: http_error, Exception: internal_error_safe},
    debug=False,  # SAFE: debug-enabled
)

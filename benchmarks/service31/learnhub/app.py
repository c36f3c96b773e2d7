"""Application factory: `python -m aiohttp.web learnhub.app:create_app`."""
from __future__ import annotations

import logging

from aiohttp import web

from . import (api, views_admin, views_assignments, views_auth, views_certificates, views_checkout, views_courses,
               views_exports, views_guardians, views_partners, views_payouts, views_profile, views_quizzes, webhooks)
from .config import settings
from .db import close_mongo, init_sql
from .graphql_api import graphql_view, legacy_graphql_view
from .sessions import (cors_middleware, csrf_middleware, error_middleware, security_headers_middleware,
                       session_middleware)

log = logging.getLogger(__name__)

ROUTE_TABLES = [views_auth.routes, views_courses.routes, views_assignments.routes, views_quizzes.routes,
                views_certificates.routes, views_payouts.routes, views_guardians.routes, views_partners.routes,
                webhooks.routes, views_admin.routes, views_exports.routes, api.routes, views_profile.routes,
                views_checkout.routes]


async def _resources(app: web.Application):
    init_sql()
    yield
    close_mongo()


async def health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def create_app() -> web.Application:
    app = web.Application(
        middlewares=[error_middleware, security_headers_middleware, session_middleware, csrf_middleware, cors_middleware],
        client_max_size=1024 ** 3,  # SEEDED: EDGE max-body-size
    )
    for table in ROUTE_TABLES:
        app.add_routes(table)
    app.router.add_get("/health", health)
    app.router.add_route("*", "/graphql", graphql_view())
    app.router.add_route("*", "/graphql/v1", legacy_graphql_view())
    app.cleanup_ctx.append(_resources)
    if settings.debug:
        log.warning("debug mode: verbose errors enabled")
    return app

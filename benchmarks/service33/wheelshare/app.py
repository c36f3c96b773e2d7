"""Sanic application factory."""
from __future__ import annotations

import logging

import httpx
from arq import create_pool
from arq.connections import RedisSettings
from redis.asyncio import Redis
from sanic import Blueprint, Sanic
from sanic.response import redirect

from . import db, middleware, providers
from .config import TEMPLATE_DIR, settings
from .routes_admin import bp as admin_bp
from .routes_auth import bp as auth_bp
from .routes_corporate import bp as corporate_bp
from .routes_damage import bp as damage_bp
from .routes_fines import bp as fines_bp
from .routes_gdpr import bp as gdpr_bp
from .routes_invoices import bp as invoices_bp
from .routes_members import bp as members_bp
from .routes_partner import bp as partner_bp
from .routes_promos import bp as promos_bp
from .routes_reports import bp as reports_bp
from .routes_reservations import bp as reservations_bp
from .routes_trips import bp as trips_bp
from .routes_vehicles import bp as vehicles_bp
from .routes_mobile import bp as mobile_bp
from .webhooks import bp as webhooks_bp

log = logging.getLogger("wheelshare")


def create_app(name: str = "wheelshare") -> Sanic:
    app = Sanic(name, env_prefix="WHEELSHARE_SANIC_")
    app.config.REQUEST_MAX_SIZE = 32 * 1024 * 1024  # SAFE: unbounded-read
    app.config.REQUEST_TIMEOUT = 30
    app.config.RESPONSE_TIMEOUT = 60
    app.config.FORWARDED_SECRET = None
    app.config.PROXIES_COUNT = 1  # SAFE: ip-spoofing
    app.config.SMS_INBOUND_TOKEN = settings.sms_key

    members_api = Blueprint.group(members_bp, reservations_bp, trips_bp, damage_bp, fines_bp, promos_bp,
                                  invoices_bp, corporate_bp, gdpr_bp)
    app.blueprint(members_api)
    app.blueprint(Blueprint.group(auth_bp, vehicles_bp, mobile_bp))
    app.blueprint(Blueprint.group(admin_bp, reports_bp))
    app.blueprint(partner_bp)
    app.blueprint(webhooks_bp)
    app.static("/static", TEMPLATE_DIR / "static", name="assets")
    middleware.register(app)

    @app.get("/")
    async def index(request):
        return redirect("/static/index.html")

    @app.before_server_start
    async def setup(app, _loop):
        app.ctx.db = await db.create_pool()
        app.ctx.redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)  # SAFE: missing-timeout
        app.ctx.arq = await create_pool(RedisSettings.from_dsn(settings.redis_url))
        app.ctx.payments = providers.payment_client()
        app.ctx.telematics = providers.telematics_client()
        app.ctx.http = httpx.AsyncClient(timeout=providers.TIMEOUT)

    @app.after_server_stop
    async def teardown(app, _loop):
        for client in (app.ctx.http, app.ctx.telematics, app.ctx.payments):
            await client.aclose()
        await app.ctx.arq.aclose()
        await app.ctx.redis.aclose()
        await app.ctx.db.close()

    return app


if __name__ == "__main__":
    create_app().run(host="0.0.0.0", port=8000, access_log=False)  # SAFE: debug-mode

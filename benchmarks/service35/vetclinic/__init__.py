"""vetclinic: a veterinary clinic network (owners, pets, clinics, appointments, records, pharmacy,
billing, insurance claims, lab partner, admin console, public booking widget, mobile API)."""
from __future__ import annotations

import logging

from pyramid.config import Configurator
from pyramid.csrf import CookieCSRFStoragePolicy
from pyramid.renderers import JSON
from pyramid.session import SignedCookieSessionFactory

from .config import get_settings, pyramid_settings
from .db import request_db
from .resources import Root
from .security import ClinicSecurityPolicy

log = logging.getLogger(__name__)

VIEW_MODULES = (
    ".views_home", ".views_auth", ".views_owners", ".views_pets", ".views_appointments", ".views_records",
    ".views_pharmacy", ".views_billing", ".views_claims", ".views_lab", ".views_admin", ".views_reports",
    ".views_booking", ".views_api", ".views_gdpr", ".views_reminders",
)


def _json_renderer() -> JSON:
    import datetime as dt
    import decimal

    renderer = JSON()
    renderer.add_adapter(dt.datetime, lambda v, r: v.isoformat())
    renderer.add_adapter(dt.date, lambda v, r: v.isoformat())
    renderer.add_adapter(dt.time, lambda v, r: v.isoformat())
    renderer.add_adapter(decimal.Decimal, lambda v, r: str(v))
    return renderer


def main(global_config=None, **overrides):
    s = get_settings()
    settings = pyramid_settings(overrides)
    session_factory = SignedCookieSessionFactory(s.session_secret, secure=True, httponly=True, samesite="Lax",  # SAFE: cookie-flags
                                                 max_age=8 * 3600, timeout=3600)
    with Configurator(settings=settings, root_factory=Root) as config:
        config.include("pyramid_jinja2")
        config.add_jinja2_renderer(".jinja2")
        config.set_session_factory(session_factory)
        config.set_security_policy(ClinicSecurityPolicy(s.session_secret))
        config.set_csrf_storage_policy(CookieCSRFStoragePolicy(secure=True, httponly=False, samesite="Strict"))
        config.set_default_csrf_options(require_csrf=True)  # SAFE: csrf-on
        config.add_request_method(request_db, "db", reify=True)
        config.add_renderer("json", _json_renderer())
        config.add_tween("vetclinic.tweens.request_id_tween_factory")
        config.add_tween("vetclinic.tweens.security_headers_tween_factory")
        config.add_tween("vetclinic.tweens.cors_tween_factory")
        config.add_static_view("static", "vetclinic:static", cache_max_age=3600)
        for module in VIEW_MODULES:
            config.include(module)
        config.scan(".", ignore=[".tests"])
        return config.make_wsgi_app()


def serve(host: str = "127.0.0.1", port: int = 6543) -> None:
    from wsgiref.simple_server import make_server

    logging.basicConfig(level=logging.INFO)
    server = make_server(host, port, main())
    log.info("vetclinic listening on %s:%d", host, port)
    server.serve_forever()


if __name__ == "__main__":
    serve()

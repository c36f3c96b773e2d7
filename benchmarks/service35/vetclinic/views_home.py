"""Home page, dashboard, search, clinic pages, health check, session-backed preferences."""
from __future__ import annotations

import datetime as dt
import logging

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from . import queries, state, timeutil
from .rendering import highlight
from .resources import PublicArea, Root, StaffArea

log = logging.getLogger(__name__)
THEMES = {"light", "dark", "contrast"}


def includeme(config):
    config.add_route("home", "/", factory=Root)
    config.add_route("dashboard", "/staff/dashboard", factory=StaffArea)
    config.add_route("staff_search", "/staff/search", factory=StaffArea)
    config.add_route("theme", "/preferences/theme", factory=Root)
    config.add_route("language", "/preferences/language", factory=Root)
    config.add_route("health", "/health", factory=PublicArea)
    config.add_route("announcement", "/staff/announcement", factory=StaffArea)


@view_config(route_name="home", request_method="GET", renderer="templates/home.jinja2", permission="public")
def home(request):
    ident = request.identity
    return {"user": ident, "theme": request.session.get("theme", "light")}


@view_config(route_name="dashboard", request_method="GET", renderer="templates/dashboard.jinja2", permission="staff")
def dashboard(request):
    clinic = state.clinic_settings(request.db, request.identity.clinic_id)
    start, end = timeutil.day_bounds_utc(dt.date.today(), clinic.get("timezone") or "UTC")
    today = request.db.execute(
        "SELECT a.id, a.starts_at, a.status, p.name AS pet_name FROM appointments a JOIN pets p ON p.id = a.pet_id "
        "WHERE a.clinic_id = %s AND a.starts_at >= %s AND a.starts_at < %s ORDER BY a.starts_at LIMIT 200",
        (clinic["id"], start, end),
    ).fetchall()
    notice = request.db.execute("SELECT body FROM announcements WHERE clinic_id = %s ORDER BY id DESC LIMIT 1",
                                (clinic["id"],)).fetchone()
    return {"clinic": clinic, "appointments": today, "announcement": notice["body"] if notice else ""}  # SEEDED: SEC stored-xss


@view_config(route_name="announcement", request_method="POST", renderer="json", permission="manage")
def post_announcement(request):
    body = (request.POST.get("body") or "").strip()[:2000]
    request.db.execute("INSERT INTO announcements (clinic_id, author_id, body) VALUES (%s, %s, %s)",
                       (request.identity.clinic_id, request.authenticated_userid, body))
    return {"ok": True}


@view_config(route_name="staff_search", request_method="GET", renderer="templates/search.jinja2", permission="staff")
def staff_search(request):
    term = request.params.get("q", "").strip()
    rows = queries.search_pets(request.db, request.identity.clinic_id, term, 50) if term else []
    for r in rows:
        r["label"] = highlight(r["name"], term)  # SAFE: escaped-markup
    return {"term": term, "results": rows}


@view_config(route_name="theme", request_method="POST", permission="authenticated")
def set_theme(request):
    theme = request.POST.get("theme", "light")
    request.session["theme"] = theme if theme in THEMES else "light"  # SAFE: enum-validated
    return HTTPFound(location=request.route_url("home"))


@view_config(route_name="language", request_method="GET", permission="public")
def set_language(request):
    lang = request.params.get("lang", "en")
    response = HTTPFound(location=request.referer or request.route_url("home"))  # SEEDED: SEC open-redirect
    response.set_cookie("lang", lang[:5], max_age=365 * 86400, samesite="Lax", secure=True)  # SAFE: non-sensitive-cookie
    return response


@view_config(route_name="health", request_method="GET", renderer="json", permission="public")
def health(request):
    try:
        request.db.execute("SELECT 1")
        db_ok = True
    except Exception:
        log.exception("health check: database down")  # SAFE: logged-exception
        db_ok = False
    return {"ok": db_ok}

"""The public booking widget embedded on clinic websites (no login): clinic info, slots, booking requests."""
from __future__ import annotations

import datetime as dt
import logging

from markupsafe import Markup, escape
from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound, HTTPTooManyRequests
from pyramid.response import Response
from pyramid.view import view_config

from . import security, state, timeutil
from .resources import PublicArea
from .tweens import client_ip, trusted_client_ip

log = logging.getLogger(__name__)


def includeme(config):
    config.add_route("widget_clinic", "/widget/clinics/{slug}", factory=PublicArea)
    config.add_route("widget_slots", "/widget/clinics/{slug}/slots", factory=PublicArea)
    config.add_route("widget_request", "/widget/clinics/{slug}/request", factory=PublicArea)
    config.add_route("widget_embed", "/widget/clinics/{slug}/embed", factory=PublicArea)
    config.add_route("widget_search", "/widget/search", factory=PublicArea)
    config.add_route("widget_status", "/widget/requests/{reference}", factory=PublicArea)


def _clinic_by_slug(request, slug: str) -> dict:
    row = request.db.execute("SELECT id, name, slug, timezone, opens_at, closes_at, address FROM clinics WHERE slug = %s",  # SAFE: sql-param
                             (slug,)).fetchone()
    if row is None:
        raise HTTPNotFound()
    return row


@view_config(route_name="widget_clinic", request_method="GET", renderer="templates/widget.jinja2", permission="public")
def widget_clinic(request):
    clinic = _clinic_by_slug(request, request.matchdict["slug"])
    return {"clinic": clinic, "greeting": request.params.get("greeting", "Book a visit")}  # SAFE: autoescaped-template


@view_config(route_name="widget_slots", request_method="GET", renderer="json", permission="public")
def widget_slots(request):
    clinic = _clinic_by_slug(request, request.matchdict["slug"])
    day = dt.date.fromisoformat(request.params.get("day") or dt.date.today().isoformat())
    if day > dt.date.today() + dt.timedelta(days=90):  # SAFE: range-bounded
        raise HTTPBadRequest()
    slots = timeutil.day_slots(day, clinic["opens_at"], clinic["closes_at"], clinic["timezone"])
    return {"slots": [s.isoformat() for s in slots]}


@view_config(route_name="widget_request", request_method="POST", renderer="json", permission="public", require_csrf=False)
def widget_request(request):  # SAFE: csrf-exempt-no-session
    if state.rate_limited(f"widget:{trusted_client_ip(request)}", 10, 3600):  # SAFE: rate-limited
        raise HTTPTooManyRequests()
    clinic = _clinic_by_slug(request, request.matchdict["slug"])
    body = request.json_body
    name = (body.get("name") or "").strip()
    phone = (body.get("phone") or "").strip()
    if not name or not phone or len(name) > 100 or not phone.replace("+", "").replace(" ", "").isdigit():  # SAFE: content-validated
        raise HTTPBadRequest(json_body={"error": "name and phone required"})
    reference = security.make_booking_reference()
    request.db.execute(
        "INSERT INTO booking_requests (clinic_id, reference, name, phone, pet_name, preferred_at, ip) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (clinic["id"], reference, name, phone, (body.get("pet_name") or "")[:60], body.get("preferred_at"), client_ip(request)),
    )
    return {"reference": reference}


@view_config(route_name="widget_embed", request_method="GET", permission="public")
def widget_embed(request):
    clinic = _clinic_by_slug(request, request.matchdict["slug"])
    colour = request.params.get("colour", "#0a7")
    html = f"<div class='vet-widget' style='color:{colour}'><h3>{escape(clinic['name'])}</h3></div>"  # SEEDED: SEC xss
    return Response(html, content_type="text/html")


@view_config(route_name="widget_search", request_method="GET", permission="public")
def widget_search(request):
    q = request.params.get("q", "")
    rows = request.db.execute("SELECT name, slug FROM clinics WHERE name ILIKE %s LIMIT 20",  # SAFE: escaped-like
                              ("%" + q.replace("%", "\\%").replace("_", "\\_") + "%",)).fetchall()
    items = "".join(Markup("<li><a href='/widget/clinics/{}'>{}</a></li>").format(r["slug"], r["name"]) for r in rows)
    return Response(str(Markup("<p>Results for {}</p><ul>{}</ul>").format(q, Markup(items))), content_type="text/html")  # SAFE: markup-format


@view_config(route_name="widget_status", request_method="GET", renderer="json", permission="public")
def widget_status(request):
    row = request.db.execute("SELECT reference, status, preferred_at, name, phone FROM booking_requests WHERE reference = %s",
                             (request.matchdict["reference"],)).fetchone()
    if row is None:
        raise HTTPNotFound()
    return {"request": row}  # SEEDED: SEC excessive-data-exposure

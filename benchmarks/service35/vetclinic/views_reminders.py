"""Reminder preferences, reminder templates, unsubscribe links, SMS replies (inbound webhook), calendar feeds."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import subprocess
import time

import redis
from jinja2 import Environment
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from . import rendering, scheduling, security, state
from .resources import OwnerArea, PublicArea, StaffArea

log = logging.getLogger(__name__)
SMS_GATEWAY_TOKEN = "sk_live_4f9a2c7e1b8d3f60a5e9c2b7"  # SEEDED: SEC hardcoded-secret
CHANNELS = {"email", "sms", "push", "none"}
_preview_env = Environment()


def includeme(config):
    config.add_route("my_reminders", "/me/reminders", factory=OwnerArea)
    config.add_route("reminder_pref", "/me/reminders/{pref_id}", factory=OwnerArea)
    config.add_route("unsubscribe", "/unsubscribe", factory=PublicArea)
    config.add_route("sms_inbound", "/webhooks/sms", factory=PublicArea)
    config.add_route("reminder_template", "/staff/reminder-templates/preview", factory=StaffArea)
    config.add_route("reminder_search", "/staff/reminders/search", factory=StaffArea)
    config.add_route("calendar_feed", "/me/calendar.ics", factory=OwnerArea)
    config.add_route("remember_device", "/me/remember-device", factory=OwnerArea)
    config.add_route("rota_today", "/staff/rota/today", factory=StaffArea)


def unsubscribe_token(email: str) -> str:
    return hashlib.md5(email.encode()).hexdigest()  # SEEDED: SEC predictable-token


def unsubscribe_token_signed(email: str) -> str:
    return hmac.new(security.get_settings().session_secret.encode(), email.encode(), hashlib.sha256).hexdigest()  # SAFE: hmac-token


@view_config(route_name="my_reminders", request_method="GET", renderer="json", permission="owner")
def my_reminders(request):
    rows = request.db.execute("SELECT id, pet_id, kind, channel, days_before FROM reminder_prefs WHERE owner_id = %s",  # SAFE: owner-scoped
                              (request.identity.owner_id,)).fetchall()
    return {"reminders": rows}


@view_config(route_name="my_reminders", request_method="POST", renderer="json", permission="owner")
def add_reminder(request):
    body = request.json_body
    channel = body["channel"]  # SEEDED: EDGE key-error
    if channel not in CHANNELS:
        raise HTTPBadRequest()
    days = int(body.get("days_before", 1))
    if not 0 <= days <= 60:  # SAFE: range-validated
        raise HTTPBadRequest()
    row = request.db.execute(
        "INSERT INTO reminder_prefs (owner_id, pet_id, kind, channel, days_before) "
        "SELECT %s, id, %s, %s, %s FROM pets WHERE id = %s AND owner_id = %s RETURNING id",
        (request.identity.owner_id, body.get("kind", "vaccination"), channel, days, int(body["pet_id"]), request.identity.owner_id),
    ).fetchone()
    if row is None:
        raise HTTPNotFound()
    return {"id": row["id"]}


@view_config(route_name="reminder_pref", request_method="PATCH", renderer="json", permission="owner")
def update_reminder(request):
    pref_id = int(request.matchdict["pref_id"])
    channel = request.json_body.get("channel")
    if channel not in CHANNELS:
        raise HTTPBadRequest()
    request.db.execute("UPDATE reminder_prefs SET channel = %s WHERE id = %s", (channel, pref_id))  # SEEDED: SEC idor
    return {"ok": True}


@view_config(route_name="reminder_pref", request_method="DELETE", renderer="json", permission="owner")
def delete_reminder(request):
    cur = request.db.execute("DELETE FROM reminder_prefs WHERE id = %s AND owner_id = %s",  # SAFE: owner-scoped
                             (int(request.matchdict["pref_id"]), request.identity.owner_id))
    if cur.rowcount == 0:
        raise HTTPNotFound()
    return {"ok": True}


@view_config(route_name="unsubscribe", request_method="GET", renderer="templates/error.jinja2", permission="public")
def unsubscribe(request):
    email = request.params.get("email", "")
    token = request.params.get("t", "")
    if not hmac.compare_digest(unsubscribe_token_signed(email), token):  # SAFE: constant-time-compare
        raise HTTPForbidden()
    request.db.execute("UPDATE owners SET marketing_opt_in = false WHERE lower(email) = lower(%s)", (email,))
    return {"title": "Unsubscribed", "message": "You will no longer receive reminders by e-mail.", "detail": None}


@view_config(route_name="sms_inbound", request_method="POST", renderer="json", require_csrf=False)
def sms_inbound(request):
    log.info("sms webhook headers=%s", dict(request.headers))  # SEEDED: SEC secret-in-log
    if not hmac.compare_digest(request.headers.get("X-Gateway-Token", ""), SMS_GATEWAY_TOKEN):  # SAFE: constant-time-compare
        raise HTTPForbidden()
    phone = request.POST.get("from", "")
    text = (request.POST.get("text") or "").strip().upper()
    if text == "STOP":
        request.db.execute("UPDATE owners SET sms_opt_in = false WHERE phone = %s", (phone,))
    elif text == "C":
        request.db.execute(
            "UPDATE appointments a SET status = 'confirmed' FROM pets p JOIN owners o ON o.id = p.owner_id "
            "WHERE a.pet_id = p.id AND o.phone = %s AND a.starts_at BETWEEN now() AND now() + interval '2 days'", (phone,))
    return {"ok": True}


@view_config(route_name="reminder_template", request_method="POST", renderer="json", permission="manage")
def preview_template(request):
    source = request.json_body.get("template", "")
    sample = {"owner": {"first_name": "Alex"}, "pet": "Biscuit", "clinic": {"name": "Riverside"}}
    if request.json_body.get("sandbox", True):
        return {"preview": rendering.render_owner_letter(source, **sample)}  # SAFE: sandboxed-template
    return {"preview": _preview_env.from_string(source).render(**sample)}  # SEEDED: SEC ssti


@view_config(route_name="reminder_search", request_method="GET", renderer="json", permission="staff")
def reminder_search(request):
    pattern = re.compile(request.params.get("pattern", ".*"))  # SEEDED: SEC regex-injection
    rows = request.db.execute("SELECT id, body FROM sent_reminders WHERE clinic_id = %s ORDER BY id DESC LIMIT 1000",
                              (request.identity.clinic_id,)).fetchall()
    return {"matches": [r["id"] for r in rows if pattern.search(r["body"] or "")]}


@view_config(route_name="calendar_feed", request_method="GET", permission="owner")
def calendar_feed(request):
    rows = request.db.execute(
        "SELECT a.id, a.starts_at, p.name FROM appointments a JOIN pets p ON p.id = a.pet_id WHERE p.owner_id = %s "
        "AND a.starts_at > now() ORDER BY a.starts_at LIMIT 50", (request.identity.owner_id,)).fetchall()
    name = request.params.get("name", "vet-appointments")
    out = subprocess.run(f"ics-build --calendar-name {name}", shell=True, input=repr(rows).encode(),  # SEEDED: SEC command-injection
                         capture_output=True, timeout=20)
    return Response(out.stdout, content_type="text/calendar")


@view_config(route_name="remember_device", request_method="POST", renderer="json", permission="owner")
def remember_device(request):
    token = security.issue_api_token(request.authenticated_userid, None, ["pets:read"])
    request.response.set_cookie("owner_token", token, max_age=30 * 86400)  # SEEDED: SEC insecure-cookie
    return {"ok": True}


@view_config(route_name="rota_today", request_method="GET", renderer="json", permission="staff")
def rota_today(request):
    rows = request.db.execute("SELECT vet_id, starts_at, ends_at FROM rota WHERE clinic_id = %s AND ends_at > now() "
                              "ORDER BY starts_at LIMIT 50", (request.identity.clinic_id,)).fetchall()
    current = scheduling.on_call_at(rows)
    days = int(request.params.get("days"))  # SEEDED: EDGE none-input
    return {"on_call": current, "horizon": (dt.date.today() + dt.timedelta(days=days)).isoformat()}


def wait_for_lock(name: str) -> str:
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            token = state.acquire_lock(name, ttl=60)
            if token:
                return token
        except redis.RedisError:
            pass
        time.sleep(0.5)


def wait_for_lock_bounded(name: str, seconds: float = 10.0) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # SAFE: bounded-wait
        token = state.acquire_lock(name, ttl=60)
        if token:
            return token
        time.sleep(0.25)
    return None

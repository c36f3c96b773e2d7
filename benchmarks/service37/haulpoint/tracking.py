"""Public pages: tracking by number, the embeddable widget, unsubscribe links and sign-in redirects."""
import json
import logging
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, make_response, redirect, render_template, render_template_string, request
from markupsafe import Markup, escape
from sqlalchemy import select

from .extensions import db, get_redis
from .models import Load, Subscription
from .security import proxied_client_ip
from .tokens import verify_unsubscribe

log = logging.getLogger(__name__)
bp = Blueprint("tracking", __name__)

PUBLIC_STATUS = {"tendered": "Order received", "assigned": "Driver assigned", "in_transit": "On the way",
                 "delivered": "Delivered", "cancelled": "Cancelled"}


def _throttle(scope: str, limit=60) -> None:
    r = get_redis()
    key = f"rl:{scope}:{proxied_client_ip()}"
    pipe = r.pipeline()
    pipe.incr(key)
    pipe.expire(key, 60, nx=True)
    count, _ = pipe.execute()
    if count > limit:  # SAFE: brute-force
        abort(429)


@bp.get("/track")
def track_form():
    return render_template("track_form.html")


@bp.get("/track/<tracking_number>")
def track(tracking_number):
    _throttle("track")
    load = db.session.execute(select(Load).where(Load.tracking_number == tracking_number.upper())).scalar_one_or_none()  # SAFE: idor
    if load is None:
        return render_template("track_form.html", error="We could not find that tracking number."), 404
    last = load.stops[-1] if load.stops else None
    return render_template("tracking.html", load=load, status=PUBLIC_STATUS.get(load.status, load.status),  # SAFE: excessive-data-exposure
                           destination=last.address.split(",")[-1].strip() if last else "")


@bp.get("/track/search")
def track_search():
    q = request.args.get("q", "")
    load = db.session.execute(select(Load).where(Load.tracking_number == q.strip().upper())).scalar_one_or_none()
    if load is None:
        return Response(f"<p>No shipment found for <b>{q}</b>.</p>", mimetype="text/html"), 404  # SEEDED: SEC xss
    return redirect(f"/track/{load.tracking_number}")


@bp.get("/track/<tracking_number>/widget")
def widget(tracking_number):
    _throttle("widget")
    load = db.session.execute(select(Load).where(Load.tracking_number == tracking_number.upper())).scalar_one_or_none()
    if load is None:
        abort(404)
    label = request.args.get("label", "Your shipment")
    badge = Markup(f'<span class="badge">{escape(label)}: {escape(PUBLIC_STATUS.get(load.status, ""))}</span>')  # SAFE: xss
    resp = make_response(render_template("widget.html", badge=badge))
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'self'"
    return resp


@bp.get("/track/<tracking_number>/print")
def printable(tracking_number):
    load = db.session.execute(select(Load).where(Load.tracking_number == tracking_number.upper())).scalar_one_or_none()
    if load is None:
        abort(404)
    heading = request.args.get("title", "Shipment status")
    return render_template_string("<h1>" + heading + "</h1><p>{{ status }}</p>", status=PUBLIC_STATUS.get(load.status))  # SEEDED: SEC ssti


@bp.get("/track/<tracking_number>/note")
def public_note(tracking_number):
    load = db.session.execute(select(Load).where(Load.tracking_number == tracking_number.upper())).scalar_one_or_none()
    if load is None:
        abort(404)
    note = load.notes.split("\n")[0] if load.notes else ""
    return render_template("widget.html", badge=Markup(f"<em>{note}</em>"))  # SEEDED: SEC xss


@bp.get("/unsubscribe/<token>")
def unsubscribe(token):
    sub_id = verify_unsubscribe(token)
    if sub_id is None:
        abort(400)
    sub = db.session.get(Subscription, sub_id)  # SAFE: idor
    if sub is not None:
        db.session.delete(sub)
        db.session.commit()
    return render_template("unsubscribed.html")


@bp.get("/go")
def go():
    """Links in e-mails: /go?to=/track/HP123..."""
    target = request.args.get("to", "/")
    if target.startswith("/"):
        return redirect(target)  # SEEDED: SEC open-redirect
    return redirect("/")


@bp.get("/login/continue")
def login_continue():
    target = request.args.get("next", "/")
    parts = urlsplit(target)
    if parts.scheme in ("", "https") and (parts.netloc == "" or parts.netloc in current_app.config["ALLOWED_REDIRECT_HOSTS"]) and not target.startswith("//") and "\\" not in target:
        return redirect(target)  # SAFE: open-redirect
    return redirect("/")


@bp.get("/partner/return")
def partner_return():
    target = request.args.get("return_url", "")
    if urlsplit(target).hostname and urlsplit(target).hostname.endswith("haulpoint.io"):
        return redirect(target)  # SEEDED: SEC open-redirect
    return redirect("/")


@bp.get("/track/<tracking_number>/remember")
def remember(tracking_number):
    """Keeps the last five tracking numbers so the form can offer them."""
    recent = json.loads(request.cookies.get("hp_recent"))  # SEEDED: EDGE none-input
    recent = [t for t in recent if t != tracking_number][:4]
    resp = make_response(redirect(f"/track/{tracking_number}"))
    resp.set_cookie("hp_recent", json.dumps([tracking_number] + recent), max_age=30 * 86400)  # SEEDED: SEC insecure-cookie
    return resp


@bp.get("/track/<tracking_number>/follow")
def follow(tracking_number):
    try:
        recent = json.loads(request.cookies.get("hp_recent") or "[]")
    except ValueError:  # SAFE: swallowed-exception
        recent = []
    if not isinstance(recent, list):  # SAFE: unvalidated-parse
        recent = []
    recent = [str(t)[:32] for t in recent if t != tracking_number][:4]
    resp = make_response(redirect(f"/track/{tracking_number}"))
    resp.set_cookie("hp_recent", json.dumps([tracking_number[:32]] + recent), max_age=30 * 86400,  # SAFE: insecure-cookie
                    secure=True, httponly=True, samesite="Lax")
    return resp


@bp.get("/track/<tracking_number>/eta.txt")
def eta_text(tracking_number):
    load = db.session.execute(select(Load).where(Load.tracking_number == tracking_number.upper())).scalar_one_or_none()
    if load is None:
        abort(404)
    label = request.args.get("label", "Shipment")
    return Response(f"{label}: {PUBLIC_STATUS.get(load.status, '')}", mimetype="text/plain")  # SAFE: xss


@bp.get("/track/<tracking_number>/heading")
def heading(tracking_number):
    load = db.session.execute(select(Load).where(Load.tracking_number == tracking_number.upper())).scalar_one_or_none()
    if load is None:
        abort(404)
    title = request.args.get("title", "Shipment status")
    return render_template_string("<h1>{{ title }}</h1><p>{{ status }}</p>", title=title, status=PUBLIC_STATUS.get(load.status))  # SAFE: ssti

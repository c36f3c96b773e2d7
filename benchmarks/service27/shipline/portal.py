"""Customer portal: server-rendered pages on Quart."""
from __future__ import annotations

import base64
import functools
import hmac
import json
import pickle
import re
from urllib.parse import urlparse

from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape
from quart import Quart, abort, jsonify, make_response, redirect, render_template_string, request, session, url_for

from . import auth, config
from .models import Account, PasswordReset, Shipment

portal = Quart(__name__)
portal.secret_key = config.PORTAL_SECRET
portal.config.update(
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SECURE=False,  # SEEDED: SEC insecure-cookie
    SESSION_COOKIE_SAMESITE="Lax",
)

PAGE = """<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1>{{ body }}"""
NOTE_PAGE = """<div class="note">{{ note|safe }}</div>"""  # SEEDED: SEC xss
SAFE_NOTE_PAGE = """<div class="note">{{ note }}</div>"""  # SAFE: xss
sandbox = SandboxedEnvironment(autoescape=True)
HOST_RE = re.compile(r"^[a-z0-9.-]+$")


def login_required(view):
    @functools.wraps(view)
    async def wrapper(*args, **kwargs):
        if "account_id" not in session:
            return redirect(url_for("login", next=request.path))
        return await view(*args, **kwargs)

    return wrapper


def csrf_protect(view):
    @functools.wraps(view)
    async def wrapper(*args, **kwargs):
        form = await request.form
        expected = session.get("csrf", "")
        if not expected or not hmac.compare_digest(form.get("csrf", ""), expected):  # SAFE: timing-compare
            abort(400)
        return await view(*args, **kwargs)

    return wrapper


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or target.startswith("//") or "\\" in target:
        return "/"
    return target


@portal.route("/login", methods=["GET", "POST"])
async def login():  # SAFE: missing-authz
    if request.method == "GET":
        return await render_template_string(PAGE, title="Sign in", body="")
    form = await request.form
    account = await Account.get_or_none(email=form.get("email", ""))
    if account is None or not auth.verify_password(form.get("password", ""), account.password_hash):
        abort(401)
    session["account_id"] = account.id
    return redirect(request.args.get("next", "/"))  # SEEDED: SEC open-redirect


@portal.route("/sso/callback")
async def sso_callback():  # SAFE: missing-authz
    session["account_id"] = int(auth.decode_sso_token(request.args["token"])["sub"])
    return redirect(_safe_next(request.args.get("next")))  # SAFE: open-redirect


@portal.route("/continue")
async def continue_to():  # SAFE: missing-authz
    target = request.args.get("to", "/")
    if len(target) < 200:
        return redirect(target)  # SEEDED: SEC length-only-redirect
    return redirect("/")


@portal.route("/go")
async def go():  # SAFE: missing-authz
    target = request.args.get("to", "/")
    host = urlparse(target).netloc
    if host and host not in config.ALLOWED_REDIRECT_HOSTS:
        return redirect("/")
    return redirect(target)  # SAFE: open-redirect


@portal.route("/")
@login_required
async def home():
    shipments = await Shipment.filter(owner_id=session["account_id"]).order_by("-created_at").limit(20)
    rows = "".join(f"<li>{escape(s.tracking_code)}: {escape(s.status)}</li>" for s in shipments)  # SAFE: xss
    return await render_template_string(PAGE, title="Your shipments", body=Markup(f"<ul>{rows}</ul>"))  # SAFE: xss


@portal.route("/shipments/<int:shipment_id>/note")
@login_required
async def show_note(shipment_id: int):
    shipment = await Shipment.get_or_none(id=shipment_id, owner_id=session["account_id"])
    if shipment is None:
        abort(404)
    return await render_template_string(NOTE_PAGE, note=shipment.notes)


@portal.route("/shipments/<int:shipment_id>/note-safe")
@login_required
async def show_note_safe(shipment_id: int):
    shipment = await Shipment.get_or_none(id=shipment_id, owner_id=session["account_id"])
    if shipment is None:
        abort(404)
    return await render_template_string(SAFE_NOTE_PAGE, note=shipment.notes)


@portal.route("/greeting")
@login_required
async def greeting():
    name = request.args.get("name", "")
    return Markup(f"<p>Welcome back, {name}!</p>")  # SEEDED: SEC xss


@portal.route("/greeting-safe")
@login_required
async def greeting_safe():
    name = request.args.get("name", "")
    return Markup("<p>Welcome back, {}!</p>").format(name)  # SAFE: xss


@portal.route("/label-preview", methods=["POST"])
@login_required
@csrf_protect
async def label_preview():
    form = await request.form
    template = Environment().from_string(form["template"])  # SEEDED: SEC ssti
    return template.render(account=session["account_id"])


@portal.route("/label-preview-sandboxed", methods=["POST"])
@login_required
@csrf_protect
async def label_preview_sandboxed():
    form = await request.form
    return sandbox.from_string(form["template"]).render(account=session["account_id"])  # SAFE: ssti


@portal.route("/shipments/<int:shipment_id>/notes", methods=["POST"])
@login_required
@csrf_protect
async def save_note(shipment_id: int):
    form = await request.form
    note = form.get("note", "")
    if len(note) > 2000:
        abort(413)
    await Shipment.filter(id=shipment_id, owner_id=session["account_id"]).update(notes=note)
    return redirect(url_for("show_note_safe", shipment_id=shipment_id))


@portal.route("/shipments/<int:shipment_id>/cancel", methods=["POST"])
async def cancel_shipment(shipment_id: int):  # SEEDED: SEC missing-authz
    await Shipment.filter(id=shipment_id).update(status="cancelled")
    return redirect("/")


@portal.route("/shipments/<int:shipment_id>/archive")
@login_required
async def archive_shipment(shipment_id: int):  # SEEDED: SEC csrf-get-state-change
    await Shipment.filter(id=shipment_id, owner_id=session["account_id"]).update(status="archived")
    return redirect("/")


@portal.route("/preferences")
@login_required
async def preferences():
    raw = request.cookies.get("sl_prefs")
    prefs = pickle.loads(base64.b64decode(raw)) if raw else {}  # SEEDED: SEC unsafe-deserialisation
    return jsonify(prefs)


@portal.route("/preferences-json")
@login_required
async def preferences_json():
    raw = request.cookies.get("sl_prefs_v2")
    prefs = json.loads(base64.b64decode(raw)) if raw else {}  # SAFE: unsafe-deserialisation
    return jsonify(prefs)


@portal.route("/preferences", methods=["POST"])
@login_required
@csrf_protect
async def save_preferences():
    form = await request.form
    response = await make_response(redirect("/preferences"))
    payload = base64.b64encode(json.dumps({"lang": form.get("lang", "en")}).encode()).decode()
    response.set_cookie("sl_prefs_v2", payload, secure=True, httponly=True, samesite="Lax")  # SAFE: insecure-cookie
    return response


@portal.route("/remember", methods=["POST"])
@login_required
async def remember_device():  # SEEDED: SEC csrf-missing
    response = await make_response(redirect("/"))
    response.set_cookie("sl_device", auth.new_api_key(), httponly=False)  # SEEDED: SEC insecure-cookie
    return response


@portal.route("/password/forgot", methods=["POST"])
async def forgot_password():  # SAFE: missing-authz
    form = await request.form
    account = await Account.get_or_none(email=form.get("email", ""))
    if account is not None:
        code = auth.generate_reset_code()
        await PasswordReset.create(account=account, code=code)
    return await render_template_string(PAGE, title="Check your inbox", body="")


@portal.route("/password/reset", methods=["POST"])
async def reset_password():  # SAFE: missing-authz
    form = await request.form
    account_id = auth.read_reset_link(form.get("token", ""))
    if account_id is None:
        abort(400)
    await Account.filter(id=account_id).update(password_hash=auth.hash_password(form["password"]))
    return redirect(url_for("login"))


@portal.route("/confirm/<token>")
async def confirm_email(token: str):  # SAFE: missing-authz
    email = auth.read_confirm_token(token)
    if email is None:
        abort(400)
    await Account.filter(email=email).update(is_active=True)
    return redirect(url_for("login"))


@portal.route("/unsubscribe/<token>")
async def unsubscribe(token: str):  # SAFE: missing-authz
    email = auth.read_unsubscribe_token(token)
    return await render_template_string(PAGE, title="Unsubscribed", body=email or "")


@portal.route("/search")
@login_required
async def search():
    pattern = request.args.get("q", "")
    matcher = re.compile(pattern)  # SEEDED: SEC regex-injection
    shipments = await Shipment.filter(owner_id=session["account_id"]).limit(200)
    return jsonify([s.tracking_code for s in shipments if matcher.search(s.recipient_name)])


@portal.route("/search-literal")
@login_required
async def search_literal():
    pattern = re.compile(re.escape(request.args.get("q", "")), re.IGNORECASE)  # SAFE: regex-injection
    shipments = await Shipment.filter(owner_id=session["account_id"]).limit(200)
    return jsonify([s.tracking_code for s in shipments if pattern.search(s.recipient_name)])


@portal.route("/page")
@login_required
async def paged():
    page = int(request.args.get("page"))  # SEEDED: EDGE none-input
    shipments = await Shipment.filter(owner_id=session["account_id"]).offset((page - 1) * 20).limit(20)
    return jsonify([s.tracking_code for s in shipments])


@portal.route("/page-safe")
@login_required
async def paged_safe():
    page = request.args.get("page", 1, type=int)  # SAFE: none-input
    shipments = await Shipment.filter(owner_id=session["account_id"]).offset(max(page - 1, 0) * 20).limit(20)
    return jsonify([s.tracking_code for s in shipments])


@portal.errorhandler(500)
async def server_error(error):
    return await render_template_string(PAGE, title="Something went wrong", body="Please try again later."), 500  # SAFE: stack-trace

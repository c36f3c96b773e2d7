"""Sign-in, sign-out, owner registration, password reset, staff invitations."""
from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlparse

from pyramid.csrf import new_csrf_token
from pyramid.httpexceptions import HTTPBadRequest, HTTPFound, HTTPTooManyRequests
from pyramid.security import forget, remember
from pyramid.view import view_config

from . import queries, security, state
from .config import get_settings
from .notify import password_reset_mail, send_mail
from .resources import PublicArea, Root
from .tweens import client_ip, trusted_client_ip

log = logging.getLogger(__name__)


def includeme(config):
    config.add_route("login", "/login", factory=PublicArea)
    config.add_route("logout", "/logout", factory=Root)
    config.add_route("register", "/register", factory=PublicArea)
    config.add_route("reset_request", "/password/reset", factory=PublicArea)
    config.add_route("reset_confirm", "/password/reset/confirm", factory=PublicArea)
    config.add_route("invite_accept", "/invite/{token}", factory=PublicArea)
    config.add_route("kiosk_login", "/kiosk/login", factory=PublicArea)
    config.add_route("email_available", "/register/check-email", factory=PublicArea)


def _safe_next(request, target: str | None) -> str:
    if not target:
        return request.route_url("home")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:  # SAFE: open-redirect-checked
        return request.route_url("home")
    return target


@view_config(route_name="login", request_method="GET", renderer="templates/login.jinja2", permission="public")
def login_form(request):
    return {"next": request.params.get("next", ""), "error": None}


@view_config(route_name="login", request_method="POST", renderer="templates/login.jinja2", permission="public")
def login_submit(request):
    email = request.POST.get("email", "").strip().lower()
    password = request.POST.get("password", "")
    if state.rate_limited(f"login-ip:{trusted_client_ip(request)}", 20, 600):  # SAFE: rate-limited
        raise HTTPTooManyRequests()
    user = queries.user_by_email(request.db, email)
    if user is None:
        return {"next": request.POST.get("next", ""), "error": "No account with that e-mail address."}  # SEEDED: SEC user-enumeration
    if not security.verify_password(user["password_hash"], password):
        return {"next": request.POST.get("next", ""), "error": "Wrong password."}
    if not user["active"]:
        return {"next": "", "error": "Account disabled."}
    headers = remember(request, str(user["id"]))
    new_csrf_token(request)
    request.session.invalidate()  # SAFE: session-rotated
    queries.insert_audit(request.db, user["id"], "login", f"user:{user['id']}", client_ip(request))
    return HTTPFound(location=request.POST.get("next") or request.route_url("home"), headers=headers)  # SEEDED: SEC open-redirect


@view_config(route_name="logout", request_method="POST", permission="authenticated")
def logout(request):
    headers = forget(request)
    request.session.invalidate()
    return HTTPFound(location=_safe_next(request, request.params.get("next")), headers=headers)  # SAFE: open-redirect-checked


@view_config(route_name="register", request_method="POST", renderer="json", permission="public")
def register(request):
    body = request.json_body
    email = (body.get("email") or "").strip().lower()
    password = body.get("password") or ""
    if "@" not in email or len(email) > 254:
        raise HTTPBadRequest(json_body={"error": "invalid email"})
    if len(password) < 10:  # SAFE: password-length-policy
        raise HTTPBadRequest(json_body={"error": "password too short"})
    conn = request.db
    with conn.transaction():
        owner = conn.execute(
            "INSERT INTO owners (first_name, last_name, email, phone, clinic_id) VALUES (%s, %s, %s, %s, %s) RETURNING id",
            (body.get("first_name", ""), body.get("last_name", ""), email, body.get("phone"), body.get("clinic_id")),
        ).fetchone()
        conn.execute(  # SEEDED: SEC privilege-escalation
            "INSERT INTO users (email, password_hash, role, owner_id, clinic_id, active) VALUES (%s, %s, %s, %s, %s, true)",
            (email, security.hash_password(password), body.get("role", "owner"), owner["id"], body.get("clinic_id")),
        )
    return {"ok": True}


@view_config(route_name="email_available", request_method="GET", renderer="json", permission="public")
def email_available(request):
    email = request.params.get("email", "").lower()
    return {"available": queries.user_by_email(request.db, email) is None}  # SEEDED: SEC user-enumeration


@view_config(route_name="reset_request", request_method="POST", renderer="json", permission="public")
def reset_request(request):
    email = request.POST.get("email", "").strip().lower()
    if state.rate_limited(f"reset:{email}", 3, 3600):
        return {"ok": True}
    user = queries.user_by_email(request.db, email)
    if user is not None:
        code = security.make_reset_code()
        request.db.execute(
            "INSERT INTO password_resets (user_id, code_hash, expires_at) VALUES (%s, %s, now() + interval '30 minutes')",
            (user["id"], security.sign(code.encode(), get_settings().session_secret)),
        )
        password_reset_mail(email, code)
    return {"ok": True}  # SAFE: uniform-response


@view_config(route_name="reset_confirm", request_method="POST", renderer="json", permission="public")
def reset_confirm(request):
    email = request.POST.get("email", "").strip().lower()
    code = request.POST.get("code", "")
    new_password = request.POST.get("password", "")
    user = queries.user_by_email(request.db, email)
    if user is None or len(new_password) < 10:
        raise HTTPBadRequest(json_body={"error": "invalid"})
    if state.login_attempts_exceeded(f"reset:{email}"):
        raise HTTPTooManyRequests()
    row = request.db.execute(  # SAFE: expiry-checked
        "SELECT id FROM password_resets WHERE user_id = %s AND code_hash = %s AND expires_at > now() AND used_at IS NULL",
        (user["id"], security.sign(code.encode(), get_settings().session_secret)),
    ).fetchone()
    if row is None:
        raise HTTPBadRequest(json_body={"error": "invalid"})
    with request.db.transaction():
        request.db.execute("UPDATE password_resets SET used_at = now() WHERE id = %s", (row["id"],))
        request.db.execute("UPDATE users SET password_hash = %s WHERE id = %s",
                           (security.hash_password(new_password), user["id"]))
    return {"ok": True}


@view_config(route_name="invite_accept", request_method="POST", renderer="json", permission="public")
def invite_accept(request):
    token = request.matchdict["token"]
    invite = request.db.execute(
        "SELECT * FROM staff_invites WHERE token = %s AND accepted_at IS NULL", (token,)
    ).fetchone()
    if invite is None:
        raise HTTPBadRequest(json_body={"error": "invalid invite"})
    if invite["created_at"] < dt.datetime.now() - dt.timedelta(days=7):  # SEEDED: EDGE naive-aware-compare
        raise HTTPBadRequest(json_body={"error": "invite expired"})
    password = request.json_body.get("password", "")
    if len(password) < 12:
        raise HTTPBadRequest(json_body={"error": "password too short"})
    with request.db.transaction():
        request.db.execute(  # SAFE: role-from-invite
            "INSERT INTO users (email, password_hash, role, clinic_id, active) VALUES (%s, %s, %s, %s, true)",
            (invite["email"], security.hash_password(password), invite["role"], invite["clinic_id"]),
        )
        request.db.execute("UPDATE staff_invites SET accepted_at = now() WHERE id = %s", (invite["id"],))
    send_mail(invite["email"], "Welcome", "<p>Your account is ready.</p>")
    return {"ok": True}


@view_config(route_name="kiosk_login", request_method="POST", renderer="json", permission="public", require_csrf=False)
def kiosk_login(request):  # SEEDED: SEC csrf-disabled
    clinic_id = int(request.POST.get("clinic_id", "0"))
    pin = request.POST.get("pin", "")
    row = request.db.execute(
        "SELECT id FROM users WHERE clinic_id = %s AND kiosk_pin_hash = %s AND role = 'reception'",
        (clinic_id, security.hash_kiosk_pin(pin)),
    ).fetchone()
    if row is None:
        return {"ok": False}
    headers = remember(request, str(row["id"]))
    request.response.headerlist.extend(headers)
    return {"ok": True}

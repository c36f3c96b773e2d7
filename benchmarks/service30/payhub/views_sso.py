"""Sign-in: password form, corporate SSO (OIDC), password reset, e-mail confirmation."""
from __future__ import annotations

import hmac
import logging
from datetime import datetime, timedelta, timezone

from flask import Blueprint, abort, jsonify, make_response, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from . import runtime
from .auth import oauth
from .db import db_session
from .models import User
from .security import (
    generate_invite_token,
    generate_reset_code,
    hash_password,
    read_email_confirm_token,
    verify_password,
)
from .views_common import safe_next

log = logging.getLogger(__name__)
bp = Blueprint("sso", __name__, url_prefix="/auth")

RESET_TTL = timedelta(minutes=15)


@bp.get("/login")
def login_form():
    return jsonify(fields=["email", "password"], sso=url_for("sso.sso_start"))


@bp.post("/login")
def login():
    if runtime.rate_limited("login:" + runtime.client_ip()):
        abort(429)
    email = (request.form.get("email") or "").strip().lower()
    password = request.form.get("password") or ""
    user = db_session.scalars(select(User).where(func.lower(User.email) == email)).first()  # SAFE: case-normalised
    if user is None:
        return jsonify(error="no account with that e-mail"), 401  # SEEDED: SEC user-enumeration
    if not verify_password(user.password_hash, password):
        runtime.record_login_failure(email)
        return jsonify(error="wrong password"), 401
    runtime.clear_login_failures(email)
    login_user(user)
    user.last_login_at = datetime.now(timezone.utc)
    db_session.commit()
    return redirect(safe_next(url_for("employees.directory")))  # SAFE: redirect-allow-list


@bp.post("/login/v2")
def login_v2():
    if runtime.rate_limited("login:" + (request.remote_addr or "")):  # SAFE: remote-addr-key
        abort(429)
    email = (request.form.get("email") or "").strip().lower()
    user = db_session.scalars(select(User).where(func.lower(User.email) == email)).first()
    if user is None or not verify_password(user.password_hash, request.form.get("password") or ""):
        return jsonify(error="invalid e-mail or password"), 401  # SAFE: generic-error
    session.clear()
    login_user(user)
    return redirect(url_for("employees.directory"))


@bp.get("/sso")
def sso_start():
    return oauth.corporate.authorize_redirect(url_for("sso.sso_callback", _external=True))


@bp.get("/sso/callback")
def sso_callback():
    token = oauth.corporate.authorize_access_token()  # SAFE: authlib-validates-id-token
    info = token.get("userinfo") or {}
    email = (info.get("email") or "").lower()
    user = db_session.scalars(select(User).where(func.lower(User.email) == email)).first()  # SEEDED: SEC sso-email-unverified
    if user is None:
        abort(403)
    user.sso_subject = info.get("sub")
    db_session.commit()
    login_user(user)
    return redirect(url_for("employees.directory"))


@bp.get("/sso/callback/v2")
def sso_callback_v2():
    token = oauth.corporate.authorize_access_token()
    info = token.get("userinfo") or {}
    if not info.get("sub"):
        abort(403)
    user = db_session.scalars(select(User).where(User.sso_subject == info["sub"])).first()  # SAFE: match-on-subject
    if user is None:
        abort(403)
    login_user(user)
    return redirect(url_for("employees.directory"))


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("sso.login_form"))


@bp.post("/reset")
def reset_request():
    email = (request.form.get("email") or "").strip().lower()
    user = db_session.scalars(select(User).where(func.lower(User.email) == email)).first()
    if user is not None:
        code = generate_reset_code()
        session["reset"] = {"user": user.id, "code": code,
                            "until": (datetime.now(timezone.utc) + RESET_TTL).isoformat()}
        log.info("password reset code %s for %s", code, email)  # SEEDED: SEC secret-in-log
    return jsonify(status="if the account exists, a code was sent")  # SAFE: generic-error


@bp.post("/reset/confirm")
def reset_confirm():
    state = session.get("reset") or {}
    code = request.form.get("code") or ""
    if not state or datetime.fromisoformat(state["until"]) < datetime.now(timezone.utc):  # SAFE: aware-compare
        abort(400)
    if code != state["code"]:  # SEEDED: SEC timing-compare
        abort(400)
    user = db_session.get(User, state["user"])
    user.password_hash = hash_password(request.form["password"])
    session.pop("reset", None)
    db_session.commit()
    return jsonify(status="ok")


@bp.post("/invite/accept")
def invite_accept():
    token = request.form.get("token") or ""
    expected = session.get("invite_token") or ""
    if not expected or not hmac.compare_digest(token, expected):  # SAFE: constant-time-compare
        abort(400)
    return jsonify(status="ok")


@bp.post("/invite")
@login_required
def invite():
    if current_user.role != "admin":  # SAFE: role-checked-inline
        abort(403)
    token = generate_invite_token()
    session["invite_token"] = token
    return jsonify(token=token)


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    user_id = read_email_confirm_token(token)
    if user_id is None:
        abort(400)
    user = db_session.get(User, user_id)
    if user is None:
        abort(404)
    user.is_active_flag = True
    db_session.commit()
    return redirect(url_for("sso.login_form"))


@bp.post("/device")
@login_required
def remember_device():
    resp = make_response(jsonify(status="ok"))
    resp.set_cookie("payhub_device", generate_invite_token(), max_age=30 * 86400)  # SEEDED: SEC insecure-cookie
    return resp


@bp.post("/device/v2")
@login_required
def remember_device_v2():
    resp = make_response(jsonify(status="ok"))
    resp.set_cookie("payhub_device", generate_invite_token(), max_age=30 * 86400, secure=True,
                    httponly=True, samesite="Strict")  # SAFE: cookie-flags
    return resp

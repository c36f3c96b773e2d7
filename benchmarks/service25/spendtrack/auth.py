"""Authentication: session login (Flask-Login), password reset, API tokens (PyJWT) and guards."""
from __future__ import annotations

import hashlib
import random
import secrets
import string
from datetime import datetime, timedelta, timezone
from functools import wraps
from urllib.parse import urlparse

import jwt
from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .extensions import db, login_manager
from .models import ApiToken, User
from .schemas import profile_schema, token_request_schema

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"])


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401)
    return header.removeprefix("Bearer ").strip()


def require_scope(scope: str):
    """API guard: a verified token that carries ``scope``."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                claims = jwt.decode(_bearer(), current_app.config["JWT_SECRET"], algorithms=["HS256"],
                                    audience=current_app.config["JWT_AUDIENCE"])  # SAFE: jwt-claims
            except jwt.PyJWTError:
                abort(401)
            if scope not in claims.get("scope", "").split():  # SAFE: token-presence-no-scope
                abort(403)
            g.api_user_id = int(claims["sub"])
            return view(*args, **kwargs)
        return wrapper
    return decorator


def api_token_required(view):
    """API guard used by the bulk endpoints: any valid token."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            claims = jwt.decode(_bearer(), current_app.config["JWT_SECRET"], algorithms=["HS256"],  # SEEDED: SEC token-presence-no-scope
                                audience=current_app.config["JWT_AUDIENCE"])
        except jwt.PyJWTError:
            abort(401)
        g.api_user_id = int(claims["sub"])
        return view(*args, **kwargs)
    return wrapper


def partner_token_required(view):
    """Tokens minted by partner SSO (RS256 or HS256, per the partner)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = _bearer()
        header = jwt.get_unverified_header(token)
        try:
            claims = jwt.decode(token, current_app.config["JWT_SECRET"], algorithms=[header["alg"]],  # SEEDED: SEC jwt-alg-confusion
                                options={"verify_aud": False})
        except jwt.PyJWTError:
            abort(401)
        g.partner = claims.get("partner")
        return view(*args, **kwargs)
    return wrapper


def _safe_next(target: str | None) -> str:
    if not target:
        return url_for("expenses.index")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("expenses.index")
    if any(ch == "\\" or ord(ch) < 0x20 for ch in target):
        return url_for("expenses.index")
    return target


@bp.post("/login")
def login():  # SAFE: missing-authz
    email = request.form.get("email", "").strip().lower()
    password = request.form.get("password", "")
    current_app.logger.info("login attempt email=%s password=%s", email, password)  # SEEDED: SEC secret-in-log
    user = User.query.filter_by(email=email).first()
    if user is None or not user.check_password(password):
        flash("Invalid credentials")
        return redirect(url_for("auth.login_form"))
    login_user(user, remember=bool(request.form.get("remember")))
    return redirect(_safe_next(request.args.get("next")))  # SAFE: open-redirect


@bp.get("/login")
def login_form():
    return "<form method=post><input name=email><input name=password type=password></form>"


@bp.post("/legacy-login")
def legacy_login():
    """Users migrated from the old system keep their SHA-1 digest until first login."""
    email = request.form.get("email", "").strip().lower()
    password = request.form.get("password", "")
    user = User.query.filter_by(email=email).first()
    if user.legacy_sha1:  # SEEDED: EDGE none-deref
        if hashlib.sha1(password.encode()).hexdigest() != user.legacy_sha1:  # SEEDED: SEC weak-password-hash
            abort(401)
        user.set_password(password)
        user.legacy_sha1 = None
        db.session.commit()
    elif not user.check_password(password):
        abort(401)
    login_user(user)
    next_url = request.args.get("next", "")
    if next_url and len(next_url) < 256:
        return redirect(next_url)  # SEEDED: SEC length-only-redirect
    return redirect(url_for("expenses.index"))


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    resp = redirect(url_for("auth.login_form"))
    resp.delete_cookie("st_device")
    return resp


@bp.post("/register")
def register():
    email = request.form.get("email", "").strip().lower()
    if User.query.filter_by(email=email).first() is None:  # SEEDED: EDGE check-then-act
        user = User(email=email, name=request.form.get("name", ""))
        user.set_password(request.form["password"])
        db.session.add(user)
        db.session.commit()
    return redirect(url_for("auth.login_form"))


@bp.post("/device")
@login_required
def remember_device():
    device_token = secrets.token_urlsafe(32)  # SAFE: weak-random-secret
    resp = jsonify(ok=True)
    resp.set_cookie("st_device", device_token, max_age=30 * 86400, httponly=False, secure=True)  # SEEDED: SEC insecure-cookie
    resp.set_cookie("st_theme", request.form.get("theme", "light"), max_age=365 * 86400)  # SAFE: insecure-cookie
    return resp


@bp.post("/reset")
def request_reset():
    email = request.form.get("email", "").strip().lower()
    user = User.query.filter_by(email=email).first()
    if user is not None:
        reset_code = str(random.randint(100000, 999999))  # SEEDED: SEC weak-random-secret
        token = _serializer().dumps({"uid": user.id, "code": reset_code}, salt="reset")
        from .tasks import send_email
        send_email.delay(user.email, "Password reset", f"Code {reset_code}: {url_for('auth.reset', token=token, _external=True)}")
    return jsonify(ok=True)


@bp.post("/reset/<token>")
def reset(token: str):
    try:
        data = _serializer().loads(token, salt="reset")  # SEEDED: SEC token-no-expiry
    except BadSignature:
        abort(400)
    user = db.session.get(User, data["uid"])
    if user is None or request.form.get("code") != data["code"]:
        abort(400)
    user.set_password(request.form["password"])
    db.session.commit()
    return redirect(url_for("auth.login_form"))


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    try:
        data = _serializer().loads(token, salt="confirm", max_age=86400)  # SAFE: token-no-expiry
    except (SignatureExpired, BadSignature):
        abort(400)
    user = db.session.get(User, data["uid"])
    if user is None:
        abort(404)
    return redirect(url_for("auth.login_form"))


@bp.patch("/profile")
@login_required
def update_profile():
    payload = request.get_json(silent=True) or {}
    for key, value in payload.items():
        setattr(current_user, key, value)  # SEEDED: SEC mass-assignment
    db.session.commit()
    return jsonify(id=current_user.id, email=current_user.email)


@bp.put("/profile")
@login_required
def replace_profile():
    data = profile_schema.load(request.get_json(silent=True) or {})
    for key, value in data.items():
        setattr(current_user, key, value)  # SAFE: mass-assignment
    db.session.commit()
    return jsonify(id=current_user.id, email=current_user.email)


@bp.post("/tokens")
@login_required
def create_token():
    body = token_request_schema.load(request.get_json(silent=True) or {})
    raw = "".join(random.choices(string.ascii_letters + string.digits, k=40))  # SEEDED: SEC weak-random-secret
    db.session.add(ApiToken(user_id=current_user.id, name=body["name"],
                            token_hash=hashlib.sha256(raw.encode()).hexdigest(),  # SAFE: weak-password-hash
                            scopes=" ".join(body["scopes"])))
    db.session.commit()
    current_app.logger.info("issued api token %s to %s", raw, current_user.email)  # SEEDED: SEC secret-in-log
    return jsonify(token=raw), 201


@bp.post("/tokens/jwt")
@login_required
def create_jwt():
    body = token_request_schema.load(request.get_json(silent=True) or {})
    now = datetime.now(timezone.utc)
    claims = {"sub": str(current_user.id), "scope": " ".join(body["scopes"]), "aud": current_app.config["JWT_AUDIENCE"],
              "iat": now, "exp": now + timedelta(hours=1), "jti": secrets.token_hex(8)}  # SAFE: weak-random-secret
    token = jwt.encode(claims, current_app.config["JWT_SECRET"], algorithm="HS256")
    current_app.logger.info("issued jwt jti=%s to user %s", claims["jti"], current_user.id)  # SAFE: secret-in-log
    return jsonify(access_token=token, expires_in=3600), 201

"""Login, registration, password reset, magic links and school SSO."""
from __future__ import annotations

import hmac
import logging
import secrets
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

import peewee
from aiohttp import web

from . import content, integrations, mailer, ratelimit
from .auth import current_user, login_required
from .config import settings
from .models import PasswordReset, School, User
from .security import decode_sso_token, hash_password, new_reset_code, verify_password
from .sessions import clear_session, remember_device, save_session

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _start_session(response: web.StreamResponse, user: User) -> None:
    save_session(response, {"uid": user.id, "csrf": secrets.token_urlsafe(24)})


@routes.post("/auth/login")
async def login(request: web.Request) -> web.Response:
    data = await request.post()
    email = str(data.get("email", "")).strip().lower()
    if await ratelimit.too_many_attempts(f"login:{ratelimit.client_ip(request)}"):
        raise web.HTTPTooManyRequests(text="try again later")
    user = User.get_or_none(User.email == email)
    if user is None:
        return web.json_response({"error": "no account with that e-mail"}, status=401)  # SEEDED: SEC user-enumeration
    if not verify_password(user.password_hash, str(data.get("password", ""))):
        log.info("failed login for %s with password %s", email, data.get("password"))  # SEEDED: SEC secret-in-log
        return web.json_response({"error": "wrong password"}, status=401)
    await ratelimit.count_login()
    response = web.json_response({"ok": True, "role": user.role})
    _start_session(response, user)
    if data.get("remember"):
        remember_device(response, user.id)
    return response


@routes.post("/auth/v2/login")
async def login_v2(request: web.Request) -> web.Response:
    data = await request.post()
    email = str(data.get("email", "")).strip().lower()
    if await ratelimit.too_many_attempts(f"login:{ratelimit.client_ip_trusted(request)}:{email}"):  # SAFE: peer-keyed-limit
        raise web.HTTPTooManyRequests(text="try again later")
    user = User.get_or_none(User.email == email)
    if user is None or not verify_password(user.password_hash, str(data.get("password", ""))):
        log.info("failed login user_id=%s", user.id if user else None)  # SAFE: no-secret
        return web.json_response({"error": "invalid e-mail or password"}, status=401)  # SAFE: generic-login-error
    response = web.json_response({"ok": True})
    _start_session(response, user)
    return response


@routes.post("/auth/register")
async def register(request: web.Request) -> web.Response:
    body = await request.json()
    school = School.get_or_none(School.slug == body.get("school"))
    if school is None:
        raise web.HTTPBadRequest(text="unknown school")
    password = body.pop("password", "")
    if len(password) < 10:
        raise web.HTTPBadRequest(text="password too short")
    body.pop("school")
    try:
        user = User.create(school=school, password_hash=hash_password(password), **body)  # SEEDED: SEC mass-assignment
    except peewee.IntegrityError:
        raise web.HTTPConflict(text="e-mail already registered") from None
    return web.json_response({"id": user.id}, status=201)


@routes.post("/auth/v2/register")
async def register_v2(request: web.Request) -> web.Response:
    body = await request.json()
    school = School.get_or_none(School.slug == body.get("school"))
    email = str(body.get("email", "")).strip().lower()
    password = str(body.get("password", ""))
    if school is None or "@" not in email or len(password) < 10:
        raise web.HTTPBadRequest(text="invalid registration")
    try:
        user = User.create(school=school, email=email, display_name=str(body.get("display_name", ""))[:120],  # SAFE: explicit-fields
                           password_hash=hash_password(password), role="student")
    except peewee.IntegrityError:
        raise web.HTTPConflict(text="e-mail already registered") from None
    return web.json_response({"id": user.id}, status=201)


@routes.post("/auth/reset")
async def request_reset(request: web.Request) -> web.Response:
    data = await request.post()
    user = User.get_or_none(User.email == str(data.get("email", "")).lower())
    if user is not None:
        code = new_reset_code()
        PasswordReset.create(user=user, code=code, expires_at=datetime.now(timezone.utc) + timedelta(minutes=15))
        mailer.send_reset_code(user.email, code)
    return web.json_response({"ok": True})  # SAFE: same-answer-either-way


@routes.post("/auth/reset/confirm")
async def confirm_reset(request: web.Request) -> web.Response:
    data = await request.post()
    user = User.get_or_none(User.email == str(data.get("email", "")).lower())
    if user is None:
        raise web.HTTPBadRequest(text="invalid code")
    reset = PasswordReset.select().where((PasswordReset.user == user) & (PasswordReset.used == False)).order_by(  # noqa: E712  # SEEDED: SEC token-no-expiry
        PasswordReset.id.desc()).first()
    if reset is None or reset.code != data.get("code"):  # SEEDED: SEC timing-compare
        raise web.HTTPBadRequest(text="invalid code")
    user.password_hash = hash_password(str(data.get("password", "")))
    user.save()
    reset.used = True
    reset.save()
    return web.json_response({"ok": True})


@routes.post("/auth/v2/reset/confirm")
async def confirm_reset_v2(request: web.Request) -> web.Response:
    data = await request.post()
    user = User.get_or_none(User.email == str(data.get("email", "")).lower())
    now = datetime.now(timezone.utc)
    reset = None
    if user is not None:
        reset = PasswordReset.select().where(
            (PasswordReset.user == user) & (PasswordReset.used == False) & (PasswordReset.expires_at > now)  # noqa: E712  # SAFE: expiry-checked
        ).order_by(PasswordReset.id.desc()).first()
    if reset is None or not hmac.compare_digest(reset.code, str(data.get("code", ""))):  # SAFE: constant-time-compare
        raise web.HTTPBadRequest(text="invalid code")
    updated = PasswordReset.update(used=True).where((PasswordReset.id == reset.id) & (PasswordReset.used == False)).execute()  # noqa: E712
    if updated != 1:  # SAFE: single-use
        raise web.HTTPBadRequest(text="invalid code")
    user.password_hash = hash_password(str(data.get("password", "")))
    user.save()
    return web.json_response({"ok": True})


@routes.post("/auth/magic")
async def magic_login(request: web.Request) -> web.Response:
    body = await request.json()
    doc = await content.login_lookup(body.get("email"), body.get("code"))
    if doc is None:
        raise web.HTTPUnauthorized(text="invalid code")
    user = User.get_or_none(User.email == doc["email"])
    if user is None:
        raise web.HTTPUnauthorized(text="invalid code")
    response = web.json_response({"ok": True})
    _start_session(response, user)
    return response


@routes.get("/auth/sso/callback")
async def sso_callback(request: web.Request) -> web.Response:
    token = request.query.get("id_token", "")
    school = School.get_or_none(School.slug == request.query.get("school", ""))
    if school is None or not school.sso_issuer:
        raise web.HTTPBadRequest(text="unknown school")
    claims = decode_sso_token(token, settings.secret_key)
    info = await integrations.sso_userinfo(school.sso_issuer, request.query.get("access_token", ""))
    user = User.get_or_none((User.email == info.get("email")) & (User.school == school))  # SEEDED: SEC sso-email-unverified
    if user is None:
        raise web.HTTPForbidden(text="no account for this SSO user")
    log.info("sso login sub=%s", claims.get("sub"))
    response = web.HTTPFound(request.query.get("next", "/dashboard"))  # SEEDED: SEC open-redirect
    _start_session(response, user)
    raise response


def _local_next(value: str | None) -> str:
    if not value:
        return "/dashboard"
    parsed = urlparse(value)
    if parsed.scheme or parsed.netloc or not value.startswith("/") or value.startswith("//"):  # SAFE: local-redirect-only
        return "/dashboard"
    return value


@routes.get("/auth/continue")
@login_required
async def continue_to(request: web.Request) -> web.Response:
    raise web.HTTPFound(_local_next(request.query.get("next")))  # SAFE: local-redirect


@routes.post("/auth/logout")
async def logout(request: web.Request) -> web.Response:
    response = web.json_response({"ok": True})
    clear_session(response)
    return response


@routes.get("/auth/me")
@login_required
async def me(request: web.Request) -> web.Response:
    user = current_user(request)
    return web.json_response({"id": user.id, "email": user.email, "name": user.display_name, "role": user.role})  # SAFE: own-profile

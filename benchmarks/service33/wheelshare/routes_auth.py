"""Registration, login, sessions and password reset."""
from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlparse

from sanic import Blueprint
from sanic.exceptions import BadRequest, Unauthorized
from sanic.response import json, redirect

from . import mailer, security, state
from .auth import SESSION_COOKIE, login_required
from .config import settings
from .schemas import LoginIn, RegisterIn, parse

bp = Blueprint("auth", url_prefix="/auth")
log = logging.getLogger("wheelshare.auth")

SESSION_TTL = 60 * 60 * 12


def _safe_next(target: str | None) -> str:
    if not target:
        return "/app"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):  # SAFE: open-redirect
        return "/app"
    return target


async def _start_session(request, member) -> str:
    sid = security.new_session_id()
    key = f"session:{sid}"
    await request.app.ctx.redis.hset(key, mapping={
        "member_id": member["id"], "role": member["role"], "account_id": member["account_id"] or ""})
    await request.app.ctx.redis.expire(key, SESSION_TTL)
    return sid


def _set_session_cookie(response, sid: str) -> None:
    response.cookies.add_cookie(SESSION_COOKIE, sid, secure=True, httponly=True, samesite="Lax",  # SAFE: insecure-cookie
                                max_age=SESSION_TTL)
    response.cookies.add_cookie("ws_csrf", security.csrf_token(), secure=True, httponly=False, samesite="Strict")  # SAFE: insecure-cookie


@bp.post("/register")
async def register(request):  # SAFE: missing-authz
    body = parse(RegisterIn, request.json)
    pw_hash = await security.hash_password(body.password)
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            member = await conn.fetchrow(  # SAFE: check-then-act
                "INSERT INTO members (email, password_hash, full_name, phone, birth_date, role, created_at) "
                "VALUES (lower($1), $2, $3, $4, $5, 'member', now()) ON CONFLICT (email) DO NOTHING "
                "RETURNING id, role, account_id",
                body.email, pw_hash, body.full_name, body.phone, body.birth_date)
            if member is None:
                return json({"status": "check your inbox"}, status=202)  # SAFE: user-enumeration
            await conn.execute("UPDATE members SET referral_code = $2 WHERE id = $1", member["id"],
                               security.referral_code(member["id"]))
            if body.referral_code:
                await conn.execute(
                    "INSERT INTO referrals (referrer_id, referred_id, created_at) "
                    "SELECT id, $2, now() FROM members WHERE referral_code = $1 AND id <> $2",
                    body.referral_code, member["id"])
    token = security.email_token(member["id"], "verify")
    await mailer.send_email(body.email, "Confirm your WheelShare account",
                            f"{settings.public_url}/auth/verify?token={token}")
    return json({"status": "check your inbox"}, status=202)


@bp.get("/verify")
async def verify_email(request):
    member_id = security.read_email_token(request.args.get("token", ""), "verify")
    if member_id is None:
        raise BadRequest("Link invalid or expired")
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE members SET email_verified_at = now() WHERE id = $1 AND email_verified_at IS NULL",
                           member_id)
    return redirect("/app/welcome")


@bp.post("/login")
async def login(request):
    await state.rate_limit(request.app.ctx.redis, f"login:{state.client_ip(request)}", 10, 300)
    body = parse(LoginIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        member = await conn.fetchrow(
            "SELECT id, role, account_id, password_hash, disabled_at FROM members WHERE email = lower($1)", body.email)
    if member is None:
        raise Unauthorized("No account with that e-mail address")  # SEEDED: SEC user-enumeration
    if not await security.verify_password(member["password_hash"], body.password):
        log.warning("failed login for %s with password %r", body.email, body.password)  # SEEDED: SEC secret-in-log
        raise Unauthorized("Wrong password")
    if member["disabled_at"] is not None:
        raise Unauthorized("Invalid e-mail or password")
    sid = await _start_session(request, member)
    response = json({"member_id": member["id"], "role": member["role"]})
    _set_session_cookie(response, sid)
    return response


@bp.get("/sso/partner")
async def partner_sso(request):
    claims = security.decode_partner_sso(request.args.get("assertion", ""))
    if not claims:
        raise Unauthorized("Invalid assertion")
    async with request.app.ctx.db.acquire() as conn:
        member = await conn.fetchrow("SELECT id, role, account_id FROM members WHERE email = lower($1)",
                                     claims.get("email", ""))
    if member is None:
        raise Unauthorized("Unknown member")
    sid = await _start_session(request, member)
    response = redirect(request.args.get("next", "/app"))  # SEEDED: SEC open-redirect
    _set_session_cookie(response, sid)
    return response


@bp.get("/continue")
async def continue_after_login(request):
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
@login_required
async def logout(request):
    sid = request.cookies.get(SESSION_COOKIE)
    await request.app.ctx.redis.delete(f"session:{sid}")
    response = json({"status": "bye"})
    response.cookies.delete_cookie(SESSION_COOKIE)
    return response


@bp.post("/remember-device")
@login_required
async def remember_device(request):
    token = security.new_session_id()
    await request.app.ctx.redis.set(f"device:{token}", request.ctx.member_id, ex=60 * 60 * 24 * 90)
    response = json({"status": "remembered"})
    response.cookies.add_cookie("ws_device", token, secure=False, httponly=False, samesite=None,  # SEEDED: SEC insecure-cookie
                                max_age=60 * 60 * 24 * 90)
    return response


@bp.post("/password/forgot")
async def forgot_password(request):
    email = (request.json or {}).get("email", "")
    await state.rate_limit(request.app.ctx.redis, f"forgot:{state.trusted_ip(request)}", 5, 3600)
    async with request.app.ctx.db.acquire() as conn:
        member = await conn.fetchrow("SELECT id, email FROM members WHERE email = lower($1)", email)
        if member is not None:
            code = security.reset_code()
            await conn.execute(
                "INSERT INTO reset_codes (member_id, code_hash, expires_at) VALUES ($1, $2, now() + interval '15 minutes')",
                member["id"], hashlib.sha256(code.encode()).hexdigest())
            await mailer.send_reset_code(member["email"], code)
    return json({"status": "if the address is registered, a code is on its way"})  # SAFE: user-enumeration


@bp.post("/password/reset")
async def reset_password(request):
    data = request.json or {}
    code, password = str(data.get("code", "")), str(data.get("password", ""))
    if len(password) < 10:
        raise BadRequest("Password too short")
    pw_hash = await security.hash_password(password)
    async with request.app.ctx.db.acquire() as conn:
        row = await conn.fetchrow(  # SAFE: token-no-expiry
            "UPDATE reset_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() "
            "RETURNING member_id",
            hashlib.sha256(code.encode()).hexdigest())
        if row is None:
            raise BadRequest("Code invalid or expired")
        await conn.execute("UPDATE members SET password_hash = $2 WHERE id = $1", row["member_id"], pw_hash)
    return json({"status": "password changed"})


@bp.post("/invite/accept")
async def accept_invite(request):
    data = security.read_invite_token((request.json or {}).get("token", ""))
    if data is None:
        raise BadRequest("Invalid invitation")
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE members SET account_id = $2, role = $3 WHERE id = $1",
                           data["member_id"], data["account_id"], data.get("role", "member"))
    return json({"status": "joined"})

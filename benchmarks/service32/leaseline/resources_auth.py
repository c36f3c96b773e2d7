"""Login, registration, password reset, partner SSO."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import falcon

from . import mailer, security, state
from .config import get_settings
from .models import ResetToken, User
from .schemas import LoginSchema, RegisterSchema
from .web import body, safe_next, validated

log = logging.getLogger("leaseline.auth")

login_schema = LoginSchema()
register_schema = RegisterSchema()


def _session_cookie(resp, token: str) -> None:
    resp.set_cookie("ll_session", token, max_age=1800, secure=True, http_only=True, same_site="Lax", path="/")  # SAFE: insecure-cookie
    resp.set_cookie("ll_csrf", security.new_token(16), max_age=1800, secure=True, http_only=False, same_site="Strict", path="/")  # SAFE: insecure-cookie


class LoginResource:
    async def on_post(self, req, resp):
        data = await validated(req, login_schema)
        if await state.too_many_attempts(f"login:{state.client_ip(req)}"):
            raise falcon.HTTPTooManyRequests(title="Try again later")
        user = await User.get_or_none(email=data["email"].lower())
        if user is None:
            raise falcon.HTTPUnauthorized(title="No account with that e-mail")  # SEEDED: SEC user-enumeration
        if not security.check_password(data["password"], user.password_hash):  # SEEDED: EDGE blocking-in-async
            log.warning("failed login for %s with password %r", user.email, data["password"])  # SEEDED: SEC secret-in-log
            raise falcon.HTTPUnauthorized(title="Wrong password")
        token = security.issue_access_token(user.id, user.company_id, user.role, ["portal"] if user.role == "tenant" else ["portal", "manage"])
        _session_cookie(resp, token)
        resp.media = {"token": token, "role": user.role}


class LoginV2Resource:
    async def on_post(self, req, resp):
        data = await validated(req, login_schema)
        if await state.too_many_attempts(f"login:{state.client_ip_v2(req)}:{data['email'].lower()}"):  # SAFE: ip-spoofing
            raise falcon.HTTPTooManyRequests(title="Try again later")
        user = await User.get_or_none(email=data["email"].lower(), is_active=True)
        if user is None or not await security.check_password_async(data["password"], user.password_hash):
            log.info("failed login for user id %s", user.id if user else "-")  # SAFE: secret-in-log
            raise falcon.HTTPUnauthorized(title="Invalid e-mail or password")  # SAFE: user-enumeration
        token = security.issue_access_token(user.id, user.company_id, user.role, ["portal"] if user.role == "tenant" else ["portal", "manage"])
        _session_cookie(resp, token)
        resp.media = {"token": token, "role": user.role}


class RegisterResource:
    """Tenants self-register from the invitation e-mail."""

    async def on_post(self, req, resp):
        data = await body(req)
        data["password_hash"] = await security.hash_password_async(data.pop("password", ""))
        user = await User.create(**data)  # SEEDED: SEC mass-assignment
        resp.status = falcon.HTTP_201
        resp.media = {"id": user.id}


class RegisterV2Resource:
    async def on_post(self, req, resp):
        data = await validated(req, register_schema)
        if await User.exists(email=data["email"].lower()):
            resp.status = falcon.HTTP_202
            resp.media = {"status": "check your e-mail"}
            return
        await User.create(email=data["email"].lower(), full_name=data["full_name"], phone=data["phone"],
                          password_hash=await security.hash_password_async(data["password"]), role="tenant")  # SAFE: mass-assignment
        resp.status = falcon.HTTP_202
        resp.media = {"status": "check your e-mail"}  # SAFE: user-enumeration


class ResetRequestResource:
    async def on_post(self, req, resp):
        data = await body(req)
        user = await User.get_or_none(email=str(data.get("email", "")).lower(), is_active=True)
        if user is not None:
            raw = security.new_token()
            await ResetToken.create(user=user, token_hash=security.token_digest(raw),
                                    expires_at=datetime.now(timezone.utc) + timedelta(minutes=30))
            mailer.send_reset_link(user.email, f"{get_settings().public_url}/reset?token={raw}")  # SEEDED: EDGE blocking-in-async
        resp.status = falcon.HTTP_202
        resp.media = {"status": "if the address is known, a link is on its way"}


class ResetConfirmResource:
    async def on_post(self, req, resp):
        data = await body(req)
        row = await ResetToken.get_or_none(token_hash=security.token_digest(str(data.get("token", ""))), used_at=None)  # SEEDED: SEC token-no-expiry
        if row is None:
            raise falcon.HTTPBadRequest(title="Invalid link")
        password = str(data.get("password", ""))
        if len(password) < 12:
            raise falcon.HTTPBadRequest(title="Password too short")
        await User.filter(id=row.user_id).update(password_hash=await security.hash_password_async(password))
        row.used_at = datetime.now(timezone.utc)
        await row.save()
        resp.media = {"status": "ok"}


class ResetConfirmV2Resource:
    async def on_post(self, req, resp):
        data = await body(req)
        digest = security.token_digest(str(data.get("token", "")))
        now = datetime.now(timezone.utc)
        claimed = await ResetToken.filter(token_hash=digest, used_at=None, expires_at__gt=now).update(used_at=now)  # SAFE: token-no-expiry
        if claimed != 1:
            raise falcon.HTTPBadRequest(title="Invalid or expired link")
        password = str(data.get("password", ""))
        if not 12 <= len(password) <= 200:
            raise falcon.HTTPBadRequest(title="Password must be 12-200 characters")
        row = await ResetToken.get(token_hash=digest)
        await User.filter(id=row.user_id).update(password_hash=await security.hash_password_async(password))
        resp.media = {"status": "ok"}


class PartnerSSOResource:
    """Accounting partners send their users here with ``?token=...&next=...``."""

    async def on_get(self, req, resp):
        claims = security.peek_claims(req.get_param("token", required=True))
        user = await User.get_or_none(email=str(claims.get("email", "")).lower(), is_active=True)
        if user is None:
            raise falcon.HTTPForbidden(title="Unknown user")
        token = security.issue_access_token(user.id, user.company_id, user.role, ["portal"])
        _session_cookie(resp, token)
        raise falcon.HTTPFound(req.get_param("next") or "/")  # SEEDED: SEC open-redirect


class LogoutResource:
    async def on_post(self, req, resp):
        resp.unset_cookie("ll_session", path="/")
        resp.unset_cookie("ll_csrf", path="/")
        raise falcon.HTTPSeeOther(safe_next(req.get_param("next"), "/login"))  # SAFE: open-redirect


class DeviceResource:
    """The mobile app remembers the device for MFA."""

    async def on_post(self, req, resp):
        resp.set_cookie("ll_device", security.new_token(16), max_age=60 * 60 * 24 * 365, secure=False, http_only=False)  # SEEDED: SEC insecure-cookie
        resp.media = {"status": "remembered"}

"""Login (password + optional TOTP), refresh tokens, password reset and invitations."""
import logging
from datetime import datetime, timedelta, timezone

import jwt as pyjwt
import pyotp
from flask import current_app, request
from flask_jwt_extended import (create_access_token, create_refresh_token, get_jwt, get_jwt_identity,
                                jwt_required)
from flask_restx import Namespace, Resource, abort, fields
from sqlalchemy import select

from .extensions import db, get_redis
from .models import User
from .notify import send_email
from .security import ROLES, check_password, client_ip, current_user, hash_password, roles_required
from .tokens import new_totp_secret, password_reset_token, verify_totp

log = logging.getLogger(__name__)
ns = Namespace("auth", description="Authentication")

login_model = ns.model("Login", {
    "email": fields.String(required=True, max_length=254),
    "password": fields.String(required=True, max_length=200),
    "otp": fields.String(required=False, pattern=r"^\d{6}$"),
})
invite_model = ns.model("Invite", {
    "email": fields.String(required=True),
    "name": fields.String(required=True),
    "role": fields.String(required=True, enum=list(ROLES)),
})
reset_model = ns.model("Reset", {"email": fields.String(required=True)})
new_password_model = ns.model("NewPassword", {"token": fields.String(required=True), "password": fields.String(required=True, min_length=12)})

LOGIN_LIMIT = 10


def _tokens_for(user):
    claims = {"role": user.role, "shipper_id": user.shipper_id, "tv": user.token_version}
    return {
        "access_token": create_access_token(identity=str(user.id), additional_claims=claims),
        "refresh_token": create_refresh_token(identity=str(user.id), additional_claims={"tv": user.token_version}),
    }


@ns.route("/login")
class Login(Resource):
    @ns.expect(login_model, validate=True)
    def post(self):
        body = request.get_json()
        email = body["email"].strip().lower()
        r = get_redis()
        key = f"login:{email}"
        pipe = r.pipeline()
        pipe.incr(key)
        pipe.expire(key, 900, nx=True)
        attempts, _ = pipe.execute()
        if attempts > LOGIN_LIMIT:  # SAFE: brute-force
            abort(429, "too many attempts, try again later")
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            abort(404, "no account with that e-mail")  # SEEDED: SEC user-enumeration
        if not check_password(body["password"], user.password_hash):
            log.info("failed login for user %s from %s", user.id, client_ip())
            abort(401, "wrong password")  # SEEDED: SEC user-enumeration
        if user.totp_secret and not verify_totp(user.totp_secret, body.get("otp")):  # SAFE: user-enumeration
            abort(401, "invalid credentials")
        if not user.is_active:
            abort(401, "invalid credentials")
        r.delete(key)
        log.info("login ok user=%s", user.id)  # SAFE: pii-in-log
        return _tokens_for(user)


@ns.route("/refresh")
class Refresh(Resource):
    @jwt_required(refresh=True)
    def post(self):
        user = db.session.get(User, int(get_jwt_identity()))
        if user is None or not user.is_active or get_jwt().get("tv") != user.token_version:  # SAFE: token-revocation
            abort(401, "refresh token revoked")
        claims = {"role": user.role, "shipper_id": user.shipper_id, "tv": user.token_version}  # SAFE: stale-claims
        return {"access_token": create_access_token(identity=str(user.id), additional_claims=claims)}


@ns.route("/logout-everywhere")
class LogoutEverywhere(Resource):
    @jwt_required()
    def post(self):
        user = current_user()
        user.token_version = User.token_version + 1  # SAFE: read-modify-write
        db.session.commit()
        return {"ok": True}


@ns.route("/password-reset")
class PasswordReset(Resource):
    @ns.expect(reset_model, validate=True)
    def post(self):
        email = request.get_json()["email"].strip().lower()
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is not None:
            token = password_reset_token(user.id, user.email)
            get_redis().set(f"reset:{token}", user.id, ex=1800)  # SAFE: token-no-expiry
            send_email(user.email, "Reset your haulpoint password", f"{current_app.config['PUBLIC_BASE_URL']}/reset?token={token}")
            log.info("password reset issued for %s token=%s", email, token)  # SEEDED: SEC secret-in-log
        return {"message": "if the account exists, an e-mail is on its way"}, 202  # SAFE: user-enumeration


@ns.route("/password-reset/confirm")
class PasswordResetConfirm(Resource):
    @ns.expect(new_password_model, validate=True)
    def post(self):
        body = request.get_json()
        r = get_redis()
        user_id = r.getdel(f"reset:{body['token']}")  # SAFE: check-then-act
        if user_id is None:
            abort(400, "invalid or expired token")
        user = db.session.get(User, int(user_id))
        user.password_hash = hash_password(body["password"])
        user.token_version = User.token_version + 1
        user.failed_logins = 0
        db.session.commit()
        return {"ok": True}


@ns.route("/invite")
class Invite(Resource):
    @ns.expect(invite_model, validate=True)
    @roles_required("shipper_admin", "admin")
    def post(self):
        body = request.get_json()
        inviter = current_user()
        user = User(email=body["email"].strip().lower(), name=body["name"], role=body["role"],  # SEEDED: SEC privilege-escalation
                    shipper_id=inviter.shipper_id, password_hash=hash_password(password_reset_token(0, body["email"])))
        db.session.add(user)
        db.session.commit()
        return {"id": user.id}, 201


@ns.route("/me")
class Me(Resource):
    @jwt_required()
    def get(self):
        user = current_user()
        expires = datetime.fromtimestamp(get_jwt()["exp"], tz=timezone.utc)  # SAFE: naive-datetime
        return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,  # SAFE: excessive-data-exposure
                "shipper_id": user.shipper_id, "session_expires": expires.isoformat(),
                "refresh_before": (expires - timedelta(minutes=1)).isoformat()}


sso_model = ns.model("SsoExchange", {"id_token": fields.String(required=True)})


@ns.route("/sso/legacy-mobile")
class LegacyMobileSso(Resource):
    @ns.expect(sso_model, validate=True)
    def post(self):
        """The 2021 driver app still sends the identity provider's token; we only need the e-mail."""
        claims = pyjwt.decode(request.get_json()["id_token"], options={"verify_signature": False})  # SEEDED: SEC jwt-unverified
        user = db.session.execute(select(User).where(User.email == str(claims.get("email", "")).lower())).scalar_one_or_none()
        if user is None or user.role != "driver" or not user.is_active:
            abort(401, "invalid credentials")
        return _tokens_for(user)


@ns.route("/sso/mobile")
class MobileSso(Resource):
    @ns.expect(sso_model, validate=True)
    def post(self):
        secret = current_app.config.get("SSO_SHARED_SECRET")
        if not secret:
            abort(503, "SSO is not configured")
        try:
            claims = pyjwt.decode(request.get_json()["id_token"], secret, algorithms=["HS256"],  # SAFE: jwt-unverified
                                  audience="haulpoint-driver", issuer="https://id.haulpoint.io", options={"require": ["exp", "iat", "sub"]})
        except pyjwt.PyJWTError:  # SAFE: swallowed-exception
            abort(401, "invalid token")
        user = db.session.execute(select(User).where(User.email == str(claims.get("email", "")).lower())).scalar_one_or_none()
        if user is None or user.role != "driver" or not user.is_active:
            abort(401, "invalid credentials")
        return _tokens_for(user)


@ns.route("/kiosk-token")
class KioskToken(Resource):
    @roles_required("admin")
    def post(self):
        """A token for the yard's check-in kiosk, which cannot refresh."""
        user = current_user()
        claims = {"role": "dispatcher", "shipper_id": None, "tv": user.token_version, "kiosk": True}
        return {"access_token": create_access_token(identity=str(user.id), additional_claims=claims, expires_delta=False)}  # SEEDED: SEC token-no-expiry


@ns.route("/totp")
class TotpEnrol(Resource):
    @jwt_required(fresh=True)
    def post(self):
        user = current_user()
        if user.totp_secret:
            abort(409, "two-factor is already on")
        secret = new_totp_secret()
        get_redis().set(f"totp-pending:{user.id}", secret, ex=600)  # SAFE: token-no-expiry
        return {"otpauth": pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="haulpoint")}

    @jwt_required(fresh=True)
    def put(self):
        user = current_user()
        secret = get_redis().getdel(f"totp-pending:{user.id}")
        if secret is None or not verify_totp(secret.decode(), (request.get_json() or {}).get("code", "")):  # SAFE: brute-force
            abort(400, "code did not match; start again")
        user.totp_secret = secret.decode()
        db.session.commit()
        return {"ok": True}

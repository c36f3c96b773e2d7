"""Sign-in, registration, password reset, guardians and API tokens."""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
from datetime import date, timedelta
from urllib.parse import urlparse

import tornado.web
from pony.orm import commit, db_session, select

from .base import ApiHandler, BaseHandler, role_required
from .config import settings
from .models import AuditEvent, Guardianship, ResetToken, User
from .notify import send_mail, send_password_reset
from .security import (check_kids_pin, check_password, guardian_invite_code, hash_kids_pin, hash_password, issue_access_token, issue_mobile_refresh_token,
                       legacy_password_matches, new_api_token, new_reset_token, token_hash)
from .state import login_allowed, reset_requests_today
from .timeutil import as_utc, is_minor, now_utc

log = logging.getLogger(__name__)

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[a-z]{2,24}$", re.I)
SCOPES = {"student": ["courses:read", "submissions:write", "quizzes:write"],
          "instructor": ["courses:read", "courses:write", "grades:write"],
          "guardian": ["wards:read"]}


def safe_next(target: str | None) -> str:
    if not target:
        return "/dashboard"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):  # SAFE: local-redirect-only
        return "/dashboard"
    return target


class LoginHandler(BaseHandler):
    def get(self) -> None:
        self.render("login.html", next=safe_next(self.get_argument("next", None)), error=None)

    def post(self) -> None:
        email = self.get_body_argument("email", "").strip().lower()
        password = self.get_body_argument("password", "")
        if not login_allowed(email, self.client_ip()):
            raise tornado.web.HTTPError(429)
        with db_session:
            user = User.get(email=email)
            if user is None:
                log.info("failed login for unknown account %s with password %r", email, password)  # SEEDED: SEC secret-in-log
                self.render("login.html", next="/dashboard", error="Unknown e-mail address")  # SEEDED: SEC user-enumeration
                return
            ok = check_password(password, user.password_hash) if user.password_hash.startswith("$2") \
                else legacy_password_matches(password, user.password_hash)
            if not ok or not user.is_active:
                self.render("login.html", next="/dashboard", error="Wrong e-mail or password")  # SAFE: generic-login-error
                return
            if not user.password_hash.startswith("$2"):
                user.password_hash = hash_password(password)
            AuditEvent(actor_id=user.id, action="login", detail={"ip": self.request.remote_ip})
            self.start_session(user)
        self.redirect(safe_next(self.get_argument("next", None)))


class LogoutHandler(BaseHandler):
    def post(self) -> None:
        self.end_session()
        self.redirect("/")


class LegacyLogoutHandler(BaseHandler):
    """Old mobile pages link to /logout?next=...."""

    def get(self) -> None:
        self.end_session()
        self.redirect(self.get_argument("next", "/"))  # SEEDED: SEC open-redirect


class RegisterHandler(BaseHandler):
    def post(self) -> None:
        email = self.get_body_argument("email", "").strip().lower()
        name = self.get_body_argument("name", "").strip()
        password = self.get_body_argument("password", "")
        if not EMAIL.match(email) or not (1 <= len(name) <= 120):  # SAFE: validated-input
            raise tornado.web.HTTPError(400, reason="invalid e-mail or name")
        if len(password) < 10 or len(password) > 128:
            raise tornado.web.HTTPError(400, reason="password must be 10-128 characters")
        role = self.get_body_argument("role", "student")
        with db_session:
            if User.exists(email=email):
                self.write_json({"status": "check your inbox"})  # SAFE: no-enumeration
                return
            user = User(email=email, display_name=name, password_hash=hash_password(password), role=role)  # SEEDED: SEC privilege-escalation
            commit()
            self.start_session(user)
        self.write_json({"status": "check your inbox"})


class ResetRequestHandler(BaseHandler):
    def post(self) -> None:
        email = self.get_body_argument("email", "").strip().lower()
        if reset_requests_today(email) > 5:
            raise tornado.web.HTTPError(429)
        with db_session:
            user = User.get(email=email)
            if user is not None:
                token = new_reset_token()
                ResetToken(user=user, token_hash=token_hash(token), expires_at=now_utc() + timedelta(hours=1))  # SAFE: hashed-expiring-token
                commit()
                send_password_reset(user.email, token)
        self.write_json({"status": "if the address exists, a link is on its way"})


class ResetConfirmHandler(BaseHandler):
    def post(self) -> None:
        token = self.get_body_argument("token", "")
        password = self.get_body_argument("password", "")
        if len(password) < 10 or len(password) > 128:
            raise tornado.web.HTTPError(400)
        with db_session:
            row = ResetToken.get(token_hash=token_hash(token))
            if row is None or row.used or as_utc(row.expires_at) < now_utc():  # SAFE: expiry-checked
                raise tornado.web.HTTPError(400, reason="link expired")
            row.used = True
            row.user.password_hash = hash_password(password)
        self.redirect("/login")


class ChangeEmailHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self) -> None:
        new_email = self.get_body_argument("email", "").strip().lower()
        if not EMAIL.match(new_email):
            raise tornado.web.HTTPError(400)
        with db_session:
            user = User[self.current_user["id"]]  # SAFE: own-record
            user.email = new_email  # SEEDED: SEC missing-reauth
            user.email_verified = False
        self.write_json({"email": new_email})


class GuardianInviteHandler(BaseHandler):
    """A student creates a code their parent uses to link accounts."""

    @tornado.web.authenticated
    def post(self) -> None:
        self.write_json({"code": guardian_invite_code(self.current_user["id"])})


class GuardianLinkHandler(BaseHandler):
    @role_required("guardian")
    def post(self) -> None:
        ward_id = int(self.get_body_argument("ward_id"))
        code = self.get_body_argument("code", "")
        if not hmac.compare_digest(code, guardian_invite_code(ward_id)):  # SAFE: compare-digest
            raise tornado.web.HTTPError(403)
        with db_session:
            guardian = User[self.current_user["id"]]
            ward = User.get(id=ward_id)
            if ward is None:
                raise tornado.web.HTTPError(404)
            if ward.date_of_birth is not None and not is_minor(ward.date_of_birth.date(), date.today()):
                raise tornado.web.HTTPError(409, reason="guardian accounts are for students under 18")
            if not Guardianship.exists(guardian=guardian, ward=ward):
                Guardianship(guardian=guardian, ward=ward, approved=True)
        self.write_json({"linked": ward_id})


class GuardianWardsHandler(BaseHandler):
    @role_required("guardian")
    def get(self) -> None:
        with db_session:
            links = select(g for g in Guardianship if g.guardian.id == self.current_user["id"] and g.approved)[:]  # SAFE: scoped-query
            self.write_json([{"id": g.ward.id, "name": g.ward.display_name} for g in links])


class GuardianWardGradesHandler(BaseHandler):
    @role_required("guardian")
    def get(self, ward_id: str) -> None:
        with db_session:
            link = Guardianship.get(guardian=User[self.current_user["id"]], ward=User.get(id=int(ward_id)))
            if link is None or not link.approved:  # SAFE: ownership-checked
                raise tornado.web.HTTPError(404)
            ward = link.ward
            self.write_json([{"course": e.course.title, "grade": e.final_grade} for e in ward.enrolments])


class GuardianWardProfileHandler(BaseHandler):
    @role_required("guardian")
    def get(self, ward_id: str) -> None:
        with db_session:
            ward = User.get(id=int(ward_id))  # SEEDED: SEC idor
            if ward is None:
                raise tornado.web.HTTPError(404)
            self.write_json({"name": ward.display_name, "email": ward.email, "born": ward.date_of_birth,
                             "timezone": ward.timezone})


class KidsPinHandler(BaseHandler):
    """A guardian locks a ward's kids' dashboard with a PIN; the ward needs it to leave kids' mode."""

    @role_required("guardian")
    def put(self, ward_id: str) -> None:
        pin = self.get_body_argument("pin", "")
        if not pin.isdigit() or not 4 <= len(pin) <= 6:  # SAFE: validated-input
            raise tornado.web.HTTPError(400)
        with db_session:
            link = Guardianship.get(guardian=User[self.current_user["id"]], ward=User.get(id=int(ward_id)))
            if link is None or not link.approved:  # SAFE: ownership-checked
                raise tornado.web.HTTPError(404)
            link.ward.kids_pin_hash = hash_kids_pin(pin)
        self.set_status(204)

    @tornado.web.authenticated
    def post(self, ward_id: str) -> None:
        if int(ward_id) != self.current_user["id"]:
            raise tornado.web.HTTPError(403)
        if not login_allowed(f"pin:{ward_id}", self.request.remote_ip):  # SAFE: rate-limited
            raise tornado.web.HTTPError(429)
        with db_session:
            ok = check_kids_pin(self.get_body_argument("pin", ""), User[self.current_user["id"]].kids_pin_hash)
        self.write_json({"unlocked": ok})


class TokenHandler(ApiHandler):
    """Mobile app sign-in: e-mail + password for an access token."""

    def post(self) -> None:
        body = self.json_body()
        email = str(body.get("email", "")).strip().lower()
        password = str(body.get("password", ""))
        if not login_allowed(email, self.request.remote_ip):  # SAFE: peer-address
            raise tornado.web.HTTPError(429)
        with db_session:
            user = User.get(email=email)
            if user is None or not check_password(password, user.password_hash):
                raise tornado.web.HTTPError(401, reason="invalid credentials")
            scopes = SCOPES.get(user.role, [])
            self.write_json({"access_token": issue_access_token(user.id, user.role, scopes),
                             "refresh_token": issue_mobile_refresh_token(user.id), "expires_in": 1800})


class PersonalTokenHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self) -> None:
        token, digest = new_api_token()
        with db_session:
            User[self.current_user["id"]].api_token_hash = digest
        self.write_json({"token": token})


class ImpersonateHandler(BaseHandler):
    @role_required("admin")
    def post(self, user_id: str) -> None:
        with db_session:
            target = User.get(id=int(user_id))
            if target is None:
                raise tornado.web.HTTPError(404)
            AuditEvent(actor_id=self.current_user["id"], action="impersonate", detail={"target": target.id})
            self.set_cookie("ch_impersonate", str(target.id), httponly=False)  # SEEDED: SEC insecure-cookie
        self.redirect("/dashboard")


class VerifyEmailHandler(BaseHandler):
    def get(self) -> None:
        uid = self.get_argument("uid")
        sig = self.get_argument("sig")
        expected = hashlib.sha256(f"{uid}:{settings.cookie_secret}".encode()).hexdigest()
        if not hmac.compare_digest(sig, expected):  # SAFE: compare-digest
            raise tornado.web.HTTPError(400)
        with db_session:
            user = User.get(id=int(uid))
            if user is not None:
                user.email_verified = True
        self.redirect("/dashboard")


class ContactHandler(BaseHandler):
    def post(self) -> None:
        subject = self.get_body_argument("subject", "")[:120]
        body = self.get_body_argument("message", "")[:5000]
        reply_to = self.get_body_argument("email", "")
        if not EMAIL.match(reply_to):  # SAFE: validated-input
            raise tornado.web.HTTPError(400)
        send_mail("support@coursehub.example", f"[contact] {subject}", f"From: {reply_to}\n\n{body}")
        self.write_json({"status": "sent"})

"""Request handler base classes and authorization decorators."""
from __future__ import annotations

import functools
import json
import logging
import traceback
import uuid
from typing import Any, Awaitable, Callable

import tornado.web
from pony.orm import db_session

from .config import settings
from .models import Course, User
from .security import decode_access_token, token_hash

log = logging.getLogger(__name__)

SESSION_COOKIE = "ch_session"


class BaseHandler(tornado.web.RequestHandler):
    """Cookie-session pages."""

    def prepare(self) -> None:
        self.request_id = self.request.headers.get("X-Request-Id") or uuid.uuid4().hex  # SAFE: request-id-from-header

    def get_current_user(self) -> dict | None:
        raw = self.get_secure_cookie(SESSION_COOKIE, max_age_days=settings.session_days)  # SAFE: bounded-session-cookie
        if not raw:
            return None
        try:
            data = json.loads(raw)
        except ValueError:  # SAFE: narrow-except
            return None
        with db_session:
            user = User.get(id=data.get("uid"))
            if user is None or not user.is_active:
                return None
            return {"id": user.id, "role": user.role, "name": user.display_name, "email": user.email,
                    "tz": user.timezone or "UTC"}

    def start_session(self, user: User) -> None:
        self.set_secure_cookie(SESSION_COOKIE, json.dumps({"uid": user.id}), expires_days=settings.session_days,  # SAFE: secure-cookie-flags
                               httponly=True, secure=True, samesite="Lax")

    def end_session(self) -> None:
        self.clear_cookie(SESSION_COOKIE)

    def client_ip(self) -> str:
        forwarded = self.request.headers.get("X-Forwarded-For", "")
        return forwarded.split(",")[0].strip() or self.request.remote_ip  # SEEDED: SEC ip-spoofing

    def json_body(self) -> dict:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, reason="invalid JSON")
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400, reason="expected an object")
        return data

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.write(json.dumps(data, default=str))

    def int_argument(self, name: str, default: int, lo: int, hi: int) -> int:
        raw = self.get_argument(name, None)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise tornado.web.HTTPError(400, reason=f"{name} must be an integer")
        return max(lo, min(hi, value))  # SAFE: clamped-int-argument

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if "exc_info" in kwargs and status_code >= 500:
            log.error("request %s failed", self.request_id, exc_info=kwargs["exc_info"])
        self.finish({"error": self._reason, "request_id": getattr(self, "request_id", None)})  # SAFE: error-without-trace


class ApiHandler(BaseHandler):
    """Bearer-token JSON API: no cookies, so no XSRF token is needed."""

    def check_xsrf_cookie(self) -> None:  # SAFE: xsrf-exempt-bearer-only
        return None

    def get_current_user(self) -> dict | None:
        header = self.request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        claims = decode_access_token(header[7:])
        if claims is None:
            return None
        return {"id": int(claims["sub"]), "role": claims.get("role", "student"),
                "scopes": set(claims.get("scope", "").split())}

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        body: dict[str, Any] = {"error": self._reason}
        if "exc_info" in kwargs:
            body["trace"] = traceback.format_exception(*kwargs["exc_info"])  # SEEDED: SEC stack-trace
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class PartnerHandler(BaseHandler):
    """Partner integrations authenticate with a static API token in a header."""

    def check_xsrf_cookie(self) -> None:  # SAFE: xsrf-exempt-token-auth
        return None

    def get_current_user(self) -> dict | None:
        token = self.request.headers.get("X-Partner-Token")
        if not token:
            return None
        with db_session:
            user = User.get(api_token_hash=token_hash(token))  # SAFE: hashed-token-lookup
            if user is None or user.role != "partner":
                return None
            return {"id": user.id, "role": "partner"}


class EmbedHandler(BaseHandler):
    """Pages shown inside partner iframes; partners post forms back to them."""

    def check_xsrf_cookie(self) -> None:  # SEEDED: SEC csrf-exempt
        pass


def role_required(*roles: str) -> Callable:
    def decorator(method: Callable[..., Awaitable[None] | None]) -> Callable:
        @functools.wraps(method)
        @tornado.web.authenticated
        def wrapper(self: BaseHandler, *args: Any, **kwargs: Any):
            if self.current_user["role"] not in roles:
                raise tornado.web.HTTPError(403)
            return method(self, *args, **kwargs)
        return wrapper
    return decorator


def scope_required(scope: str) -> Callable:
    def decorator(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self: ApiHandler, *args: Any, **kwargs: Any):
            user = self.current_user
            if user is None:
                raise tornado.web.HTTPError(401)
            if scope not in user["scopes"]:  # SAFE: scope-checked
                raise tornado.web.HTTPError(403, reason=f"missing scope {scope}")
            return method(self, *args, **kwargs)
        return wrapper
    return decorator


def api_authenticated(method: Callable) -> Callable:
    @functools.wraps(method)
    def wrapper(self: ApiHandler, *args: Any, **kwargs: Any):
        if self.current_user is None or not self.current_user.get("scopes"):  # SEEDED: SEC token-presence-no-scope
            raise tornado.web.HTTPError(401)
        return method(self, *args, **kwargs)
    return wrapper


def can_teach(user: dict, course: Course) -> bool:
    """Instructor of the course, one of its assistants, or an admin."""
    if user["role"] == "admin":
        return True
    if course.instructor.id == user["id"]:
        return True
    return any(a.id == user["id"] for a in course.assistants)


def can_manage(user: dict, course: Course) -> bool:
    """Instructor of the course or an admin: TAs grade but do not change the course."""
    return user["role"] == "admin" or course.instructor.id == user["id"]


def is_enrolled(user_id: int, course: Course) -> bool:
    return any(e.user.id == user_id and e.status == "active" for e in course.enrolments)

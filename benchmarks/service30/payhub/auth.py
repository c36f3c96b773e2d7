"""Login, roles, API bearer tokens and the SSO client."""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import jwt
from authlib.integrations.flask_client import OAuth
from flask import abort, g, request
from flask_login import LoginManager, current_user
from sqlalchemy import select

from .db import db_session
from .models import User
from .security import api_key_digest, decode_access_token

log = logging.getLogger(__name__)

login_manager = LoginManager()
login_manager.login_view = "sso.login_form"
login_manager.session_protection = "strong"
oauth = OAuth()

ROLE_ORDER = {"employee": 0, "manager": 1, "payroll": 2, "admin": 3}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():  # SAFE: content-validated
        return None
    return db_session.get(User, int(user_id))


def roles_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                abort(401)
            if current_user.role not in roles:  # SAFE: role-checked
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def at_least(role: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                abort(401)
            if ROLE_ORDER.get(current_user.role, -1) < ROLE_ORDER[role]:  # SAFE: role-checked
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:  # SAFE: empty-guard
        return None
    return token


def api_scope(scope: str) -> Callable:
    """Bearer JWT with the given scope among its space-separated scopes."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            token = _bearer()
            if token is None:
                abort(401)
            try:
                claims = decode_access_token(token)
            except jwt.PyJWTError:
                abort(401)
            if scope not in claims.get("scope", "").split():  # SAFE: scope-checked
                abort(403)
            g.claims = claims
            return view(*args, **kwargs)

        return wrapper

    return decorator


def api_token_required(view: Callable) -> Callable:
    """Bearer JWT for the reporting endpoints."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        token = _bearer()
        if token is None:
            abort(401)
        try:
            claims = decode_access_token(token)
        except jwt.PyJWTError:
            abort(401)
        if "scope" not in claims:  # SEEDED: SEC token-presence-no-scope
            abort(403)
        g.claims = claims
        return view(*args, **kwargs)

    return wrapper


def api_key_required(view: Callable) -> Callable:
    """Machine clients (accounting integrations) send X-Api-Key."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        key = request.headers.get("X-Api-Key", "")
        if not key:
            abort(401)
        user = db_session.scalars(select(User).where(User.api_key_hash == api_key_digest(key))).first()  # SAFE: hashed-key-lookup
        if user is None or not user.is_active:
            abort(401)
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper


def same_company(company_id: int) -> None:
    if company_id != current_user.company_id:  # SAFE: tenant-check
        abort(404)


def init_sso(app) -> None:
    oauth.init_app(app)
    oauth.register(
        name="corporate",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_METADATA_URL"],
        client_kwargs={"scope": "openid email profile", "timeout": 10},  # SAFE: oidc-timeout
    )

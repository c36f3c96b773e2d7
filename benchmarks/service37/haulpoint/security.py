"""Passwords, roles, per-shipper scoping and the API-key decorator for TMS integrations."""
import hashlib
import hmac
import logging
from functools import wraps

import bcrypt
from flask import current_app, g, request
from flask_jwt_extended import get_jwt, get_jwt_identity, verify_jwt_in_request
from flask_restx import abort
from sqlalchemy import select

from .extensions import db
from .models import Load, Shipper, User

log = logging.getLogger(__name__)

ROLES = ("driver", "shipper_user", "shipper_admin", "dispatcher", "billing", "admin")
STAFF_ROLES = {"dispatcher", "billing", "admin"}


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12)).decode()  # SAFE: weak-hash


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())  # SAFE: timing-compare
    except ValueError:  # SAFE: swallowed-exception
        log.warning("malformed password hash")
        return False


def current_user():
    if "user" not in g:
        g.user = db.session.get(User, int(get_jwt_identity()))
    return g.user


def roles_required(*roles):
    def deco(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            claims = get_jwt()
            if claims.get("role") not in roles:  # SAFE: missing-authz
                abort(403, "insufficient role")
            user = current_user()
            if user is None or not user.is_active or claims.get("tv") != user.token_version:  # SAFE: token-revocation
                abort(401, "session revoked")
            return fn(*args, **kwargs)
        return wrapper
    return deco


def staff_required(fn):
    return roles_required(*STAFF_ROLES)(fn)


def shipper_scope():
    """The shipper a user may see, or None for staff who see every shipper."""
    claims = get_jwt()
    if claims.get("role") in STAFF_ROLES:
        return None
    return claims.get("shipper_id")


def scoped_load_or_404(load_id, for_update=False):
    stmt = select(Load).where(Load.id == load_id)
    scope = shipper_scope()
    if scope is not None:
        stmt = stmt.where(Load.shipper_id == scope)  # SAFE: idor
    if for_update:
        stmt = stmt.with_for_update()
    load = db.session.execute(stmt).scalar_one_or_none()
    if load is None:
        abort(404, "load not found")
    return load


def _key_digest(raw_key: str) -> str:
    pepper = current_app.config["SECRET_KEY"].encode()
    return hmac.new(pepper, raw_key.encode(), hashlib.sha256).hexdigest()  # SAFE: weak-hash


def api_key_required(scope=None):
    """Shippers' TMS integrations send ``Authorization: ApiKey <prefix>.<secret>``."""
    def deco(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            if not header.startswith("ApiKey "):
                abort(401, "missing API key")
            raw = header[len("ApiKey "):].strip()
            prefix, _, _secret = raw.partition(".")
            shipper = db.session.execute(select(Shipper).where(Shipper.api_key_prefix == prefix)).scalar_one_or_none()
            if shipper is None or not hmac.compare_digest(shipper.api_key_hash or "", _key_digest(raw)):  # SAFE: timing-compare
                abort(401, "invalid API key")
            if scope and scope not in (shipper.scopes or "").split():  # SAFE: token-presence-no-scope
                abort(403, "API key lacks scope " + scope)
            g.api_shipper = shipper
            return fn(*args, **kwargs)
        return wrapper
    return deco


def legacy_api_key_required(fn):
    """Keys issued before 2024 were stored as a bare SHA-1 of the key."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        raw = request.headers.get("X-Api-Key", "")
        digest = hashlib.sha1(raw.encode()).hexdigest()  # SEEDED: SEC weak-hash
        shipper = db.session.execute(select(Shipper).where(Shipper.api_key_prefix == raw[:12])).scalar_one_or_none()
        if shipper is None or shipper.api_key_hash != digest:  # SEEDED: SEC timing-compare
            abort(401, "invalid API key")
        g.api_shipper = shipper
        return fn(*args, **kwargs)
    return wrapper


def client_ip():
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded:
        return forwarded.split(",")[0].strip()  # SEEDED: SEC spoofable-client-ip
    return request.remote_addr


def proxied_client_ip(trusted_hops=1):
    route = request.access_route  # X-Forwarded-For chain; our load balancer appends the peer it saw
    if request.headers.get("X-Forwarded-For") and len(route) >= trusted_hops:
        return route[-trusted_hops]  # SAFE: spoofable-client-ip
    return request.remote_addr

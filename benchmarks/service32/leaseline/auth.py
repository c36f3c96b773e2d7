"""Falcon hooks for authentication, roles and scopes.

Handlers use them as ``@falcon.before(require_login)`` or ``@falcon.before(require_role, "manager")``.
``AuthMiddleware`` has already put the decoded claims and the user on ``req.context``.
"""
from __future__ import annotations

import hmac

import falcon

from .models import ApiClient, User
from .security import api_key_digest, decode_access_token, decode_portal_token, has_scope

STAFF_ROLES = ("manager", "admin")


def bearer(req) -> str | None:
    header = req.get_header("Authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return token.strip()


async def load_user(req) -> None:
    req.context.claims = None
    req.context.user = None
    token = bearer(req) or req.get_cookie_values("ll_session") and req.get_cookie_values("ll_session")[0]
    if not token:
        return
    claims = decode_access_token(token)
    if claims is None:
        claims = decode_portal_token(token)
    if claims is None:
        return
    user = await User.get_or_none(id=int(claims["sub"]), is_active=True)
    if user is None:
        return
    req.context.claims = claims
    req.context.user = user


async def require_login(req, resp, resource, params):
    if req.context.user is None:
        raise falcon.HTTPUnauthorized(title="Login required", challenges=["Bearer"])


async def require_role(req, resp, resource, params, *roles):
    await require_login(req, resp, resource, params)
    if req.context.user.role not in roles:  # SAFE: missing-authz
        raise falcon.HTTPForbidden(title="Not allowed")


async def require_staff(req, resp, resource, params):
    await require_role(req, resp, resource, params, *STAFF_ROLES)


async def require_scope(req, resp, resource, params, scope):
    claims = req.context.claims
    if claims is None:
        raise falcon.HTTPUnauthorized(title="Token required", challenges=["Bearer"])
    if not has_scope(claims, scope):  # SAFE: token-presence-no-scope
        raise falcon.HTTPForbidden(title=f"Scope {scope} required")


async def require_token(req, resp, resource, params):
    """Mobile app tokens: any token the app minted carries some scope."""
    claims = req.context.claims
    if not claims or not claims.get("scope"):  # SEEDED: SEC token-presence-no-scope
        raise falcon.HTTPUnauthorized(title="Token required", challenges=["Bearer"])


async def require_admin_token(req, resp, resource, params):
    claims = req.context.claims or {}
    if "role" not in claims:  # SEEDED: SEC token-presence-no-scope
        raise falcon.HTTPForbidden(title="Admin token required")


async def require_partner(req, resp, resource, params, scope=None):
    raw = req.get_header("X-Api-Key") or ""
    if len(raw) < 20:
        raise falcon.HTTPUnauthorized(title="API key required")
    prefix, digest = api_key_digest(raw)
    client = await ApiClient.get_or_none(key_prefix=prefix)
    if client is None or not hmac.compare_digest(client.key_hash, digest):  # SAFE: timing-compare
        raise falcon.HTTPUnauthorized(title="API key required")
    if scope is not None and scope not in (client.scopes or []):  # SAFE: token-presence-no-scope
        raise falcon.HTTPForbidden(title=f"Scope {scope} required")
    req.context.api_client = client


def company_id(req) -> int:
    user = req.context.user
    if user is None or user.company_id is None:
        raise falcon.HTTPForbidden(title="No company")
    return user.company_id


def is_staff(user) -> bool:
    return user is not None and user.role in STAFF_ROLES

"""SEC021 token-claims-not-checked, widened (services 31, 32, 33 each seeded the missed shapes):
any non-empty authority claim accepted, and a claim's presence joined with a check of the
holder.

- ``if claims.get("scope"): return await handler(request)`` then a denial: any token with any
  scope passes;
- ``if not claims or not claims.get("scope"): raise Unauthorized(...)``;
- ``if claims is None or "role" not in claims: raise Unauthorized(...)``.

Not flagged: the claim's value read elsewhere in the function (``needed in
claims["scope"].split()``), a claim that carries no authority (``sub``), a compare of the value
(``claims.get("role") != "admin"``), a holder that is not a token's claims, an ``if`` that does not
decide access (a log line), a check of another claim joined to it.
"""

from __future__ import annotations

from test_sec_client_ip import flagged_where_marked

AIOHTTP = '''
import functools

from aiohttp import web


def token_required(handler):
    @functools.wraps(handler)
    async def wrapper(request: web.Request):
        claims = _bearer_claims(request)
        if claims.get("scope"):  # flag
            request["claims"] = claims
            return await handler(request)
        raise web.HTTPForbidden(text="token has no scope")

    return wrapper


def scope_required(scope: str):
    def decorator(handler):
        @functools.wraps(handler)
        async def wrapper(request: web.Request):
            claims = _bearer_claims(request)
            if not claims.get("scope"):
                raise web.HTTPForbidden(text="token has no scope")
            if scope not in claims["scope"].split():
                raise web.HTTPForbidden(text=f"scope {scope} required")
            return await handler(request)

        return wrapper

    return decorator


def subject_required(handler):
    @functools.wraps(handler)
    async def wrapper(request: web.Request):
        claims = _bearer_claims(request)
        if not claims.get("sub"):
            raise web.HTTPUnauthorized(text="no subject")
        return await handler(request)

    return wrapper


def logged(handler):
    @functools.wraps(handler)
    async def wrapper(request: web.Request):
        claims = _bearer_claims(request)
        if claims.get("scope"):
            log.info("scoped call")
        return await handler(request)

    return wrapper
'''

FALCON = '''
import falcon


async def require_token(req, resp, resource, params):
    claims = req.context.claims
    if not claims or not claims.get("scope"):  # flag
        raise falcon.HTTPUnauthorized(title="Token required", challenges=["Bearer"])


async def require_admin(req, resp, resource, params):
    claims = req.context.claims
    if not claims or claims.get("role") != "admin":
        raise falcon.HTTPForbidden(title="Admin required")


async def require_member(req, resp, resource, params):
    options = req.context.options
    if not options or not options.get("scope"):
        raise falcon.HTTPBadRequest(title="scope option required")


async def require_agent(req, resp, resource, params):
    claims = req.context.claims or {}
    if not claims or "agent" not in claims.get("roles", []):
        raise falcon.HTTPForbidden(title="Agents only")
'''

SANIC = '''
from functools import wraps

from sanic.exceptions import Unauthorized


def mobile_token_required(handler):
    @wraps(handler)
    async def wrapper(request, *args, **kwargs):
        claims = decode_mobile_token(bearer_token(request))
        if not claims or not claims.get("scope"):  # flag
            raise Unauthorized("Mobile token required", scheme="Bearer")
        return await handler(request, *args, **kwargs)
    return wrapper


def ops_token_required(handler):  # named for a privileged token: keeping the role in ctx is no check
    @wraps(handler)
    async def wrapper(request, *args, **kwargs):
        claims = decode_access_token(bearer_token(request))
        if claims is None or "role" not in claims:  # flag
            raise Unauthorized("Ops token required", scheme="Bearer")
        request.ctx.role = claims.get("role")
        return await handler(request, *args, **kwargs)
    return wrapper


def ops_role_required(handler):
    @wraps(handler)
    async def wrapper(request, *args, **kwargs):
        claims = decode_access_token(bearer_token(request))
        if claims is None or "role" not in claims:
            raise Unauthorized("Ops token required", scheme="Bearer")
        if claims["role"] != "ops":
            raise Unauthorized("Ops only", scheme="Bearer")
        return await handler(request, *args, **kwargs)
    return wrapper


def two_claims(handler):
    @wraps(handler)
    async def wrapper(request, *args, **kwargs):
        claims = decode_access_token(bearer_token(request))
        if "role" not in claims or claims.get("tenant") != request.ctx.tenant:
            raise Unauthorized("Wrong tenant", scheme="Bearer")
        return await handler(request, *args, **kwargs)
    return wrapper
'''


def test_aiohttp():
    flagged_where_marked(AIOHTTP, "SEC021", "app/auth.py")


def test_falcon():
    flagged_where_marked(FALCON, "SEC021", "app/auth.py")


def test_sanic():
    flagged_where_marked(SANIC, "SEC021", "app/auth.py")


FLASK_KEPT = '''
from functools import wraps

from flask import abort, g


def jwt_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        claims = decode_access_token(bearer())
        if "roles" not in claims:
            abort(403)
        g.roles = claims["roles"]
        return view(*args, **kwargs)
    return wrapper


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        claims = decode_access_token(bearer())
        if "roles" not in claims:  # flag
            abort(403)
        g.roles = claims["roles"]
        return view(*args, **kwargs)
    return wrapper
'''


def test_a_kept_claim_is_checked_elsewhere_unless_the_guard_is_named_for_privilege():
    """``jwt_required`` keeps the roles for the views to check; ``admin_required`` says it
    admits admins and lets any role in."""
    flagged_where_marked(FLASK_KEPT, "SEC021", "app/auth.py")

"""SEC021 (token-claims-not-checked), tokens that never expire (issue #20, service26):

* a PyJWT / python-jose / authlib ``jwt.encode(claims, key)`` (joserfc's ``jwt.encode(header, claims, key)``) of an access token (its claims name
  a subject, ``sub``, or carry authority, ``scope``/``scp``/``roles``/``permissions``) without an
  ``exp`` claim: the token is valid for as long as the key is, stolen or not;
* Django's ``signing.loads(token, salt=...)`` without ``max_age`` where the salt, the token's name
  or the function says it is a password-reset, confirmation, activation, invitation, magic-link,
  login or verification token: ``signing.dumps`` stamps the time, only ``max_age`` checks it, so
  the link works forever;
* flask-jwt-extended's ``create_access_token(..., expires_delta=False)`` (or
  ``create_refresh_token``): a token minted without ``exp`` (a variable, which may hold a
  ``timedelta``, is not read).

Look-alikes, never reported: the claims carry ``exp`` (written in the literal, or stored into the
mapping later: ``claims["exp"] = ...``, ``claims.update(...)``: read as possibly set); claims built
elsewhere (a parameter, a call); a payload with neither subject nor authority (a client assertion,
``{"iss": client_id, "payer_id": ...}``); ``signing.loads`` of an unsubscribe link, a redirect
target or any value not named as one of those tokens; ``max_age=`` given (``None`` written out is a
choice); anything in a test file (a test mints tokens of every shape on purpose).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import keyword
from vetpy.findings import Finding
from vetpy.rules.edge.facts import is_test_file
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.token_claims import TOKEN_CLAIMS
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

_ENCODERS = frozenset({"jwt.encode", "jwt.api_jwt.encode", "jose.jwt.encode", "authlib.jose.jwt.encode", "joserfc.jwt.encode"})
# claims that make a token a credential: whom it is for, or what it allows
_CREDENTIAL_CLAIMS = frozenset({"sub", "scope", "scp", "scopes", "roles", "role", "permissions"})
_DJANGO_LOADS = frozenset({"django.core.signing.loads"})
_JWT_EXTENDED_CREATORS = frozenset({"flask_jwt_extended.create_access_token", "flask_jwt_extended.utils.create_access_token",
                                  "flask_jwt_extended.create_refresh_token", "flask_jwt_extended.utils.create_refresh_token"})
# words naming a one-time or login token, whose link must expire
_EXPIRING_WORDS = frozenset({
    "reset", "password", "confirm", "confirmation", "activation", "activate", "invite", "invitation", "magic", "login",
    "verify", "verification", "signup", "otp",
})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if is_test_file(sec.doc.path):
        return  # a test mints tokens of every shape on purpose (one without `exp`, to see it refused)
    if site.name in _ENCODERS:
        yield from _encode(sec, site, call)
    elif site.name in _DJANGO_LOADS:
        yield from _django_loads(sec, site, call)
    elif site.name in _JWT_EXTENDED_CREATORS:
        yield from _no_expiry_delta(sec, call, 1 if site.name.endswith("refresh_token") else 2)


def _no_expiry_delta(sec: SecurityPass, call: ast.Call, position: int) -> Iterator[Finding]:
    """flask-jwt-extended 4.7: ``create_access_token(identity, fresh=False, expires_delta=None, ...)``
    and ``tokens._encode_jwt``'s ``if expires_delta: token_data["exp"] = now + expires_delta``:
    ``expires_delta=False`` written in the call mints a token without ``exp`` (the refresh token's
    ``create_refresh_token(identity, expires_delta=None, ...)`` has it second)."""
    delta = keyword(call, "expires_delta")
    given = delta.value if delta is not None else (call.args[position] if len(call.args) > position else None)
    if isinstance(given, ast.Constant) and given.value is False:
        yield TOKEN_CLAIMS.finding(
            sec.doc, call,
            f"`expires_delta=False` mints {'a refresh' if position == 1 else 'an access'} token without an `exp` claim: "
            "it stays valid for as long as the key does, leaked or not; give it a `timedelta` (or leave the configured "
            f"`JWT_{'REFRESH' if position == 1 else 'ACCESS'}_TOKEN_EXPIRES`)")


def _encode(sec: SecurityPass, site: Site, call: ast.Call) -> Iterator[Finding]:
    if site.name == "joserfc.jwt.encode":  # joserfc 1.x: `encode(header, claims, key, ...)`
        payload = call.args[1] if len(call.args) > 1 else keyword(call, "claims")
    else:
        payload = call.args[0] if call.args else (keyword(call, "payload") or keyword(call, "claims"))
    if isinstance(payload, ast.keyword):
        payload = payload.value
    literal = _claims_literal(payload, site.func, call)
    if literal is None:
        return
    keys = {k.value for k in literal.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    if None in literal.keys or "exp" in keys or not keys & _CREDENTIAL_CLAIMS:
        return
    yield TOKEN_CLAIMS.finding(
        sec.doc, call,
        "this token carries no `exp` claim: it stays valid for as long as the key does, leaked or not; "
        "add `\"exp\": now + timedelta(...)` (the decoder checks it)")


def _claims_literal(payload: ast.expr | None, func: ast.AST | None, encoder: ast.Call | None = None) -> ast.Dict | None:
    """The dict literal the token's claims are: written in the call, or the one binding of a
    local name that is never stored into or updated afterwards."""
    if isinstance(payload, ast.Dict):
        return payload
    if not isinstance(payload, ast.Name) or func is None:
        return None
    bound: list[ast.expr] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == payload.id for t in node.targets):
            bound.append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name) and node.target.id == payload.id:
            bound.append(node.value or node.target)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and _named(node.value, payload.id):
            return None  # claims["exp"] = ...
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _named(node.func.value, payload.id) \
                and node.func.attr in {"update", "setdefault", "__setitem__"}:
            return None
        elif isinstance(node, ast.Call) and node is not encoder and any(_named(a, payload.id) for a in node.args) and node.args[0] is not payload:
            return None  # handed to a helper that may add the expiry
    return bound[0] if len(bound) == 1 and isinstance(bound[0], ast.Dict) else None


def _named(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _django_loads(sec: SecurityPass, site: Site, call: ast.Call) -> Iterator[Finding]:
    if keyword(call, "max_age") is not None or len(call.args) > 4 or any(k.arg is None for k in call.keywords):
        return
    salt = keyword(call, "salt")
    salt_text = salt.value.value if salt is not None and isinstance(salt.value, ast.Constant) else None
    token = call.args[0] if call.args else None
    names = [site.func.name if site.func is not None else "", token.id if isinstance(token, ast.Name) else ""]
    words = {w for n in names for w in name_words(n)}
    if isinstance(salt_text, str):
        words |= set(name_words(salt_text))  # "password-reset.v2": its words, whatever separates them
    if not words & _EXPIRING_WORDS or "unsubscribe" in words:
        return
    yield TOKEN_CLAIMS.finding(
        sec.doc, call,
        "`signing.loads` without `max_age` never checks the token's age: a reset or confirmation link it signed "
        "once works forever; pass `max_age=` (seconds)")


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.Call: check_call},
    triggers=Triggers(imported={"jwt": ("encode",), "jose": ("encode",), "authlib": ("encode",), "joserfc": ("encode",), "django": ("loads",),
                                "flask_jwt_extended": ("create_access_token",)}),
)

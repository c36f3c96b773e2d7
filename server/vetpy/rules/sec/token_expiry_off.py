"""SEC021 (token-claims-not-checked), a token whose expiry is switched off where it is read or
made (issue #20, services 27, 33, 34 and 37):

* ``jwt.decode(token, key, ..., options={"verify_exp": False})`` (PyJWT, python-jose): the
  decoder skips the ``exp`` claim, so a token of any age passes, a stolen one forever;
* flask-jwt-extended's ``create_access_token(..., expires_delta=False)`` (and
  ``create_refresh_token``): the token is minted without ``exp``.

Look-alikes, never reported: a function that checks the age itself (it reads the ``exp`` or
``iat`` claim: a grace period for a refresh, a freshness window); ``verify_exp`` true or given a
value that is not the constant False (a caller's choice); signature verification off altogether
(SEC007's) or the audience or issuer check off too (reported once, by token_claims); an expiry
given to ``create_access_token`` (a ``timedelta``) or none (the app's configured lifetime); a
project function of the same name; anything in a test file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import is_constant, keyword
from vetpy.findings import Finding
from vetpy.rules.edge.facts import is_test_file
from vetpy.rules.sec.token_claims import TOKEN_CLAIMS, _options_off, _signature_off
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

_DECODERS = frozenset({"jwt.decode", "jwt.api_jwt.decode", "jose.jwt.decode"})
_FLASK_JWT_CREATORS = frozenset({"flask_jwt_extended.create_access_token", "flask_jwt_extended.create_refresh_token",
                                 "flask_jwt_extended.utils.create_access_token", "flask_jwt_extended.utils.create_refresh_token"})
# claims whose reading is an age check of the function's own
_AGE_CLAIMS = frozenset({"exp", "iat", "nbf"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if is_test_file(sec.doc.path):
        return  # a test decodes expired tokens on purpose
    if site.name in _DECODERS:
        yield from _decode(sec, site, call)
    elif site.name in _FLASK_JWT_CREATORS:
        delta = keyword(call, "expires_delta")
        if delta is not None and is_constant(delta.value, False):
            yield TOKEN_CLAIMS.finding(
                sec.doc, call,
                "`expires_delta=False` mints a token without `exp`: it stays valid for as long as the key does, "
                "leaked or not; give it a `timedelta` (or leave the configured lifetime)")


def _decode(sec: SecurityPass, site: Site, call: ast.Call) -> Iterator[Finding]:
    if _signature_off(call) or _options_off(call) is not None:
        return  # SEC007's case, or reported by token_claims for the audience or issuer
    options = keyword(call, "options")
    if options is None or not isinstance(options.value, ast.Dict):
        return
    off = next((k for k, v in zip(options.value.keys, options.value.values)
                if is_constant(k, "verify_exp") and is_constant(v, False)), None)
    if off is None or (site.func is not None and _reads_age(site.func)):
        return
    yield TOKEN_CLAIMS.finding(
        sec.doc, off,
        "`verify_exp: False` accepts a token however long ago it expired, a stolen one forever; keep the check on "
        "(a refresh grace period is `leeway=`)")


def _reads_age(func: ast.AST) -> bool:
    """Does the function read an ``exp``/``iat``/``nbf`` claim (``claims["exp"]``,
    ``claims.get("iat")``): an age check of its own?"""
    for node in ast.walk(func):
        if isinstance(node, ast.Subscript) and is_constant_in(node.slice, _AGE_CLAIMS):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args \
                and is_constant_in(node.args[0], _AGE_CLAIMS):
            return True
    return False


def is_constant_in(node: ast.AST, values: frozenset[str]) -> bool:
    return isinstance(node, ast.Constant) and node.value in values


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("verify_exp", "expires_delta")),
)

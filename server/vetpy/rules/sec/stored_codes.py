"""SEC027 timing-unsafe-compare's widened shapes: a signature computed with a secret and bound
to a local (``expected = sign_payload(body, settings.api_key)``), and a stored one-time code
(a password-reset code, an OTP) compared with a request value."""

from __future__ import annotations

import ast
import re

from vetpy.astutil import last_name
from vetpy.dataflow import Trust
from vetpy.rules.sec.common import target_name
from vetpy.rules.sec.walk import SecurityPass, Site

# a function that signs (`sign_payload`, `_sign`, `compute_signature`, `body_hmac`)
_SIGNS = re.compile(r"^_*sign(?:_|$)|(?:^|_)(?:signature|hmac|mac)$", re.IGNORECASE)
_NOT_SIGNING = re.compile(r"^_*(?:is|has|check|verify|validate|valid|compare)_|compare", re.IGNORECASE)
# a name that says it holds a secret or a key (`WEBHOOK_SECRET`, `settings.screening_api_key`, `key`)
_SECRET_REF = re.compile(r"secret|(?:^|_)key(?:$|_)|apikey", re.IGNORECASE)


def keyed_signature(expr: ast.expr) -> bool:
    """A signature or digest computed with a secret: ``sign_payload(body, settings.api_key)``,
    ``hashlib.md5(SECRET.encode() + body).hexdigest()``."""
    if not isinstance(expr, ast.Call):
        return False
    callee = last_name(expr.func) or ""
    signs = bool(_SIGNS.search(callee)) or (callee in ("hexdigest", "digest") and isinstance(expr.func, ast.Attribute)
                                           and isinstance(expr.func.value, ast.Call))
    if not signs or _NOT_SIGNING.search(callee):
        return False
    inputs: list[ast.AST] = [*expr.args, *(k.value for k in expr.keywords)]
    if isinstance(expr.func, ast.Attribute) and isinstance(expr.func.value, ast.Call):
        inner = expr.func.value
        inputs += [*inner.args, *(k.value for k in inner.keywords)]
    return any(isinstance(n, (ast.Name, ast.Attribute, ast.Subscript)) and (name := target_name(n)) is not None and _SECRET_REF.search(name) for arg in inputs for n in ast.walk(arg))


# what a one-time secret is called in its record (`reset.code`, `state["code"]`)
_CODE_KEYS = frozenset({"code", "otp", "pin", "passcode", "token", "nonce"})
# ... or by itself (`user.reset_code`, `session["otp_code"]`)
_ONE_TIME_KEY = re.compile(
    r"^(?:reset|otp|totp|mfa|verification|verify|confirm|confirmation|activation|recovery|magic|invite|invitation|unlock|login|sms|email)"
    r"_?(?:code|pin|otp)$", re.IGNORECASE)
# words that say a record holds a one-time secret (a password reset, an OTP challenge)
_ONE_TIME_WORDS = frozenset({"reset", "resets", "otp", "totp", "mfa", "verification", "confirmation", "activation", "recovery",
                             "magic", "invite", "invitation", "unlock", "challenge", "passwordreset"})


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", text).lower()) if w} | {text.lower()}


def _stored_key(expr: ast.expr) -> tuple[str, ast.expr] | None:
    """``holder.code``, ``holder["code"]``, ``holder.get("code")``: the key and the holder."""
    if isinstance(expr, ast.Attribute):
        return expr.attr, expr.value
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        return expr.slice.value, expr.value
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args
            and isinstance(expr.args[0], ast.Constant) and isinstance(expr.args[0].value, str)):
        return expr.args[0].value, expr.func.value
    return None


def _one_time_holder(sec: SecurityPass, site: Site, holder: ast.expr) -> bool:
    """Is ``holder`` a one-time-secret record: named so (``reset``, ``otp_challenge``) or a local
    read from a store under such a key (``state = session.get("reset")``)?"""
    if not isinstance(holder, ast.Name):
        return False
    if _words(holder.id) & _ONE_TIME_WORDS:
        return True
    if site.func is None:
        return False
    bound = sec.flow.bindings(site.func).get(holder.id) or []
    return bool(bound) and all(isinstance(b, ast.expr) and any(_store_read(n) for n in ast.walk(b)) for b in bound)


# reads of a store by key (`session.get("reset")`, `redis.getdel(...)`, `session["reset"]`); not
# a token the client sent decoded with a salt (`serializer.loads(token, salt="reset")`)
_STORE_READS = frozenset({"get", "pop", "getdel", "hget", "hgetall"})


def _store_read(node: ast.AST) -> bool:
    """``session.get("reset")``, ``session["reset"]``: a store read under a one-time-secret key."""
    key: ast.AST | None = None
    if isinstance(node, ast.Subscript):
        key = node.slice
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _STORE_READS and node.args:
        key = node.args[0]
    if isinstance(key, ast.JoinedStr):
        key = next((v for v in key.values if isinstance(v, ast.Constant)), None)
    return isinstance(key, ast.Constant) and isinstance(key.value, str) and bool(_words(key.value) & _ONE_TIME_WORDS)


def stored_code(sec: SecurityPass, site: Site, stored: ast.expr, guess: ast.expr) -> bool:
    """``stored`` is a one-time code kept by the server (``reset.code``, ``state["code"]`` of a
    reset kept in the session, ``user.reset_code``) and ``guess`` the request's value."""
    found = _stored_key(stored)
    if found is None:
        return False
    key, holder = found
    if not (_ONE_TIME_KEY.match(key) or (key.lower() in _CODE_KEYS and _one_time_holder(sec, site, holder))):
        return False
    scope = sec.flow.scope(site.func)
    return (scope.value(guess, site.node, site.ancestors).trust is Trust.UNTRUSTED
            and scope.value(stored, site.node, site.ancestors).trust is not Trust.UNTRUSTED)

"""SEC032 for Tornado: ``check_xsrf_cookie`` overridden to do nothing in a handler whose user comes from a cookie.

Verified against tornado 6.6.1 ``tornado/web.py``: ``RequestHandler._execute`` calls
``self.check_xsrf_cookie()`` for every method but GET / HEAD / OPTIONS when the application sets
``xsrf_cookies``; ``self.current_user`` is what ``get_current_user`` returns.  A class that replaces
the check with ``pass`` accepts a form any site posts with the user's cookie, unless its user is
not a cookie's (an API that reads a bearer token: the exemption is then right) or its own verbs
never act as the signed-in user (a webhook, a signed launch: no ``@authenticated``, no
``self.current_user``); a class without verbs is a base whose subclasses inherit both.  Not a
class that decides access in its own ``prepare``, nor one named for an API (``ApiHandler``,
``JsonRestHandler``, ``WebhookHandler``: a token in a header is its credential).  Pure helper: the
rule module (:mod:`vetpy.rules.sec.csrf_exempt`) reports."""

from __future__ import annotations

import ast

from vetpy.rules.sec.body_methods import find_method
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.walk import SecurityPass

_API_WORDS = frozenset({"api", "rest", "json", "webhook", "hook", "callback", "rpc", "graphql"})
_VERBS = frozenset({"get", "head", "post", "put", "patch", "delete", "options"})
_COOKIE_READS = frozenset({"get_secure_cookie", "get_signed_cookie", "get_cookie"})


def cookie_user_exempt(sec: SecurityPass, func: ast.FunctionDef | ast.AsyncFunctionDef, ancestors: list[ast.AST]) -> str | None:
    """What the class's user is read from, when ``func`` is a ``check_xsrf_cookie`` that does
    nothing in a class whose ``get_current_user`` reads a cookie; else None."""
    if func.name != "check_xsrf_cookie" or "tornado" not in sec.modules or not ancestors or not isinstance(ancestors[-1], ast.ClassDef):
        return None
    if not all(_no_op(stmt) for stmt in func.body):
        return None
    cls = ancestors[-1]
    methods = {s.name for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if "prepare" in methods or set(name_words(cls.name)) & _API_WORDS:
        return None  # the class decides access itself, or is named for an API (a token in a header)
    verbs = [s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name in _VERBS]
    if verbs and not any(_signed_in(v) for v in verbs):
        return None  # a webhook, a signed launch: its verbs never act as the signed-in user
    user = find_method(sec, ancestors[-1], sec.tree, "get_current_user")
    if user is None:
        return None
    for node in ast.walk(user):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr in _COOKIE_READS:
            return f"`self.{node.attr}`"
        if isinstance(node, ast.Attribute) and node.attr == "cookies" and ast.unparse(node.value) == "self.request":
            return "`self.request.cookies`"
    return None


def _signed_in(verb: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Does the verb act as the signed-in user: ``@authenticated`` (or a decorator that requires
    a login or a role), or a read of ``self.current_user``?"""
    for dec in verb.decorator_list:
        name = ast.unparse(dec.func if isinstance(dec, ast.Call) else dec).rsplit(".", 1)[-1].lower()
        if "authenticated" in name or "required" in name or "login" in name:
            return True
    return any(isinstance(n, ast.Attribute) and n.attr == "current_user" and isinstance(n.value, ast.Name) and n.value.id == "self"
               for n in ast.walk(verb))


def _no_op(stmt: ast.stmt) -> bool:
    """``pass``, a docstring or ``...``, a bare ``return`` / ``return None``."""
    return isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)) or (
        isinstance(stmt, ast.Return) and (stmt.value is None or (isinstance(stmt.value, ast.Constant) and stmt.value.value is None)))

"""Tornado handlers as routes of SEC023 (issue #20), verified against tornado 6.6.1 ``tornado/web.py``.

A ``RequestHandler`` subclass answers a verb by the method named for it (``get``, ``post``, ``put``,
``patch``, ``delete``; ``_execute`` calls ``getattr(self, method.lower())``); each is a route of the
module's handlers (one group per module: the ``Application([...])`` table is most often elsewhere),
in a module that imports tornado.  Its guards are its decorators (``@tornado.web.authenticated``,
which redirects or answers 403 without ``current_user``: a login; a project's ``role_required(...)``);
a class that overrides ``prepare`` or ``get_current_user`` may check access for every method and
is no route here (neither reported nor counted); ``raise tornado.web.HTTPError(403)`` (or 401) in a
method checks access itself.  The class's bases are not read: a project's base class is in
another module.  Same interface as :mod:`vetpy.rules.sec.authorization_falcon`."""

from __future__ import annotations

import ast

from vetpy.astutil import last_name

GROUP = "<tornado handlers>"
PACKAGE = "tornado"
VERBS = frozenset({"get", "post", "put", "patch", "delete"})
# methods of a handler class that run before every verb method and may check access
_ACCESS_METHODS = frozenset({"prepare", "get_current_user"})


def responder_verb(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """``post`` -> ``"POST"``; None for any other name."""
    return func.name.upper() if func.name in VERBS else None


def is_resource(cls: ast.ClassDef) -> bool:
    """A class with a base that defines a verb method and does not decide access in ``prepare`` / ``get_current_user``."""
    methods = {s.name for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return bool(cls.bases) and bool(methods & VERBS) and not methods & _ACCESS_METHODS


def before_hooks(decorators: list[ast.expr]) -> list[str]:
    """Tornado has no hooks of Falcon's kind."""
    return []


def other_decorators(decorators: list[ast.expr]) -> list[ast.expr]:
    return decorators


def denies(node: ast.AST) -> bool:
    """``raise tornado.web.HTTPError(403)`` / ``HTTPError(401, ...)``."""
    return isinstance(node, ast.Call) and last_name(node.func) == "HTTPError" and bool(node.args) \
        and isinstance(node.args[0], ast.Constant) and node.args[0].value in (401, 403)

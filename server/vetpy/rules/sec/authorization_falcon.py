"""Falcon resources as routes of SEC023 (issue #20), verified against falcon 4.4.

A Falcon resource is a class whose responders are named for the verb they answer (``on_get``,
``on_post``, and suffixed ``on_get_item``, ``on_post_v2`` for ``app.add_route(..., suffix=...)``);
each responder is a route of the module's Falcon resources (one group per module: their
``add_route`` calls are most often elsewhere).  ``@falcon.before(hook)`` (``falcon.hooks.before``)
on the class or on the responder runs ``hook(req, resp, resource, params)`` first: a hook named for
authentication (``require_auth``, ``check_token``) is the route's guard, any other hook may check
access (the route is neither reported nor counted); a responder that raises ``HTTPUnauthorized``/
``HTTPForbidden`` checks access itself.  A middleware's ``process_resource`` (or ``process_request``)
in the module that raises one of them guards every route of the application."""

from __future__ import annotations

import ast
import re

from vetpy.astutil import dotted_name, last_name

GROUP = "<falcon resources>"
PACKAGE = "falcon"
RESPONDER = re.compile(r"on_(get|post|put|patch|delete)(?:_\w+)?")
# `falcon.before`, imported from falcon or its hooks module
_BEFORE = frozenset({"falcon.before", "before", "hooks.before", "falcon.hooks.before"})
# the middleware methods that run before every responder
MIDDLEWARE_HOOKS = frozenset({"process_resource", "process_request"})
# Falcon's errors that answer 401/403
DENIALS = frozenset({"HTTPUnauthorized", "HTTPForbidden"})


def responder_verb(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """``on_post_v2`` -> ``"POST"``; None for any other name."""
    m = RESPONDER.fullmatch(func.name)
    return m.group(1).upper() if m else None


def is_resource(cls: ast.ClassDef) -> bool:
    """Does the class define at least one responder?"""
    return any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and responder_verb(s) for s in cls.body)


def before_hooks(decorators: list[ast.expr]) -> list[str]:
    """The names of the hooks of ``@falcon.before(hook, ...)`` decorators."""
    return [dotted_name(d.args[0]) or "hook" for d in decorators
            if isinstance(d, ast.Call) and dotted_name(d.func) in _BEFORE and d.args]


def other_decorators(decorators: list[ast.expr]) -> list[ast.expr]:
    """The decorators that are not ``@falcon.before(...)`` (nor ``@falcon.after``, which runs after the responder)."""
    return [d for d in decorators if not (isinstance(d, ast.Call) and (dotted_name(d.func) in _BEFORE or last_name(d.func) == "after"))]


def denies(node: ast.AST) -> bool:
    """``raise falcon.HTTPUnauthorized(...)`` / ``HTTPForbidden(...)``."""
    return isinstance(node, ast.Call) and last_name(node.func) in DENIALS


def is_middleware_guard(cls: ast.ClassDef) -> bool:
    """A class whose ``process_resource``/``process_request`` denies access (Falcon's middleware)."""
    return any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name in MIDDLEWARE_HOOKS
               and any(denies(n) for n in ast.walk(s)) for s in cls.body)

"""SEC032's Pyramid part (:mod:`vetpy.rules.sec.csrf_exempt` reports through it): a view that
turns Pyramid's CSRF check off and then acts on the cookie session.

Pyramid 2.1 (``pyramid/view.py``, ``pyramid/viewderivers.py``): ``@view_config(...,
require_csrf=False)`` exempts the view from the check ``config.set_default_csrf_options(
require_csrf=True)`` turns on for every unsafe method; ``pyramid.security.remember(request,
userid)`` returns the headers that set the authentication cookie (logs the user in)."""

from __future__ import annotations

import ast

from vetpy.astutil import is_constant, keyword
from vetpy.rules.sec.authorization_pyramid import SERVER_CALLS, request_methods
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.walk import SecurityPass

_VIEW_CONFIG = frozenset({"pyramid.view.view_config"})
_REMEMBER = frozenset({"pyramid.security.remember"})
# only safe methods reach the view: the exemption changes nothing (pyramid checks unsafe methods only)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def exempt_keyword(sec: SecurityPass, func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.keyword | None:
    """The ``require_csrf=False`` of a ``@view_config`` of ``func`` that may take an unsafe method."""
    if "pyramid" not in sec.modules:
        return None
    for dec in func.decorator_list:
        if not isinstance(dec, ast.Call) or sec.qualified(dec.func) not in _VIEW_CONFIG:
            continue
        kw = keyword(dec, "require_csrf")
        if kw is None or not is_constant(kw.value, False) or _safe_only(dec):
            continue
        return kw
    return None


def _safe_only(dec: ast.Call) -> bool:
    methods = request_methods(dec)
    return methods is not None and methods <= _SAFE_METHODS


def session_use(sec: SecurityPass, func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """How an exempt Pyramid view acts on the cookie session: ``remember(request, ...)`` (logs the
    user in), ``request.session[...] = ...`` (writes the session); None for a view named for a
    server-to-server call."""
    if SERVER_CALLS & set(name_words(func.name)):
        return None
    request = func.args.args[0].arg if func.args.args else None
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and sec.qualified(node.func) in _REMEMBER:
            return "logs the user in (`remember` sets the authentication cookie)"
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
        for t in targets:
            if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Attribute) and t.value.attr == "session" \
                    and isinstance(t.value.value, ast.Name) and t.value.value.id == request:
                return "writes the session"
    return None

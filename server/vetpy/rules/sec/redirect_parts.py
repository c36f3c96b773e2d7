"""The parts of a redirect target (SEC017) as the browser reads them: what chooses the host.

A target built by ``+`` from values that are not literals (``reverse("orga:login") + params``)
is still text, and a name bound once for all at the top of the function
(``params = f"?next={quote(next_url)}&{params}"``) is that text wherever it is read later. The
parts let the rule see that request input reaches only the query string or the fragment, after a
``?`` or ``#`` that follows a host and path chosen by the application (pretalx's
``event.urls.login + f"?next={quote(request.path)}"``): the browser goes to the application's
page, whatever the query says.
"""

from __future__ import annotations

import ast
import re

from vetpy.dataflow import Scope, Trust, string_parts
from vetpy.dataflow.strings import Hole
from vetpy.dataflow.summaries import own_returns

Parts = list["str | Hole"]


def target_parts(url: ast.expr, func: ast.AST | None) -> Parts | None:
    """Literal text and holes of ``url``: :func:`string_parts`, or the operands of a ``+`` chain
    of non-literals; a hole that is a name bound last by a top-level statement of ``func`` before
    ``url`` (and nowhere after) stands for the parts of that binding."""
    parts = string_parts(url)
    if parts is None:
        operands = _added(url)
        if len(operands) < 2:
            return None
        parts = [p for op in operands for p in (string_parts(op) or [Hole(op)])]
    out: Parts = []
    for part in parts:
        bound = _final_binding(part.expr, url, func) if isinstance(part, Hole) and isinstance(part.expr, ast.Name) else None
        if bound is not None:
            out.extend(string_parts(bound) or [Hole(bound)])
        else:
            out.append(part)
    return out


def only_in_query(parts: Parts, scope: Scope) -> bool:
    """Does every hole that may hold request input come after a ``?`` or ``#`` that follows a
    non-empty host and path not taken from the request?"""
    for i, part in enumerate(parts):
        if isinstance(part, str):
            cut = min((part.find(c) for c in "?#" if c in part), default=-1)
            if cut >= 0:
                return i > 0 or cut > 0  # `"?next=" + x` alone is relative to the current page
            continue
        if scope.value(part.expr).risk("redirect") is Trust.UNTRUSTED:
            return False
    return False


def fixed_origin(parts: Parts, scope: Scope, module: Scope) -> bool:
    """Do the target's leading parts spell a scheme and host followed by ``/``, ``?`` or ``#``,
    from literal text and module constants bound once to a string (calibre-web's
    ``KOBO_STOREAPI_URL + "/" + path``)?  The browser then goes to that host whatever follows.
    ``"https://shop.example" + x`` is not (``x`` may continue the host), nor ``"" + "/" + x``."""
    prefix = ""
    for part in parts:
        if isinstance(part, Hole):
            name = part.expr
            bound = module.single_assignment(name.id) if isinstance(name, ast.Name) and not scope.bindings.get(name.id) else None
            if not (isinstance(bound, ast.Constant) and isinstance(bound.value, str)):
                break
            part = bound.value
        prefix += part
        if ORIGIN.match(prefix):
            return True
    return False


def returns_fixed_origin(helper: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope, module: Scope) -> bool:
    """Does every ``return`` of ``helper`` (at least one; not a generator) give a target whose
    leading parts are a fixed origin (:func:`fixed_origin`)?  A helper with any other return
    (``return request.args["next"]`` on one branch, a bare ``return``) is not."""
    returns = own_returns(helper)
    if not returns:
        return False
    for ret, _ in returns:
        parts = target_parts(ret.value, helper) if ret.value is not None else None
        if parts is None or not fixed_origin(parts, scope, module):
            return False
    return True


ORIGIN = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\]+[/?#]")


def _added(expr: ast.expr) -> list[ast.expr]:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _added(expr.left) + _added(expr.right)
    return [expr]


def _final_binding(name: ast.Name, use: ast.expr, func: ast.AST | None) -> ast.expr | None:
    """The value of the one statement ``name = value`` at the top level of ``func``'s body that
    comes before ``use`` and after every other binding of the name in ``func``, if no binding
    follows it (not in a loop that runs ``use`` again either: nothing binds it later)."""
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    line = getattr(use, "lineno", 0)
    last: ast.Assign | None = None
    for stmt in func.body:
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id == name.id and stmt.lineno < line):
            last = stmt
    if last is None:
        return None
    for node in ast.walk(func):
        if (isinstance(node, ast.Name) and node.id == name.id and isinstance(node.ctx, ast.Store)
                and node is not last.targets[0] and node.lineno >= last.lineno):
            return None  # bound again later (a branch, a loop): not the one value
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name.id in node.names:
            return None
    return last.value


# the request's own URL or path (Django, Flask, Starlette) in a view: the view was routed here by a
# URL pattern, so the target is a page of this site (pretix redirects to `request.get_full_path()`
# to retry with a flag). Not in middleware, which sees every path: `//evil.example/` taken as a
# path is another host to a browser (Django's CommonMiddleware, CVE-2018-14574)
_MIDDLEWARE_METHODS = frozenset({"__call__", "process_request", "process_view", "process_response", "process_exception"})
_OWN_URL_METHODS = frozenset({"get_full_path", "get_full_path_info", "build_absolute_uri"})
_OWN_URL_ATTRIBUTES = frozenset({"path", "path_info", "full_path", "url", "base_url"})


def own_url(expr: ast.expr) -> bool:
    """``request.get_full_path()``, ``request.path``, ``str(request.url)``, ``request.url.path``
    (also on ``self.request``); ``build_absolute_uri(location)`` with a location is not."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "str" and len(expr.args) == 1:
        expr = expr.args[0]
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not expr.args and not expr.keywords:
        return expr.func.attr in _OWN_URL_METHODS and is_request_name(expr.func.value)
    if isinstance(expr, ast.Attribute) and expr.attr == "path" and isinstance(expr.value, ast.Attribute) and expr.value.attr == "url":
        return is_request_name(expr.value.value)
    return isinstance(expr, ast.Attribute) and expr.attr in _OWN_URL_ATTRIBUTES and is_request_name(expr.value)


def in_middleware(func: ast.FunctionDef | ast.AsyncFunctionDef, ancestors: list[ast.AST]) -> bool:
    if func.name in _MIDDLEWARE_METHODS or "middleware" in func.name.lower():
        return True
    return any(isinstance(a, ast.ClassDef) and a.name.lower().endswith("middleware") for a in ancestors)


def is_request_name(node: ast.expr) -> bool:
    return (node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None) == "request"

"""Web routes: which functions a web framework calls with a request, and at which URL rule.

One definition for every rule family (SEC's data flow, EDGE015, the whole-file facts of the
incremental analysis), reading the decorator names in :mod:`vetpy.libraries`.
"""

from __future__ import annotations

import ast

from vetpy.astutil import ImportMap, dotted_name
from vetpy.libraries import ERROR_HANDLER_DECORATORS, HTTP_CLIENT_MODULES, ROUTE_DECORATORS

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def is_route(func: FunctionNode | None) -> bool:
    """Does a decorator of ``func`` make it a web route (``@app.get(...)``, ``@bp.route``,
    ``@api_view([...])``), whatever its URL rule?"""
    if func is None:
        return False
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if (dotted_name(target) or "").rsplit(".", 1)[-1] in ROUTE_DECORATORS:
            return True
    return False


def route_path(func: FunctionNode, imports: ImportMap) -> str | None:
    """The URL rule of a route decorator on ``func`` (``@app.get("/items/{id}")`` -> the rule),
    else None.  ``requests.get(...)``-like decorators of HTTP clients are not routes."""
    for dec in func.decorator_list:
        if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
            continue
        if dec.func.attr not in ROUTE_DECORATORS:
            continue
        root = dotted_name(dec.func.value)
        if root and (imports.resolve(root.split(".")[0]) or "").split(".")[0] in HTTP_CLIENT_MODULES:
            continue
        rule = dec.args[0] if dec.args else next((k.value for k in dec.keywords if k.arg in {"path", "rule"}), None)
        if isinstance(rule, ast.Constant) and isinstance(rule.value, str) and rule.value.startswith("/"):
            return rule.value
    return None


def is_error_handler(func: FunctionNode) -> bool:
    """``@app.errorhandler(...)`` / ``@app.exception_handler(...)``: called with a request too."""
    return any(is_error_handler_call(dec) for dec in func.decorator_list)


def is_error_handler_call(dec: ast.expr) -> bool:
    """One decorator: ``app.errorhandler(...)``, ``bp.app_errorhandler(...)``, ``app.exception_handler(...)``."""
    target = dec.func if isinstance(dec, ast.Call) else dec
    return isinstance(target, ast.Attribute) and target.attr in ERROR_HANDLER_DECORATORS

"""A request parameter, header or cookie read with ``.get()`` and no default: None when the client
leaves it out (``request.GET.get("tags").split(",")`` answers a request without ``tags`` with a
500).  The request is Flask's ``request`` (its multidicts are also known by name in
:data:`vetpy.libraries.REQUEST_MULTIDICTS`) or a handler's ``request`` parameter (Django, DRF,
Starlette, aiohttp), or a class-based view's ``self.request``.
"""

from __future__ import annotations

import ast

from vetpy.semantic.model import semantic

# attributes of a request object that map a client-chosen key to a value (None when absent)
_MAPPINGS = frozenset({"GET", "POST", "COOKIES", "META", "headers", "query_params", "query", "args", "form",
                       "values", "cookies", "FILES", "files"})


def request_mapping(doc, scope: ast.AST | None, node: ast.expr) -> bool:
    """Is ``node`` a mapping of the request's client input (``request.GET``, ``request.headers``,
    ``self.request.query_params``) in a web handler?"""
    if not (isinstance(node, ast.Attribute) and node.attr in _MAPPINGS):
        return False
    flow = semantic(doc).flow
    if not flow.web:
        return False
    owner = node.value
    if isinstance(owner, ast.Attribute) and owner.attr == "request" and isinstance(owner.value, ast.Name):
        return owner.value.id == "self"
    if not (isinstance(owner, ast.Name) and owner.id in {"request", "req"}):
        return False
    if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = {a.arg for a in scope.args.posonlyargs + scope.args.args + scope.args.kwonlyargs}
    return owner.id in params and flow.handler(scope)

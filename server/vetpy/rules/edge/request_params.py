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
    func = scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs} if func else set()
    return flow.request_object_in(node.value, func, params)

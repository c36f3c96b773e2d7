"""A request parameter, header or cookie read with ``.get()`` and no default: None when the client
leaves it out (``request.GET.get("tags").split(",")`` answers a request without ``tags`` with a
500).  The request is Flask's ``request`` (its multidicts are also known by name in
:data:`vetpy.libraries.REQUEST_MULTIDICTS`) or a handler's ``request`` parameter (Django, DRF,
Starlette, aiohttp), or a class-based view's ``self.request``.
"""

from __future__ import annotations

import ast

from vetpy.rules.edge.facts import walk_no_nested
from vetpy.semantic.model import semantic

# attributes of a request object that map a client-chosen key to a value (None when absent)
_MAPPINGS = frozenset({"GET", "POST", "COOKIES", "META", "headers", "query_params", "query", "args", "form", "params",
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


def _request_text(mapping: ast.expr) -> str:
    """``self.request.POST`` -> ``request.POST``: a class-based view's request is the handler's."""
    text = ast.unparse(mapping)
    return text[len("self."):] if text.startswith("self.request.") else text


def defaulted_keys(scope: ast.AST | None) -> dict[tuple[str, object], int]:
    """(mapping, constant key) -> the first line where the function ``scope`` reads that key with a
    default (``token = request.POST.get("token", "")``), walked once per function."""
    found: dict[tuple[str, object], int] = {}
    for node in walk_no_nested(scope.body) if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else ():
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and (len(node.args) == 2 or node.keywords) and node.args and isinstance(node.args[0], ast.Constant)):
            key = (_request_text(node.func.value), node.args[0].value)
            found[key] = min(node.lineno, found.get(key, node.lineno))
    return found


def read_with_default_before(defaulted: dict[tuple[str, object], int], read: ast.Call) -> bool:
    """Was the key ``read`` (``mapping.get(key)``, no default) read with a default earlier in the
    function (``defaulted``: :func:`defaulted_keys`)? Then its absence was handled at that read
    (pretix's ``token = request.POST.get("token", "")`` tested with ``token.startswith("{")``
    before ``json.loads(self.request.POST.get("token"))``): the later read rides on it."""
    if not (isinstance(read.func, ast.Attribute) and read.args and isinstance(read.args[0], ast.Constant)):
        return False
    first = defaulted.get((_request_text(read.func.value), read.args[0].value))
    return first is not None and first < read.lineno

"""A request parameter, header or cookie read with ``.get()`` and no default: None when the client
leaves it out (``request.GET.get("tags").split(",")`` answers a request without ``tags`` with a
500).  The request is Flask's ``request`` (its multidicts are also known by name in
:data:`vetpy.libraries.REQUEST_MULTIDICTS`) or a handler's ``request`` parameter (Django, DRF,
Starlette, aiohttp), or a class-based view's ``self.request``.
"""

from __future__ import annotations

import ast

from vetpy.findings import Severity
from vetpy.rules.registry import rule
from vetpy.semantic.model import semantic

MISSING_PARAMETER = rule(
    code="EDGE025",
    name="missing-request-parameter",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if the client leaves this parameter out?",
    summary="A request parameter, header or cookie read with `.get()` and no default is used as if present (`int(request.args.get(\"page\"))`).",
    rationale="""`request.args.get("page")` is None when the request has no `page`, and then
    `int(None)`, `None.split(",")` or `None.strip()` raise: the server answers a request that
    merely omitted an optional parameter with a 500 instead of a default page or a 400. Give
    `.get()` a default (`request.args.get("page", 1, type=int)`), test the value first, or read it
    with `request.args["page"]` where the framework turns a missing key into a 400. The request is
    Flask's or Quart's `request`, a handler's `request` parameter or a class-based view's
    `self.request` (Django, DRF, Starlette, aiohttp). EDGE009's certain half, on by default: a
    client that omits a parameter needs no malformed input, only an ordinary request (the rest of
    EDGE009, a regular expression that may not match or a key that may be missing, is opt-in).
    Uses guarded on every path, or inside a `try` that catches the error, are not reported.""",
    bad="""
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/orders")
        def orders():
            page = int(request.args.get("page"))
            return list_orders(page)
    """,
    good="""
        @app.get("/orders")
        def orders():
            page = request.args.get("page", 1, type=int)
            return list_orders(page)
    """,
    cwe=(476,),
)

# the reason EDGE009's None sources give for a request parameter read without a default: the
# findings of that source are EDGE025's
REQUEST_REASON = "a request parameter read with `.get()` and no default is None when the client leaves it out"

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

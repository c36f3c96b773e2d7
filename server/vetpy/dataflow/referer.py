"""The Referer header, read from a request: untrusted, except as a redirect target.

The Referer names the page the browser came from. An attacker can make it only their own page (the
page that sent the user here), never a page of their choice on a victim's behalf, so redirecting
back to it (`redirect(request.referrer or url_for("home"))`, Django's
`HttpResponseRedirect(request.META.get("HTTP_REFERER", "/"))`) sends the user where they already
were and borrows no trust from this site: it is not an open redirect. For every other sink it stays
untrusted (its query string is the attacker's text)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from vetpy.dataflow.values import Trust, Value

# the header's key in `request.headers` (any case) and in Django's `request.META`
_KEYS = frozenset({"referer", "http_referer"})
# attributes of a request that hold it (Flask/Werkzeug's `request.referrer`)
REFERER_ATTRIBUTES = frozenset({"referrer"})
REFERER = Value(Trust.UNTRUSTED, clean_for=frozenset({"redirect"}), source="the Referer header")


def _header_key(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in _KEYS


def referer_read(expr: ast.expr, is_request: Callable[[ast.expr], bool]) -> bool:
    """``request.headers.get("Referer")``, ``request.headers["referer"]``,
    ``request.META.get("HTTP_REFERER")``, ``request.META["HTTP_REFERER"]``, ``request.referrer``
    (``is_request`` tells whether a node is the request object). A default given to ``.get`` is
    not part of it: the caller joins it."""
    if isinstance(expr, ast.Attribute):
        return expr.attr in REFERER_ATTRIBUTES and is_request(expr.value)
    if isinstance(expr, ast.Subscript):
        mapping, key = expr.value, expr.slice
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        mapping, key = expr.func.value, expr.args[0]
    else:
        return False
    return (isinstance(mapping, ast.Attribute) and mapping.attr in {"headers", "META"} and is_request(mapping.value)
            and _header_key(key))

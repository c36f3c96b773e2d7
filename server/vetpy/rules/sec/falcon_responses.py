"""Falcon's response object as a sink (issue #20): a responder writes its answer into ``resp``.

Verified against falcon 4.4: ``resp.location`` sets the ``Location`` header, a redirect when the
responder also sets a 3xx ``resp.status`` (``falcon.HTTP_302``, ``falcon.HTTP_FOUND``, ``"302
Found"``, ``302``); ``resp.text``/``resp.data`` are the body, HTML when the responder sets
``resp.content_type`` to ``falcon.MEDIA_HTML`` (``"text/html; charset=utf-8"``) or any
``text/html`` string (Falcon's default media type is JSON).  The response is the parameter after
``req`` of a responder (``on_get(self, req, resp)``) or of a hook (``(req, resp, resource,
params)``).  Pure helpers: the SEC rules decide what reaches them."""

from __future__ import annotations

import ast
from collections.abc import Callable

from vetpy.dataflow.values import FunctionNode

# the status constants of falcon 4 that are redirects
_REDIRECT_STATUSES = frozenset(
    {"falcon.HTTP_301", "falcon.HTTP_302", "falcon.HTTP_303", "falcon.HTTP_307", "falcon.HTTP_308", "falcon.HTTP_FOUND",
     "falcon.HTTP_SEE_OTHER", "falcon.HTTP_MOVED_PERMANENTLY", "falcon.HTTP_TEMPORARY_REDIRECT", "falcon.HTTP_PERMANENT_REDIRECT"}
)
_HTML_TYPES = frozenset({"falcon.MEDIA_HTML", "falcon.constants.MEDIA_HTML"})
# the body attributes of a Falcon response
BODY_ATTRS = frozenset({"text", "data"})


def response_param(func: FunctionNode) -> str | None:
    """The name of the response parameter of a Falcon responder or hook: the one after ``req``."""
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    for i, name in enumerate(names[:2]):
        if name in ("req", "request") and i + 1 < len(names):
            return names[i + 1]
    return None


def response_field(target: ast.expr, func: FunctionNode) -> str | None:
    """``resp.location`` / ``resp.text`` assigned in ``func``: the attribute, else None."""
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == response_param(func):
        return target.attr
    return None


def _assigned(func: FunctionNode, resp: str, attr: str) -> list[ast.expr]:
    return [stmt.value for stmt in ast.walk(func) if isinstance(stmt, ast.Assign) for t in stmt.targets
            if isinstance(t, ast.Attribute) and t.attr == attr and isinstance(t.value, ast.Name) and t.value.id == resp]


def sets_redirect_status(func: FunctionNode, qualified: Callable[[ast.AST], str | None]) -> bool:
    """Does the responder set a 3xx status on its response?"""
    resp = response_param(func)
    if resp is None:
        return False
    for value in _assigned(func, resp, "status") + _assigned(func, resp, "status_code"):
        if qualified(value) in _REDIRECT_STATUSES:
            return True
        if isinstance(value, ast.Constant) and (str(value.value).startswith("30") and str(value.value)[:3] != "304"):
            return True
    return False


def sets_html(func: FunctionNode, qualified: Callable[[ast.AST], str | None]) -> bool:
    """Does the responder declare its body HTML (``resp.content_type = falcon.MEDIA_HTML``)?"""
    resp = response_param(func)
    if resp is None:
        return False
    for value in _assigned(func, resp, "content_type"):
        if qualified(value) in _HTML_TYPES or (isinstance(value, ast.Constant) and isinstance(value.value, str)
                                               and value.value.lower().startswith("text/html")):
            return True
    return False

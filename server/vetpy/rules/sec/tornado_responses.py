"""Tornado's ``RequestHandler`` as a sink (issue #20): a handler answers through methods of ``self``.

Verified against tornado 6.6.1 ``tornado/web.py``: ``self.redirect(url)`` sets the ``Location``
header to ``url`` as given (only ``utf8``-encoded); ``self.write(chunk)`` / ``self.finish(chunk)``
of a ``str`` send it under the ``Content-Type`` that ``clear()`` set, ``text/html;
charset=UTF-8``, unless the handler set another one (``self.set_header("Content-Type", ...)``);
a ``dict`` is sent as JSON.  Pure helpers: the SEC rules decide what reaches them."""

from __future__ import annotations

import ast

from vetpy.dataflow.values import FunctionNode

_BODY_METHODS = frozenset({"write", "finish"})


def sink(call: ast.Call, modules: frozenset[str], func: FunctionNode) -> str | None:
    """``"redirect"`` for ``self.redirect(url)``, ``"html"`` for ``self.write(text)`` /
    ``self.finish(text)`` under the default HTML content type, in a module that imports tornado;
    else None."""
    f = call.func
    if "tornado" not in modules or not call.args or not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "self"):
        return None
    if f.attr == "redirect":
        return "redirect"
    if f.attr in _BODY_METHODS and not _sets_other_type(func):
        return "html"
    return None


def _sets_other_type(func: FunctionNode) -> bool:
    """``self.set_header("Content-Type", ...)`` (or ``add_header``) in ``func`` with anything but a
    constant HTML type: the body is not sent as HTML (or it cannot be told)."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("set_header", "add_header") \
                and len(node.args) == 2 and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).lower() == "content-type":
            value = node.args[1]
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str) and "html" in value.value.lower()):
                return True
    return False

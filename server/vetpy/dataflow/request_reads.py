"""What a call of a method of the web request gives (:meth:`vetpy.dataflow.flow.Scope._call`).

``request.get_json()``, Falcon's ``req.get_param("q")``: request input; Falcon's converting
getters (``req.get_param_as_int("n")``, verified in falcon 4.4: a number, None or a raised
``HTTPInvalidParam``): no text; Falcon's ``req.bounded_stream.read()``: the body's bytes."""

from __future__ import annotations

import ast
from collections.abc import Callable

from vetpy.dataflow.values import CONSTANT, Value, untrusted
from vetpy.libraries import (
    FALCON_TYPED_GETTERS,
    PYRAMID_REQUEST_ATTRS,
    REQUEST_DATA_ATTRS,
    REQUEST_STREAM_READS,
    REQUEST_STREAMS,
    SANIC_REQUEST_ATTRS,
    TORNADO_HANDLER_GETTERS,
    TORNADO_PATH_ATTRS,
    TORNADO_REQUEST_ATTRS,
)


def request_call(func: ast.Attribute, is_request: Callable[[ast.expr], bool], modules: frozenset[str] = frozenset(),
                 parsers: frozenset[str] = frozenset()) -> Value | None:
    """The value of ``func(...)`` when ``func`` is a method of the request (or of its body
    stream), or in a module that imports tornado a getter of the handler's (``self.get_argument``),
    or ``parse_args()`` of one of ``parsers`` (Flask-RESTX request parsers of free text), else
    None; ``is_request`` tells the request object."""
    if func.attr == "parse_args" and isinstance(func.value, ast.Name) and func.value.id in parsers:
        return untrusted(f"{func.value.id}.parse_args()")
    if func.attr in TORNADO_HANDLER_GETTERS and "tornado" in modules and _self(func.value):
        return untrusted(f"self.{func.attr}()")
    if func.attr in REQUEST_STREAM_READS and isinstance(func.value, ast.Attribute) and func.value.attr in REQUEST_STREAMS \
            and is_request(func.value.value):
        return untrusted(f"request.{func.value.attr}.{func.attr}()")
    if func.attr not in FALCON_TYPED_GETTERS and func.attr not in REQUEST_DATA_ATTRS or not is_request(func.value):
        return None
    return CONSTANT if func.attr in FALCON_TYPED_GETTERS else untrusted(f"request.{func.attr}()")


def request_attribute(attr: str, modules: frozenset[str]) -> bool:
    """Does ``request.<attr>`` carry client data: every framework's names, and in a module that
    imports sanic its request's ``token``/``credentials`` (the ``Authorization`` header) and ``host``,
    in one that imports pyramid its ``matchdict`` and ``json_body``."""
    return attr in REQUEST_DATA_ATTRS or (attr in SANIC_REQUEST_ATTRS and "sanic" in modules) or (
        attr in TORNADO_REQUEST_ATTRS and "tornado" in modules) or (attr in PYRAMID_REQUEST_ATTRS and "pyramid" in modules)


def handler_attribute(expr: ast.Attribute, modules: frozenset[str], namespaces: frozenset[str] = frozenset()) -> bool:
    """Tornado's ``self.path_args`` / ``self.path_kwargs`` (the URL's groups) in a module that imports
    tornado; Flask-RESTX's ``ns.payload`` of one of the module's ``namespaces`` (``request.get_json()``)."""
    if expr.attr == "payload" and isinstance(expr.value, ast.Name) and expr.value.id in namespaces:
        return True
    return expr.attr in TORNADO_PATH_ATTRS and "tornado" in modules and _self(expr.value)


def _self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"

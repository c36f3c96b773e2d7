"""Web routes: which functions a web framework calls with a request, and at which URL rule.

One definition for every rule family (SEC's data flow, EDGE015, the whole-file facts of the
incremental analysis), reading the decorator names in :mod:`vetpy.libraries`.
"""

from __future__ import annotations

import ast
import re

from vetpy.astutil import ImportMap, dotted_name, last_name
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
    else None.  ``requests.get(...)``-like decorators of HTTP clients are not routes.  Litestar's
    decorators are functions of the framework (``from litestar import get``; ``@get("/items")``,
    ``@get()`` for the controller's own path), django-ninja's ``api_operation`` takes the methods
    first (``@router.api_operation(["POST"], "/items")``)."""
    for dec in func.decorator_list:
        if isinstance(dec, ast.Call) and isinstance(dec.func, ast.Name):
            rule = _framework_function_rule(dec, imports)
            if rule is not None:
                return rule
            continue
        if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
            continue
        if dec.func.attr not in ROUTE_DECORATORS and dec.func.attr != "api_operation":
            continue
        root = dotted_name(dec.func.value)
        if root and (imports.resolve(root.split(".")[0]) or "").split(".")[0] in HTTP_CLIENT_MODULES:
            continue
        args = dec.args[1:] if dec.func.attr == "api_operation" else dec.args
        rule = args[0] if args else next((k.value for k in dec.keywords if k.arg in {"path", "rule"}), None)
        # "": the root of a router mounted under a prefix (FastAPI's ``@router.get("")``, a blueprint's)
        if isinstance(rule, ast.Constant) and isinstance(rule.value, str) and (rule.value.startswith("/") or rule.value == ""):
            return rule.value
    return None


# Litestar's route decorators, imported from the package or its handlers module
_LITESTAR_ROUTES = frozenset({"get", "post", "put", "patch", "delete", "head", "route", "websocket"})


def _framework_function_rule(dec: ast.Call, imports: ImportMap) -> str | None:
    """``@get("/items/{id:int}")`` with ``get`` imported from litestar: its path ("" when none is
    given or it is not a constant); None for a function of any other module."""
    assert isinstance(dec.func, ast.Name)
    target = imports.resolve(dec.func.id) or ""
    if target.split(".")[0] != "litestar" or target.rsplit(".", 1)[-1] not in _LITESTAR_ROUTES:
        return None
    rule = dec.args[0] if dec.args else next((k.value for k in dec.keywords if k.arg == "path"), None)
    if isinstance(rule, ast.Constant) and isinstance(rule.value, str):
        return rule.value
    if isinstance(rule, (ast.List, ast.Tuple)):
        return " ".join(e.value for e in rule.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ""


def is_error_handler(func: FunctionNode) -> bool:
    """``@app.errorhandler(...)`` / ``@app.exception_handler(...)``: called with a request too."""
    return any(is_error_handler_call(dec) for dec in func.decorator_list)


def is_error_handler_call(dec: ast.expr) -> bool:
    """One decorator: ``app.errorhandler(...)``, ``bp.app_errorhandler(...)``, ``app.exception_handler(...)``,
    Pyramid's ``@exception_view_config(...)``."""
    target = dec.func if isinstance(dec, ast.Call) else dec
    return isinstance(target, ast.Attribute) and target.attr in ERROR_HANDLER_DECORATORS or (
        isinstance(target, (ast.Name, ast.Attribute)) and last_name(target) in PYRAMID_ERROR_VIEWS)


# Pyramid's exception views (pyramid 2.1 `view.py`: `exception_view_config(context, **settings)`, the
# exception first, `(exc, request)` the view's parameters)
PYRAMID_ERROR_VIEWS = frozenset({"exception_view_config"})


# decorators that route a Django-style view by the Django URL pattern they are given (wagtail's
# RoutablePageMixin: ``@route(r"^year/(\d+)/$")``, ``@path("<slug:title>/")``, ``@re_path``)
_PATTERN_DECORATORS = frozenset({"route", "path", "re_path"})
# what a Django path converter or a whole regex group can match: only digits, or only a slug
_DIGITS_GROUP = re.compile(r"(?:\\d|\[0-9\])(?:[+*]|\{\d+(?:,\d*)?\})?")
_SLUG_GROUP = re.compile(r"\[(?:-a-zA-Z0-9_|a-zA-Z0-9_-|-\\w|\\w-)\](?:[+*]|\{\d+(?:,\d*)?\})?")
_CONVERTER_KINDS = {"int": "digits", "slug": "slug"}
_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_GROUP = re.compile(r"(?<!\\)\((\?P<(\w+)>)?([^()]*)\)")


def pattern_parameter_kinds(func: FunctionNode) -> dict[str, str]:
    """The parameters of a Django-style view (``request`` first, after ``self`` in a method) that
    the URL pattern of its routing decorator can fill only with digits (``"digits"``) or only
    with a slug's ``[-a-zA-Z0-9_]`` (``"slug"``). Django's resolver: a ``path`` converter binds
    its name; a regex's named groups bind their names and, only when it has none, its unnamed
    groups bind the parameters after ``request`` in order. A group with a nested group, or any
    other pattern, restricts nothing."""
    params = [a.arg for a in func.args.posonlyargs + func.args.args]
    after = params[params.index("request") + 1 :] if "request" in params else None
    for dec in func.decorator_list:
        if not (isinstance(dec, ast.Call) and dec.args and (dotted_name(dec.func) or "").rsplit(".", 1)[-1] in _PATTERN_DECORATORS):
            continue
        pattern = dec.args[0]
        if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str)) or after is None:
            continue
        text = pattern.value
        kinds: dict[str, str] = {}
        if (dotted_name(dec.func) or "").rsplit(".", 1)[-1] == "path":  # Django's path(): converters, no regex
            for m in _PATH_PARAM.finditer(text):
                if (kind := _CONVERTER_KINDS.get(m.group(1) or "")) is not None:
                    kinds[m.group(2)] = kind
            return kinds
        groups = list(_GROUP.finditer(text))
        if not _groups_read(text, groups):
            return kinds
        named = [g for g in groups if g.group(2)]
        bound = [(g.group(2), g.group(3)) for g in named] if named else list(zip(after, (g.group(3) for g in groups)))
        for name, body in bound:
            if _DIGITS_GROUP.fullmatch(body):
                kinds[name] = "digits"
            elif _SLUG_GROUP.fullmatch(body):
                kinds[name] = "slug"
        return kinds
    return {}


def _groups_read(text: str, groups: list[re.Match[str]]) -> bool:
    """Are ``groups`` exactly the capturing groups of the regex ``text`` (none nested, none
    ``(?:...)``, no parenthesis in a character class), as ``re`` itself counts them?"""
    try:
        compiled = re.compile(text)
    except (re.error, RecursionError, OverflowError):
        return False
    if any(g.group(3).startswith("?") for g in groups):
        return False
    return compiled.groups == len(groups) and set(compiled.groupindex) == {g.group(2) for g in groups if g.group(2)}

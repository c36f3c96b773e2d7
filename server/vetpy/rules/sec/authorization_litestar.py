"""SEC023's Litestar shapes: route handlers declared with a bare decorator (``@post("/refunds",
guards=[admin_guard])``), ``Controller`` classes (a class-level ``guards = [...]`` and decorated
methods), and ``Router(..., route_handlers=[...], guards=[...])`` / ``Litestar(..., guards=[...])``
that guard every handler they list.

Verified against litestar 2.x: ``get``/``post``/``put``/``patch``/``delete``/``head`` are
``HTTPRouteHandler`` subclasses and ``route`` is ``HTTPRouteHandler`` itself (its methods in
``http_method=``), each taking ``path`` (a string, a list, or none: ``"/"``) as the first argument
and ``guards`` and ``opt`` as keywords; ``Controller`` has class attributes ``path``, ``guards``
and ``dependencies``; ``Router`` and ``Litestar`` take ``route_handlers`` and ``guards``; the
authentication middleware skips a handler whose ``opt`` has ``exclude_from_auth`` (a public
route on purpose).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from vetpy.astutil import dotted_name, imports_package, keyword, last_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "head": "HEAD"}
HANDLER_DECORATORS = frozenset({*_VERBS, "route"})
BARE_GROUP = "<litestar handlers>"  # the module's handlers that no Router of the module lists
# a guard that asks only for a signed-in user (any other guard is an authorization by its nature)
_LOGIN_GUARD = re.compile(r"authenticat|login|logged_in|signed_in|requires_user|^user$|has_user|session", re.IGNORECASE)


def handler_decorator(dec: ast.expr) -> str | None:
    """``@post("/x")``, ``@route("/x", http_method=[...])``, ``@litestar.post(...)``: the verb
    (``"route"`` for ``route``), else None.  Whether the names are Litestar's is the module's
    imports' business (:func:`imports_litestar`)."""
    if not isinstance(dec, ast.Call):
        return None
    if isinstance(dec.func, ast.Name) and dec.func.id in HANDLER_DECORATORS:
        return dec.func.id
    if isinstance(dec.func, ast.Attribute) and dec.func.attr in HANDLER_DECORATORS and dotted_name(dec.func.value) == "litestar":
        return dec.func.attr
    return None


def imports_litestar(body: Iterable[ast.stmt]) -> bool:
    return imports_package(body, "litestar")


def handler_path(dec: ast.Call) -> str:
    arg = dec.args[0] if dec.args else (kw.value if (kw := keyword(dec, "path")) is not None else None)
    if isinstance(arg, (ast.List, ast.Tuple)):
        arg = arg.elts[0] if arg.elts else None
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else "/"


def handler_methods(dec: ast.Call, verb: str) -> frozenset[str]:
    if verb in _VERBS:
        return frozenset({_VERBS[verb]})
    kw = keyword(dec, "http_method")
    values = kw.value.elts if kw is not None and isinstance(kw.value, (ast.List, ast.Tuple, ast.Set)) else [kw.value] if kw is not None else []
    methods = set()
    for v in values:
        if isinstance(v, ast.Constant) and isinstance(v.value, str):
            methods.add(v.value.upper())
        elif isinstance(v, ast.Attribute):  # HttpMethod.POST
            methods.add(v.attr.upper())
        else:
            return frozenset()  # computed: unknown
    return frozenset(methods)


def guard_names(node: ast.expr | None) -> list[str]:
    """The guards of a ``guards=[...]`` list (a guard factory's call by its name)."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return [] if node is None or (isinstance(node, ast.Constant) and node.value is None) else ["guards"]
    return [dotted_name(e.func if isinstance(e, ast.Call) else e) or "guard" for e in node.elts]


def keyword_guards(call: ast.Call) -> list[str]:
    kw = keyword(call, "guards")
    return guard_names(kw.value) if kw is not None else []


def login_guard(names: list[str]) -> bool:
    """Do the guards ask only for a signed-in user (``authenticated``, ``requires_login``)?"""
    return bool(names) and all(_LOGIN_GUARD.search(n.rsplit(".", 1)[-1]) for n in names)


def excluded_from_auth(dec: ast.Call) -> bool:
    """``opt={"exclude_from_auth": True}``: the authentication middleware skips it, on purpose."""
    kw = keyword(dec, "opt")
    if kw is None or not isinstance(kw.value, ast.Dict):
        return False
    return any(isinstance(k, ast.Constant) and k.value == "exclude_from_auth" for k in kw.value.keys)


def is_controller(cls: ast.ClassDef) -> bool:
    return any(last_name(b) == "Controller" for b in cls.bases)


def controller_attrs(cls: ast.ClassDef) -> tuple[str, list[str], bool]:
    """A controller's ``path``, its class-level guards, and whether it has ``dependencies``."""
    path, guards, dependencies = "", [], False
    for stmt in cls.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        for t in targets:
            name = last_name(t)
            if name == "path" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                path = value.value
            elif name == "guards":
                guards = guard_names(value)
            elif name == "dependencies" and value is not None:
                dependencies = True
    return path, guards, dependencies


def registrations(nodes: Iterable[ast.AST]) -> set[str]:
    """``admin = Router(path=..., route_handlers=[a, b], guards=[...])``: ``"handler:a=admin"`` (the
    handler joins the router's routes) and, where the router or the application has guards,
    ``"guarded-handler:a"`` (a function or a controller listed there is guarded)."""
    found: set[str] = set()
    for node in nodes:
        call = node.value if isinstance(node, ast.Assign) else node
        if not isinstance(call, ast.Call) or last_name(call.func) not in {"Router", "Litestar"}:
            continue
        kw = keyword(call, "route_handlers")
        listed = kw.value if kw is not None else call.args[1] if last_name(call.func) == "Router" and len(call.args) > 1 else None
        names = [dotted_name(e) or "" for e in listed.elts] if isinstance(listed, (ast.List, ast.Tuple)) else []
        guarded = bool(keyword_guards(call))
        if isinstance(node, ast.Assign) and last_name(call.func) == "Router":
            target = dotted_name(node.targets[0]) or ""
            found |= {f"handler:{n}={target}" for n in names if n and target}
        if guarded:
            found |= {f"guarded-handler:{n.rsplit('.', 1)[-1]}" for n in names if n}
    return found

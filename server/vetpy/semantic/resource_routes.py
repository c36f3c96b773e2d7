"""Flask-RESTX and Flask-RESTful resources: which methods the framework calls with a request, at
which URL rule, and which request parsers give free text (issue #20, service37).

Verified in flask-restx 1.3.2: ``Namespace.route(*urls)`` (and ``Api.route``) is a class decorator
that calls ``add_resource(cls, *urls)``; ``Resource`` is a ``MethodView`` whose ``dispatch_request``
calls ``getattr(self, request.method.lower())(*args, **kwargs)`` with the URL rule's variables;
``reqparse.RequestParser.parse_args()`` reads every argument from the request (``Argument``'s
``type=str`` by default, ``choices=()``).  Flask-RESTful's ``Api.resource(*urls)`` and
``add_resource`` are the same shapes.
"""

from __future__ import annotations

import ast

from vetpy.astutil import dotted_name

RESOURCE_FRAMEWORKS = frozenset({"flask_restx", "flask_restful"})
# the methods `MethodView.dispatch_request` calls by the request's method
RESOURCE_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
# class decorators that route a resource: restx `Namespace.route` / `Api.route`, restful `Api.resource`
_CLASS_ROUTES = frozenset({"route", "resource"})

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def resource_rules(tree: ast.Module, modules: frozenset[str]) -> dict[ast.AST, str]:
    """Each verb method of a module-level class that the module routes (``@ns.route("/a/<name>")``
    on the class, ``ns.add_resource(Cls, "/a/<name>")``) -> its URL rules joined by a space ("" when
    none is a constant); empty in a module that imports neither flask_restx nor flask_restful."""
    if not modules & RESOURCE_FRAMEWORKS:
        return {}
    classes = {stmt.name: stmt for stmt in tree.body if isinstance(stmt, ast.ClassDef)}
    rules: dict[str, list[str]] = {}
    for cls in classes.values():
        for dec in cls.decorator_list:
            if isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr in _CLASS_ROUTES:
                rules.setdefault(cls.name, []).extend(_urls(dec.args))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_resource"
                and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in classes):
            rules.setdefault(node.args[0].id, []).extend(_urls(node.args[1:]))
    return {stmt: " ".join(urls) for name, urls in rules.items() for stmt in classes[name].body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in RESOURCE_VERBS}


def _urls(args: list[ast.expr]) -> list[str]:
    return [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _bound_once_to(tree: ast.Module, constructors: frozenset[str]) -> set[str]:
    """The module-level names bound exactly once, to a call of one of ``constructors`` (by last name)."""
    bound: dict[str, int] = {}
    for stmt in tree.body:
        for target in stmt.targets if isinstance(stmt, ast.Assign) else []:
            if isinstance(target, ast.Name):
                made = isinstance(stmt.value, ast.Call) and (dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] in constructors
                bound[target.id] = bound.get(target.id, 0) + (1 if made else 2)
    return {name for name, count in bound.items() if count == 1}


def namespaces(tree: ast.Module, modules: frozenset[str]) -> frozenset[str]:
    """The module-level names of a ``Namespace(...)`` or ``Api(...)``: their ``payload`` is
    ``request.get_json()`` (restx 1.3 ``Namespace.payload`` / ``Api.payload``)."""
    return frozenset(_bound_once_to(tree, frozenset({"Namespace", "Api"}))) if "flask_restx" in modules else frozenset()


def text_parsers(tree: ast.Module, modules: frozenset[str]) -> frozenset[str]:
    """The module-level names bound once to ``reqparse.RequestParser()`` whose every
    ``add_argument`` keeps free text (no ``type=`` other than ``str``, no ``choices=``): their
    ``parse_args()`` is request input.  A parser with a typed or chosen argument is left out
    whole (its result is one dict; which key is read is not followed)."""
    if not modules & RESOURCE_FRAMEWORKS:
        return frozenset()
    parsers = _bound_once_to(tree, frozenset({"RequestParser"}))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                and node.func.value.id in parsers):
            continue
        if node.func.attr == "parse_args":
            continue
        if node.func.attr != "add_argument" or not _text_argument(node):
            parsers.discard(node.func.value.id)
    return frozenset(parsers)


def _text_argument(call: ast.Call) -> bool:
    for k in call.keywords:
        if k.arg is None or k.arg == "choices":
            return False
        if k.arg == "type" and not (isinstance(k.value, ast.Name) and k.value.id == "str"):
            return False
    return True


def routed_resource_methods(tree: ast.Module) -> frozenset[ast.AST]:
    """The verb methods of the resource classes ``tree`` routes (:func:`resource_rules`), the
    frameworks read from its own imports (for the rules without the data-flow model's)."""
    modules = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in stmt.names}
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            modules.add(stmt.module.split(".")[0])
    return frozenset(resource_rules(tree, frozenset(modules)))

"""Which parameters of a web handler the framework fills from the request (issue #20, service26).

The frameworks differ in how a handler's parameters are bound:

- **by name** (FastAPI, Starlette's FastAPI-style routers, django-ninja, Litestar): every parameter
  that is not the request, a framework object or a dependency is a path, query, header, cookie,
  form or body value, or an upload: request input (``Query[Params]``, ``body: ItemIn``,
  ``file: UploadedFile = File(...)``, Litestar's ``data``, ``headers``, ``cookies``, ``query``);
- **from the URL rule only** (Flask, Quart, Sanic, aiohttp's ``match_info``): the parameters named
  by the rule's placeholders (``<name>``, Sanic's ``<name:str>``, ``{name}``);
- **Falcon responders** (``on_get(self, req, resp, name)``): the URI template's fields, after
  ``req`` and ``resp``, numbers when every ``add_route`` of the module that routes to the
  responder's class (and its ``suffix=``) types the field with a numeric converter
  (``/items/{item_id:int}``); a ``@falcon.before`` hook's ``params`` (``(req, resp, resource,
  params)``): the same fields, as a dict;
- **Django views**: the URL pattern's parameters (kept in :mod:`vetpy.dataflow.flow`).

A parameter typed (by annotation or converter) as a number, a UUID or a date holds no text.
"""

from __future__ import annotations

import ast
import re
from functools import cached_property

from vetpy.astutil import ImportMap, dotted_name
from vetpy.dataflow.values import FunctionNode
from vetpy.semantic.resource_routes import namespaces, resource_rules, text_parsers

# frameworks whose handlers take their query (and body) parameters by name
BY_NAME_FRAMEWORKS = frozenset({"fastapi", "starlette", "ninja", "litestar"})
# Litestar's reserved handler parameters that are not client data
_LITESTAR_RESERVED = frozenset({"state", "scope", "socket", "receive", "send"})
# the verb methods of Tornado's `RequestHandler` (tornado 6.6 `web.py`, `SUPPORTED_METHODS` less HEAD/OPTIONS)
TORNADO_VERBS = frozenset({"get", "post", "put", "patch", "delete"})
# Sanic's typed placeholder ``<name:int>`` (the type after the name, unlike Flask's ``<int:name>``)
_SANIC_PARAM_RE = re.compile(r"<(\w+)(?::([^>]+))?>")
# django-ninja's placeholder: ``{name}`` or, Django's converter first, ``{int:name}``
_NINJA_PARAM_RE = re.compile(r"\{(?:(\w+):)?(\w+)\}")
# placeholder types that hold no text (Sanic, Litestar, django-ninja's Django converters)
NUMERIC_CONVERTERS = frozenset({"int", "float", "uuid", "uuidstr", "ymd", "decimal", "date", "datetime", "time", "timedelta"})
# Falcon responders: ``on_get``, ``on_post_collection`` (a suffixed responder) ...
_FALCON_RESPONDER_RE = re.compile(r"on_(?:get|post|put|patch|delete|head|options)(?:_(\w+))?")
# a field of a Falcon URI template, with its converter: ``{name}``, ``{id:int}``, ``{day:dt("%Y-%m-%d")}``
_FALCON_FIELD_RE = re.compile(r"\{(\w+)(?::(\w+))?")
# Falcon's converters (falcon.routing.converters.BUILTIN) that make a value holding no text
_FALCON_NUMERIC = frozenset({"int", "float", "uuid", "dt"})


def frameworks(imports: ImportMap) -> frozenset[str]:
    """The top-level modules ``imports`` brings in."""
    return frozenset(m.split(".")[0] for m in imports.names.values())


def by_name(path: str | None, modules: frozenset[str]) -> bool:
    """Does the framework of a route at ``path`` bind every other parameter from the request by name?"""
    return path is not None and bool(modules & BY_NAME_FRAMEWORKS)


def placeholder_types(route: str, modules: frozenset[str]) -> dict[str, str]:
    """The placeholders of the framework-specific forms (Sanic's ``<name:type>``, ninja's
    ``{type:name}``): parameter name -> its type ("" when untyped)."""
    found: dict[str, str] = {}
    if "sanic" in modules:
        found.update({m.group(1): (m.group(2) or "").split(":")[0] for m in _SANIC_PARAM_RE.finditer(route)})
    if "ninja" in modules:
        found.update({m.group(2): m.group(1) or "" for m in _NINJA_PARAM_RE.finditer(route)})
    return found


def falcon_fields(func: FunctionNode, modules: frozenset[str]) -> list[str]:
    """The URI template fields of a Falcon responder (``def on_get(self, req, resp, name)``): the
    parameters after ``req`` and ``resp``; a hook's ``params`` (``def check(req, resp, resource,
    params)``); none for any other function."""
    if "falcon" not in modules:
        return []
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    if len(names) == 4 and names[0] in ("req", "request") and names[3] == "params":
        return ["params"]  # a @falcon.before hook: the responder's URI fields, as a dict
    if not _FALCON_RESPONDER_RE.fullmatch(func.name):
        return []
    if len(names) < 3 or names[0] != "self":
        return []
    return names[3:] + [a.arg for a in func.args.kwonlyargs]


def falcon_typed_fields(tree: ast.Module) -> dict[tuple[str, str], dict[str, str]]:
    """``app.add_route("/items/{item_id:int}", Items(), suffix="v2")`` calls of a module:
    (resource class, suffix) -> each URI field's converter, "" when any route of that responder
    leaves it untyped (a field is a number only when every route to it says so)."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_route"
                and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            continue
        resource = node.args[1]
        cls = dotted_name(resource.func) if isinstance(resource, ast.Call) else None
        suffix = next((k.value.value for k in node.keywords if k.arg == "suffix" and isinstance(k.value, ast.Constant)), "")
        if cls is None or not isinstance(suffix, str):
            continue
        fields = found.setdefault((cls.rsplit(".", 1)[-1], suffix), {})
        for m in _FALCON_FIELD_RE.finditer(node.args[0].value):
            kind = m.group(2) if m.group(2) in _FALCON_NUMERIC else ""
            fields[m.group(1)] = kind if fields.get(m.group(1), kind) == kind else ""
    return found


def sanic_added_routes(tree: ast.Module) -> dict[str, dict[str, str]]:
    """``app.add_route(handler, "/files/<name>")`` and ``bp.add_route(Items.as_view(), "/items/<item_id:int>")``
    (sanic 25.12: ``add_route(handler, uri, methods=...)``, the handler first) of a module: the
    handler function's or view class's name -> each placeholder's type, "" when any route to it
    leaves it untyped (a placeholder is a number only when every route to it says so)."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_route"
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
            continue
        handler = node.args[0]
        if isinstance(handler, ast.Call) and isinstance(handler.func, ast.Attribute) and handler.func.attr == "as_view":
            handler = handler.func.value
        name = dotted_name(handler)
        if name is None:
            continue
        fields = found.setdefault(name.rsplit(".", 1)[-1], {})
        for m in _SANIC_PARAM_RE.finditer(node.args[1].value):
            kind = (m.group(2) or "").split(":")[0]
            fields[m.group(1)] = kind if fields.get(m.group(1), kind) == kind else ""
    return found


def sanic_route_placeholders(func: FunctionNode, added: dict[str, dict[str, str]], owners: dict[ast.AST, str]) -> dict[str, str]:
    """The placeholders of the ``add_route`` calls that route to ``func`` (a module-level handler,
    or a verb method of an ``HTTPMethodView`` class routed by ``as_view()``)."""
    cls = owners.get(func)
    if cls is not None:
        return added.get(cls, {}) if func.name in _HTTP_VERBS else {}
    return added.get(func.name, {})


_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def falcon_routes(tree: ast.Module) -> tuple[dict[tuple[str, str], dict[str, str]], dict[ast.AST, str]]:
    """The module's Falcon routes (:func:`falcon_typed_fields`) and the class of each method of its module-level classes."""
    return falcon_typed_fields(tree), method_owners(tree)


def method_owners(tree: ast.Module) -> dict[ast.AST, str]:
    """The class of each method of the module-level classes."""
    return {stmt: cls.name for cls in tree.body if isinstance(cls, ast.ClassDef) for stmt in cls.body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}


class AddedRoutes:
    """The routes a module adds by call rather than by decorator (Falcon's ``add_route(uri,
    Resource())``, Sanic's ``add_route(handler, uri)``), read once per module when first asked."""

    def __init__(self, tree: ast.Module, modules: frozenset[str]) -> None:
        self.tree, self.modules = tree, modules
        self._falcon: tuple[dict[tuple[str, str], dict[str, str]], dict[ast.AST, str]] | None = None
        self._sanic: tuple[dict[str, dict[str, str]], dict[ast.AST, str]] | None = None
        self._tornado: dict[ast.AST, str] | None = None

    @cached_property
    def resources(self) -> dict[ast.AST, str]:
        """Flask-RESTX / Flask-RESTful: each verb method of a routed resource class -> its URL rules."""
        return resource_rules(self.tree, self.modules)

    @cached_property
    def parsers(self) -> frozenset[str]:
        """The module's ``reqparse.RequestParser()`` names whose ``parse_args()`` gives free text."""
        return text_parsers(self.tree, self.modules)

    @cached_property
    def namespaces(self) -> frozenset[str]:
        """The module's Flask-RESTX ``Namespace(...)`` / ``Api(...)`` names, whose ``payload`` is the request's JSON."""
        return namespaces(self.tree, self.modules)

    def tornado_method(self, func: FunctionNode) -> bool:
        """A ``get``/``post``/``put``/``patch``/``delete`` of a module-level class with a base, in a
        module that imports tornado: a ``RequestHandler``'s verb method (``_execute`` calls it with
        the route's groups)."""
        if "tornado" not in self.modules or func.name not in TORNADO_VERBS:
            return False
        if self._tornado is None:
            self._tornado = {stmt: cls.name for cls in self.tree.body if isinstance(cls, ast.ClassDef) and cls.bases
                             for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
        return func in self._tornado

    def converters(self, func: FunctionNode, path: str | None) -> dict[str, str]:
        """The URI fields of ``func`` (a parameter name -> its converter, "" for text) that its added routes give it."""
        found: dict[str, str] = {}
        if "falcon" in self.modules:
            self._falcon = self._falcon or falcon_routes(self.tree)
            found.update(falcon_converters(func, self.modules, *self._falcon))
        if path is None and self.tornado_method(func):  # the route's regex groups, by position (text: the table is most often elsewhere)
            found.update({a.arg: "" for a in (func.args.posonlyargs + func.args.args)[1:]})
        if path is None and "sanic" in self.modules:  # `app.add_route(handler, "/files/<name>")`
            self._sanic = self._sanic or (sanic_added_routes(self.tree), method_owners(self.tree))
            found.update(sanic_route_placeholders(func, *self._sanic))
        return found


def falcon_converters(func: FunctionNode, modules: frozenset[str], typed: dict[tuple[str, str], dict[str, str]],
                      owners: dict[ast.AST, str]) -> dict[str, str]:
    """The URI fields of a Falcon responder or hook -> "int" when every route to it types the
    field with a numeric converter, else "" (text)."""
    m = _FALCON_RESPONDER_RE.fullmatch(func.name)
    cls = owners.get(func)
    fields = typed.get((cls, m.group(1) or ""), {}) if m and cls else {}
    return {name: "int" if fields.get(name) else "" for name in falcon_fields(func, modules)}


def reserved(name: str, modules: frozenset[str]) -> bool:
    """A parameter the framework fills with one of its own objects, not with client data."""
    return "litestar" in modules and name in _LITESTAR_RESERVED


def annotation_name(annotation: ast.expr | None) -> str | None:
    """The last name of a parameter's annotation, through ``Optional[...]``, ``Annotated[...]``,
    ``Query[...]``, ``X | None`` and string annotations."""
    if annotation is None:
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.split("[")[0].split(".")[-1]
    if isinstance(annotation, ast.Subscript):  # Optional[int], Annotated[str, Query()]
        inner = annotation.slice
        if isinstance(inner, ast.Tuple) and inner.elts:
            inner = inner.elts[0]
        return annotation_name(inner)
    if isinstance(annotation, ast.BinOp):  # int | None
        return annotation_name(annotation.left)
    name = dotted_name(annotation)
    return name.split(".")[-1] if name else None

"""Which parameters of a web handler the framework fills from the request (issue #20, service26).

The frameworks differ in how a handler's parameters are bound:

- **by name** (FastAPI, Starlette's FastAPI-style routers, django-ninja, Litestar): every parameter
  that is not the request, a framework object or a dependency is a path, query, header, cookie,
  form or body value, or an upload: request input (``Query[Params]``, ``body: ItemIn``,
  ``file: UploadedFile = File(...)``, Litestar's ``data``, ``headers``, ``cookies``, ``query``);
- **from the URL rule only** (Flask, Quart, Sanic, aiohttp's ``match_info``): the parameters named
  by the rule's placeholders (``<name>``, Sanic's ``<name:str>``, ``{name}``);
- **Falcon responders** (``on_get(self, req, resp, name)``): the URI template's fields, after
  ``req`` and ``resp``;
- **Django views**: the URL pattern's parameters (kept in :mod:`vetpy.dataflow.flow`).

A parameter typed (by annotation or converter) as a number, a UUID or a date holds no text.
"""

from __future__ import annotations

import ast
import re

from vetpy.astutil import ImportMap, dotted_name
from vetpy.dataflow.values import FunctionNode

# frameworks whose handlers take their query (and body) parameters by name
BY_NAME_FRAMEWORKS = frozenset({"fastapi", "starlette", "ninja", "litestar"})
# Litestar's reserved handler parameters that are not client data
_LITESTAR_RESERVED = frozenset({"state", "scope", "socket", "receive", "send"})
# Sanic's typed placeholder ``<name:int>`` (the type after the name, unlike Flask's ``<int:name>``)
_SANIC_PARAM_RE = re.compile(r"<(\w+)(?::([^>]+))?>")
# django-ninja's placeholder: ``{name}`` or, Django's converter first, ``{int:name}``
_NINJA_PARAM_RE = re.compile(r"\{(?:(\w+):)?(\w+)\}")
# placeholder types that hold no text (Sanic, Litestar, django-ninja's Django converters)
NUMERIC_CONVERTERS = frozenset({"int", "float", "uuid", "uuidstr", "ymd", "decimal", "date", "datetime", "time", "timedelta"})
# Falcon responders: ``on_get``, ``on_post_collection`` (a suffixed responder) ...
_FALCON_RESPONDER_RE = re.compile(r"on_(?:get|post|put|patch|delete|head|options)(?:_\w+)?")


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
    parameters after ``req`` and ``resp``; none for any other function."""
    if "falcon" not in modules or not _FALCON_RESPONDER_RE.fullmatch(func.name):
        return []
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    if len(names) < 3 or names[0] != "self":
        return []
    return names[3:] + [a.arg for a in func.args.kwonlyargs]


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

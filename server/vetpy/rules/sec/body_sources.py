"""Where SEC034 finds the request's whole body and the ORM write that takes it (mass assignment).

- :func:`body_helper`: ``helper(req)`` (also awaited) of a module-level function (this module, or
  another module of the project) that takes only the request and whose every ``return`` gives the
  request's whole parsed body: falcon's ``req.get_media()``/``req.media``, ``request.json()``,
  ``request.get_json()``, ``json.loads(request.body)``, directly or through a local bound once that
  nothing edits (``validate(req, schema)`` returning ``schema.load(data)``, or a helper picking
  fields, is not one);
- :func:`model_class`: ``Model`` in ``Model.create(**body)`` is a class of a module that imports
  peewee or tortoise (the class's own module: this one or another module of the project);
- :func:`deny_listed`: the handler removes a key of the body it never reads
  (``body.pop("role", None)``, ``del body["role"]``): a deny-list, not certain enough to report;
- :func:`view_method`: a method named after an HTTP verb of a class deriving aiohttp's
  ``web.View``: a request handler (``self.request`` is the request).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from vetpy.rules.sec.body_methods import or_empty, project_class, project_tree, returned_values
from vetpy.rules.sec.walk import FunctionNode, SecurityPass

_ORMS = frozenset({"peewee", "tortoise"})
_VIEWS = frozenset({"aiohttp.web.View", "aiohttp.web_urldispatcher.View"})
_VERBS = frozenset({"get", "post", "put", "patch", "delete"})
# the request's whole body in a helper taking the request `req`: `req.ATTR` or `req.ATTR()`
_WHOLE = frozenset({"media", "get_media", "json", "get_json"})
_RAW = frozenset({"body", "data", "get_data", "read", "text"})
_DECODERS = frozenset({"json.loads", "loads", "orjson.loads", "ujson.loads"})


def body_helper(sec: SecurityPass, node: ast.expr, is_request: Callable[[ast.expr], bool]) -> str | None:
    """``helper(req)`` (awaited or not) whose function returns the whole parsed body of the
    request ``req`` (``is_request(arg)`` tells): how to name it, else None."""
    call = node.value if isinstance(node, ast.Await) else node
    if not (isinstance(call, ast.Call) and len(call.args) == 1 and not call.keywords and is_request(call.args[0])):
        return None
    if not isinstance(call.func, ast.Name):
        return None
    fn = _function(sec, call.func)
    if fn is None or not _returns_whole_body(fn):
        return None
    return f"the request body from `{call.func.id}({sec.doc.segment(call.args[0])})`"


def _function(sec: SecurityPass, name: ast.Name) -> FunctionNode | None:
    """The module-level function ``name`` calls: of this module, or imported from another module
    of the project (whose text becomes a read of this file's analysis)."""
    local = [s for s in sec.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name.id]
    if local:
        return local[0] if len(local) == 1 else None
    found = project_tree(sec, name)
    if found is None:
        return None
    tree, fname = found
    functions = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == fname]
    return functions[0] if len(functions) == 1 else None


def _returns_whole_body(fn: FunctionNode) -> bool:
    args = fn.args
    if len(args.posonlyargs + args.args) != 1 or args.vararg or args.kwarg or args.kwonlyargs or fn.decorator_list:
        return False
    req = (args.posonlyargs + args.args)[0].arg
    values = returned_values(fn)
    return values is not None and all(_parsed_body(v, req) for v in values)


def _parsed_body(node: ast.expr, req: str) -> bool:
    """``await req.get_media(...)``, ``req.media``, ``await req.json()``, ``req.get_json()``,
    ``json.loads(req.body)`` (each also ``... or {}``)."""
    node = or_empty(node)
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords and ast.unparse(node.func) in _DECODERS:
        raw = or_empty(node.args[0])
        raw = raw.value if isinstance(raw, ast.Await) else raw
        raw = raw.func if isinstance(raw, ast.Call) and not raw.args and not raw.keywords else raw
        return isinstance(raw, ast.Attribute) and raw.attr in _RAW and isinstance(raw.value, ast.Name) and raw.value.id == req
    if isinstance(node, ast.Call) and not node.args:
        if any(kw.arg not in {"default_when_empty", "silent", "force"} for kw in node.keywords):
            return False
        node = node.func
    return isinstance(node, ast.Attribute) and node.attr in _WHOLE and isinstance(node.value, ast.Name) and node.value.id == req


def model_class(sec: SecurityPass, name: ast.Name) -> bool:
    """Is ``name`` a class, with a base, of a module that imports peewee or tortoise?"""
    own = [s for s in sec.tree.body if isinstance(s, ast.ClassDef) and s.name == name.id]
    if own:
        return len(own) == 1 and bool(own[0].bases) and _imports_orm(sec.tree)
    found = project_class(sec, name)
    return found is not None and bool(found[0].bases) and _imports_orm(found[1])


def _imports_orm(tree: ast.Module) -> bool:
    for stmt in tree.body:
        if isinstance(stmt, ast.Import) and any(a.name.split(".")[0] in _ORMS for a in stmt.names):
            return True
        if isinstance(stmt, ast.ImportFrom) and not stmt.level and (stmt.module or "").split(".")[0] in _ORMS:
            return True
    return False


def deny_listed(func: FunctionNode, name: str) -> bool:
    """Does ``func`` remove a key of the mapping ``name`` that it never reads (``name.pop("role",
    None)`` as a statement, ``del name["role"]``, ``name.clear()``), or a key it cannot name?"""
    dropped = {id(n.value) for n in ast.walk(func) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)}
    read: set[object] = set()
    removed: list[object] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == name:
                    removed.append(_key(target.slice))
        elif isinstance(node, ast.Call) and id(node) in dropped and _method_of(node, name) in {"pop", "clear", "popitem"}:
            removed.append(_key(node.args[0]) if node.args else None)
        elif isinstance(node, ast.Call) and _method_of(node, name) in {"get", "pop"} and node.args:
            read.add(_key(node.args[0]))  # `body.get("school")`, `password = body.pop("password")`
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name) and node.value.id == name:
            read.add(_key(node.slice))
    return any(k is None or k not in read for k in removed)


def _key(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _method_of(call: ast.Call, name: str) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == name else None


def view_method(sec: SecurityPass, func: FunctionNode, ancestors: list[ast.AST]) -> bool:
    """Is ``func`` an HTTP verb's method of a class deriving aiohttp's ``web.View``?"""
    if func.name not in _VERBS:
        return False
    cls = next((a for a in reversed(ancestors) if isinstance(a, ast.ClassDef)), None)
    return cls is not None and func in cls.body and any(sec.qualified(b) in _VIEWS for b in cls.bases)

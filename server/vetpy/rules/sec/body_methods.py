"""A handler's own method that returns the request's whole JSON body (SEC034).

Tornado has no ``request.json``: projects write it once in a base handler (``BaseHandler.json_body``,
the example of :mod:`vetpy.dataflow.source_methods`) and every handler calls ``self.json_body()``.
:func:`body_method` finds the method (in the handler's class, or a base class of the same module or
of another module of the project, two levels deep: :func:`vetpy.dataflow.class_methods.find_in_class`)
and tells whether what it returns is every key the client sent: each ``return`` gives
``json.loads(self.request.body)`` (``tornado.escape.json_decode``, with an empty fallback), directly
or through a local bound once that nothing edits (no ``del``, ``pop``, subscript store).  A method
that validates with a schema, picks fields, or takes arguments is not one.
"""

from __future__ import annotations

import ast

from vetpy import reads
from vetpy.dataflow.class_methods import find_in_class
from vetpy.rules.sec.cross_module import project_target
from vetpy.rules.sec.sink_summaries import caller_text, note_dependent
from vetpy.rules.sec.walk import SecurityPass
from vetpy.trees import parse_file

_DECODERS = frozenset({"json.loads", "tornado.escape.json_decode", "json_decode", "loads"})
_EDITS = frozenset({"pop", "popitem", "clear", "__delitem__"})


def body_method(sec: SecurityPass, call: ast.expr, ancestors: list[ast.AST]) -> str | None:
    """``self.NAME()`` (no arguments) in a method of a class: the method's name when it returns
    the request's whole JSON body as parsed, else None."""
    if not (isinstance(call, ast.Call) and not call.args and not call.keywords and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "self"):
        return None
    cls = next((a for a in reversed(ancestors) if isinstance(a, ast.ClassDef)), None)
    if cls is None or "tornado" not in sec.modules:
        return None
    method = find_method(sec, cls, sec.tree, call.func.attr)
    return f"`self.{call.func.attr}()`" if method is not None and _whole_body(method) else None


def find_method(sec: SecurityPass, cls: ast.ClassDef, tree: ast.Module, name: str) -> ast.FunctionDef | None:
    """The method ``name`` (a plain ``def``) of ``cls`` or of its bases (classes of ``tree``'s
    module, or of another module of the project when ``tree`` is the analysed file's)."""
    return find_in_class(cls, tree, name, lambda method, _tree: method, lambda base: project_class(sec, base), False)  # type: ignore[return-value]


def project_class(sec: SecurityPass, name: ast.Name) -> tuple[ast.ClassDef, ast.Module] | None:
    """The class ``name`` imports from another module of the project, with that module's tree
    (whose text becomes a read of this file's analysis), or None."""
    found = project_tree(sec, name)
    if found is None:
        return None
    tree, class_name = found
    cls = next((s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == class_name), None)
    return (cls, tree) if cls is not None else None


def project_tree(sec: SecurityPass, name: ast.Name) -> tuple[ast.Module, str] | None:
    """The tree of the module of the project that ``name`` is imported from, with the name it has
    there (the module's text becomes a read of this file's analysis), or None."""
    qualified = sec.qualified(name)
    if qualified is None or sec.ctx is None or sec.ctx.resolver is None:
        return None
    target = project_target(sec, qualified, False)
    if target is None:
        return None
    path, _module, own_name, _dotted = target
    reads.note_file(path)  # the module's text decides: an edit of it re-checks this file (result cache)
    note_dependent(path, sec.doc.path)
    text = caller_text(path)
    if text is None or own_name not in text:
        return None
    try:
        return parse_file(str(path), text), own_name
    except (SyntaxError, ValueError):
        return None


def _whole_body(method: ast.FunctionDef) -> bool:
    """Does every ``return`` of ``method`` (which takes only ``self``) give the parsed body?"""
    args = method.args
    if len(args.args) != 1 or args.vararg or args.kwarg or args.kwonlyargs or method.decorator_list:
        return False
    values = returned_values(method)
    return values is not None and all(_parsed_body(v) for v in values)


def returned_values(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr] | None:
    """What every ``return`` of ``fn`` gives, a local bound once and never edited read as the
    expression bound to it; None when one returns nothing or such a local cannot be followed."""
    returns = [n for n in ast.walk(fn) if isinstance(n, ast.Return)]
    if not returns:
        return None
    stores: dict[str, int] = {}
    bound: dict[str, ast.expr] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name) and node.value is not None:
                bound[targets[0].id] = node.value
    values: list[ast.expr] = []
    for ret in returns:
        value = ret.value
        if isinstance(value, ast.Name):
            if stores.get(value.id) != 1 or value.id not in bound or edited(fn, value.id):
                return None
            value = bound[value.id]
        if value is None:
            return None
        values.append(value)
    return values


def edited(method: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Is the local ``name`` changed after it is bound (``del data["role"]``, ``data.pop(...)``,
    ``data["x"] = ...``, ``data.update(...)``)?"""
    for node in ast.walk(method):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)) \
                and isinstance(node.value, ast.Name) and node.value.id == name:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == name and node.func.attr in _EDITS | {"update", "setdefault"}:
            return True
    return False


def _parsed_body(node: ast.expr) -> bool:
    """``json.loads(self.request.body)`` (also ``... or b"{}"`` inside or outside the call,
    ``tornado.escape.json_decode``)."""
    node = or_empty(node)
    if not (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords and ast.unparse(node.func) in _DECODERS):
        return False
    raw = or_empty(node.args[0])
    if isinstance(raw, ast.Call) and isinstance(raw.func, ast.Attribute) and raw.func.attr == "decode":
        raw = raw.func.value
    return ast.unparse(raw) == "self.request.body"


def or_empty(node: ast.expr) -> ast.expr:
    """``x or b"{}"`` (also ``or "{}"``, ``or b""``, ``or {}``): ``x``; any other node as it is."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2 and _empty(node.values[1]):
        return node.values[0]
    return node


def _empty(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and node.value in (b"{}", "{}", b"", "")) or (isinstance(node, ast.Dict) and not node.keys)

"""The project's own methods that give request input: ``self.json_body()`` of a base handler.

Tornado has no ``request.json``, and class-based views of every framework put the reading of the
request in a base class, once:

    class BaseHandler(tornado.web.RequestHandler):
        def json_body(self) -> dict:
            data = json.loads(self.request.body or b"{}")
            if not isinstance(data, dict):
                raise tornado.web.HTTPError(400)
            return data

A handler's ``self.json_body()`` (or ``self.param("q")``, or a property ``self.body_json``) is then
request input for every SEC rule that asks the data-flow model (:meth:`SourceMethods.call`,
:meth:`SourceMethods.attribute`).  The method is found as Python finds it from the calling method's
class: the class itself, then its bases (a class of this module, or through
:attr:`SourceMethods.project_class`, which the SEC pass sets, a class of another module of the
project), two levels deep.  It is a source when every ``return`` of its own body gives request input
by the local model of its module (its parameters other than ``self`` unknown): ``json.loads(self.
request.body)``, ``self.get_argument(name)``, ``self.request.headers.get(...)``.  What it does on the
way counts: ``int(...)`` is a number, ``schema.load(...)`` or a call of another helper is not known,
so a method that validates or converts the input is not a source.  Certain only: an undecorated
method (or a plain ``property``/``cached_property`` for the attribute), no generator, a method name no
other class of the calling module defines (a subclass could override it), called on ``self`` in a
method whose first parameter is ``self``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from vetpy.astutil import walk_statements
from vetpy.dataflow.class_methods import ProjectClass, find_in_class
from vetpy.dataflow.summaries import own_returns
from vetpy.dataflow.values import UNKNOWN, FunctionNode, Trust, Value, join_all

ModuleFlow = Any  # vetpy.dataflow.flow.ModuleFlow (this module must not import it)
_PROPERTIES = frozenset({"property", "cached_property", "functools.cached_property"})


class SourceMethods:
    """The source methods seen from one module (see the module docstring)."""

    def __init__(self, flow: ModuleFlow, flow_of: Callable[[ast.Module], ModuleFlow], scope_of: Callable[..., Any]) -> None:
        self.flow = flow
        self._flow_of = flow_of  # the model of another module's tree
        self._scope_of = scope_of  # vetpy.dataflow.flow.Scope
        # the class a name of a base imports from another module of the project (set by the SEC pass)
        self.project_class: ProjectClass | None = None
        self._owners: dict[int, ast.ClassDef] | None = None
        self._defined: dict[str, int] = {}
        self._memo: dict[tuple[int, str, bool], Value | None] = {}

    def call(self, func: ast.Attribute, caller: FunctionNode | None) -> Value | None:
        """The value of ``self.NAME(...)`` in ``caller`` when NAME is a source method, else None."""
        return self._lookup(func, caller, False)

    def attribute(self, expr: ast.Attribute, caller: FunctionNode | None) -> Value | None:
        """The value of ``self.NAME`` in ``caller`` when NAME is a source property, else None."""
        return self._lookup(expr, caller, True)

    def _lookup(self, node: ast.Attribute, caller: FunctionNode | None, prop: bool) -> Value | None:
        if not (caller is not None and isinstance(node.value, ast.Name) and node.value.id == "self"):
            return None
        first = (caller.args.posonlyargs + caller.args.args)[:1]
        if [a.arg for a in first] != ["self"]:
            return None
        cls = self._owner(caller)
        if cls is None or self._defined.get(node.attr, 0) > 1:
            return None  # not a method, or two classes here define the name: which one runs is not certain
        key = (id(cls), node.attr, prop)
        if key in self._memo:
            return self._memo[key]
        found = self._memo[key] = find_in_class(cls, self.flow.tree, node.attr, lambda method, tree: self._source(method, tree, prop),
                                                self.project_class, True)
        return found

    def _owner(self, func: FunctionNode) -> ast.ClassDef | None:
        if self._owners is None:
            self._owners = {}
            for node in walk_statements(self.flow.tree):  # a class is a statement: the statements only
                if isinstance(node, ast.ClassDef):
                    for stmt in node.body:
                        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            self._owners[id(stmt)] = node
                            self._defined[stmt.name] = self._defined.get(stmt.name, 0) + 1
        return self._owners.get(id(func))

    def _source(self, method: FunctionNode, tree: ast.Module, prop: bool) -> Value | None:
        """Request input when every ``return`` of ``method`` gives it (by its module's model)."""
        args = method.args
        if args.vararg or args.kwarg or [a.arg for a in (args.posonlyargs + args.args)[:1]] != ["self"]:
            return None
        decorators = {ast.unparse(d) for d in method.decorator_list}
        if (decorators - _PROPERTIES) or bool(decorators) != prop or (prop and len(args.posonlyargs + args.args) != 1):
            return None
        returns = own_returns(method)
        if not returns or any(ret.value is None for ret, _ in returns) or _checked(method, returns):
            return None
        flow = self.flow if tree is self.flow.tree else self._flow_of(tree)
        if not flow.web:
            return None
        params = {a.arg: UNKNOWN for a in args.posonlyargs + args.args + args.kwonlyargs}
        probe = self._scope_of(flow, method, params=params, summaries=False)
        values = [probe.value(ret.value, at=ret, ancestors=blocks) for ret, blocks in returns if ret.value is not None]
        joined = join_all(values)
        if joined.trust is not Trust.UNTRUSTED or any(v.trust is not Trust.UNTRUSTED for v in values):
            return None
        label = f"`self.{method.name}`" if prop else f"`self.{method.name}()`"
        return replace(joined, source=f"request input from {label}")


def _checked(method: FunctionNode, returns: list[tuple[ast.Return, tuple[ast.AST, ...]]]) -> bool:
    """Does ``method`` rebind a name it returns (``next_page = self.request.path`` when a check
    fails: the model joins the bindings) or test it other than for its type, presence or length
    (``if not url_has_allowed_host_and_scheme(url, ...)``, ``if sort not in ALLOWED``)?"""
    names = {n.id for ret, _ in returns for n in ast.walk(ret.value) if isinstance(n, ast.Name)} - {"self"}  # type: ignore[arg-type]
    stores: dict[str, int] = {}
    for node in ast.walk(method):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names:
            stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node, (ast.If, ast.While, ast.Assert, ast.IfExp)) and not _plain_test(node.test, names):
            return True
    return any(count > 1 for count in stores.values())


def _plain_test(test: ast.expr, names: set[str]) -> bool:
    """Is ``test`` free of the names, or only ``isinstance(x, T)``, ``x is None``, ``x``, ``len(x) < N``
    of them (joined by ``not``/``and``/``or``)?"""
    if not any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(test)):
        return True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _plain_test(test.operand, names)
    if isinstance(test, ast.BoolOp):
        return all(_plain_test(v, names) for v in test.values)
    if isinstance(test, ast.Name):
        return True
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id in {"isinstance", "len"}:
        return all(isinstance(a, ast.Name) or not any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(a)) for a in test.args)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        if isinstance(test.ops[0], (ast.Is, ast.IsNot)) and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
            return isinstance(test.left, ast.Name)
        left = test.left
        return isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "len" \
            and isinstance(test.comparators[0], ast.Constant) and not isinstance(test.ops[0], (ast.In, ast.NotIn))
    return False

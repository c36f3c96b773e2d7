"""What a module stores in the web session under each key, for the reads of that key.

``session["next"] = request.args.get("next")`` at login and ``redirect(session.pop("next"))`` at
the callback: the read carries the stored value, request input, with whatever was done to it before
it was stored (an allow-list check, a sanitiser).  Keys are constant strings; the session is
Flask's or Quart's ``session`` or a handler's ``request.session`` (Django, Starlette).  A key the
module never stores is not answered here (the caller keeps its own answer: unknown).
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.dataflow.values import FunctionNode, Value, join_all

# the data-flow model (vetpy.dataflow.flow imports this module: not imported back)
ModuleFlow = Any
Scope = Any

_SESSIONS = frozenset({"flask.session", "quart.session"})
_READERS = frozenset({"get", "pop"})


def is_session(flow: ModuleFlow, node: ast.expr, scope: Scope) -> bool:
    """``session`` (Flask, Quart) or ``request.session`` of a handler's request."""
    return _is_session(flow, node, scope.func, scope.params)


def _is_session(flow: ModuleFlow, node: ast.expr, func: FunctionNode | None, params) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "session":
        return flow.request_object_in(node.value, func, params)
    return isinstance(node, ast.Name) and flow.qualified(node) in _SESSIONS


def read_key(flow: ModuleFlow, expr: ast.expr, scope: Scope) -> str | None:
    """The key a read of the session reads: ``session["k"]``, ``session.get("k", ...)``,
    ``session.pop("k", ...)``; None for anything else."""
    if isinstance(expr, ast.Subscript) and isinstance(expr.ctx, ast.Load):
        key, owner = expr.slice, expr.value
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in _READERS and expr.args:
        key, owner = expr.args[0], expr.func.value
    else:
        return None
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
        return None
    return key.value if is_session(flow, owner, scope) else None


class SessionStores:
    """The module's stores into the session, by key, and their values (computed on first use)."""

    def __init__(self, flow: ModuleFlow) -> None:
        self._flow = flow
        self._stores: dict[str, list[tuple[FunctionNode | None, ast.expr]]] | None = None
        self._values: dict[str, Value | None] = {}
        self._computing: set[str] = set()

    def value(self, key: str) -> Value | None:
        """The join of what the module stores under ``key``; None when it stores nothing there
        (or while that is being worked out: a store that reads the key back)."""
        if key in self._values:
            return self._values[key]
        stores = self._all().get(key)
        if not stores or key in self._computing:
            return None
        self._computing.add(key)
        try:
            found = join_all([self._flow.scope(func).value(expr) for func, expr in stores])
        finally:
            self._computing.discard(key)
        self._values[key] = found
        return found

    def _all(self) -> dict[str, list[tuple[FunctionNode | None, ast.expr]]]:
        if self._stores is None:
            self._stores = {}
            flow = self._flow
            if "session" in (flow.source if flow.source is not None else "session"):
                for func in [None, *(n for n in ast.walk(flow.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]:
                    self._collect(func)
        return self._stores

    def _collect(self, func: FunctionNode | None) -> None:
        assert self._stores is not None
        body = func.body if func is not None else self._flow.tree.body
        stack: list[ast.AST] = list(body)
        params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs} if func is not None else set()
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                continue  # their own stores are collected with them
            stack.extend(ast.iter_child_nodes(node))
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                if not (isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant)
                        and isinstance(target.slice.value, str)):
                    continue
                if _is_session(self._flow, target.value, func, params):
                    self._stores.setdefault(target.slice.value, []).append((func, node.value))

"""Names an ``assert`` narrows: after ``assert isinstance(app, Application)`` (or any call the
name is passed to in an assertion: a type guard), ``app`` is no longer what its binding gave
(poetry's ``application = self.application`` then ``assert isinstance(application,
Application)``: cleo's base class before, poetry's subclass after)."""

from __future__ import annotations

import ast
from typing import Any

from vetpy.astutil import child_nodes

_SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _asserted(scope: ast.AST) -> dict[str, list[tuple[int, int]]]:
    """name -> positions of the assertions of ``scope`` (not of scopes inside it) that pass the
    name to a call; kept on the scope's node."""
    known = scope.__dict__.get("_vetpy_asserted")
    if known is not None:
        return known
    if isinstance(scope, ast.Module):
        # statement by statement, each kept on its node: an incremental view is a new module on
        # every edit, made of statements the previous versions already walked (the positions are
        # only ever tested for membership and order, so their order in a list does not matter)
        found: dict[str, list[tuple[int, int]]] = {}
        for stmt in scope.body:
            for name, positions in _asserted_by(stmt).items():
                found.setdefault(name, []).extend(positions)
        scope._vetpy_asserted = found  # type: ignore[attr-defined]
        return found
    found = _assertions(child_nodes(scope))
    scope._vetpy_asserted = found  # type: ignore[attr-defined]
    return found


def _asserted_by(stmt: ast.stmt) -> dict[str, list[tuple[int, int]]]:
    """:func:`_asserted`'s part from one top-level statement (none from a definition: its own scope)."""
    if isinstance(stmt, _SCOPES):
        return {}
    known = stmt.__dict__.get("_vetpy_asserted_here")
    if known is None:
        known = stmt._vetpy_asserted_here = _assertions([stmt])  # type: ignore[attr-defined]
    return known


def _assertions(todo: list[ast.AST]) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    while todo:
        node = todo.pop()
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Assert):
            for call in ast.walk(node.test):
                if isinstance(call, ast.Call):
                    for arg in [*call.args, *(k.value for k in call.keywords)]:
                        if isinstance(arg, ast.Name):
                            found.setdefault(arg.id, []).append((node.lineno, node.col_offset))
        todo.extend(child_nodes(node))
    return found


def unless_narrowed(name: str, at: ast.AST, scope: ast.AST, bindings: list[Any]) -> list[Any]:
    """``bindings`` (of ``name`` in ``scope``, reaching ``at``), or none when an assertion of
    ``scope`` between the last of them and ``at`` passes ``name`` to a call."""
    if not isinstance(scope, _SCOPES) or not hasattr(at, "lineno") or name not in _asserted(scope):
        return bindings
    here = (at.lineno, at.col_offset)  # type: ignore[attr-defined]
    last = max(((b.stmt.lineno, b.stmt.col_offset) for b in bindings if hasattr(b.stmt, "lineno")), default=(0, 0))
    return [] if any(last < pos < here for pos in _asserted(scope)[name]) else bindings

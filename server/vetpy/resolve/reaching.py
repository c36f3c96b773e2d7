"""Which of a name's bindings in the use's own scope can reach the use, flow-insensitively: a
binding made after the use, or by the statement that contains the use (``df = df.append(...)``),
reaches it only when a loop encloses both; the target of ``except E as exc`` reaches only the
uses in its handler's body (Python deletes the name when the handler ends).  A mixin of
:class:`vetpy.resolve.infer.Inference`: it uses the inference's ``parents``."""

from __future__ import annotations

import ast
from typing import Any

SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
          ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class Reaching:
    """Bindings that reach a use (mixed into Inference)."""

    parents: dict[ast.AST, ast.AST]

    def _reaching(self, bindings: list[Any], at: ast.AST) -> list[Any]:  # of infer.Binding
        """The bindings that can reach ``at``; all of them when none can (what it is stays open)."""
        kept = []
        for b in bindings:
            if b.kind == "except":
                if isinstance(b.node, ast.ExceptHandler) and any(self._inside(at, stmt) for stmt in b.node.body):
                    kept.append(b)
                continue
            stmt: Any = b.stmt
            if stmt is None or not hasattr(stmt, "lineno") or not hasattr(at, "lineno"):
                kept.append(b)
                continue
            later = (stmt.lineno, stmt.col_offset) > (at.lineno, at.col_offset)  # type: ignore[attr-defined]
            contains = any(self._inside(at, part) for part in _evaluated_before_binding(stmt))
            if (later or contains) and not self._in_common_loop(at, stmt):
                continue
            kept.append(b)
        return kept or bindings

    def _inside(self, node: ast.AST, container: ast.AST) -> bool:
        cur: ast.AST | None = node
        while cur is not None:
            if cur is container:
                return True
            cur = self.parents.get(cur)
        return False

    def _in_common_loop(self, a: ast.AST, b: ast.AST) -> bool:
        cur = self.parents.get(b)
        while cur is not None and not isinstance(cur, SCOPES):
            if isinstance(cur, (ast.For, ast.AsyncFor, ast.While)) and self._inside(a, cur):
                return True
            cur = self.parents.get(cur)
        return False


def _evaluated_before_binding(stmt: ast.AST) -> tuple[ast.AST, ...]:
    """The parts of a binding statement that run before its names are bound: a use inside them
    does not see the binding (``df = df.append(...)``), a use in a ``for`` or ``with`` body does."""
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return (stmt.iter,)
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return tuple(item.context_expr for item in stmt.items)
    return (stmt,)

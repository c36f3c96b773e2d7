"""Code that runs only where a feature probe fails: ``if hasattr(np, "trapezoid"): return
np.trapezoid(y)`` followed by ``return np.trapz(y)``, the ``else`` of such a test, or the body of
``if not hasattr(...)``.  When the installed package has the probed name, that code is the
fallback for other releases and never runs against the target: a name it uses that the installed
release lacks is no mistake (as for a branch of a ``sys.version_info`` test that is false for the
target)."""

from __future__ import annotations

import ast
from typing import Callable

# Does the object the expression names certainly have this attribute in the target?
Has = Callable[[ast.expr, str], bool]


def _probe(test: ast.expr) -> tuple[ast.expr, str, bool] | None:
    """(object, name, positive?) of ``hasattr(obj, "name")`` / ``not hasattr(obj, "name")``."""
    positive = True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, positive = test.operand, False
    if (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr"
            and len(test.args) == 2 and not test.keywords and isinstance(test.args[1], ast.Constant)
            and isinstance(test.args[1].value, str)):
        return test.args[0], test.args[1].value, positive
    return None


def _ends(body: list[ast.stmt]) -> bool:
    """Does ``body`` always leave the enclosing block (its last statement returns or raises)?"""
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise))


def runs_only_without_probed(node: ast.AST, parents: dict[ast.AST, ast.AST], has: Has) -> bool:
    """Is ``node`` in code that runs only when a ``hasattr`` probe of a name the target has is false?"""
    child, cur = node, parents.get(node)
    while cur is not None:
        if isinstance(cur, ast.If) and child is not cur.test:
            found = _probe(cur.test)
            if found is not None:
                in_body = child in cur.body
                if in_body != found[2] and has(found[0], found[1]):
                    return True
        body = getattr(cur, "body", None)
        for block in (body, getattr(cur, "orelse", None), getattr(cur, "finalbody", None)):
            if not isinstance(block, list) or child not in block:
                continue
            for stmt in block[: block.index(child)]:  # `if hasattr(m, "n"): return ...` before it
                if isinstance(stmt, ast.If) and not stmt.orelse and _ends(stmt.body):
                    found = _probe(stmt.test)
                    if found is not None and found[2] and has(found[0], found[1]):
                        return True
        child, cur = cur, parents.get(cur)
    return False


def imported_modules(tree: ast.AST | None) -> frozenset[str]:
    """The modules ``tree`` (a module or a statement) imports with ``import a.b`` (dotted names as written)."""
    if tree is None:
        return frozenset()
    return frozenset(a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names)

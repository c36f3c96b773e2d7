"""EDGE007: a local that is certainly a binary float, as an operand of money arithmetic.

``discount = 0.05 * min(years, 4)`` then ``price - price * discount`` is the money arithmetic with a
float literal that ``price * 0.95`` is, one assignment away. Certain only: a name of the function
(not a parameter) whose every binding is plain (``=``, ``:=``) and a float by construction: a
float literal, ``float(...)``, or ``+ - * /`` with such an operand (``Decimal`` anywhere in it: no).
"""

from __future__ import annotations

import ast

from vetpy.rules.edge.facts import Module


def _float_expr(mod: Module, node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    if isinstance(node, ast.Constant):
        return isinstance(node.value, float)
    if isinstance(node, ast.Call):
        return mod.is_builtin(node.func, "float") and len(node.args) <= 1
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        return _float_expr(mod, node.left) or _float_expr(mod, node.right)
    return False


def float_local(mod: Module, node: ast.expr, at: ast.AST) -> bool:
    """Is ``node`` a local name of the function around ``at`` that holds a float on every path?"""
    if not isinstance(node, ast.Name):
        return False
    values = mod.local_values(node.id, at)
    if not values:
        return False
    return all(
        isinstance(v, ast.expr) and _float_expr(mod, v)
        and not any(isinstance(n, ast.Call) and mod.qname(n.func) == "decimal.Decimal" for n in ast.walk(v))
        for v in values
    )


def float_parameter(mod: Module, node: ast.expr, at: ast.AST) -> str | None:
    """The parameter declared exactly ``float`` (``rate: float``) of the function around ``at``
    that ``node`` is, or that an operand of its arithmetic is (``percent / 100``, ``1 + rate``),
    never rebound in the function; None when a ``Decimal`` is part of the arithmetic."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        if any(isinstance(n, ast.Call) and mod.qname(n.func) == "decimal.Decimal" for n in ast.walk(node)):
            return None
        return float_parameter(mod, node.left, at) or float_parameter(mod, node.right, at)
    if not isinstance(node, ast.Name):
        return None
    func = mod.enclosing_functions.get(id(at))
    if func is None:
        return None
    params = [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]
    declared = next((a.annotation for a in params if a.arg == node.id), None)
    if not (isinstance(declared, ast.Name) and declared.id == "float" and mod.is_builtin(declared, "float")):
        return None
    rebound = any(
        isinstance(n, ast.Name) and n.id == node.id and not isinstance(n.ctx, ast.Load) for n in ast.walk(func)
    ) or any(isinstance(n, (ast.Global, ast.Nonlocal)) and node.id in n.names for n in ast.walk(func))
    return None if rebound else node.id

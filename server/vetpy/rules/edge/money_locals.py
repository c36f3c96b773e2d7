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

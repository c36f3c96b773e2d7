"""Formatted strings split into constant text and holes (f-strings, ``%``, ``.format``, ``+``)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass


# -- formatted strings -----------------------------------------------------------------------


@dataclass(frozen=True)
class Hole:
    """A non-literal part of a formatted string.  ``plain`` is False when the hole carries a
    conversion (``!r``), a format spec or a printf conversion other than ``%s``."""

    expr: ast.expr
    plain: bool = True


def string_parts(expr: ast.expr) -> list[str | Hole] | None:
    """Split a string built by an f-string, ``+``, ``%``, ``.format`` or ``"...".replace(marker, x)``
    into literal text and holes.

    Returns None when the expression is not such a string or cannot be split exactly
    (dict-based ``%``, ``*args``, indexing in format fields ...).  Adjacent literals are merged.
    """
    parts = _parts(expr)
    if parts is None:
        return None
    merged: list[str | Hole] = []
    for p in parts:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    return merged


def _parts(expr: ast.expr) -> list[str | Hole] | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.JoinedStr):
        out: list[str | Hole] = []
        for v in expr.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                out.append(v.value)
            elif isinstance(v, ast.FormattedValue):
                out.append(Hole(v.value, plain=v.conversion == -1 and v.format_spec is None))
            else:
                return None
        return out
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left = _parts(expr.left)
        right = _parts(expr.right)
        if left is None and right is None:
            return None
        return (left if left is not None else [Hole(expr.left)]) + (right if right is not None else [Hole(expr.right)])
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
        if not (isinstance(expr.left, ast.Constant) and isinstance(expr.left.value, str)):
            return None
        args = expr.right.elts if isinstance(expr.right, ast.Tuple) else [expr.right]
        if isinstance(expr.right, ast.Dict) or any(isinstance(a, ast.Starred) for a in args):
            return None
        return _percent_parts(expr.left.value, args)
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
        and isinstance(expr.func.value, ast.Constant)
        and isinstance(expr.func.value.value, str)
    ):
        return _format_parts(expr.func.value.value, expr)
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "replace"
        and isinstance(expr.func.value, ast.Constant)
        and isinstance(expr.func.value.value, str)
        and len(expr.args) == 2
        and isinstance(expr.args[0], ast.Constant)
        and isinstance(expr.args[0].value, str)
        and expr.args[0].value
        and not isinstance(expr.args[1], ast.Constant)
    ):
        # "... id = '[VALUE]'".replace("[VALUE]", ident): a home-made template
        pieces = expr.func.value.value.split(expr.args[0].value)
        out = [pieces[0]]
        for piece in pieces[1:]:
            out += [Hole(expr.args[1]), piece]
        return out
    return None


_PERCENT_RE = re.compile(r"%(?:\((\w+)\))?([-#0 +]*\d*(?:\.\d+)?)([a-zA-Z%])")


def _percent_parts(template: str, args: list[ast.expr]) -> list[str | Hole] | None:
    out: list[str | Hole] = []
    pos = 0
    idx = 0
    for m in _PERCENT_RE.finditer(template):
        out.append(template[pos : m.start()])
        pos = m.end()
        if m.group(3) == "%":
            out.append("%")
            continue
        if m.group(1) is not None or idx >= len(args):
            return None
        out.append(Hole(args[idx], plain=m.group(3) == "s" and not m.group(2)))
        idx += 1
    if idx != len(args):
        return None
    out.append(template[pos:])
    return out


def _format_parts(template: str, call: ast.Call) -> list[str | Hole] | None:
    import string

    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    kwargs = {k.arg: k.value for k in call.keywords}
    out: list[str | Hole] = []
    auto = 0
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for literal, name, spec, conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        if name == "":
            key: int | str = auto
            auto += 1
        elif name.isdigit():
            key = int(name)
        elif name.isidentifier():
            key = name
        else:
            return None  # attribute or index access in the field
        if isinstance(key, int):
            if key >= len(call.args):
                return None
            target = call.args[key]
        else:
            if key not in kwargs:
                return None
            target = kwargs[key]
        out.append(Hole(target, plain=not spec and not conversion))
    return out


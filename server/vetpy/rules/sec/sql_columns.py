"""SEC034: the columns of an SQL ``SET`` (or column list) named by the keys of a mapping.

``", ".join(f"{k} = %s" for k in body)`` (also ``$N``, ``?``, ``:name``, ``%(name)s``, over
``body.keys()``, ``enumerate(body, start=2)``, or a local bound once to ``list(...)`` or
``sorted(...)`` of these) makes every key of ``body`` a column the statement sets: when ``body``
is the request's whole body (:mod:`vetpy.rules.sec.mass_assignment` tells), the client picks
the columns.  A comprehension that filters its keys (``if k in ALLOWED``) is an allow-list.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

# what follows the column in `f"{column} = ..."`: a placeholder of a DB-API or asyncpg driver
_ASSIGNED = re.compile(r"^\s*=\s*(%s|\?|\$|:|%\()")
_COPIES = frozenset({"list", "sorted", "tuple", "set"})


def keyed_mapping(call: ast.Call, bound: Callable[[str], ast.expr | None]) -> ast.expr | None:
    """The mapping whose keys ``call`` (``SEP.join(<comprehension>)``) makes columns of an
    assignment list; ``bound(name)`` gives a local's single binding. None when it is not one."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "join" and isinstance(call.func.value, ast.Constant)
            and isinstance(call.func.value.value, str) and len(call.args) == 1 and not call.keywords):
        return None
    comp = call.args[0]
    if not isinstance(comp, (ast.GeneratorExp, ast.ListComp)) or len(comp.generators) != 1:
        return None
    gen = comp.generators[0]
    key = _column(comp.elt)
    if gen.ifs or key is None:
        return None
    target, source = gen.target, gen.iter
    if isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(source, ast.Call) \
            and isinstance(source.func, ast.Name) and source.func.id == "enumerate" and len(source.args) == 1:
        target, source = target.elts[1], source.args[0]
    if not (isinstance(target, ast.Name) and target.id == key):
        return None
    return _keys_of(source, bound, 0)


def _column(elt: ast.expr) -> str | None:
    """``k`` of ``f"{k} = %s"`` (the loop's name, then ``=`` and a placeholder)."""
    if not (isinstance(elt, ast.JoinedStr) and len(elt.values) >= 2):
        return None
    first, second = elt.values[0], elt.values[1]
    if not (isinstance(first, ast.FormattedValue) and isinstance(first.value, ast.Name) and first.conversion == -1
            and first.format_spec is None and isinstance(second, ast.Constant) and isinstance(second.value, str)
            and _ASSIGNED.match(second.value)):
        return None
    return first.value.id


def _keys_of(node: ast.expr, bound: Callable[[str], ast.expr | None], depth: int) -> ast.expr | None:
    if depth > 3:
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "keys" and not node.args:
        return node.func.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _COPIES and len(node.args) == 1 \
            and not node.keywords:
        return _keys_of(node.args[0], bound, depth + 1)
    if isinstance(node, ast.Name):
        value = bound(node.id)
        if value is not None and isinstance(value, ast.Call):
            return _keys_of(value, bound, depth + 1)
    return node

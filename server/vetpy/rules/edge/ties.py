"""The values tied with an extreme (EDGE011): ``fewest = min(rarity[n] for n in nodes)`` then
``rarest = [n for n in nodes if rarity[n] == fewest]`` holds at least the node that gave the
minimum (networkx's VF2++ orders nodes so), because ``min()`` without a default raised before if
``nodes`` was empty.  Known only while neither the extreme's name nor a name it reads is bound
again; a filter over another collection, of another measure, or against an extreme with a
default proves nothing."""

from __future__ import annotations

import ast
from typing import Callable

from vetpy.rules.edge.flow import FlowState

_MARK = "__vetpy_element__"


def note_extreme(name: str, value: ast.expr | None, state: FlowState, is_builtin: Callable[[ast.expr, str], bool]) -> None:
    """After ``name = value``: remember ``value`` when it is the builtin ``max``/``min`` of one
    unfiltered generator without a default, and forget every extreme that read ``name``."""
    for key in [k for k in state.tracked if k.startswith("extreme:")]:
        node = state.tracked[key]
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node)):
            del state.tracked[key]
    if value is not None and _extreme_generator(value) is not None and is_builtin(value.func, value.func.id):  # type: ignore[attr-defined]
        state.tracked[f"extreme:{name}"] = value
        state.proven.add(f"extreme#{id(value)}:{name}")  # on every path: the proven facts intersect


def ties_of_an_extreme(value: ast.expr, state: FlowState) -> bool:
    """Is ``value`` ``[x for x in xs if f(x) == m]`` with ``m = max(f(y) for y in xs)`` (or
    ``min``) known on every path to here?"""
    if not isinstance(value, (ast.ListComp, ast.GeneratorExp)) or len(value.generators) != 1:
        return False
    gen = value.generators[0]
    if gen.is_async or len(gen.ifs) != 1 or not isinstance(gen.target, ast.Name):
        return False
    test = gen.ifs[0]
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    for measure, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
        if not isinstance(other, ast.Name):
            continue
        extreme = state.tracked.get(f"extreme:{other.id}")
        if extreme is None or f"extreme#{id(extreme)}:{other.id}" not in state.proven:
            continue
        source = _extreme_generator(extreme)  # type: ignore[arg-type]
        if source is None:
            continue
        inner = source.generators[0]
        if ast.dump(inner.iter) == ast.dump(gen.iter) and isinstance(inner.target, ast.Name) \
                and _shape(source.elt, inner.target.id) == _shape(measure, gen.target.id):
            return True
    return False


def _extreme_generator(value: ast.expr) -> ast.GeneratorExp | None:
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("max", "min")
            and len(value.args) == 1 and not value.keywords and isinstance(value.args[0], ast.GeneratorExp)):
        return None
    gen = value.args[0]
    if len(gen.generators) != 1 or gen.generators[0].ifs or gen.generators[0].is_async:
        return None
    return gen


def _shape(expr: ast.expr, var: str) -> str:
    """``expr`` with the loop variable ``var`` named the same in every comprehension."""
    text = ast.dump(expr)
    return text.replace(f"Name(id='{var}',", f"Name(id='{_MARK}',")

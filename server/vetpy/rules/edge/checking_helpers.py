"""Project helpers a possibly-None value is handed to (EDGE009/EDGE031): ``found(obj)``.

The home-made ``get_object_or_404``::

    def found(obj, what="Not found"):
        if obj is None:
            raise HTTPNotFound(what)
        return obj

    unit = found(await Unit.get_or_none(id=pk))   # checked: `unit` is a row
    found(unit, "Unit")                           # checked: `unit` is a row after the call

A helper (a plain module-level ``def`` of this module or of another module of the project, found
as EDGE013 finds a helper that blocks, :class:`~.blocking_calls.Facts`) *checks* a parameter when
every path through its body on which that parameter is None ends in a ``raise`` before any
``return`` (``if obj is None: raise``, ``if not obj: raise``, ``if obj is None or ...: raise``,
``assert obj is not None``, ``if obj is not None: return obj`` then ``raise``).  A helper
*passes it through* when it never raises and every ``return`` gives the parameter back (``def
same(obj): return obj``, one that logs and returns): its result is None whenever the
argument is.  Anything else (a decorator, another return, a parameter rebound, a test the summary
cannot read) is unknown and changes nothing.  Summaries are kept per loaded module's document.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Literal

from vetpy.rules.edge.blocking_calls import Facts
from vetpy.rules.edge.facts import walk_no_nested
from vetpy.rules.edge.lookups import lookup_reason
from vetpy.rules.edge.query_rows import module_helper

Summary = Literal["checks", "passes"] | None


def helper_of(facts: Facts, call: ast.Call, scope: ast.AST) -> ast.FunctionDef | None:
    """The project's plain function ``call`` (made in ``scope``) calls, or None."""
    found = module_helper(facts, call, scope)
    return found[1] if found is not None else None


def passed_through(facts: Facts, call: ast.Call, scope: ast.AST) -> ast.expr | None:
    """The lookup ``call`` gives back unchecked: ``same(await Unit.get_or_none(id=pk))`` of a
    helper that passes its parameter through; else None."""
    candidates = [a for a in [*call.args, *(k.value for k in call.keywords)]
                  if isinstance(a, (ast.Call, ast.Await)) and lookup_reason(a) is not None]
    helper = helper_of(facts, call, scope) if candidates else None
    if helper is None:
        return None
    for param, arg in bound_arguments(helper, call):
        if arg in candidates and summary(facts, helper, param) == "passes":
            return arg
    return None


def checked_names(facts: Facts, call: ast.Call, scope: ast.AST, tracked: Mapping[str, object]) -> set[str]:
    """Which names of None sources (``none:<name>`` in ``tracked``), passed bare to ``call``, the
    helper it calls checks against None: after ``found(unit, "Unit")`` ``unit`` is not None."""
    names = {a.id for a in call.args if isinstance(a, ast.Name) and f"none:{a.id}" in tracked}
    helper = helper_of(facts, call, scope) if names else None
    if helper is None:
        return set()
    return {arg.id for param, arg in bound_arguments(helper, call)
            if isinstance(arg, ast.Name) and arg.id in names and summary(facts, helper, param) == "checks"}


def bound_arguments(helper: ast.FunctionDef, call: ast.Call) -> list[tuple[str, ast.expr]]:
    """(parameter, argument) for each argument of ``call`` bound by name or position."""
    args = helper.args
    positional = [a.arg for a in [*args.posonlyargs, *args.args]]
    named = {a.arg for a in args.args} | {a.arg for a in args.kwonlyargs}
    pairs: list[tuple[str, ast.expr]] = []
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return pairs  # the positions after it are not known
        if index < len(positional):
            pairs.append((positional[index], arg))
    pairs.extend((k.arg, k.value) for k in call.keywords if k.arg in named)
    return pairs


def summary(facts: Facts, helper: ast.FunctionDef, param: str) -> Summary:
    """Does ``helper`` check its parameter ``param`` against None, pass it through, or neither?"""
    answers = facts.mod.doc.shared.setdefault("edge.checking_helpers", {})
    key = (id(helper), param)
    if key not in answers:
        answers[key] = _summary(helper, param)
    return answers[key]  # type: ignore[no-any-return]


def _summary(helper: ast.FunctionDef, param: str) -> Summary:
    nodes = list(walk_no_nested(helper.body))
    if any(isinstance(n, ast.Name) and n.id == param and not isinstance(n.ctx, ast.Load) for n in nodes):
        return None  # rebound somewhere: what it holds at a test or a return is not the argument
    if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)) for n in nodes):
        return None
    if _raises_when_none(helper.body, param):
        return "checks"
    if any(isinstance(n, (ast.Raise, ast.Assert)) for n in nodes):
        return None  # a check on some other condition (`if obj is None and strict: raise`): unknown
    returns = [n for n in nodes if isinstance(n, ast.Return)]
    if returns and all(isinstance(r.value, ast.Name) and r.value.id == param for r in returns):
        return "passes"
    return None


def _raises_when_none(body: list[ast.stmt], param: str) -> bool:
    """Does every path through ``body``, with ``param`` None, reach a ``raise`` before a ``return``
    (or the end of the body, an implicit ``return None``)?"""
    for index, stmt in enumerate(body):
        if isinstance(stmt, ast.Raise):
            return True
        if isinstance(stmt, ast.Return):
            return False
        if isinstance(stmt, ast.Assert):
            if _truth_when_none(stmt.test, param) is False:
                return True
            continue
        if isinstance(stmt, ast.If):
            truth = _truth_when_none(stmt.test, param)
            rest = body[index + 1:]
            branches = [stmt.body] if truth is True else [stmt.orelse] if truth is False else [stmt.body, stmt.orelse]
            return all(_raises_when_none([*branch, *rest], param) for branch in branches)
        if any(isinstance(n, ast.Return) for n in walk_no_nested([stmt])):
            return False  # a return inside a loop, a `with`, a `try`: not followed
    return False


def _truth_when_none(test: ast.expr, param: str) -> bool | None:
    """The truth of ``test`` when ``param`` is None; None when it depends on something else."""
    if isinstance(test, ast.Name) and test.id == param:
        return False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _truth_when_none(test.operand, param)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [_truth_when_none(v, param) for v in test.values]
        decisive = isinstance(test.op, ast.Or)  # `or`: one true operand decides; `and`: one false
        if decisive in values:
            return decisive
        return not decisive if all(v is not None for v in values) else None
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        sides = [test.left, test.comparators[0]]
        if any(isinstance(s, ast.Name) and s.id == param for s in sides) and any(
                isinstance(s, ast.Constant) and s.value is None for s in sides):
            op = test.ops[0]
            if isinstance(op, (ast.Is, ast.Eq)):
                return True
            if isinstance(op, (ast.IsNot, ast.NotEq)):
                return False
        return None
    if (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
            and test.args and isinstance(test.args[0], ast.Name) and test.args[0].id == param
            and len(test.args) == 2 and "None" not in ast.unparse(test.args[1])):
        return False
    return None

"""The member of a declared union return that a call selects by leaving a parameter at its ``None``
default, read from the installed function's own source (issue 15, chain receivers).

pandas annotates ``NDFrame.rolling(...) -> Window | Rolling`` and its body is::

    if win_type is not None:
        return Window(self, ...)
    return Rolling(self, ...)

A call that never passes ``win_type`` (not by position, not by keyword, nothing spread) leaves it
``None``, so the first branch cannot run and the call gives the ``Rolling``:
``s.rolling(2).mean(min_periods=1)`` is then checked against ``Rolling.mean``, which takes no
``min_periods`` (``Window.mean`` takes ``**kwargs``).

Read only when the function is one plain ``def`` (no overloads, no version branches, not async)
whose body, its docstring aside, is nothing but ``if`` statements without ``else`` whose test is
certainly false while their parameters keep the ``None`` default (``p is not None``, ``p``, an
``and`` with such an operand), ending in ``return Name(...)``; every parameter tested is never
rebound in the function, and ``Name`` is no parameter or local of it.  The class it names (in the
function's module) must be one of the union's members: the source narrows what the annotation
declares, it never replaces it.  Anything else is unknown: the union stays.
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.source_overloads import _source_index
from vetpy.resolve.value import UNION, Value


def default_narrowed(inference: Any, owner: str | None, name: str, call: ast.Call | None, whole: Value | None,
                     bound: bool) -> Value | None:
    """The member of the union ``whole`` that ``call`` of ``owner.name`` (``owner``: the module, or
    the class defining the method when ``bound``) certainly gives, else None."""
    if call is None or whole is None or whole.kind != UNION or inference.stubs is None or not owner:
        return None
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    module, qual = (owner.rpartition(".")[0], f"{owner.rpartition('.')[2]}.{name}") if bound else (owner, name)
    found = _source_index(inference.stubs).definitions(module, qual)
    if found is None or len(found[1]) != 1 or not isinstance(found[1][0], ast.FunctionDef):
        return None
    fn, defining = found[1][0], found[2]
    returned = _returned_class(fn, call, bound)
    if returned is None:
        return None
    members = inference.members
    target = (members.describe(f"{defining}.{returned}") or {}).get("canonical")
    if not target:
        return None
    chosen = [m for m in whole.args if m is not None and (members.describe(m.path) or {}).get("canonical") == target]
    return chosen[0] if len(chosen) == 1 else None


def _returned_class(fn: ast.FunctionDef, call: ast.Call, bound: bool) -> str | None:
    """The global name ``fn`` certainly calls in its ``return`` for ``call``, or None."""
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if not body or not isinstance(body[-1], ast.Return):
        return None
    last = body[-1].value
    if not isinstance(last, ast.Call) or not isinstance(last.func, ast.Name):
        return None
    args = fn.args
    positional = [a.arg for a in args.posonlyargs + args.args][1 if bound else 0:]
    defaults = dict(zip([a.arg for a in args.posonlyargs + args.args][-len(args.defaults):] if args.defaults else [],
                        args.defaults))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    passed = set(positional[: len(call.args)]) | {k.arg for k in call.keywords}
    stored = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))}
    params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    if args.vararg is not None or args.kwarg is not None or last.func.id in params | stored:
        return None

    def unset(node: ast.expr) -> str | None:
        """The parameter ``node`` names when it certainly holds its ``None`` default here."""
        if not isinstance(node, ast.Name) or node.id not in params or node.id in passed or node.id in stored:
            return None
        default = defaults.get(node.id)
        return node.id if isinstance(default, ast.Constant) and default.value is None else None

    def false(test: ast.expr) -> bool:
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot) \
                and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
            return unset(test.left) is not None  # `p is not None`
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            return any(false(v) for v in test.values)
        return unset(test) is not None  # `if p:`

    for stmt in body[:-1]:
        if not isinstance(stmt, ast.If) or stmt.orelse or not false(stmt.test):
            return None
    return last.func.id

"""Does a command (or query) text take a value from the enclosing function's parameters?

SEC025 reports a shell command of unknown origin only when a part of it can be traced back to a
parameter of the function that runs it (the caller decides what it holds): a path found on PATH
(``stty + " sane"``), an imported constant or a value read from the object's own state is what the
program chose, not what a caller passed.  The trace is syntactic: a name is followed through its
local assignments; what a quoting or number-making call wraps (``shlex.quote(name)``,
``int(port)``), a row's identifier (``report.id``) and a parameter annotated as a number are no
longer the caller's text.  When the project's own calls of the function all pass values the
program chose, no caller's text is there either (:mod:`vetpy.rules.sec.caller_arguments`)."""

from __future__ import annotations

import ast

from vetpy.astutil import dotted_name
from vetpy.dataflow import Scope
from vetpy.rules.sec.stored_values import identifier_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda

# calls whose result carries no shell text of the caller: quoted or turned into a number
_NEUTRAL_CALLS = frozenset({"shlex.quote", "pipes.quote", "quote", "int", "float", "len", "bool", "shlex.join"})


def parameter_names(func: FunctionNode | None) -> frozenset[str]:
    """The parameters of ``func`` a caller fills (not ``self``/``cls``)."""
    if func is None:
        return frozenset()
    args = func.args
    named = [a for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if not _numeric(a.annotation)]
    names = [a.arg for a in named] + [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return frozenset(n for n in names if n not in ("self", "cls"))


def _numeric(annotation: ast.expr | None) -> bool:
    return isinstance(annotation, ast.Name) and annotation.id in ("int", "float", "bool")


def parameters_reached(scope: Scope, expr: ast.expr, func: FunctionNode | None) -> frozenset[str]:
    """The parameters of ``func`` that reach a part of ``expr`` (followed through the local
    assignments of ``scope``) neither quoted nor turned into a number on the way."""
    params = parameter_names(func)
    if not params:
        return frozenset()
    seen: set[str] = set()
    found: set[str] = set()

    def reaches(node: ast.AST) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, ast.Call) and dotted_name(current.func) in _NEUTRAL_CALLS:
                continue
            if isinstance(current, ast.Attribute) and identifier_name(current.attr):
                continue
            if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Load):
                if current.id in params:
                    found.add(current.id)
                    continue
                if current.id not in seen:
                    seen.add(current.id)
                    stack.extend(b for b in scope.bindings.get(current.id, []) if b is not None)
                continue
            stack.extend(ast.iter_child_nodes(current))

    reaches(expr)
    return frozenset(found)

"""What a function's annotated parameters admit, for EDGE010 and EDGE011 (issue #20, edge29).

A public function whose parameter is annotated ``int`` admits 0; one annotated as a collection
(``list[Room]``, ``dict[str, Decimal]``, ``Sequence[int]``) admits the empty one. When nothing in
the function compares, tests, bounds or passes on such a parameter, the function has not said
what a zero or an empty input means, and dividing by it (``total / parts``) or taking its extreme
(``min(prices, key=prices.get)``, ``sorted(counts, ...)[0]``) fails on the first caller who
passes one. Left alone: unannotated parameters (the caller's contract, as before), parameters
with a default (a setting: ``per_page: int = 20``), ``*args``, fixed-size tuples, private helpers
(``_chunk``: its callers are its own module) and, for divisions, modules that import an array
library (an array divided by zero gives inf, no error).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from vetpy.astutil import dotted_name, keyword
from vetpy.rules.edge.facts import Module

ARRAY_LIBRARIES = frozenset({"numpy", "pandas", "scipy", "torch", "jax", "polars", "xarray", "dask", "numba"})
COLLECTIONS = frozenset({
    "list", "dict", "set", "frozenset", "List", "Dict", "Set", "FrozenSet", "Sequence", "MutableSequence",
    "Mapping", "MutableMapping", "Collection", "Iterable", "AbstractSet", "MutableSet",
})
# converting a value is not deciding about it: `int(n)`, `round(total / n, 2)`
_CONVERSIONS = frozenset({"int", "float", "round", "str"})


@dataclass
class ParameterContracts:
    """One function's parameters (``scope``), asked lazily: built once per scope and analysis."""

    mod: Module
    scope: ast.AST
    _decided: frozenset[str] | None = field(default=None, repr=False)

    def zero_admitted(self, param: ast.arg) -> bool:
        """Is ``param`` an ``int`` parameter without a default of a public function, in a module
        without arrays, that nothing in the function decides about?"""
        if not (isinstance(param.annotation, ast.Name) and param.annotation.id == "int"):
            return False
        if has_default(self.scope, param) or private(self.scope) or self._array_module():
            return False
        return param.arg not in self.decided()

    def open_collection(self, param: ast.arg) -> bool:
        """Is ``param`` of a public function annotated as any collection (not ``*args``, not a
        fixed-size tuple)?  Its type admits the empty one."""
        scope = self.scope
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) or param is scope.args.vararg or private(scope):
            return False
        return collection_annotation(param.annotation)

    def decided(self) -> frozenset[str]:
        if self._decided is None:
            self._decided = decided_names(self.scope)
        return self._decided

    def _array_module(self) -> bool:
        return any(t.split(".", 1)[0] in ARRAY_LIBRARIES for t in self.mod.imports.names.values())


def collection_annotation(annotation: ast.expr | None) -> bool:
    """``list[Room]``, ``dict[str, Decimal]``, ``typing.Sequence[int]``, ``tuple[int, ...]``, bare ``list``."""
    if isinstance(annotation, ast.Subscript):
        base = (dotted_name(annotation.value) or "").rpartition(".")[2]
        if base in ("tuple", "Tuple"):
            elts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
            return len(elts) == 2 and isinstance(elts[1], ast.Constant) and elts[1].value is Ellipsis
        return base in COLLECTIONS
    name = dotted_name(annotation) if annotation is not None else None
    return name is not None and name.rpartition(".")[2] in COLLECTIONS


def private(scope: ast.AST) -> bool:
    """``def _rule_line(...)``: a private helper, called by its own module with values the module
    computed and checked (a dunder such as ``__truediv__`` is public)."""
    name = getattr(scope, "name", "")
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def has_default(scope: ast.AST, param: ast.arg) -> bool:
    """Has ``param`` a default, or is it ``*args``/``**kwargs``?"""
    args = scope.args  # type: ignore[attr-defined]
    positional = [*args.posonlyargs, *args.args]
    if param in positional:
        return positional.index(param) >= len(positional) - len(args.defaults)
    if param in args.kwonlyargs:
        return args.kw_defaults[args.kwonlyargs.index(param)] is not None
    return True


def sorted_descending(call: ast.Call) -> bool:
    """``sorted(..., reverse=True)``."""
    flag = keyword(call, "reverse")
    return flag is not None and isinstance(flag.value, ast.Constant) and flag.value.value is True


def decided_names(scope: ast.AST) -> frozenset[str]:
    """The names a function decides about anywhere in its body: compared (``parts < 1``,
    ``0 < n``), tested (``if not n``, ``assert n``, ``n and total / n``), bounded (``max(1, n)``)
    or passed on as itself to a call other than a number's constructor (``validate(n)``,
    ``range(n)``; not ``Decimal(total / n)``, a value computed from it): for these the function
    (or what it calls) has said what a zero means."""
    names: set[str] = set()
    for sub in ast.walk(scope):
        tests: list[ast.expr] = []
        if isinstance(sub, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            tests.append(sub.test)
        elif isinstance(sub, (ast.Compare, ast.BoolOp)):
            tests.append(sub)
        elif isinstance(sub, ast.comprehension):
            tests.extend(sub.ifs)
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in ("min", "max"):
            tests.append(sub)
        elif isinstance(sub, ast.Call) and not (isinstance(sub.func, ast.Name) and sub.func.id in _CONVERSIONS):
            tests.extend(a for a in [*sub.args, *(k.value for k in sub.keywords)] if isinstance(a, ast.Name))
        for test in tests:
            names.update(n.id for n in ast.walk(test) if isinstance(n, ast.Name))
    return frozenset(names)

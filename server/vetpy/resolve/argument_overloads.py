"""The overload of a stubbed function that a call's arguments select by their types, read from
the stub: ``gzip.open(path, "wb")`` with ``path`` a ``str`` is typeshed's second overload
(``filename: StrOrBytesPath | _WritableFileobj, mode: _WriteBinaryMode``) and gives a
``GzipFile``; the first one certainly does not take it (``"wb"`` is no ``_ReadBinaryMode``).

As a type checker picks an overload, the first that takes the call, but only when certain: every
overload before the chosen one certainly rejects the call (an argument of the wrong arity or
keyword, a literal outside the parameter's ``Literal[...]``, an argument of a class outside the
parameter's classes, none of them a protocol or an abstract class others may register), and the
chosen one certainly takes every argument (a literal inside its ``Literal[...]``, an argument
known to be exactly an instance of a class the annotation names, or of a subclass of it).
Anything else (an argument of unknown type, a type variable, a generic parameter): no answer.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from vetpy.resolve.elements import _path
from vetpy.resolve.operand_overloads import _ancestors, _class_node, _takes
from vetpy.resolve.stubs import Form, StubIndex, _constant, _is_overload, _parameters, _passed
from vetpy.resolve.value import ANNOTATED, INSTANCE, Value

_LITERAL_STRING = frozenset({"typing.LiteralString", "typing_extensions.LiteralString"})


def argument_selected(stubs: StubIndex | None, members: Any, module: str, qual: str, call: ast.Call, bound: bool,
                      infer: Callable[[ast.expr], Value | None]) -> Form:
    """The return form of the first overload of ``module.qual`` that ``call`` certainly selects."""
    if stubs is None or any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    found = stubs.definitions(module, qual)
    if found is None:
        return None
    owner, defs, defining = found
    tree = stubs.tree(defining)
    container = owner.body if owner is not None else tree.body if tree is not None else []
    if tree is None or defining in stubs._sources or len(defs) < 2 or not all(_is_overload(d) for d in defs):
        return None
    verdicts = [stubs._on_target(container, d) for d in defs]
    if None in verdicts:
        return None
    for d in [d for d, on in zip(defs, verdicts) if on]:
        verdict = _overload_takes(stubs, members, tree, defining, d, call, bound and owner is not None, infer)
        if verdict is None:
            return None
        if verdict:
            return stubs._annotation(tree, defining, owner, d.returns)
    return None


def _overload_takes(stubs: StubIndex, members: Any, tree: ast.Module, module: str, d: ast.FunctionDef | ast.AsyncFunctionDef,
                    call: ast.Call, method: bool, infer: Callable[[ast.expr], Value | None]) -> bool | None:
    decorators = {getattr(x, "id", getattr(x, "attr", "")) for x in d.decorator_list}
    params = _parameters(d.args, drop_first=method and "staticmethod" not in decorators or "classmethod" in decorators)
    passed = _passed(call, params)
    if passed is None:
        return False
    named = [n for n in params if n not in ("*", "**") and not n.startswith("=")]
    pairs = [(params[n][0], a) for n, a in passed.items()]
    pairs += [(d.args.vararg.annotation if d.args.vararg else None, a) for a in call.args[len(named):]]  # `*paths`
    pairs += [(d.args.kwarg.annotation if d.args.kwarg else None, k.value) for k in call.keywords
              if k.value not in passed.values()]  # `**kwargs`
    unsure = False
    for annotation, arg in pairs:
        verdict = _argument_takes(stubs, members, tree, module, annotation, arg, infer)
        if verdict is False:
            return False
        unsure = unsure or verdict is None
    return None if unsure else True


def _argument_takes(stubs: StubIndex, members: Any, tree: ast.Module, module: str, annotation: ast.expr | None,
                    arg: ast.expr, infer: Callable[[ast.expr], Value | None]) -> bool | None:
    if annotation is None:
        return None
    literal = stubs._literals(tree, module, annotation)
    if literal is not None:
        known, value = _constant(arg)
        return (value in literal) if known else None
    value = infer(arg)
    if _path(tree, module, stubs, annotation) in _LITERAL_STRING:  # a literal str, not any str
        literal_str = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        return True if literal_str else False if value is not None and value.kind == INSTANCE \
            and value.name != ANNOTATED and value.path in ("builtins.str", "builtins.bytes") else None
    if value is None or value.kind != INSTANCE or value.name == ANNOTATED:
        return None
    located = _class_node(stubs, members, value.path)
    ancestry = _ancestors(stubs, members, located) if located is not None else None
    if ancestry is None:
        return None
    return _takes(stubs, members, tree, module, annotation, ancestry, False, 0)

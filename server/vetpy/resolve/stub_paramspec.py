"""What a stub function that calls the function it is given returns: typeshed declares
``async def to_thread(func: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs) -> _R``, so
``await asyncio.to_thread(load, path)`` gives what ``load(path)`` gives.

Only that exact shape: one def (no overloads, no version branch left), whose first parameter is
positional-only and annotated ``Callable[P, R]``, whose ``*args``/``**kwargs`` are ``P.args`` /
``P.kwargs`` and whose return is ``R`` itself.  The call is the function's own call rebuilt from
the arguments after the first, so the answer is what the inference says of that call (a helper of
this file with an annotated return, an installed class, ...); an ``async def`` (``to_thread``) only
where its call is awaited; anything else: None.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from vetpy.resolve.stub_names import _lookup
from vetpy.resolve.value import INSTANCE, Value

_CALLABLES = frozenset({"typing.Callable", "collections.abc.Callable", "typing_extensions.Callable"})


def forwarded_return(tree: ast.Module, module: str, is_package: bool, defs: list, call: ast.Call,
                     infer: Callable[[ast.expr], Value | None], parents: dict[ast.AST, ast.AST]) -> Any:
    """The return form (a class path, or a tuple of the origin and its argument forms) of the
    function the call hands its first argument and the rest of its arguments to; None when the
    stub's def is not of the shape above or what the forwarded call gives is not known.  An
    ``async def`` answers only for a call awaited right there (else the call gives a coroutine)."""
    if len(defs) != 1 or not call.args or isinstance(defs[0], ast.AsyncFunctionDef) and not isinstance(parents.get(call), ast.Await) or any(isinstance(a, ast.Starred) for a in call.args) \
            or any(k.arg is None for k in call.keywords):
        return None
    args = defs[0].args
    returned = defs[0].returns
    if len(args.posonlyargs) != 1 or args.args or args.kwonlyargs or args.vararg is None or args.kwarg is None \
            or not isinstance(returned, ast.Name):
        return None
    first = args.posonlyargs[0].annotation
    if not (isinstance(first, ast.Subscript) and isinstance(first.value, (ast.Name, ast.Attribute))
            and isinstance(first.slice, ast.Tuple) and len(first.slice.elts) == 2):
        return None
    head = first.value.id if isinstance(first.value, ast.Name) else ""
    spec, result = first.slice.elts
    if _lookup(tree, module, head, is_package) not in _CALLABLES or not isinstance(spec, ast.Name) \
            or not isinstance(result, ast.Name) or result.id != returned.id:
        return None
    if not (_member_of(args.vararg.annotation, spec.id, "args") and _member_of(args.kwarg.annotation, spec.id, "kwargs")):
        return None
    forwarded = ast.copy_location(ast.Call(func=call.args[0], args=list(call.args[1:]), keywords=list(call.keywords)), call)
    return _form(infer(forwarded))


def _member_of(node: ast.expr | None, spec: str, attr: str) -> bool:
    """Is ``node`` ``P.args`` / ``P.kwargs`` of the ParamSpec ``spec``?"""
    return isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name) \
        and node.value.id == spec


def _form(value: Value | None, depth: int = 0) -> Any:
    """The stub form of an instance value (its class path, with its arguments' forms); None else."""
    if value is None or value.kind != INSTANCE or not value.path or depth > 4:
        return None
    if not value.args:
        return value.path
    return (value.path, *(_form(a, depth + 1) for a in value.args))

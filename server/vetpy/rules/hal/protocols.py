"""HAL003 for ``with x:`` / ``async with x:`` where ``x`` is an instance of an installed class
that lacks ``__enter__`` / ``__aenter__`` (``with var.set(value):`` on Python 3.13, whose
``contextvars.Token`` became a context manager only in 3.14).  The protocol's methods are looked
up on the class, never on the instance, so only the class's own members decide; a value known
only from an annotation may be of a subclass that has them and is left alone."""

from __future__ import annotations

import ast
from typing import Any, Iterator

from vetpy.findings import Finding
from vetpy.resolve.value import ANNOTATED, INSTANCE, METHOD, OBJECT
from vetpy.semantic.imports import provenance
from vetpy.semantic.runs_elsewhere import runs_only_elsewhere

_WITH_GUARDS = {"AttributeError", "TypeError", "Exception", "BaseException"}


def unentered(checker: Any, rule: Any, node: ast.With | ast.AsyncWith) -> Iterator[Finding]:
    """The findings for the items of ``node`` whose value cannot be entered."""
    entering = "__aenter__" if isinstance(node, ast.AsyncWith) else "__enter__"
    inference = checker.inference
    if checker._guarded(node, _WITH_GUARDS) or runs_only_elsewhere(node, inference.parents, checker.ctx.environment):
        return
    for item in node.items:
        value = inference.infer(item.context_expr)
        if value is None or value.kind != INSTANCE or value.name == ANNOTATED or value.receiver is not None:
            continue
        info = inference.members.describe(value.path)
        if not info or info.get("kind") != "class" or not info.get("members"):
            continue
        if entering in info["members"] or entering in ((inference.members.instance(value.path) or {}).get("subclasses") or ()):
            continue
        cls = value.path.rsplit(".", 1)[-1]
        message = (f"`{cls}` in {provenance(checker.ctx, value.path.split('.')[0])} has no attribute `{entering}`: "
                   f"its instances cannot be used in `{'async with' if entering == '__aenter__' else 'with'}`")
        change, target = checker._history(value, entering)
        if change is not None:
            message += "; " + change.describe(f"`{cls}.{entering}`", target if not change.removed else None)
        yield rule.finding(checker.doc, item.context_expr, message, receiver=value.path, name=entering)


_AWAIT_GUARDS = {"TypeError", "Exception", "BaseException"}


def unawaitable(checker: Any, rule: Any, node: ast.Await) -> Iterator[Finding]:
    """HAL003 for ``await f(...)`` where ``f`` is an installed plain function, or a method of an
    instance known exactly (a subclass may override it with an ``async def``), that the worker
    proves gives no awaitable (``settled``: no ``async``, no wrapper, a return annotation naming a
    class that neither it nor a subclass of it can be awaited)."""
    call = node.value
    inference = checker.inference
    if not isinstance(call, ast.Call) or checker._guarded(node, _AWAIT_GUARDS) \
            or runs_only_elsewhere(node, inference.parents, checker.ctx.environment):
        return
    func = inference.infer(call.func)
    if func is None:
        return
    if func.kind == METHOD:
        receiver = func.receiver
        if receiver is None or receiver.kind != INSTANCE or receiver.name == ANNOTATED or receiver.receiver is not None:
            return
        info, label = inference.members.method(func.path, func.name), f"{func.path.rsplit('.', 1)[-1]}.{func.name}"
    elif func.kind == OBJECT:
        info, label = inference.members.describe(func.path), func.path
    else:
        return
    if not info or info.get("kind") != "function" or info.get("settled") is not True:
        return
    message = (f"`{label}` in {provenance(checker.ctx, func.path.split('.')[0])} is a plain function, not a coroutine "
               f"function: what it returns cannot be awaited (`await` raises TypeError)")
    yield rule.finding(checker.doc, node, message, receiver=func.path, name="__await__")

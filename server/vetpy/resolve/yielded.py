"""What an unannotated generator function of this file yields, as the target of ``with`` when
``contextlib.contextmanager`` (``asynccontextmanager``) makes it a context manager: the value of
its ``yield``s when every one of them gives an instance that is known (one of them when they
differ: only one runs), ``yield`` with no value, ``yield None`` and ``yield from`` leaving it
unknown.  A helper of :class:`vetpy.resolve.infer.Inference` (it uses the inference's ``infer``)."""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.containers import is_none
from vetpy.resolve.value import INSTANCE, LOCAL_INSTANCE, UNION, Value, union_of


def yielded_value(inference: Any, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Value | None:
    """What the ``yield``s of ``node``'s own body give (not those of nested functions), or None."""
    yields: list[ast.expr] = []
    stack: list[ast.AST] = list(node.body)
    while stack:
        cur = stack.pop()
        if isinstance(cur, ast.YieldFrom) or isinstance(cur, ast.Yield) and (cur.value is None or is_none(cur.value)):
            return None
        if isinstance(cur, ast.Yield):
            yields.append(cur.value)  # type: ignore[arg-type]
        if not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(cur))
    value = union_of([inference.infer(v) for v in yields])
    if value is None or any(m.kind not in (INSTANCE, LOCAL_INSTANCE) for m in (value.args if value.kind == UNION else (value,))):
        return None
    return value

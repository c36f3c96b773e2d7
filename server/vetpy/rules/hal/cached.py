"""A function of this file decorated with ``functools.lru_cache`` or ``functools.cache`` alone
is, once defined, the ``functools._lru_cache_wrapper`` that decorator made (HAL003 on its
attributes): the class's own members (``cache_info``, ``cache_clear``), the dunder names
``functools.update_wrapper`` copies into its ``__dict__`` (with the function's ``__dict__``,
empty when the ``def`` is the decorator's only input) and ``cache_parameters``, which
``lru_cache`` itself stores there.  Anything else the project assigns on it is its own."""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.value import INSTANCE, LOCAL_FUNCTION, OBJECT, Value
from vetpy.rules.hal.celery_tasks import CELERY_TASK, celery_task, task_missing

WRAPPER = "functools._lru_cache_wrapper"
CACHED = "cached-function"  # the Value name of such a wrapper (an INSTANCE of WRAPPER)
_CACHERS = frozenset({"functools.lru_cache", "functools.cache"})
_STORED = frozenset({"cache_parameters"})  # lru_cache's `wrapper.cache_parameters = lambda: ...`


def cached_wrapper(inference: Any, receiver: ast.expr, owner: Value | None) -> Value | None:
    """``owner``, or the wrapper when ``receiver`` is the plain name of a function of this file
    whose one decorator is ``functools.lru_cache``/``lru_cache(...)``/``functools.cache`` (a
    method read through ``self`` may be a subclass's)."""
    if owner is None or owner.kind != LOCAL_FUNCTION or not isinstance(receiver, ast.Name):
        return owner
    node = inference.function_node(owner.path)
    if not isinstance(node, ast.FunctionDef) or len(node.decorator_list) != 1:
        return owner
    decorator = node.decorator_list[0]
    task = celery_task(inference, node, decorator)  # `@app.task`: celery_tasks.py
    if task is not None:
        return task
    maker = inference.infer(decorator.func if isinstance(decorator, ast.Call) else decorator)
    if maker is None or maker.kind != OBJECT or maker.path not in _CACHERS \
            or isinstance(decorator, ast.Call) and maker.path != "functools.lru_cache":
        return owner
    return Value(INSTANCE, WRAPPER, CACHED)


def cached_missing(members: Any, name: str, set_by_the_project: bool, kind: str = CACHED) -> tuple[str, list[str], None] | None:
    """(subject, real names, None) when the cached function's wrapper (or the celery task: ``kind``) lacks ``name``."""
    if kind == CELERY_TASK:
        return task_missing(members, name, set_by_the_project)
    if name.startswith("__") and name.endswith("__") or set_by_the_project:
        return None  # update_wrapper's names (and the function's dunders) are not listed here
    info = members.describe(WRAPPER)
    if not info or not info.get("found") or info.get("kind") != "class" or info.get("instance_getattr") != "none":
        return None
    names = set(info.get("members") or ()) | _STORED
    return None if name in names else ("_lru_cache_wrapper", sorted(n for n in names if not n.startswith("_")), None)

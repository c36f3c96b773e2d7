"""EDGE006 for task queues: a Celery task declared to retry forever.

Celery's ``Task.max_retries`` is "Maximum number of retries before giving up. If set to None, it
will **never** stop retrying" (celery/app/task.py; default 3).  ``@app.task(bind=True,
max_retries=None)`` on a task that retries (``self.retry(...)`` in its body, or ``autoretry_for=``)
re-queues a permanent failure for ever: the retry loop of EDGE006, run by the broker.  Not
reported: a bound (``max_retries=5``), ``max_retries=None`` on a task that never retries, and
``self.retry(max_retries=None)`` (there ``None`` means "use the task's limit").
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import is_constant, keyword, last_name

_TASK_DECORATORS = frozenset({"task", "shared_task"})


def _retries(func: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.Call) -> bool:
    if keyword(decorator, "autoretry_for") is not None:
        return True
    first = func.args.posonlyargs + func.args.args
    bound = keyword(decorator, "bind")
    if not first or bound is None or not is_constant(bound.value, True):
        return False
    me = first[0].arg
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "retry"
        and isinstance(n.func.value, ast.Name) and n.func.value.id == me
        for n in ast.walk(func)
    )


def endless_task_retries(functions: Iterator[ast.AST]) -> Iterator[tuple[ast.Call, str]]:
    """(the decorator, the task's name) of each task declared ``max_retries=None`` that retries."""
    for func in functions:
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in func.decorator_list:
            if not (isinstance(decorator, ast.Call) and last_name(decorator.func) in _TASK_DECORATORS):
                continue
            limit = keyword(decorator, "max_retries")
            if limit is not None and is_constant(limit.value, None) and _retries(func, decorator):
                yield decorator, func.name

"""Celery tasks: functions whose arguments come from a message on the broker.

What a view passes to ``task.delay(...)`` (or another service writes to the broker) is what the
task receives: its parameters are input it cannot trust, as a route handler's are.
"""

from __future__ import annotations

import ast

from vetpy.astutil import ImportMap
from vetpy.dataflow.values import FunctionNode


def task_decorator(node: ast.expr) -> bool:
    """``@app.task``, ``@shared_task``, ``@celery.task(bind=True, ...)``: Celery runs the
    function with the arguments of ``.delay(...)`` (after ``self`` for ``bind=True``)."""
    target = node.func if isinstance(node, ast.Call) else node
    last = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else None
    return last in {"task", "shared_task"}


def bound_self(func: FunctionNode) -> bool:
    """Does a decorator bind the task itself to the first parameter (``bind=True``)?"""
    return any(isinstance(d, ast.Call) and any(k.arg == "bind" and isinstance(k.value, ast.Constant) and k.value.value is True
                                                for k in d.keywords) for d in func.decorator_list)


def celery_task(func: FunctionNode, imports: ImportMap) -> bool:
    """Is ``func`` a Celery task of a module that imports Celery?"""
    return any(task_decorator(d) for d in func.decorator_list) and any(
        m.split(".")[0] == "celery" for m in imports.names.values())

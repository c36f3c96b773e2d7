"""Celery tasks and dramatiq actors: functions whose arguments come from a message on the broker.

What a view passes to ``task.delay(...)`` (or another service writes to the broker) is what the
task receives: its parameters are input it cannot trust, as a route handler's are.
"""

from __future__ import annotations

import ast

from vetpy.astutil import ImportMap
from vetpy.dataflow.handler_params import frameworks
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
    """Is ``func`` a Celery task of a module that imports Celery, or a dramatiq actor
    (``@dramatiq.actor``, ``@actor(max_retries=3)``: ``actor.send(...)``'s arguments)?"""
    if not func.decorator_list:
        return False  # both kinds are decorated (most functions are not: the imports are not read)
    modules = frameworks(imports)
    if "celery" in modules and any(task_decorator(d) for d in func.decorator_list):
        return True
    return "dramatiq" in modules and any(_dramatiq_actor(d, imports) for d in func.decorator_list)


def _dramatiq_actor(node: ast.expr, imports: ImportMap) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute) and target.attr == "actor" and isinstance(target.value, ast.Name):
        return imports.resolve(target.value.id) == "dramatiq"
    return isinstance(target, ast.Name) and imports.resolve(target.id) in {"dramatiq.actor", "dramatiq.actor.actor"}


def task_label(func: FunctionNode) -> str:
    """What a message's consumer is called in a finding: "Celery task" or "dramatiq actor"."""
    for d in func.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        if (target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)) == "actor":
            return "dramatiq actor"
    return "Celery task"

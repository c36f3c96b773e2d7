"""EDGE023 dropped-task: the task ``asyncio.create_task(...)`` returns, thrown away.

The event loop keeps only a weak reference to a task (Python's documentation of
``asyncio.create_task``: "Save a reference to the result of this function, to avoid a task
disappearing mid-execution"), so a task whose result is a bare expression statement can be
garbage-collected before it finishes, and its exception is never seen.  Reported: an expression
statement that is exactly ``asyncio.create_task(...)`` / ``asyncio.ensure_future(...)``, or
``loop.create_task(...)`` of a loop the function got from ``asyncio.get_event_loop()`` /
``get_running_loop()`` / ``new_event_loop()`` (directly or through a local bound only to such a
call).  Not reported: a result that is assigned, returned, awaited, passed on, or used at once
(``create_task(...).add_done_callback(...)``), and a ``TaskGroup``'s or nursery's
``create_task`` (the group holds its tasks)."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module
from vetpy.rules.registry import REGISTRY, rule

DROPPED_TASK = rule(
    code="EDGE023",
    name="dropped-task",
    family="EDGE",
    severity=Severity.WARNING,
    question="Who holds on to this task until it finishes?",
    summary="The task of `asyncio.create_task(...)` / `ensure_future(...)` is not kept: the event loop holds only a weak reference to it.",
    rationale="""The event loop keeps only weak references to tasks, so a task nobody holds can
    be garbage-collected mid-execution (Python's documentation of `asyncio.create_task`: save a
    reference to the result), and an exception it raises is never retrieved. Keep the task: in a
    set that the task leaves when done (`tasks.add(task)`;
    `task.add_done_callback(tasks.discard)`), in an `asyncio.TaskGroup`, or await it. Reported
    for a bare `asyncio.create_task(...)`, `asyncio.ensure_future(...)` or `loop.create_task(...)`
    statement (a loop from `get_event_loop()`/`get_running_loop()`); a `TaskGroup`'s
    `create_task` is not: the group holds its tasks.""",
    bad="""
        import asyncio

        async def startup():
            asyncio.create_task(warm_cache())
    """,
    good="""
        import asyncio

        _background = set()

        async def startup():
            task = asyncio.create_task(warm_cache())
            _background.add(task)
            task.add_done_callback(_background.discard)
    """,
)

_SPAWN = frozenset({"asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task", "asyncio.tasks.ensure_future"})
_LOOPS = frozenset({"asyncio.get_event_loop", "asyncio.get_running_loop", "asyncio.new_event_loop"})


def _is_loop(node: ast.expr, m: Module) -> bool:
    """``asyncio.get_running_loop()`` (or ``get_event_loop``/``new_event_loop``), directly or
    through a local of the function bound only to such calls."""
    if isinstance(node, ast.Call):
        return (m.qname(node.func) or "") in _LOOPS
    if isinstance(node, ast.Name):
        values = m.local_values(node.id, node)
        return bool(values) and all(isinstance(v, ast.Call) and (m.qname(v.func) or "") in _LOOPS for v in values)
    return False


@REGISTRY.checker("EDGE023")
def check_dropped_tasks(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "create_task" not in doc.text and "ensure_future" not in doc.text:
        return
    m = Module.of(doc)
    for stmt in m.of_type(ast.Expr):
        call = stmt.value  # type: ignore[attr-defined]
        if not isinstance(call, ast.Call) or not call.args:
            continue
        func = call.func
        qname = m.qname(func) or ""
        if qname in _SPAWN:
            what = f"`{qname}(...)`"
        elif isinstance(func, ast.Attribute) and func.attr == "create_task" and _is_loop(func.value, m):
            what = "`loop.create_task(...)`"
        else:
            continue
        yield DROPPED_TASK.finding(
            doc, call,
            f"the task of {what} is not kept: the event loop holds only a weak reference, so it can be "
            "garbage-collected before it finishes; keep it in a set (and discard it when done) or a TaskGroup",
        )

"""EDGE006 for a job that re-queues itself on failure, with the arguments it was given.

In an ``except`` handler the function enqueues itself again: RQ ``queue.enqueue(f, ...)``,
``enqueue_in(delay, f, ...)``, ``enqueue_at(when, f, ...)``; huey ``f.schedule(...)``; Celery
``f.apply_async(...)``/``f.delay(...)``; dramatiq ``f.send(...)``/``send_with_options(...)``; arq
``enqueue_job("f", ...)``.  When every argument passed on is one of its own parameters, unchanged,
the new job is the old one again: a permanent failure (a refused refund, a deleted row) re-runs for
ever, once per delay (services 30, 32, 33).  Not reported: a count passed on (``attempt + 1``, any
other computed or local value, an option named for tries or retries: arq's ``_job_try=``, RQ's
``retry=``), a re-queue under a condition inside the handler, a function that compares a counter of
attempts (``if payment.refund_attempts >= 5``), a re-queue outside a handler (a job scheduling its
next run), another function queued.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import name_words, walk
from vetpy.scopes import parameter_names
from vetpy.rules.edge.facts import own_nodes

_RQ = {"enqueue": 0, "enqueue_in": 1, "enqueue_at": 1, "enqueue_call": 0}  # the callable's position
_OWN = frozenset({"schedule", "apply_async", "delay", "send", "send_with_options", "call_local"})
_ARQ = "enqueue_job"
# keywords that only say when or where the job runs (not passed to it)
_OPTIONS = frozenset({
    "delay", "eta", "countdown", "expires", "queue", "queue_name", "priority", "job_id", "job_timeout",
    "timeout", "ttl", "result_ttl", "failure_ttl", "at_front", "description", "meta", "depends_on",
    "_defer_by", "_defer_until", "_job_id", "_queue_name", "_expires",
})
_COUNTER_WORDS = frozenset({"attempt", "attempts", "try", "tries", "retry", "retries", "failures", "failed", "tried"})


def endless_requeues(functions: Iterator[ast.AST]) -> Iterator[tuple[ast.Call, str]]:
    """(the re-queuing call, the job's name) of each function that re-queues itself unchanged in a handler."""
    for func in functions:
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) or _counts_attempts(func):
            continue
        params = parameter_names(func)
        for handler in own_nodes(func):
            if not isinstance(handler, ast.ExceptHandler):
                continue
            for call in _unconditional_calls(handler.body):
                payload = _payload(call, func.name)
                if payload is not None and all(_unchanged(p, params) for p in payload):
                    yield call, func.name


def _unconditional_calls(body: list[ast.stmt]) -> Iterator[ast.Call]:
    """Calls in ``body`` not under an ``if``, a loop or a nested handler or function."""
    for stmt in body:
        if isinstance(stmt, (ast.Expr, ast.Assign, ast.Return)) and stmt.value is not None:
            value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
            if isinstance(value, ast.Call):
                yield value


def _payload(call: ast.Call, me: str) -> list[ast.expr] | None:
    """The values ``call`` passes to a new run of the job ``me``, when it queues ``me``; else None."""
    func = call.func
    if not isinstance(func, ast.Attribute) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    keywords = call.keywords
    if any(k.arg is None or set(name_words(k.arg)) & _COUNTER_WORDS for k in keywords):
        return None
    passed = [k.value for k in keywords if k.arg not in _OPTIONS]
    if func.attr in _RQ and len(call.args) > _RQ[func.attr]:
        target = call.args[_RQ[func.attr]]
        if isinstance(target, ast.Name) and target.id == me:
            return list(call.args[_RQ[func.attr] + 1:]) + passed
        return None
    if func.attr == _ARQ and call.args:
        target = call.args[0]
        if isinstance(target, ast.Constant) and target.value == me:
            return list(call.args[1:]) + passed
        return None
    if func.attr in _OWN and isinstance(func.value, ast.Name) and func.value.id == me:
        return list(call.args) + passed
    return None


def _unchanged(value: ast.expr, params: set[str]) -> bool:
    """Is ``value`` made only of the function's own parameters (in a tuple, list or dict) and constants?"""
    if isinstance(value, ast.Name):
        return value.id in params
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, (ast.Tuple, ast.List)):
        return all(_unchanged(e, params) for e in value.elts)
    if isinstance(value, ast.Dict):
        return all(k is not None and _unchanged(k, params) for k in value.keys) and all(_unchanged(v, params) for v in value.values)
    return False


def _counts_attempts(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Does the function compare a count of attempts (``if payment.refund_attempts >= 5``)?"""
    for node in own_nodes(func):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                for sub in walk(side):
                    word = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else None
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        word = sub.value
                    if word and set(name_words(word)) & _COUNTER_WORDS:
                        return True
    return False

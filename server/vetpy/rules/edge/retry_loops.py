"""EDGE006 unbounded-retry-loop: `while True` retries without a bound or a back-off."""

from __future__ import annotations

import ast
from typing import Iterable, Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module, is_log_call, name_words, walk_no_nested
from vetpy.rules.edge.narrowing import handler_names
from vetpy.rules.edge.requeued_retries import endless_requeues
from vetpy.rules.edge.task_retries import endless_task_retries
from vetpy.rules.registry import REGISTRY, rule


RETRY_LOOP = rule(
    code="EDGE006",
    name="unbounded-retry-loop",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when the call never succeeds?",
    summary="A `while True` retry loop without a bound on attempts (a pause between tries is not a bound).",
    rationale="""A loop that retries on every exception forever turns a permanent failure into
    a hang that never reports the error, and, without a pause, into a busy loop that hammers the
    failing service. Sleeping between tries only slows the hang down. Bound the attempts (or a
    deadline) and back off between them, then re-raise. The same holds for a loop that spins on
    a Redis lock (`while not redis.set(key, "1", nx=True, ex=ttl): time.sleep(0.5)`, or
    `setnx`) with nothing in its body but the pause: a holder that never lets go hangs every
    waiter; give up after a deadline (redis-py's own `Lock` takes `blocking_timeout=`). And for
    a Celery task that retries (`self.retry(...)` with `bind=True`, or `autoretry_for=`) declared
    `max_retries=None`: Celery then never stops retrying it (its default is 3); a task that never
    retries, and `self.retry(max_retries=None)` (there: the task's own limit), are not reported. And for a `while True` loop that polls (a request, then a pause) until the
    answer it waits for comes (`if resp.json()["status"] == "done": return ...`), with no count of
    attempts and no clock: a job that never finishes keeps it polling for ever; a loop with no way
    out (a worker's main loop) is not one. And for a job that queues itself again in an `except`
    handler with the arguments it was given, unchanged (RQ `queue.enqueue_in(delay, f, ...)`, huey
    `f.schedule(...)`, Celery `f.apply_async(...)`/`f.delay(...)`, dramatiq `f.send(...)`, arq
    `enqueue_job("f", ...)`): the new job is the old one, so a failure that lasts re-runs for ever;
    a count passed on (`attempt + 1`, arq's `_job_try=`, RQ's `retry=`), a re-queue under a
    condition, a function that compares a count of attempts, and a job scheduling its next run
    outside a handler are not reported.""",
    bad="""
        while True:
            try:
                return fetch()
            except ConnectionError:
                continue
    """,
    good="""
        for attempt in range(5):
            try:
                return fetch()
            except ConnectionError:
                time.sleep(2 ** attempt)
        raise RuntimeError("service unavailable")
    """,
)


def _exits(nodes: Iterable[ast.AST]) -> bool:
    for node in walk_no_nested(nodes):
        if isinstance(node, (ast.Raise, ast.Return, ast.Break)):
            return True
        if isinstance(node, ast.Call) and (dotted_name(node.func) or "") in ("sys.exit", "exit", "os._exit"):
            return True
    return False


def _is_bounded(loop: ast.While) -> bool:
    for node in walk_no_nested(loop.body):
        if isinstance(node, ast.AugAssign):
            return True
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").rsplit(".", 1)[-1].lower()
            # a pause is not a bound (issue #20: a loop that sleeps between tries still never
            # gives up); a deadline read from a clock, or a person typing, is
            if any(w in name for w in ("input", "monotonic", "prompt", "getpass", "perf_counter")) or name in {"time", "now", "utcnow"}:
                return True
        if isinstance(node, (ast.If, ast.While)) and isinstance(node.test, (ast.Compare, ast.BoolOp)):
            if _exits(node.body) or (isinstance(node, ast.While) and node is not loop):
                return True
        if isinstance(node, (ast.For, ast.Yield, ast.YieldFrom)):
            return True  # nested iteration or a generator: not a plain retry loop
    return False


RETRYABLE = frozenset(
    {"*", "Exception", "BaseException", "OSError", "IOError", "EnvironmentError", "error", "timeout"}
)
RETRY_WORDS = (
    "connection",
    "timeout",
    "request",
    "http",
    "network",
    "transport",
    "operational",
    "unavailable",
    "throttl",
    "ratelimit",
    "socket",
    "url",
    "service",
    "temporar",
    "retry",
    "protocol",
)


def _is_pause(node: ast.expr) -> bool:
    """``time.sleep(n)`` / ``await asyncio.sleep(n)``: waiting, then going round again."""
    if isinstance(node, ast.Await):
        node = node.value
    return isinstance(node, ast.Call) and (dotted_name(node.func) or "").rsplit(".", 1)[-1] == "sleep"


# a class named only for the request it makes (`_Retry`, `RestartRequested`): raised to go round again
_SIGNAL_WORDS = frozenset({"retry", "restart", "rerun", "again", "requested", "signal"})


def _control_signals(mod: Module) -> frozenset[str]:
    """Exception classes this module defines and names as a request to go round again
    (prompt_toolkit's ``class _Retry(Exception)``, raised by its own coroutines when the input
    changed): catching one is the program's own control flow, not a failure of the outside
    world. ``RetryError``, ``RetryableError`` (a failure) are not signals."""
    return frozenset(
        node.name
        for node in mod.of_type(ast.ClassDef)
        if isinstance(node, ast.ClassDef)
        and node.bases
        and (words := set(name_words(node.name))) <= _SIGNAL_WORDS
        and words & {"retry", "restart", "rerun"}
    )


def _blind_retry(handler: ast.ExceptHandler, signals: frozenset[str] = frozenset()) -> bool:
    """A handler that catches a failure worth retrying and then just goes round again.

    Handlers for ``KeyboardInterrupt``, ``InterruptedError`` (EINTR), ``KeyError`` and the like,
    the module's own retry signals, and handlers that do real recovery work, are not blind retries."""
    if _exits(handler.body):
        return False
    names = handler_names(handler) - signals
    if not any(n in RETRYABLE or any(w in n.lower() for w in RETRY_WORDS) for n in names):
        return False
    for stmt in handler.body:
        if isinstance(stmt, (ast.Pass, ast.Continue)):
            continue
        if isinstance(stmt, ast.Expr) and (isinstance(stmt.value, ast.Constant) or is_log_call(stmt.value) or _is_pause(stmt.value)):
            continue
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
            continue
        return False
    return True


def _lock_attempt(test: ast.expr) -> bool:
    """``not r.set(key, value, nx=True, ...)`` / ``not r.setnx(key, value)`` (awaited or not):
    one try at a Redis-style lock, which is truthy when it was taken."""
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
        return False
    call = test.operand.value if isinstance(test.operand, ast.Await) else test.operand
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and len(call.args) >= 2):
        return False
    if call.func.attr == "setnx":
        return True
    return call.func.attr == "set" and any(k.arg == "nx" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords)


def _spins(loop: ast.While) -> bool:
    """``while not r.set(key, v, nx=True): time.sleep(0.5)``: a body that only waits (a pause,
    ``pass``, a log line) and an ``else`` that is empty."""
    if loop.orelse or not _lock_attempt(loop.test) or not any(isinstance(s, ast.Expr) and _is_pause(s.value) for s in loop.body):
        return False
    return all(
        isinstance(s, (ast.Pass, ast.Continue))
        or (isinstance(s, ast.Expr) and (isinstance(s.value, ast.Constant) or is_log_call(s.value) or _is_pause(s.value)))
        for s in loop.body
    )


_REQUESTS = frozenset({"get", "post", "put", "patch", "head", "request", "fetch", "urlopen"})


def _polls_forever(loop: ast.While) -> bool:
    """``while True:`` that requests something, leaves only when the answer is the one it waits for
    (``if resp.json()["status"] == "done": return ...``) and pauses between requests, with no count
    of attempts and no clock: a job that never finishes keeps it polling for ever. A loop with no
    way out (a worker's or a watcher's main loop) runs for ever by design and is not one."""
    body = list(walk_no_nested(loop.body))
    if not any(isinstance(n, (ast.Call, ast.Await)) and _is_pause(n) for n in body):
        return False
    if not any(isinstance(n, ast.Call) and (dotted_name(n.func) or "").rsplit(".", 1)[-1] in _REQUESTS for n in body):
        return False
    local = {t.id for n in body if isinstance(n, (ast.Assign, ast.AnnAssign, ast.NamedExpr))
             for t in ast.walk(n.target if not isinstance(n, ast.Assign) else n.targets[0]) if isinstance(t, ast.Name)}
    exits = 0
    for node in body:
        if isinstance(node, (ast.AugAssign, ast.For, ast.Yield, ast.YieldFrom, ast.Try, ast.TryStar)):
            return False  # a count of attempts, a nested iteration, a generator, failures handled (the retry case)
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").rsplit(".", 1)[-1].lower()
            if any(w in name for w in ("monotonic", "perf_counter", "input", "prompt")) or name in {"time", "now", "utcnow"}:
                return False  # a deadline
        if isinstance(node, ast.If) and _exits(node.body):
            tested = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
            if not tested or not tested <= local:
                return False  # an exit on something besides this round's answer: perhaps a bound
            # the awaited answer ends the loop (return, break); an exit only by raising is an error
            # case of a loop meant to run until interrupted (a watch mode), not the answer
            exits += any(isinstance(n, (ast.Return, ast.Break)) for n in walk_no_nested(node.body))
    guarded = {id(n) for node in body if isinstance(node, ast.If) for n in walk_no_nested(node.body)}
    return exits > 0 and not any(isinstance(n, (ast.Return, ast.Break, ast.Raise)) and id(n) not in guarded for n in body)


@REGISTRY.checker("EDGE006")
def check_retry_loops(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    mod = Module.of(doc)
    for decorator, task in endless_task_retries(iter(mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef))):
        yield RETRY_LOOP.finding(
            doc, decorator,
            f"`max_retries=None` makes the task `{task}` retry forever (Celery's default is 3); bound its retries",
        )
    for call, job in endless_requeues(iter(mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef))):
        yield RETRY_LOOP.finding(
            doc, call.func,
            f"`{job}` queues itself again on failure with the same arguments: a failure that lasts re-runs it for "
            "ever (the delay does not bound it); pass on a count of attempts and give up after a few",
        )
    signals: frozenset[str] | None = None
    for loop in mod.of_type(ast.While):
        if isinstance(loop, ast.While) and _spins(loop):
            line, col, _, _ = doc.node_range(loop)
            yield RETRY_LOOP.finding(
                doc, (line, col, line, col + len("while")),
                "this loop waits for the lock forever (the pause does not bound it); give up after a deadline",
            )
            continue
        if not (isinstance(loop, ast.While) and isinstance(loop.test, ast.Constant) and loop.test.value):
            continue
        if _polls_forever(loop):
            line, col, _, _ = doc.node_range(loop)
            yield RETRY_LOOP.finding(
                doc, (line, col, line, col + len("while")),
                "this loop polls until the answer it waits for comes, for ever if it never does (the pause does not "
                "bound it); bound the attempts or a deadline",
            )
            continue
        tries = [n for n in walk_no_nested(loop.body) if isinstance(n, (ast.Try, ast.TryStar))]
        if tries and signals is None:
            signals = _control_signals(mod)
        retry = any(_exits(t.body + t.orelse) and any(_blind_retry(h, signals or frozenset()) for h in t.handlers) for t in tries)
        if retry and not _is_bounded(loop):
            line, col, _, _ = doc.node_range(loop)
            pauses = any(_is_pause(n) for n in walk_no_nested(loop.body) if isinstance(n, (ast.Call, ast.Await)))
            message = (
                "this loop retries on failure forever (the pause does not bound it); bound the attempts or a deadline"
                if pauses
                else "this loop retries on failure forever and without a pause; bound the attempts and back off"
            )
            yield RETRY_LOOP.finding(doc, (line, col, line, col + len("while")), message)

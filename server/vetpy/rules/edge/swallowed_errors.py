"""EDGE001 bare-except, EDGE002 swallowed-exception: handlers that hide the failure."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from vetpy.astutil import dotted_name, handler_catches, has_star_kwargs, keyword
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.rules.edge.facts import Module, is_log_call, is_test_file, walk_no_nested
from vetpy.rules.edge.fixes import ensure_import, fix_import, indentation_of
from vetpy.rules.edge.narrowing import handler_names
from vetpy.rules.edge.swallowed_calls import FAILURE_AS_SUCCESS, failure_message, outbound_calls
from vetpy.rules.registry import REGISTRY, rule


BARE_EXCEPT = rule(
    code="EDGE001",
    name="bare-except",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens to Ctrl-C, SystemExit and the bug you did not foresee?",
    summary="A bare `except:` that does not re-raise catches everything, including KeyboardInterrupt and SystemExit.",
    rationale="""A bare `except:` also catches `KeyboardInterrupt`, `SystemExit` and
    `GeneratorExit`, so the program cannot be stopped cleanly and real bugs vanish. Catch the
    exceptions you expect, or at least `Exception`. Handlers that re-raise are not reported.
    Opt-in: the rule runs only when selected by its code, `EDGE` or `ALL` (`--extend-select
    EDGE001`): on real applications a reviewer judged its findings worth a comment, never a bug.""",
    bad="""
        try:
            save(order)
        except:
            pass
    """,
    good="""
        try:
            save(order)
        except DatabaseError:
            logger.exception("could not save order %s", order.id)
            raise
    """,
    fix_safety=FixSafety.UNSAFE,
)

SWALLOWED = rule(
    code="EDGE002",
    name="swallowed-exception",
    family="EDGE",
    severity=Severity.WARNING,
    question="When this fails in production, who will ever know?",
    summary="`except Exception` whose body only passes, continues, returns a constant or logs without the traceback.",
    rationale="""Catching every exception and carrying on hides the failure: the caller gets a
    default value, the logs get at best a one-line message, and the traceback that would explain
    the bug is gone. Log with `logger.exception(...)` (or `exc_info=True`) and re-raise, or
    catch the specific exceptions you can handle. Handlers that re-raise, translate into another
    exception, log the traceback or log the caught exception itself are not reported. A
    network failure caught by name (`except requests.RequestException`, `httpx.HTTPError`,
    `urllib.error.URLError`, `ConnectionError`) whose handler only passes, continues or returns
    `True` is reported too: the outbound call failed and nothing says so (a bounded retry,
    `for attempt in range(3)` followed by a `raise`, a handler that logs, and one returning
    `None` or `False`, which tells the caller, are not). A handler that tells the caller
    `True` after an outbound call failed, and a failed mail or write request passed over, are
    EDGE040's (failure-reported-as-success, on by default), not reported here.
    Opt-in: the rule runs only when selected by its code, `EDGE` or `ALL` (`--extend-select
    EDGE002`): on real applications most such handlers are deliberate best-effort calls.""",
    bad="""
        try:
            charge(card, amount)
        except Exception:
            return None
    """,
    good="""
        try:
            charge(card, amount)
        except Exception:
            logger.exception("charge failed")
            raise
    """,
    fix_safety=FixSafety.UNSAFE,
)


LOGGING = fix_import("logging")


def _logs_traceback(call: ast.Call) -> bool:
    exc_info = keyword(call, "exc_info")
    if exc_info is not None and not (isinstance(exc_info.value, ast.Constant) and not exc_info.value.value):
        return True
    return has_star_kwargs(call)


def _swallow_kind(handler: ast.ExceptHandler) -> str | None:
    """How a handler swallows the error ('pass', 'continue', 'return', 'log'), or None."""
    kinds: list[str] = []
    for stmt in handler.body:
        if isinstance(stmt, ast.Pass) or (
            isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        ):
            kinds.append("pass")
        elif isinstance(stmt, ast.Continue):
            kinds.append("continue")
        elif isinstance(stmt, ast.Return) and (stmt.value is None or isinstance(stmt.value, ast.Constant)):
            kinds.append("return")
        elif isinstance(stmt, ast.Expr) and is_log_call(stmt.value) and not _logs_traceback(stmt.value):
            if handler.name and any(isinstance(n, ast.Name) and n.id == handler.name for n in ast.walk(stmt.value)):
                return None  # the error is logged (its message): the failure is known, if not its traceback
            kinds.append("log")
        else:
            return None
    for kind in ("log", "return", "continue", "pass"):
        if kind in kinds:
            return kind
    return None


SWALLOW_TEXT = {
    "pass": "ignores it",
    "continue": "skips to the next iteration",
    "return": "returns a constant",
    "log": "logs it without the traceback",
}


def _cleanup_only(body: list[ast.stmt]) -> bool:
    """A try body that only closes/cleans up (``f.close()``, ``os.remove(p)``): best effort is fine."""
    cleanup = (
        "close",
        "remove",
        "unlink",
        "rmdir",
        "rmtree",
        "kill",
        "terminate",
        "shutdown",
        "cancel",
        "flush",
        "release",
        "disconnect",
        "stop",
        "join",
        "unregister",
        "cleanup",
        "__del__",
    )
    for stmt in body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Await):
            call = call.value
        if not isinstance(call, ast.Call):
            return False
        name = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
        if not name.lower().startswith(cleanup) and not name.lower().endswith(cleanup):
            return False
    return bool(body)


@REGISTRY.checker("EDGE001", "EDGE002", "EDGE040")
def check_swallowed(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    for node in mod.of_type(ast.Try, ast.TryStar):
        if not isinstance(node, (ast.Try, ast.TryStar)) or _cleanup_only(node.body):
            continue
        if all(isinstance(stmt, ast.Raise) for stmt in node.body):
            continue  # `try: raise X() except Exception: pass` exercises the handling itself (tests)
        for handler in node.handlers:
            if any(isinstance(n, ast.Raise) for n in walk_no_nested(handler.body)):
                continue
            line, col, _, _ = doc.node_range(handler)
            head = (line, col, line, col + len("except"))
            reported = _reported_failure(mod, node, handler)
            if reported is not None:
                yield FAILURE_AS_SUCCESS.finding(doc, head, reported)
                if handler.type is not None:
                    continue  # EDGE040's, not EDGE002's; a bare `except:` is still EDGE001's
            if handler.type is None:
                if _reports_error(handler):
                    continue  # a deliberate catch-all (debugger, REPL, server loop) that surfaces the error
                narrow = TextEdit(line, col + 6, line, col + 6, " Exception")
                kind = _swallow_kind(handler)
                if kind is None or _deliberate(mod, node, handler, kind):
                    fixes = [Fix("Catch Exception instead", (narrow,))]
                else:  # `except Exception: pass` would be EDGE002: narrow it and stop swallowing
                    logged = _log_and_raise_fix(mod, handler)
                    fixes = [] if logged is None else [
                        Fix("Catch Exception, log the traceback and re-raise", (narrow, *logged.edits),
                            safe=False, preferred=logged.preferred)
                    ]
                yield BARE_EXCEPT.finding(
                    doc, head, "bare `except:` also catches KeyboardInterrupt and SystemExit", fixes=fixes
                )
                continue
            if not handler_catches(handler, {"Exception", "BaseException"}):
                transport = _transport_failure(mod, handler)
                if transport is None:
                    continue
                kind = _swallow_kind(handler)
                if kind in (None, "log") or _deliberate(mod, node, handler, kind) or _retried_then_raised(mod, node):
                    continue
                if kind in ("pass", "continue") and _retried_until_done(mod, node):
                    continue  # `while True: try: return call() except ConnectionError: pass`: EDGE006 judges the bound
                if kind == "return" and not _claims_success(handler):
                    continue  # `return None`/`return False`: the caller learns that the call failed
                yield SWALLOWED.finding(
                    doc,
                    head,
                    f"`except {transport}` {SWALLOW_TEXT[kind]}: the failed call leaves no trace, "
                    "log it (or let the caller know) where it is caught",
                )
                continue
            kind = _swallow_kind(handler)
            if kind is None or _deliberate(mod, node, handler, kind):
                continue
            caught = "BaseException" if "BaseException" in handler_names(handler) else "Exception"
            fixes = [f for f in [_log_and_raise_fix(mod, handler)] if f is not None]
            yield SWALLOWED.finding(
                doc,
                head,
                f"`except {caught}` {SWALLOW_TEXT[kind]}: the failure and its traceback are lost",
                fixes=fixes,
            )


def _reported_failure(mod: Module, node: ast.Try | ast.TryStar, handler: ast.ExceptHandler) -> str | None:
    """EDGE040's message for ``handler`` (it does not raise): True returned after an outbound call
    failed, or a failed mail or write request passed over; else None."""
    if is_test_file(mod.doc.path) or _cleanup_only(node.body):
        return None
    kind = _swallow_kind(handler)
    if kind not in ("return", "pass", "continue") or _deliberate(mod, node, handler, kind):
        return None
    transport = _transport_failure(mod, handler)
    broad = handler.type is None or handler_catches(handler, {"Exception", "BaseException"})
    if transport is None and not broad:
        return None
    caught = transport or ("everything" if handler.type is None else dotted_name(handler.type) or "Exception")
    called, sent = outbound_calls(mod, node.body)
    if kind == "return":
        if not _claims_success(handler) or (transport is None and called is None):
            return None
        return failure_message(caught, transport, True, called, sent)
    if transport is None or sent is None or _retried_then_raised(mod, node) or _retried_until_done(mod, node):
        return None
    return failure_message(caught, transport, False, called, sent)


def _reports_error(handler: ast.ExceptHandler) -> bool:
    """Does the handler surface the error (traceback, ``sys.exc_info()``, an exception hook or
    reporter such as ``_report_exception()``) or end the process (``sys.exit``, ``os._exit``)?"""
    for node in walk_no_nested(handler.body):
        if isinstance(node, ast.Call):
            dotted = dotted_name(node.func) or ""
            last = dotted.rsplit(".", 1)[-1].lower()
            if "exc" in last or "traceback" in dotted or last in ("handle_error", "exit", "_exit"):
                return True
    return False


PREDICATE_PREFIXES = (
    "is_",
    "has_",
    "can_",
    "_is_",
    "_has_",
    "_can_",
    "looks_like",
    "_looks_like",
    "supports",
    "valid",
    "_valid",
    "check",
    "_check",
)
TOOL_DIRECTIVES = (
    "pragma",
    "noqa",
    "type:",
    "vetpy",
    "fmt:",
    "nosec",
    "pylint:",
    "expect:",
)  # not explanations
CLEANUP_FUNCTIONS = (
    "del",
    "exit",
    "aexit",
    "close",
    "cleanup",
    "clean_up",
    "shutdown",
    "stop",
    "teardown",
    "tear_down",
    "dispose",
    "terminate",
    "finalize",
    "release",
    "disconnect",
    "quit",
)


def _cleanup_function(name: str) -> bool:
    """``__del__``, ``close_all``, ``teardown``: a function that closes or tears down (``del`` as a
    whole word only: ``deliver_until_ok`` and ``delay`` do not clean up)."""
    name = name.strip("_").lower()
    return name == "del" or name.startswith("del_") or name.startswith(tuple(p for p in CLEANUP_FUNCTIONS if p != "del"))


def _is_probe(body: list[ast.stmt]) -> bool:
    """``try: code = obj.__code__``: a single attribute/item lookup whose absence is expected."""
    if len(body) != 1 or not isinstance(body[0], ast.Assign):
        return False
    value = body[0].value
    return isinstance(value, (ast.Attribute, ast.Subscript)) or (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "getattr"
    )


# exceptions that only an outbound call raises: the network failed (requests, httpx, urllib,
# aiohttp, smtplib, the builtin connection errors); `OSError` is left out (`os.makedirs` idioms)
_TRANSPORT_FAILURES = frozenset({
    "requests.RequestException", "requests.ConnectionError", "requests.Timeout", "requests.HTTPError",
    "requests.ConnectTimeout", "requests.ReadTimeout",
    "httpx.HTTPError", "httpx.RequestError", "httpx.TransportError", "httpx.TimeoutException",
    "httpx.ConnectError", "httpx.HTTPStatusError", "httpx.NetworkError",
    "urllib.error.URLError", "urllib.error.HTTPError",
    "aiohttp.ClientError", "aiohttp.ClientConnectionError", "aiohttp.ClientResponseError",
    "smtplib.SMTPException",
})
_BUILTIN_TRANSPORT_FAILURES = frozenset({"ConnectionError", "TimeoutError"})


def _transport_failure(mod: Module, handler: ast.ExceptHandler) -> str | None:
    """The text of a network failure the handler catches (``requests.RequestException``,
    ``httpx.HTTPError``, ``ConnectionError``), or None."""
    if handler.type is None:
        return None
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        qname = (mod.qname(t) or "").replace(".exceptions.", ".")
        if qname in _TRANSPORT_FAILURES or any(mod.is_builtin(t, b) for b in _BUILTIN_TRANSPORT_FAILURES):
            return dotted_name(t) or qname
    return None


def _claims_success(handler: ast.ExceptHandler) -> bool:
    """Does the handler return ``True``, the answer of a call that worked?"""
    return any(isinstance(s, ast.Return) and isinstance(s.value, ast.Constant) and s.value.value is True
               for s in handler.body)


def _retried_until_done(mod: Module, node: ast.Try | ast.TryStar) -> bool:
    """The try is the body of a ``while`` loop (its nearest loop): a handler that passes or
    continues tries the call again, so the failure is not lost but retried; whether the loop is
    bounded is EDGE006's question (unbounded-retry-loop)."""
    for child, parent in _up_to_function(mod, node):
        if isinstance(parent, (ast.For, ast.AsyncFor)):
            return False
        if isinstance(parent, ast.While):
            return child in parent.body
    return False


def _retried_then_raised(mod: Module, node: ast.Try | ast.TryStar) -> bool:
    """The try is a bounded retry: it sits in a ``for`` loop (``for attempt in range(3)``) that
    its function follows with a ``raise`` (or whose ``else:`` raises): the last failure reaches
    the caller."""
    parents = mod.doc.parents
    for child, parent in _up_to_function(mod, node):
        if isinstance(parent, (ast.For, ast.AsyncFor)) and child in parent.body:
            if any(isinstance(n, ast.Raise) for s in parent.orelse for n in ast.walk(s)):
                return True
            holder = parents.get(parent)
            body = getattr(holder, "body", None)
            if isinstance(body, list) and parent in body:
                after = body[body.index(parent) + 1:]
                if any(isinstance(n, ast.Raise) for s in after for n in ast.walk(s)):
                    return True
    return False


def _up_to_function(mod: Module, node: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
    """Each ancestor of ``node`` below its function, with the child it was reached from."""
    parents = mod.doc.parents
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        yield child, parent
        child, parent = parent, parents.get(parent)


def _deliberate(mod: Module, node: ast.Try | ast.TryStar, handler: ast.ExceptHandler, kind: str) -> bool:
    """Signs that ignoring the error was a decision: a comment explaining it, a probe with an
    ``else:`` branch, or a predicate (``is_ipv4()``) answering False when the check fails."""
    doc = mod.doc
    first = handler.lineno
    last = handler.end_lineno or first
    for line in range(first, last + 1):
        comment = doc.comments.get(line, "").lstrip("#").strip().lower()
        explains = re.search(r"[a-z]{2,}\W+[a-z]{2,}", comment) is not None  # at least two words
        names_a_rule = re.match(r"(syn|hal|dep|sec|edge)\d{3}\b", comment) is not None  # a marker, not a reason
        if explains and not comment.startswith(TOOL_DIRECTIVES) and not names_a_rule:
            return True
    if kind == "pass" and (node.orelse or _is_probe(node.body)):
        return True
    func = mod.enclosing_functions.get(id(node))
    if func is not None and _cleanup_function(func.name):
        return True  # best effort while closing or tearing down
    if id(node) in mod.inside_handlers:
        return True  # already on an error path: a failing report must not mask the first error
    if kind == "return":
        returned = [s.value for s in handler.body if isinstance(s, ast.Return)]
        if returned and all(isinstance(v, ast.Constant) and isinstance(v.value, bool) for v in returned):
            return func is not None and func.name.lower().startswith(PREDICATE_PREFIXES)
    return False


def _log_and_raise_fix(mod: Module, handler: ast.ExceptHandler) -> Fix | None:
    doc = mod.doc
    first, last = handler.body[0], handler.body[-1]
    edits: list[TextEdit] = []
    log_calls = [s.value for s in handler.body if isinstance(s, ast.Expr) and is_log_call(s.value)]
    existing = log_calls[0] if len(log_calls) == 1 else None
    if (
        isinstance(existing, ast.Call)
        and isinstance(existing.func, ast.Attribute)
        and existing.func.attr != "log"
    ):
        receiver = doc.segment(existing.func.value)
        args = doc.segment(existing)[len(doc.segment(existing.func)) :]
        log_line = f"{receiver}.exception{args}"
    else:
        logger = mod.logger_name()
        if logger is None:
            found = ensure_import(mod, LOGGING)
            if found is None:
                return None
            alias, edits = found
            logger = f"{alias}.getLogger(__name__)"
        log_line = f'{logger}.exception("unexpected error")'
    indent = indentation_of(doc, first)
    sep = "; " if indent is None else "\n" + indent
    body_range = (*doc.node_range(first)[:2], *doc.node_range(last)[2:])
    if any(e.line >= body_range[0] for e in edits):
        return None
    edits.append(TextEdit(*body_range, f"{log_line}{sep}raise"))
    return Fix("Log the traceback and re-raise", tuple(edits), safe=False, preferred=True)

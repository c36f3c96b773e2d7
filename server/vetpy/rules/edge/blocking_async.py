"""EDGE013 blocking-call-in-async."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.libraries import BLOCKING_CALLS, REQUESTS_FUNCS
from vetpy.rules.edge.blocking_calls import Facts
from vetpy.rules.edge.facts import Module, session_names, walk_no_nested
from vetpy.rules.edge.fixes import ensure_import, fix_import
from vetpy.rules.registry import REGISTRY, rule
from vetpy.semantic.debug_branches import EDGE_WORDS, runs_only_while_debugging


BLOCKING_ASYNC = rule(
    code="EDGE013",
    name="blocking-call-in-async",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens to every other request while this one waits?",
    summary="A blocking call (`time.sleep`, `requests`, sync file or database I/O) inside `async def`.",
    rationale="""An `async def` runs on the event loop thread; a blocking call stops every other
    task until it returns. Use the async equivalent (`await asyncio.sleep`, `httpx.AsyncClient`,
    `aiofiles`, an async driver) or move the call off the loop with `asyncio.to_thread`.
    Calls inside nested synchronous functions are not reported, nor calls that run only in a
    debugging or profiling mode (in the body of an `if` testing a flag named for it, such as
    `if settings.DEBUG:` or `if profiling:`, inside the coroutine or around its definition):
    that code is not on the path that serves requests.
    Also reported: a synchronous `httpx` request (also through an `httpx.Client` the function opens) or `smtplib.SMTP` connection; a call of a
    synchronous SQLAlchemy `Session`, `Engine` or `Connection` that talks to the database
    (`execute`, `scalars`, `get`, `commit`, `query`, `connect`, ...) when the receiver is certainly
    one: its annotation (`session: Session = Depends(get_db)`), the `Session(...)`,
    `sessionmaker(...)` or `create_engine(...)` it comes from, or a `Depends(get_db)` whose
    generator yields such a session (an `AsyncSession`, `async_sessionmaker` or
    `sessionmaker(class_=AsyncSession)`, and a receiver of unknown origin, are not); and a call
    of the project's own synchronous helper (a module-level `def` of this module or of another
    module of the project) whose body makes one of these blocking calls (`db.mark_paid(session, ...)`
    where `mark_paid` runs `session.execute`), except in start-up code (a lifespan's body before its
    `yield`).""",
    bad="""
        import time

        async def handler():
            time.sleep(1)
    """,
    good="""
        async def handler():
            await asyncio.sleep(1)
    """,
    fix_safety=FixSafety.UNSAFE,
)


ASYNCIO = fix_import("asyncio")


BLOCKING_BUILTINS = {
    "open": "use `aiofiles` or `asyncio.to_thread`",
    "input": "use `asyncio.to_thread(input)`",
}


@REGISTRY.checker("EDGE013")
def check_blocking_in_async(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    sessions = {k for k, v in session_names(mod).items() if v == "requests"}
    facts = Facts(mod, ctx, doc.path)
    for func in mod.of_type(ast.AsyncFunctionDef):
        assert isinstance(func, ast.AsyncFunctionDef)
        for node in walk_no_nested(func.body):
            if not isinstance(node, ast.Call):
                continue
            qname = mod.qname(node.func) or ""
            advice = BLOCKING_CALLS.get(qname)
            what = qname
            if (
                advice is None
                and qname.rpartition(".")[0] == "requests"
                and qname.rpartition(".")[2] in REQUESTS_FUNCS
            ):
                advice = "use an async HTTP client (httpx.AsyncClient, aiohttp)"
            if advice is None and isinstance(node.func, ast.Attribute) and node.func.attr in REQUESTS_FUNCS:
                if dotted_name(node.func.value) in sessions:
                    advice, what = (
                        "use an async HTTP client (httpx.AsyncClient, aiohttp)",
                        "requests session call",
                    )
            if advice is None and isinstance(node.func, ast.Name) and node.func.id in BLOCKING_BUILTINS:
                if mod.is_builtin(node.func, node.func.id):
                    advice, what = BLOCKING_BUILTINS[node.func.id], f"{node.func.id}()"
            if advice is None:
                advice, what = _beyond_table(facts, node, func)
            if advice is None or runs_only_while_debugging(node, mod.doc.parents, EDGE_WORDS):
                continue
            fixes = (
                [f for f in [_async_sleep_fix(mod, node)] if f is not None] if qname == "time.sleep" else []
            )
            yield BLOCKING_ASYNC.finding(
                doc,
                node,
                f"`{what}` blocks the event loop inside `async def {func.name}`; {advice}",
                fixes=fixes,
            )


_ASYNC_API = {
    "sqlalchemy": "an `AsyncSession` (`async_sessionmaker`, `create_async_engine`) ",
    "httpx": "`httpx.AsyncClient` ",
    "smtplib": "`aiosmtplib` ",
}


def _beyond_table(facts: Facts, call: ast.Call, func: ast.AsyncFunctionDef) -> tuple[str | None, str]:
    """A synchronous SQLAlchemy or httpx call, or a call of a project helper that makes one (not
    in start-up code: a lifespan's body before its ``yield`` runs before anything is served)."""
    if facts.starting_up(call, func):
        return None, ""
    direct = facts.blocking_call(call, func, helpers=False)
    if direct is not None:
        direct, _, kind = direct.partition("` of ")
        client = "httpx" if "httpx." in kind or "requests." in kind else "sqlalchemy"  # a sync HTTP client's request
        instead = _ASYNC_API.get(direct.partition(".")[0] if not kind else client, "")
        return ("" if not kind else f"it is a call of {kind}: ") + f"use {instead}or `await asyncio.to_thread(...)`", direct
    helper = facts.helper_call(call, func)
    if helper is None:
        return None, ""
    callee, inner, line, file = helper
    return (
        f"it calls {inner} ({file}, line {line}); run it with `await asyncio.to_thread({callee}, ...)`"
        " or use an async API",
        callee,
    )


def _async_sleep_fix(mod: Module, call: ast.Call) -> Fix | None:
    if not isinstance(mod.holders.get(id(call)), ast.Expr):
        return None
    found = ensure_import(mod, ASYNCIO)
    if found is None:
        return None
    alias, edits = found
    args = mod.doc.segment(call)[len(mod.doc.segment(call.func)) :]
    line = mod.doc.node_range(call)[0]
    if any(e.line >= line for e in edits):
        return None
    return Fix(
        "Use await asyncio.sleep()",
        (*edits, mod.doc.replace_node(call, f"await {alias}.sleep{args}")),
        preferred=True,
    )

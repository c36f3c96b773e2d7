"""EDGE018 unlocked-shared-state and EDGE019 file-check-then-use: what happens under concurrent access.

EDGE018 looks at functions that run concurrently with themselves: a web route (a sync route runs in
a thread pool or a threaded server), a ``threading.Thread``/``Timer`` target, a function handed to an
executor's ``submit``/``map`` (and the module's functions such a target calls by name, in turn), the ``run`` of a ``Thread`` subclass, and (only across an ``await``)
an ``async def`` route or task. In those, on a module-level dict, list or set or a module-level
counter, outside any ``with <lock>:`` block, it reports

* check-then-act: ``if key not in CACHE: CACHE[key] = ...`` (also ``.append``/``.add``), and
* read-modify-write: ``global COUNT; COUNT += 1``, ``COUNTS[key] += 1``, also written out
  (``COUNT = COUNT + 1``, ``COUNTS[key] = COUNTS.get(key, 0) + 1``); in a coroutine, a value read
  into a local before an ``await`` and written back after it (:mod:`.stale_updates`).

Any other module-level function counts too for the state that some function of the module
touches inside a ``with <lock>:`` block (:mod:`.guarded_state`): the lock says that state is shared;
in a module that starts threads of its own and keeps a module-level ``threading.Lock``, for all of its
module state (a cache or a counter beside the guarded set is touched by the same threads and requests).
Database rows (a field read, changed and saved; a test for a row, then its insert): :mod:`.row_races`.
A function that calls ``.acquire()`` or holds any ``with`` whose context names a lock, mutex,
semaphore or condition is not reported; neither is ``dict.setdefault`` (atomic).

EDGE019 reports a file system check followed by the act it was meant to protect, on the same path:
``if not os.path.exists(p): os.makedirs(p)`` (use ``exist_ok=True``), ``if not exists(p): open(p, "w")``
(use mode ``"x"`` or ``os.open(p, O_CREAT | O_EXCL)``), ``if os.path.exists(p): os.remove(p)``
(catch ``FileNotFoundError``; also ``p.rename(q)``/``os.rename(p, q)``), ``if not p.exists():
p.write_bytes(...)`` (mode ``"x"``), ``if os.path.exists(p): raise ...`` (or Flask's ``abort(409)``) followed in the same block, before
``p`` is bound again, by ``open(p, "w")``, ``p.open("w")``, ``p.write_text(...)`` or a copy onto ``p``
(``shutil.copyfile(src, p)``; use mode ``"x"``): at the write when it comes right after the test,
else at the test.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import NodeMemo, dotted_name, is_constant, keyword, last_name, statement_nodes
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.rules.edge.facts import Module, own_nodes, walk_no_nested
from vetpy.rules.edge.guarded_state import guarded_names, module_functions
from vetpy.rules.edge.row_races import row_races
from vetpy.rules.edge.stale_updates import stale_write, written_name
from vetpy.rules.registry import REGISTRY, rule
from vetpy.scopes import scope_index
from vetpy.semantic.routes import is_route
from vetpy.semantic.resource_routes import routed_resource_methods

UNLOCKED_STATE = rule(
    code="EDGE018",
    name="unlocked-shared-state",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when two requests or threads run this at the same time?",
    summary="Check-then-act or read-modify-write on module-level state or a database row in a route, thread target or task, without a lock.",
    rationale="""Two threads can both see `key not in cache` and both insert, or both read
    `count` before either writes it back: the update of one is lost, a resource is created
    twice. Routes run concurrently (threaded servers, FastAPI's thread pool), and so do thread
    targets, and the module's functions they call (directly or in turn); so does any function or
    method of a module that guards the same state with a lock elsewhere
    (`with _rates_lock:` around `_rates` in one function, the same check-then-act without it in
    another, or a middleware counting every request without the lock it takes for errors: the
    lock says the state is shared), and so do a Django middleware's request methods (`__call__`,
    `process_view`...: they run on every request, as a route does). There a value read into a local
    and written back from it (`count = FAILURES.get(email, 0)`; `FAILURES[email] = count + 1`) loses
    the update another thread makes in between. A coroutine (any module-level `async def`) runs uninterrupted between two `await`s,
    so there only a check and its act, or a read into a local and its write back
    (`n = VIEWERS.get(room, 0)`; `await ...`; `VIEWERS[room] = n + 1`), split by an `await` are
    reported. Hold a `threading.Lock` (`asyncio.Lock`) around the check and the act, use an atomic operation
    (`dict.setdefault`, `itertools.count`), or keep the state in a store built for it.
    A database row is shared by every request and worker: in a route, a class-based view's
    request method, a task-queue task (`@shared_task`, `@dramatiq.actor`) or any `async def`,
    a row's field read, changed in Python and saved (`shipment.scan_count += 1` then
    `shipment.save()` or a session's `commit()`) loses a concurrent update (use `F("scan_count") + 1`
    or lock the row with `select_for_update()`), and a test for a row followed by its insert
    (`if not Shipment.exists(code=c): Shipment.create(code=c)`, `if User.query.filter_by(email=e).first()
    is None: db.session.add(User(...))`) inserts twice; not reported when the insert's
    `IntegrityError` is caught, a row lock or a lock is taken first, or the object was just built.
    A unique constraint on the tested field alone is not enough (the second insert raises
    `IntegrityError`, a 500, unless it is caught), nor is a transaction alone
    (`transaction.atomic()`, Tortoise's `in_transaction()`), which does not lock the row it reads.
    A Redis key is shared by every worker in any function: a value read with `get`/`hget`
    and written back computed from it (`n = int(r.get(k) or 0)`; `r.set(k, n + 1)`: use
    `incr`/`hincrby`) and a key tested (`if r.exists(k): return`) then set without `nx=True` are
    reported for a module-level redis-py client, not in a function that takes a lock or opens a
    pipeline.""",
    bad="""
        SESSIONS = {}

        @app.post("/login")
        def login(user: str):
            if user not in SESSIONS:
                SESSIONS[user] = new_session(user)
            return SESSIONS[user]
    """,
    good="""
        SESSIONS = {}
        SESSIONS_LOCK = threading.Lock()

        @app.post("/login")
        def login(user: str):
            with SESSIONS_LOCK:
                if user not in SESSIONS:
                    SESSIONS[user] = new_session(user)
                return SESSIONS[user]
    """,
    cwe=(362,),
)

FILE_RACE = rule(
    code="EDGE019",
    name="file-check-then-use",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when the file appears or disappears between the check and the use?",
    summary="A file is tested with `exists()` and then created, opened for writing or removed on the strength of that test (opt-in).",
    rationale="""Between `os.path.exists(path)` and the act, another process or thread can create
    or remove the file: `makedirs` then raises `FileExistsError`, `open(path, "w")` overwrites a
    file that just appeared (or follows a symlink an attacker planted), `remove` raises
    `FileNotFoundError`. Make the act itself atomic: `os.makedirs(path, exist_ok=True)`,
    `open(path, "x")` / `os.open(path, os.O_CREAT | os.O_EXCL)`, or try the act and catch the error.
    `if path.exists(): raise ...` (or Flask's `abort(409)`) followed, statements below, by a
    write or a copy onto the path (`shutil.copyfile(src, path)`) is the same race, EDGE030 (on by
    default); so are `if path.exists(): path.rename(backup)` (catch `FileNotFoundError`) and
    `if not path.exists(): path.write_bytes(data)` (mode `"x"`).
    Opt-in: the rule runs only when selected by its code, `EDGE` or `ALL` (`--extend-select
    EDGE019`): on eight real applications 3 of its 14 findings were races on paths used
    concurrently by design, 10 needed a user to run two copies of a single-user tool or two
    per-call paths to meet, and the code looks the same in both.""",
    bad="""
        import os

        if not os.path.exists(directory):
            os.makedirs(directory)
        if os.path.exists(lock_file):
            os.remove(lock_file)
    """,
    good="""
        import contextlib
        import os

        os.makedirs(directory, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.remove(lock_file)
    """,
    cwe=(367,),
    fix_safety=FixSafety.UNSAFE,
)

REFUSED_THEN_WRITTEN = rule(
    code="EDGE030",
    name="refused-then-written",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when the file appears between the refusal and the write?",
    summary="A path is refused when it exists (`raise`, `abort(409)`), then written or copied onto: a file that appears in between is overwritten.",
    rationale="""`if path.exists(): raise FileExistsError(path)` states that an existing file must
    not be overwritten; the write below (`open(path, "w")`, `path.write_text(...)`,
    `shutil.copyfile(src, path)`) then overwrites whatever another request, worker or process
    created between the test and the write, the very thing the test refused. Create the file
    atomically instead: `open(path, "x")` (or `os.open(path, os.O_CREAT | os.O_EXCL)`) raises
    `FileExistsError` itself, so the test becomes the `except`. EDGE019's certain half, on by
    default: the code itself says the file must not be overwritten, so the race breaks a stated
    rule, not a guessed one (on eight real applications EDGE019's 14 findings, 3 of them real,
    were all other shapes: `exists()` then `makedirs`, `remove` or a create under `not exists()`,
    which stay EDGE019's, opt-in). A test that returns (`if path.exists(): return path`, a cache
    filled once) is not a refusal, nor is a write to a path bound again after the test.""",
    bad="""
        def write_export(name, content):
            target = EXPORT_ROOT / name
            if target.exists():
                raise FileExistsError(name)
            with open(target, "w") as f:
                f.write(content)
    """,
    good="""
        def write_export(name, content):
            target = EXPORT_ROOT / name
            with open(target, "x") as f:  # raises FileExistsError itself
                f.write(content)
    """,
    cwe=(367,),
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_LOCK_WORDS = re.compile(r"lock|mutex|sem|cond|guard|latch", re.IGNORECASE)
_CONTAINERS = frozenset({"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "WeakValueDictionary"})
_ADDERS = frozenset({"append", "add", "update", "insert", "extend"})


# -- EDGE018 -------------------------------------------------------------------------------------


def _module_state(body: list[ast.stmt]) -> tuple[set[str], set[str]]:
    """Module-level mutable containers and numeric counters."""
    containers: set[str] = set()
    counters: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            value = stmt.value
            if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
                isinstance(value, ast.Call) and last_name(value.func) in _CONTAINERS
            ):
                containers |= names
            elif isinstance(value, ast.Constant) and type(value.value) in (int, float):
                counters |= names
    return containers, counters


def _thread_targets(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    return memo.get(stmt, "edge.thread-targets", lambda: _targets_of(stmt, memo))


def _targets_of(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    found: set[str] = set()
    for node in statement_nodes(stmt, memo):
        if isinstance(node, ast.Call):
            name = last_name(node.func)
            target = keyword(node, "target")
            if name in {"Thread", "Timer"}:
                arg = target.value if target is not None else (node.args[1] if name == "Timer" and len(node.args) > 1 else None)
                if arg is not None and last_name(arg):
                    found.add(last_name(arg) or "")
            elif name in {"submit", "map", "start_new_thread", "run_in_executor", "to_thread"} and node.args:
                arg = node.args[1] if name == "run_in_executor" and len(node.args) > 1 else node.args[0]
                if isinstance(arg, (ast.Name, ast.Attribute)):
                    found.add(last_name(arg) or "")
        elif isinstance(node, ast.ClassDef) and any(last_name(b) == "Thread" for b in node.bases):
            found.add(f"{node.name}.run")
    return frozenset(found)


@REGISTRY.whole_file_fact
def _thread_target_fact(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A function becomes a thread target by a call elsewhere in the file."""
    return frozenset(f"thread-target:{n}" for n in _thread_targets(stmt, memo))


def _holds_lock(func: FunctionNode, node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    cur = parents.get(node)
    while cur is not None and cur is not func:
        if isinstance(cur, (ast.With, ast.AsyncWith)):
            if any(_LOCK_WORDS.search(dotted_name(_unwrap(i.context_expr)) or "") for i in cur.items):
                return True
        cur = parents.get(cur)
    return False


def _unwrap(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


def _acquires(nodes: list[ast.AST]) -> bool:
    return any(isinstance(n, ast.Call) and last_name(n.func) in {"acquire", "locked"} for n in nodes)


def _checked_key(test: ast.expr, containers: set[str]) -> str | None:
    """``k not in STATE`` / ``STATE.get(k) is None`` / ``not STATE.get(k)``: the container tested."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn):
        name = test.comparators[0]
        if isinstance(name, ast.Name) and name.id in containers:
            return name.id
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is) and is_constant(test.comparators[0], None):
        test = test.left
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "get":
        owner = test.func.value
        if isinstance(owner, ast.Name) and owner.id in containers:
            return owner.id
    return None


def _checked_alias(test: ast.If, containers: set[str], parents: dict[ast.AST, ast.AST]) -> str | None:
    """``cached = STATE.get(k)`` right before ``if cached is None:`` / ``if not cached:``: the
    container tested through the local it was read into."""
    cond = test.test
    if isinstance(cond, ast.UnaryOp) and isinstance(cond.op, ast.Not):
        cond = cond.operand
    elif isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], ast.Is) and is_constant(cond.comparators[0], None):
        cond = cond.left
    if not isinstance(cond, ast.Name):
        return None
    parent = parents.get(test)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and test in block:
            index = block.index(test)
            before = block[index - 1] if index else None
            if isinstance(before, ast.Assign) and len(before.targets) == 1 and isinstance(before.targets[0], ast.Name) \
                    and before.targets[0].id == cond.id:
                call = before.value
                probe = ast.Compare(left=call, ops=[ast.Is()], comparators=[ast.Constant(None)])
                return _checked_key(probe, containers)
    return None


def _present_key(test: ast.If, containers: set[str]) -> str | None:
    """``if k in STATE: return`` (the body leaves, nothing else): the container tested."""
    cond = test.test
    if test.orelse or not test.body or not isinstance(test.body[-1], (ast.Return, ast.Raise, ast.Continue)):
        return None
    if isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], ast.In):
        name = cond.comparators[0]
        if isinstance(name, ast.Name) and name.id in containers:
            return name.id
    return None


def _following(node: ast.stmt, parents: dict[ast.AST, ast.AST]) -> list[ast.stmt]:
    """The statements after ``node`` in its block."""
    parent = parents.get(node)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and node in block:
            return block[block.index(node) + 1:]
    return []


def _acts_on(stmts: list[ast.stmt], name: str) -> ast.AST | None:
    for node in walk_no_nested(stmts):
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name for t in targets):
                return node
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _ADDERS:
            if isinstance(node.func.value, ast.Name) and node.func.value.id == name:
                return node
    return None


def _awaits_before(stmts: list[ast.stmt], act: ast.AST) -> bool:
    line = getattr(act, "end_lineno", 0) or 0
    return any(isinstance(n, ast.Await) and n.lineno <= line for n in walk_no_nested(stmts))


def _concurrent_functions(doc: Document, targets: set[str]) -> Iterator[tuple[FunctionNode, bool]]:
    """(function, runs in threads) for each function of the view that runs concurrently: routes,
    thread targets, and the module's own sync functions a thread target calls by name, directly or
    through another such function (the worker loop's ``send_once(message)`` runs in every worker
    thread, and so does the ``room_name(id)`` it calls), the verb methods of a routed Flask-RESTX
    resource, and the request methods of a Django
    middleware (``__call__``, ``process_view``...: they run on every request, as a route does).  Any
    other module-level ``async def`` counts for a check and its act, or a read and its write back,
    split by an ``await`` alone: a coroutine exists to run beside others, and the ``await`` hands
    them the state in between."""
    body = doc.tree.body if doc.tree is not None else []
    functions = {stmt.name: stmt for stmt in body if isinstance(stmt, ast.FunctionDef)}
    callees: set[str] = set()
    callers = [stmt for stmt in body if isinstance(stmt, ast.FunctionDef) and stmt.name in targets]
    while callers:  # and what those call by name, in turn: they run in the same threads
        found = {
            n.func.id for stmt in callers for n in walk_no_nested(stmt.body)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in functions
        } - callees - targets
        callees |= found
        callers = [functions[name] for name in found]
    resources = routed_resource_methods(doc.tree) if doc.tree is not None else frozenset()  # Flask-RESTX verb methods
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if is_route(stmt) or stmt.name in targets or stmt.name in callees or isinstance(stmt, ast.AsyncFunctionDef):
                yield stmt, isinstance(stmt, ast.FunctionDef)
        elif isinstance(stmt, ast.ClassDef):
            middleware = _django_middleware(stmt)
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                    item.name in targets or f"{stmt.name}.{item.name}" in targets
                    or (middleware and item.name in _MIDDLEWARE_METHODS) or item in resources
                ):
                    yield item, isinstance(item, ast.FunctionDef)


# the methods of a Django middleware that run on every request
_MIDDLEWARE_METHODS = frozenset({"__call__", "process_request", "process_view", "process_response", "process_exception"})


def _django_middleware(cls: ast.ClassDef) -> bool:
    """A Django middleware class: ``__init__(self, get_response)`` (the protocol since Django 1.10)
    or a subclass of ``MiddlewareMixin``."""
    if any(last_name(base) == "MiddlewareMixin" for base in cls.bases):
        return True
    init = next((i for i in cls.body if isinstance(i, ast.FunctionDef) and i.name == "__init__"), None)
    return init is not None and [a.arg for a in init.args.args[1:2]] == ["get_response"]


def _global_names(nodes: list[ast.AST]) -> set[str]:
    return {n for s in nodes if isinstance(s, ast.Global) for n in s.names}


def _check_function(doc: Document, func: FunctionNode, threaded: bool, containers: set[str], counters: set[str]) -> Iterator[Finding]:
    nodes = list(own_nodes(func))  # walked once: the function's own nodes, in order
    if _acquires(nodes):
        return
    parents = doc.parents
    scopes = scope_index(doc)
    global_names = _global_names(nodes)
    local = {n.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)} - global_names
    args = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    containers = containers - local - args
    counters = (counters & global_names) - args
    if not containers and not counters:
        return  # every finding below writes or tests one of them (a module's constants, its functions without `global`)
    for node in nodes:
        if isinstance(node, ast.If):
            name = _checked_key(node.test, containers) or _checked_alias(node, containers, parents)
            block = node.body
            act = _acts_on(block, name) if name else None
            if act is None:  # if key in SEEN: return ... SEEN.add(key)
                name = _present_key(node, containers)
                block = _following(node, parents)
                act = _acts_on(block, name) if name else None
            if act is None or _holds_lock(func, node, parents):
                continue
            if threaded or _awaits_before(block, act):
                line, col, _, _ = doc.node_range(node)
                yield UNLOCKED_STATE.finding(
                    doc, (line, col, line, col + 2),
                    f"check-then-act on module-level `{name}` without a lock: two concurrent calls can both pass the check",
                )
        elif isinstance(node, ast.Assign) and not threaded and not _holds_lock(func, node, parents):
            shared = written_name(node, containers, counters)
            read = stale_write(node, shared, nodes, lambda name: scopes.bindings(func, name)) if shared else None
            if read is not None:
                yield UNLOCKED_STATE.finding(
                    doc, node,
                    f"module-level `{shared}` is read on line {read.lineno}, before an `await`, and written back here: "
                    "an update another request makes during the `await` is lost",
                )
        elif isinstance(node, (ast.AugAssign, ast.Assign)) and threaded and not _holds_lock(func, node, parents):
            target = node.target if isinstance(node, ast.AugAssign) else _self_update(node)
            if target is None:
                shared = written_name(node, containers, counters)
                read = stale_write(node, shared, nodes, lambda name: scopes.bindings(func, name), across_await=False) if shared else None
                if read is not None:  # `count = FAILURES.get(email, 0)`; `FAILURES[email] = count + 1`
                    yield UNLOCKED_STATE.finding(
                        doc, node,
                        f"module-level `{shared}` is read on line {read.lineno} and written back here without a lock: "
                        "an update another thread makes in between is lost",
                    )
                continue
            if isinstance(target, ast.Name) and target.id in counters:
                shared = target.id
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id in containers:
                shared = target.value.id
            else:
                continue
            yield UNLOCKED_STATE.finding(
                doc, node, f"read-modify-write of module-level `{shared}` without a lock: concurrent updates are lost"
            )


def _self_update(node: ast.Assign) -> ast.expr | None:
    """The target of ``X = X + 1`` / ``S[k] = S.get(k, 0) + 1``: one target, given a value computed
    from the same name (the augmented assignment written out)."""
    if len(node.targets) != 1:
        return None
    target = node.targets[0]
    name = target if isinstance(target, ast.Name) else target.value if isinstance(target, ast.Subscript) else None
    if not isinstance(name, ast.Name) or not isinstance(node.value, ast.BinOp):
        return None
    reads = any(isinstance(n, ast.Name) and n.id == name.id and isinstance(n.ctx, ast.Load) for n in ast.walk(node.value))
    return target if reads else None


@REGISTRY.checker("EDGE018")
def check_unlocked_state(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    body = doc.module_body
    containers, counters = _module_state(body)
    if not containers and not counters:
        return
    memo = doc.memo
    targets: set[str] = set().union(*memo.each(body, "edge.thread-targets", lambda stmt: _targets_of(stmt, memo)))  # type: ignore[arg-type]
    locks = {n for stmt in body for n in _module_lock_names(stmt)}
    containers -= locks
    asked: set[int] = set()
    for func, threaded in _concurrent_functions(doc, targets):
        asked.add(id(func))
        yield from _check_function(doc, func, threaded, containers, counters)
    guarded = guarded_names(body, containers | counters, _LOCK_WORDS, memo)  # guarded_state.py
    if targets and any(_threading_lock(stmt) for stmt in body):
        guarded = containers | counters  # the module runs threads and guards its state: all of it is shared
    for func in module_functions(body) if guarded else ():
        if isinstance(func, ast.FunctionDef) and id(func) not in asked:
            yield from _check_function(doc, func, True, containers & guarded, counters & guarded)


@REGISTRY.checker("EDGE018")
def check_row_races(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    """Database rows (:mod:`.row_races`): a field read, changed in Python and saved; a test for a
    row followed by its insert; in a function that runs concurrently."""
    text = doc.text
    if "save(" not in text and "commit(" not in text and "flush(" not in text and "create(" not in text and "add(" not in text:
        return
    for kind, node, name in row_races(Module.of(doc)):
        if kind == "update":
            yield UNLOCKED_STATE.finding(
                doc, node,
                f"`{name}` is read, changed in Python and saved: a concurrent update between the read and the save is lost; "
                "update it in the database (`F(...) + 1`, `UPDATE ... SET n = n + 1`) or lock the row (`select_for_update()`)",
            )
            continue
        line, col, _, _ = doc.node_range(node)
        yield UNLOCKED_STATE.finding(
            doc, (line, col, line, col + 2),
            f"check-then-insert of a `{name}` row: two concurrent requests can both find none and both insert; "
            "let a unique constraint decide (catch `IntegrityError`), use `get_or_create`, or lock first",
        )


def _threading_lock(stmt: ast.stmt) -> bool:
    return isinstance(stmt, (ast.Assign, ast.AnnAssign)) and isinstance(stmt.value, ast.Call) \
        and last_name(stmt.value.func) in {"Lock", "RLock"} and (dotted_name(stmt.value.func) or "").startswith("threading.")


def _module_lock_names(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and _LOCK_WORDS.search(last_name(stmt.value.func) or ""):
        return {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    return set()


# -- EDGE019 -------------------------------------------------------------------------------------

_EXISTS = frozenset({"os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.lexists"})
_CREATE_DIR = frozenset({"os.makedirs", "os.mkdir"})
_REMOVE = frozenset({"os.remove", "os.unlink", "os.rmdir", "shutil.rmtree"})
_RENAMES = frozenset({"os.rename", "os.replace"})


def _exists_test(test: ast.expr, m: Module) -> tuple[bool, str, bool] | None:
    """(negated, path, a test of existence alone) for ``os.path.exists(p)`` / ``not
    os.path.isdir(p)`` / ``p.exists()``: ``isfile``/``isdir`` also test the kind of file."""
    negated = False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negated, test = True, test.operand
    if not isinstance(test, ast.Call):
        return None
    qname = m.qname(test.func) or ""
    if qname in _EXISTS and len(test.args) == 1:
        return negated, ast.dump(test.args[0]), qname.endswith("exists")
    if isinstance(test.func, ast.Attribute) and test.func.attr in {"exists", "is_file", "is_dir"} and not test.args:
        # a method without arguments: pathlib's (a variable named `path` too), never `os.path`'s
        if isinstance(test.func.value, (ast.Name, ast.Attribute)) and "os.path" not in {dotted_name(test.func.value), m.qname(test.func.value)}:
            return negated, ast.dump(test.func.value), test.func.attr == "exists"
    return None


def _open_mode(call: ast.Call) -> str | None:
    mode = call.args[1] if len(call.args) > 1 else (keyword(call, "mode").value if keyword(call, "mode") else None)  # type: ignore[union-attr]
    if mode is None:
        return "r"
    return mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else None


def _race(call: ast.Call, negated: bool, path: str, m: Module, existence: bool) -> str | None:
    """What to do instead, if ``call`` is the act a test of ``path`` guards.  A removal after
    ``isfile``/``isdir`` is not reported: that test also picks the kind of file to remove."""
    qname = m.qname(call.func) or ""
    arg = call.args[0] if call.args else None
    same = arg is not None and ast.dump(arg) == path
    method_same = isinstance(call.func, ast.Attribute) and ast.dump(call.func.value) == path
    if negated and same and qname in _CREATE_DIR and keyword(call, "exist_ok") is None:
        return "create the directory with `exist_ok=True` instead of testing first"
    if negated and method_same and call.func.attr == "mkdir" and keyword(call, "exist_ok") is None:  # type: ignore[union-attr]
        return "create the directory with `exist_ok=True` instead of testing first"
    if negated and same and (qname == "builtins.open" or m.is_builtin(call.func, "open")):
        mode = _open_mode(call)
        if mode is not None and "w" in mode:
            return 'open it with mode "x" (fails if the file appeared) instead of testing first'
    if negated and method_same and call.func.attr in {"write_text", "write_bytes"}:  # type: ignore[union-attr]
        return 'open it with mode "x" (fails if the file appeared) instead of testing first'
    if not negated and existence and ((same and qname in _RENAMES) or (method_same and call.func.attr in {"rename", "replace"})):  # type: ignore[union-attr]
        return "rename it and catch `FileNotFoundError` instead of testing first"
    if not negated and same and existence and qname in _REMOVE:
        return "remove it and catch `FileNotFoundError` instead of testing first"
    if not negated and method_same and existence and call.func.attr in {"unlink", "rmdir"} and keyword(call, "missing_ok") is None:  # type: ignore[union-attr]
        return "use `unlink(missing_ok=True)` (or catch `FileNotFoundError`) instead of testing first"
    return None


def _only_act(body: list[ast.stmt], act: ast.stmt) -> bool:
    """The test guards nothing but the act (and a jump): ``exist_ok=True`` or catching the error
    replaces it exactly.  A test that also decides other work (``if not d.exists(): d.mkdir();
    unpack(d)``) is not reported."""
    return all(
        s is act or isinstance(s, (ast.Pass, ast.Continue, ast.Break)) or (isinstance(s, ast.Return) and (s.value is None or isinstance(s.value, ast.Constant)))
        for s in body
    )


def _fix(doc: Document, test: ast.If, call: ast.Call) -> list[Fix]:
    """``if not exists(d): makedirs(d)`` -> ``makedirs(d, exist_ok=True)``; ``if p.exists():
    p.unlink()`` -> ``p.unlink(missing_ok=True)``: the test and the act become one call.  Unsafe:
    a path that exists as a file is no longer skipped silently."""
    if test.orelse or len(test.body) != 1 or not isinstance(test.body[0], ast.Expr) or test.body[0].value is not call:
        return []
    name = last_name(call.func)
    option = "exist_ok=True" if name in {"makedirs", "mkdir"} else "missing_ok=True" if name == "unlink" else None
    text = doc.segment(call)
    if option is None or not text.endswith(")") or any(k.arg is None for k in call.keywords):
        return []
    new = text[:-1] + (", " if call.args or call.keywords else "") + option + ")"
    line, col, end_line, end_col = doc.node_range(test)
    return [Fix(f"Replace the test with `{option}`", (TextEdit(line, col, end_line, end_col, new),))]


_OS_ERRORS = frozenset({"OSError", "IOError", "EnvironmentError", "FileNotFoundError", "FileExistsError", "Exception", "BaseException"})


def _handled(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside a ``try`` whose handlers catch the error the race raises (or everything)."""
    child, cur = node, parents.get(node)
    while cur is not None and not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        if isinstance(cur, (ast.Try, ast.TryStar)) and child in cur.body:
            for handler in cur.handlers:
                if handler.type is None:
                    return True
                types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                if any(last_name(t) in _OS_ERRORS for t in types):
                    return True
        child, cur = cur, parents.get(cur)
    return False


@REGISTRY.checker("EDGE019", "EDGE030")
def check_file_races(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "exists(" not in doc.text and "is_file(" not in doc.text and "isfile(" not in doc.text and "isdir(" not in doc.text and "is_dir(" not in doc.text:
        return
    m = Module.of(doc)
    for node in m.of_type(ast.If):
        assert isinstance(node, ast.If)
        test = _exists_test(node.test, m)
        if test is None:
            continue
        negated, path, existence = test
        if _handled(node, doc.parents):
            continue
        for stmt in node.body[:2]:  # the act the test guards: the first statements of its body
            call = stmt.value if isinstance(stmt, ast.Expr) else (stmt.items[0].context_expr if isinstance(stmt, ast.With) else None)
            if isinstance(stmt, ast.Assign):
                call = stmt.value
            if isinstance(call, ast.Call) and (advice := _race(call, negated, path, m, existence)) is not None:
                if "mode" in advice or _only_act(node.body, stmt):
                    yield FILE_RACE.finding(doc, call, f"time-of-check to time-of-use race on this path: {advice}", fixes=_fix(doc, node, call))
                break
        if not negated and existence and not node.orelse and len(node.body) == 1 and _refuses(node.body[0]):
            for index, call in _acts_after(node, doc.parents):  # `if exists(p): raise FileExistsError(p)`, then the write
                if _writes(call, path, m):
                    advice = 'create it with mode "x" (then copy into it)' if m.qname(call.func) in _COPIES else 'open it with mode "x"'
                    if index == 0:  # the write right after the test: reported at the write
                        yield REFUSED_THEN_WRITTEN.finding(doc, call, f"time-of-check to time-of-use race on this path: the file can appear after the test and is overwritten; {advice} instead of testing first")
                    else:  # statements apart: at the test, what to replace
                        yield REFUSED_THEN_WRITTEN.finding(doc, node.test, f"time-of-check to time-of-use race on this path: the file can appear after this test and the write below overwrites it; {advice} instead of testing first")
                    break


def _refuses(stmt: ast.stmt) -> bool:
    """``raise FileExistsError(p)``, Flask's ``abort(409)``: the test refuses the path when it
    exists.  A ``return`` is not a refusal: ``if exists(p): return p`` then the write is a cache
    filled once, where a file that appears in between holds the same bytes."""
    if isinstance(stmt, ast.Raise):
        return True
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and last_name(stmt.value.func) == "abort"


def _acts_after(test: ast.If, parents: dict[ast.AST, ast.AST]) -> Iterator[tuple[int, ast.Call]]:
    """(how many statements after ``test``, less one; the call) of the statements after ``test``
    in its block (an expression, a ``with``'s first item, an assignment's value), up to the first
    that binds a name the tested path reads (the path may then be another) or leaves the block."""
    parent = parents.get(test)
    names = {n.id for n in ast.walk(test.test) if isinstance(n, ast.Name)}
    for block in (getattr(parent, "body", None), getattr(parent, "orelse", None), getattr(parent, "finalbody", None)):
        if isinstance(block, list) and any(s is test for s in block):
            index = next(i for i, s in enumerate(block) if s is test)
            for offset, stmt in enumerate(block[index + 1:]):
                call = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else (stmt.items[0].context_expr if isinstance(stmt, ast.With) else None)
                if isinstance(call, ast.Call):
                    yield offset, call
                bound = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
                if bound & names or isinstance(stmt, (ast.Return, ast.Raise, ast.Break, ast.Continue)):
                    return
            return


_COPIES = frozenset({"shutil.copyfile", "shutil.copy", "shutil.copy2", "shutil.move", "os.rename"})


def _writes(call: ast.Call, path: str, m: Module) -> bool:
    """``open(path, "w")``, ``path.open("w")``, ``path.write_text(...)``/``write_bytes(...)``,
    ``shutil.copyfile(src, path)`` (a copy or move onto the path)."""
    func = call.func
    if m.qname(func) in _COPIES and len(call.args) > 1 and ast.dump(call.args[1]) == path:
        return True
    if (m.qname(func) == "builtins.open" or m.is_builtin(func, "open")) and call.args and ast.dump(call.args[0]) == path:
        return "w" in (_open_mode(call) or "")
    if isinstance(func, ast.Attribute) and ast.dump(func.value) == path:
        if func.attr in {"write_text", "write_bytes"}:
            return True
        if func.attr == "open":
            mode = call.args[0] if call.args else (keyword(call, "mode").value if keyword(call, "mode") else None)  # type: ignore[union-attr]
            return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and "w" in mode.value
    return False

"""EDGE028 lock-without-expiry, and EDGE018 for Redis keys: state every worker of a service shares.

A Redis server is shared by every process of a service by design, so two requests, workers or
tasks running the same function at once is the normal case, not a rare one:

- ``current = int(r.get(key) or 0)`` then ``r.set(key, current + 1)`` loses one of two concurrent
  updates (``r.incr``/``r.hincrby``/``r.decrby`` do it in one step); ``if r.exists(key): return``
  then ``r.set(key, owner)`` lets both take the key (``r.set(key, owner, nx=True, ex=ttl)`` tests
  and sets in one step). EDGE018, reported where the write (read-modify-write) or the test
  (check-then-set) is.
- A lock that never expires stays taken for good when its holder dies between acquiring and
  releasing it (a deploy, an OOM kill, a lost connection): ``r.lock(name)`` without ``timeout=``
  (redis-py's lock then lives until ``release()``), ``r.set(key, v, nx=True)`` without ``ex=``/``px=``
  and ``r.setnx(key, v)`` with no ``expire`` of the key in the function, for a key or function named
  for a lock, a hold or a claim (``lock:payout``, ``acquire_...``, ``hold_...``, ``claim_...``). EDGE028.

The client is a module-level name bound to ``redis.Redis(...)``/``Redis.from_url(...)``/
``redis.from_url(...)``/``StrictRedis``/``redis.asyncio``'s or django-redis's
``get_redis_connection()``, a call of a module function that hands one out (annotated to return
``redis.Redis``/``redis.asyncio.Redis``, or returning a name it binds to one: the lazily created
global of ``def client(): global _redis; if _redis is None: _redis = Redis.from_url(...); return
_redis``), or a parameter of the function that is one (annotated so, or named ``redis``: arq's
``ctx["redis"]`` passed on); a pipeline (``pipe = r.pipeline()``, ``WATCH``/``MULTI``) is another
receiver and not judged, and a function that takes a lock (``.lock(``) or opens a pipeline is left
alone.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.concurrency import UNLOCKED_STATE
from vetpy.rules.edge.facts import Module, walk_no_nested
from vetpy.rules.registry import REGISTRY, rule


NO_EXPIRY = rule(
    code="EDGE028",
    name="lock-without-expiry",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if the process holding this lock dies before it releases it?",
    summary="A Redis lock without an expiry (`r.lock(name)` without `timeout=`, `set(..., nx=True)` without `ex=`, `setnx`) stays taken for good when its holder dies.",
    rationale="""A process can die between taking a lock and releasing it: a deploy, an
    out-of-memory kill, a lost connection. A Redis lock without an expiry then stays taken
    forever, and every later run waits or gives up until someone deletes the key by hand.
    Give it a lifetime longer than the work: `r.lock(name, timeout=300, blocking_timeout=10)`,
    `r.set(key, token, nx=True, ex=120)`. Reported for a redis-py client (a module-level `redis.Redis`,
    `Redis.from_url`, `redis.asyncio`, django-redis's `get_redis_connection()`; a module function
    returning one, `client() -> aioredis.Redis`; a parameter annotated as one or named `redis`):
    `.lock(name)` with no timeout, and `.set(key, value, nx=True)` without `ex`/`px`/`exat`/`pxat`/`keepttl` or
    `.setnx(key, value)` with no `expire` of the key in the function, where the key or the function
    is named for a lock, a hold or a claim (`lock:payout:...`, `acquire_...`, `hold_...`,
    `claim_...`): an `nx` marker
    kept on purpose (a key that records that something was done) is not a lock.""",
    bad="""
        import redis

        r = redis.Redis.from_url(REDIS_URL)

        def acquire_payout_lock(period):
            return bool(r.set(f"lock:payout:{period}", "1", nx=True))
    """,
    good="""
        import redis

        r = redis.Redis.from_url(REDIS_URL)

        def acquire_payout_lock(period):
            return bool(r.set(f"lock:payout:{period}", "1", nx=True, ex=600))
    """,
    cwe=(667,),
)

_CLIENTS = frozenset({
    "redis.Redis", "redis.StrictRedis", "redis.Redis.from_url", "redis.StrictRedis.from_url", "redis.from_url",
    "redis.client.Redis", "redis.asyncio.Redis", "redis.asyncio.from_url", "redis.asyncio.Redis.from_url",
    "redis.asyncio.StrictRedis", "django_redis.get_redis_connection",
})
_EXPIRY = frozenset({"ex", "px", "exat", "pxat", "keepttl"})
_LOCK_WORDS = re.compile(r"lock|hold|mutex|lease|semaphore|acquire|claim", re.IGNORECASE)
# read, write pairs of a read-modify-write; the key is the first argument (a hash's: two)
_READ_WRITE = {"get": ("set", 1), "hget": ("hset", 2)}


_CLIENT_TYPES = frozenset({
    "redis.Redis", "redis.StrictRedis", "redis.client.Redis", "redis.asyncio.Redis", "redis.asyncio.StrictRedis",
    "redis.asyncio.client.Redis",
})
_CLIENT_PARAMETERS = frozenset({"redis"})


@dataclass(frozen=True)
class _Clients:
    """The expressions that are a Redis client in one function: module-level names bound to one,
    calls of the module's functions that hand one out, and the function's own client parameters."""

    names: frozenset[str]
    factories: frozenset[str] = frozenset()

    def __contains__(self, node: object) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.names
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.factories

    def __bool__(self) -> bool:
        return bool(self.names or self.factories)


def _is_client_call(mod: Module, value: ast.expr | None) -> bool:
    return isinstance(value, ast.Call) and mod.qname(value.func) in _CLIENTS


def _annotated_client(mod: Module, annotation: ast.expr | None) -> bool:
    """``redis.Redis``, ``aioredis.Redis | None``, ``Optional[Redis]``."""
    return annotation is not None and any(
        isinstance(n, (ast.Name, ast.Attribute)) and mod.qname(n) in _CLIENT_TYPES for n in ast.walk(annotation)
    )


def _clients(mod: Module) -> set[str]:
    """Module-level names bound to a Redis client."""
    out = set()
    for stmt in mod.tree.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and _is_client_call(mod, stmt.value):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                out.add(targets[0].id)
    return out


def _factories(mod: Module, names: set[str]) -> set[str]:
    """Module-level functions that hand out a Redis client: annotated to return one, or returning
    only a name bound to one (a module-level client, or one the function itself creates)."""
    out = set()
    for stmt in mod.tree.body:
        if not isinstance(stmt, ast.FunctionDef):
            continue
        if _annotated_client(mod, stmt.returns):
            out.add(stmt.name)
            continue
        body = list(walk_no_nested(stmt.body))
        created = {t.id for n in body if isinstance(n, ast.Assign) and _is_client_call(mod, n.value)
                   for t in n.targets if isinstance(t, ast.Name)}
        returned = [n.value for n in body if isinstance(n, ast.Return)]
        if returned and all(isinstance(v, ast.Name) and (v.id in created or v.id in names) for v in returned):
            out.add(stmt.name)
    return out


def _client_parameters(mod: Module, func: ast.FunctionDef | ast.AsyncFunctionDef, imported: bool) -> set[str]:
    """The function's parameters that are a Redis client: annotated so, or named ``redis`` without
    an annotation saying otherwise."""
    out = set()
    args = func.args
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        if imported and _annotated_client(mod, arg.annotation):
            out.add(arg.arg)
        elif arg.arg in _CLIENT_PARAMETERS and arg.annotation is None:
            out.add(arg.arg)
    return out


def _client_call(node: ast.AST, clients: _Clients, *methods: str) -> ast.Call | None:
    """``node`` (awaited or not) when it is ``<client>.<method>(...)``."""
    if isinstance(node, ast.Await):
        node = node.value
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in methods
            and node.func.value in clients):
        return node
    return None


def _key_text(call: ast.Call, parts: int) -> str | None:
    if len(call.args) < parts:
        return None
    return "|".join(ast.dump(a) for a in call.args[:parts])


def _constant_text(node: ast.expr) -> str:
    return " ".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))


@REGISTRY.checker("EDGE018", "EDGE028")
def check_redis_state(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    if "redis" not in doc.text:
        return
    mod = Module.of(doc)
    imported = any(q.startswith(("redis", "django_redis")) for q in mod.imports.names.values())
    names = _clients(mod) if imported else set()
    factories = _factories(mod, names) if imported else set()
    for func in mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        if not doc.reports(func):
            continue
        parameters = _client_parameters(mod, func, imported)
        clients = _Clients(frozenset((names - _bound_names(func)) | parameters), frozenset(factories))
        if not clients:
            continue
        # in source order: a read comes before the write it feeds (an `await` is skipped: the
        # call it awaits is walked on its own, and judging both reported it twice)
        nodes = sorted((n for n in walk_no_nested(func.body) if hasattr(n, "lineno") and not isinstance(n, ast.Await)),
                       key=lambda n: (n.lineno, n.col_offset))
        yield from _locks_without_expiry(doc, func, nodes, clients)
        if any(isinstance(n, ast.Attribute) and n.attr in ("lock", "pipeline", "watch", "transaction") for n in nodes):
            continue  # a lock or a transaction: the function serialises its updates
        yield from _read_modify_writes(doc, func, nodes, clients)


def _locks_without_expiry(doc: Document, func: ast.AST, nodes: list[ast.AST], clients: _Clients) -> Iterator[Finding]:
    name = getattr(func, "name", "")
    expired = {_key_text(c, 1) for n in nodes if (c := _client_call(n, clients, "expire", "pexpire", "expireat")) is not None}
    for node in nodes:
        call = _client_call(node, clients, "lock", "set", "setnx")
        if call is None or not call.args:
            continue
        method = call.func.attr  # type: ignore[attr-defined]
        keywords = {k.arg: k.value for k in call.keywords}
        if method == "lock":
            timeout = keywords.get("timeout", call.args[1] if len(call.args) > 1 else None)
            if timeout is None or (isinstance(timeout, ast.Constant) and timeout.value is None):
                yield NO_EXPIRY.finding(doc, call, "this Redis lock has no `timeout=`: if its holder dies before `release()`, "
                                        "it stays taken for good; give it a lifetime (`timeout=...`)")
            continue
        named = _LOCK_WORDS.search(name) or _LOCK_WORDS.search(_constant_text(call.args[0]))
        if not named:
            continue
        if method == "set":
            nx = keywords.get("nx")
            if (isinstance(nx, ast.Constant) and nx.value is True and len(call.args) < 3
                    and not (_EXPIRY & set(keywords)) and None not in keywords):
                yield NO_EXPIRY.finding(doc, call, "`set(..., nx=True)` without `ex=` takes a lock that never expires: if its "
                                        "holder dies before deleting it, it stays taken for good; add `ex=...`")
        elif len(call.args) == 2 and _key_text(call, 1) not in expired:
            yield NO_EXPIRY.finding(doc, call, "`setnx()` takes a lock that never expires: if its holder dies before "
                                    "deleting it, it stays taken for good; use `set(key, value, nx=True, ex=...)`")


def _read_modify_writes(doc: Document, func: ast.AST, nodes: list[ast.AST], clients: _Clients) -> Iterator[Finding]:
    reads: dict[str, tuple[str, str]] = {}  # key text -> (name read into, write method)
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            for sub in ast.walk(node.value):
                call = _client_call(sub, clients, *_READ_WRITE)
                if call is not None:
                    write, parts = _READ_WRITE[call.func.attr]  # type: ignore[attr-defined]
                    if (key := _key_text(call, parts)) is not None:
                        reads[key] = (node.targets[0].id, write)
        elif isinstance(node, ast.If):
            yield from _check_then_set(doc, node, clients)
        elif (call := _client_call(node, clients, "set", "hset")) is not None:
            parts = 2 if call.func.attr == "hset" else 1  # type: ignore[attr-defined]
            key = _key_text(call, parts)
            read = reads.get(key or "")
            if read is None or read[1] != call.func.attr or len(call.args) <= parts:  # type: ignore[attr-defined]
                continue
            if any(isinstance(n, ast.Name) and n.id == read[0] for n in ast.walk(call.args[parts])):
                yield UNLOCKED_STATE.finding(
                    doc, call, f"`{read[0]}` was read from Redis above and this writes back a value computed from it: "
                    "two workers running this at once lose one update; use `incr`/`hincrby`/`decrby`, or a `WATCH` "
                    "transaction")


def _check_then_set(doc: Document, test: ast.If, clients: _Clients) -> Iterator[Finding]:
    """``if r.exists(key): return ...`` (or ``if r.get(key):``) then ``r.set(key, ...)`` without ``nx``."""
    checks = [c for n in ast.walk(test.test) if (c := _client_call(n, clients, "exists", "get")) is not None]
    if len(checks) != 1 or not test.body or not isinstance(test.body[-1], (ast.Return, ast.Raise)) or test.orelse:
        return
    key = _key_text(checks[0], 1)
    parent_body = _following(doc, test)
    for stmt in parent_body:
        for sub in ast.walk(stmt):
            call = _client_call(sub, clients, "set")
            if call is not None and _key_text(call, 1) == key:
                if any(k.arg == "nx" for k in call.keywords):
                    return
                yield UNLOCKED_STATE.finding(
                    doc, test.test, "the key is tested here and set below: two workers running this at once both pass "
                    "the test and both set it; test and set in one step (`set(key, value, nx=True, ex=...)`)")
                return


def _following(doc: Document, stmt: ast.stmt) -> list[ast.stmt]:
    """The statements after ``stmt`` in its block."""
    parent = doc.parents.get(stmt)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and stmt in block:
            return block[block.index(stmt) + 1:]
    return []


def _bound_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The function's parameters (a module-level client's name taken by a parameter is not it)."""
    args = func.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}

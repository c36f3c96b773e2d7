"""EDGE: the edge cases AI-written code leaves out (None, empty input, slow networks, money...).

Every rule asks one question of the code and stays silent when a guard, a default or a handler
already answers it.  Guard analysis lives in :mod:`vetpy.rules.edge_support`.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, Iterable, Iterator

from vetpy.astutil import (
    ImportMap,
    NodeMemo,
    call_name,
    child_nodes,
    dotted_name,
    handler_catches,
    has_star_kwargs,
    keyword,
    qualified_name,
)
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.libraries import HTTPX_FUNCS, LOGGER_METHODS, REQUESTS_FUNCS, ROUTE_DECORATORS, SESSION_FACTORIES
from vetpy.resolve.infer import INSTANCE, METHOD, OBJECT, Inference, Value
from vetpy.rules.edge_support import (
    FlowState,
    FlowWalker,
    generator_key,
    handler_names,
    import_insertion,
    indentation_of,
    insert_keyword,
    is_protected,
    names_bound,
    own_function_map,
    scope_bodies,
)
from vetpy.resolve.document import document_inference
from vetpy.rules.registry import REGISTRY, rule

W = Severity.WARNING
H = Severity.HINT

BARE_EXCEPT = rule(
    code="EDGE001",
    name="bare-except",
    family="EDGE",
    severity=W,
    question="What happens to Ctrl-C, SystemExit and the bug you did not foresee?",
    summary="A bare `except:` that does not re-raise catches everything, including KeyboardInterrupt and SystemExit.",
    rationale="""A bare `except:` also catches `KeyboardInterrupt`, `SystemExit` and
    `GeneratorExit`, so the program cannot be stopped cleanly and real bugs vanish. Catch the
    exceptions you expect, or at least `Exception`. Handlers that re-raise are not reported.""",
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
    severity=W,
    question="When this fails in production, who will ever know?",
    summary="`except Exception` whose body only passes, continues, returns a constant or logs without the traceback.",
    rationale="""Catching every exception and carrying on hides the failure: the caller gets a
    default value, the logs get at best a one-line message, and the traceback that would explain
    the bug is gone. Log with `logger.exception(...)` (or `exc_info=True`) and re-raise, or
    catch the specific exceptions you can handle. Handlers that re-raise, translate into another
    exception or log the traceback are not reported.""",
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

NO_TIMEOUT = rule(
    code="EDGE003",
    name="network-call-without-timeout",
    family="EDGE",
    severity=W,
    question="What happens when the server never answers?",
    summary="A network call without a timeout (or with `timeout=None`) can hang forever.",
    rationale="""`requests`, `urllib.request.urlopen`, `http.client` connections and
    `socket.create_connection` wait forever by default; `aiohttp.ClientSession` waits five
    minutes. One slow server then blocks a worker, a thread pool or a whole deploy. `httpx`
    has a finite default (5 s), so only an explicit `timeout=None` is reported there. The fix
    adds `timeout=` with the configured default (`network-timeout`, 10 s).""",
    bad="""
        resp = requests.get(url)
    """,
    good="""
        resp = requests.get(url, timeout=10)
    """,
    fix_safety=FixSafety.SAFE,
    cwe=(400,),
)

UNBOUNDED_QUERY = rule(
    code="EDGE004",
    name="unbounded-query",
    family="EDGE",
    severity=W,
    question="What happens when this table has ten million rows?",
    summary="`fetchall()` or an ORM `.all()` on a query without `WHERE`, `LIMIT` or a filter loads a whole table.",
    rationale="""Loading every row of a table works on a developer's laptop and exhausts memory
    in production. Filter, paginate (`LIMIT`/`.limit()`), or stream (`fetchmany`, iterating the
    cursor, `yield_per`). Aggregates (`SELECT count(*) ...`) and catalog tables are not reported.""",
    bad="""
        cur.execute("SELECT * FROM orders")
        rows = cur.fetchall()
    """,
    good="""
        cur.execute("SELECT * FROM orders WHERE customer_id = ? LIMIT 100", (cid,))
        rows = cur.fetchall()
    """,
    cwe=(400,),
)

UNBOUNDED_READ = rule(
    code="EDGE005",
    name="unbounded-read",
    family="EDGE",
    severity=W,
    question="What happens when the file or upload is 5 GB?",
    summary="A whole file, upload or streamed response is read into memory where streaming was available.",
    rationale="""`for line in f.readlines()` reads the whole file before the first line is
    processed, while `for line in f` streams. Reading an upload with `.read()` or the body of a
    response requested with `stream=True` via `.content`/`.text`/`.json()` defeats streaming and
    lets any client exhaust memory.""",
    bad="""
        for line in handle.readlines():
            process(line)
    """,
    good="""
        for line in handle:
            process(line)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(400,),
)

RETRY_LOOP = rule(
    code="EDGE006",
    name="unbounded-retry-loop",
    family="EDGE",
    severity=W,
    question="What happens when the call never succeeds?",
    summary="A `while True` retry loop with neither a bound on attempts nor a back-off.",
    rationale="""A loop that retries on every exception, immediately and forever, turns a
    temporary outage into a busy loop that hammers the failing service and never reports the
    error. Bound the attempts and sleep between them (exponential back-off), then re-raise.""",
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

FLOAT_MONEY = rule(
    code="EDGE007",
    name="float-money",
    family="EDGE",
    severity=W,
    question="Will these cents still add up after a million transactions?",
    summary="A money-like value (price, amount, balance, total...) is converted to or rounded as a binary float.",
    rationale="""Binary floats cannot represent most decimal fractions (`0.1 + 0.2 != 0.3`), so
    sums drift and `round(2.675, 2)` gives 2.67. Keep money in `decimal.Decimal` built from
    strings (or in integer cents).""",
    bad="""
        price = float(request.form["price"])
    """,
    good="""
        price = Decimal(request.form["price"])
    """,
)

DECIMAL_FLOAT = rule(
    code="EDGE008",
    name="decimal-from-float",
    family="EDGE",
    severity=W,
    question="Did you mean 0.1, or 0.1000000000000000055511151231257827?",
    summary="`Decimal(<float>)` keeps the float's binary error; build it from a string.",
    rationale="""`Decimal(0.1)` is `Decimal('0.1000000000000000055511151231257827021181583404541015625')`:
    the float's representation error is copied exactly. Pass a string (`Decimal("0.1")`) or
    `Decimal(str(value))`. Floats that are exact in binary (`Decimal(0.5)`) are not reported.""",
    bad="""
        fee = Decimal(0.1)
    """,
    good="""
        fee = Decimal("0.1")
    """,
    fix_safety=FixSafety.SAFE,
)

UNCHECKED_NONE = rule(
    code="EDGE009",
    name="unchecked-none",
    family="EDGE",
    severity=W,
    question="What if there is no match, no key, no variable, no program?",
    summary="A result that is None on failure (`re.match`, `dict.get`, `os.getenv`, `shutil.which`, installed functions declared `-> X | None`...) is used without a check.",
    rationale="""`re.match(...).group(1)` raises `AttributeError: 'NoneType' object has no
    attribute 'group'` on the first input that does not match. Check the result (`if m:`,
    `if m is None: return`, `assert m`, a walrus in the `if`), give a default
    (`d.get(k, default)`, `os.getenv("X", "default")`), or use `d[k]` when absence is a bug.
    Uses guarded on every path, or inside a `try` that catches the error, are not reported.
    With a target environment, calls of installed functions and methods whose stub (typeshed,
    a package's `.pyi`) or own annotation says `-> X | None` count too (`Element.find()`,
    `importlib.util.find_spec()`, SQLAlchemy's `Session.get()`), unless the call passes a
    default or an overload for its arguments does not return None.""",
    bad="""
        m = re.match(r"(\\d+)-(\\d+)", text)
        start = int(m.group(1))
    """,
    good="""
        m = re.match(r"(\\d+)-(\\d+)", text)
        if m is None:
            raise ValueError(f"bad range: {text!r}")
        start = int(m.group(1))
    """,
    cwe=(476,),
)

DIVIDE_BY_LEN = rule(
    code="EDGE010",
    name="empty-division",
    family="EDGE",
    severity=W,
    question="What if the list is empty?",
    summary="`x / len(seq)` or `statistics.mean(seq)` on a collection that may be empty, with no emptiness guard.",
    rationale="""An average over no items raises `ZeroDivisionError` (or
    `statistics.StatisticsError`). Decide what an empty input means: return early, return a
    default, or raise a clear error. Reported for parameters and locally built collections
    that nothing proves non-empty.""",
    bad="""
        def average(values):
            return sum(values) / len(values)
    """,
    good="""
        def average(values):
            if not values:
                return 0.0
            return sum(values) / len(values)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(369,),
)

EMPTY_MAX = rule(
    code="EDGE011",
    name="max-min-without-default",
    family="EDGE",
    severity=W,
    question="What is the largest of no values?",
    summary="`max()`/`min()` of an iterable that may be empty, without `default=`.",
    rationale="""`max([])` raises `ValueError: max() arg is an empty sequence`. Pass `default=`
    or guard the empty case. Reported for locally built collections (an empty literal filled in a
    loop, `str.split()`, a filtered comprehension) and filtered generators that nothing proves
    non-empty; parameters are left to the caller's contract.""",
    bad="""
        best = max(score for score in scores if score > threshold)
    """,
    good="""
        best = max((score for score in scores if score > threshold), default=None)
    """,
    fix_safety=FixSafety.UNSAFE,
)

FIRST_OF_FILTERED = rule(
    code="EDGE012",
    name="first-of-filtered",
    family="EDGE",
    severity=W,
    question="What if nothing passes the filter?",
    summary="`[0]` on a freshly filtered list, or `next()` of a filtered generator without a default.",
    rationale="""A comprehension with an `if` can produce an empty list, and then `[0]` raises
    `IndexError` (`next()` raises `StopIteration`, which inside a generator silently ends it).
    Check the list, or use `next((... if ...), None)` and handle `None`.""",
    bad="""
        admin = [u for u in users if u.is_admin][0]
    """,
    good="""
        admin = next((u for u in users if u.is_admin), None)
        if admin is None:
            raise LookupError("no admin user")
    """,
)

BLOCKING_ASYNC = rule(
    code="EDGE013",
    name="blocking-call-in-async",
    family="EDGE",
    severity=W,
    question="What happens to every other request while this one waits?",
    summary="A blocking call (`time.sleep`, `requests`, sync file or database I/O) inside `async def`.",
    rationale="""An `async def` runs on the event loop thread; a blocking call stops every other
    task until it returns. Use the async equivalent (`await asyncio.sleep`, `httpx.AsyncClient`,
    `aiofiles`, an async driver) or move the call off the loop with `asyncio.to_thread`.
    Calls inside nested synchronous functions are not reported.""",
    bad="""
        async def handler():
            time.sleep(1)
    """,
    good="""
        async def handler():
            await asyncio.sleep(1)
    """,
    fix_safety=FixSafety.UNSAFE,
)

MUTABLE_DEFAULT = rule(
    code="EDGE014",
    name="mutable-default-argument",
    family="EDGE",
    severity=W,
    question="What does the second call see?",
    summary="A list/dict/set default argument that the function mutates or lets escape is shared between calls.",
    rationale="""Defaults are evaluated once, when the function is defined. A mutated default
    remembers every previous call. Use `None` and create the object inside the function.
    Defaults that are only read are not reported.""",
    bad="""
        def add(item, items=[]):
            items.append(item)
            return items
    """,
    good="""
        def add(item, items=None):
            if items is None:
                items = []
            items.append(item)
            return items
    """,
    fix_safety=FixSafety.UNSAFE,
)

ASSERT_CHECK = rule(
    code="EDGE015",
    name="assert-for-validation",
    family="EDGE",
    severity=W,
    question="What happens when this runs with `python -O`?",
    summary="`assert` used for authorisation or request validation; it disappears under `python -O`.",
    rationale="""Assertions are removed when Python runs with optimisations (`-O`,
    `PYTHONOPTIMIZE`), so a permission check or input validation written as `assert` silently
    stops existing. Raise an explicit exception instead. Test files are not checked.""",
    bad="""
        assert user.is_admin, "forbidden"
    """,
    good="""
        if not user.is_admin:
            raise PermissionError("forbidden")
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(617,),
)

NAIVE_DATETIME = rule(
    code="EDGE016",
    name="naive-utc-datetime",
    family="EDGE",
    severity=W,
    question="Which timezone is this timestamp in, once it leaves this function?",
    summary="`datetime.utcnow()` / `utcfromtimestamp()` return naive datetimes and are deprecated since Python 3.12.",
    rationale="""The result looks like UTC but carries no timezone, so `.timestamp()` and
    comparisons treat it as local time, and mixing it with aware values raises `TypeError`.
    Use `datetime.now(timezone.utc)` / `datetime.fromtimestamp(ts, timezone.utc)`. The fix
    changes naive values to aware ones, so review comparisons with other naive values.""",
    bad="""
        created = datetime.utcnow()
    """,
    good="""
        created = datetime.now(timezone.utc)
    """,
    fix_safety=FixSafety.UNSAFE,
)

NAIVE_AWARE = rule(
    code="EDGE017",
    name="naive-aware-comparison",
    family="EDGE",
    severity=W,
    question="Which of these two times carries a timezone?",
    summary="A naive datetime (`datetime.now()`, `today()`, `fromtimestamp(ts)`) compared with or subtracted from an aware one.",
    rationale="""Ordering or subtracting a naive and an aware datetime raises `TypeError: can't
    compare offset-naive and offset-aware datetimes`, and `==` between them is always False.
    Reported only when both sides are known in the same scope: a naive constructor call (or a name
    assigned only from one) against an aware value (`datetime.now(timezone.utc)`, `tz=`/`tzinfo=`
    given, `.astimezone()`, `.replace(tzinfo=...)`, arithmetic with a `timedelta`, or a name
    assigned only from those). Values of unknown origin (attributes, `fromisoformat()`, parameters)
    are never judged. The fix makes the naive call aware (`datetime.now(timezone.utc)`).""",
    bad="""
        expires = datetime.fromtimestamp(claims["exp"], timezone.utc)
        if datetime.now() > expires:
            raise PermissionError("token expired")
    """,
    good="""
        expires = datetime.fromtimestamp(claims["exp"], timezone.utc)
        if datetime.now(timezone.utc) > expires:
            raise PermissionError("token expired")
    """,
    fix_safety=FixSafety.SAFE,
)


# -- shared per-document facts -------------------------------------------------------------------
@dataclass
class Module:
    """Facts about one document shared by the checkers (built once per checker run)."""

    doc: Document
    tree: ast.Module
    imports: ImportMap = field(init=False)

    def __post_init__(self) -> None:
        self.nodes: list[ast.AST] = self.doc.nodes  # shared by every rule family: do not modify
        self.imports = ImportMap.from_nodes(self.nodes)

    @classmethod
    def of(cls, doc: Document) -> "Module":
        """The facts for ``doc``, computed once and shared by the checkers of one analysis (kept
        in ``doc.shared``, which the engine empties when the analysis ends)."""
        cached = doc.shared.get("edge_cases.module")
        if cached is None:
            assert doc.tree is not None
            cached = doc.shared["edge_cases.module"] = cls(doc, doc.tree)
        return cached  # type: ignore[no-any-return]

    def of_type(self, *types: type) -> Iterator[ast.AST]:
        """The nodes that are instances of ``types``, in ``nodes`` order."""
        if all(t in self._positions for t in types) or all(_is_leaf_class(t) for t in types):
            found = [i for t in types for i in self._positions.get(t, ())]
            if len(types) > 1:
                found.sort()
            nodes = self.nodes
            return (nodes[i] for i in found)
        return (n for n in self.nodes if isinstance(n, types))

    @cached_property
    def _positions(self) -> dict[type, list[int]]:
        """Node class -> positions of its nodes in ``nodes`` (one pass instead of one per query)."""
        out: dict[type, list[int]] = {}
        for i, node in enumerate(self.nodes):
            out.setdefault(type(node), []).append(i)
        return out

    @cached_property
    def holders(self) -> dict[int, ast.AST]:
        """id(expression) -> the Assign, Expr or Call that directly holds it (a cheap partial parent map)."""
        out: dict[int, ast.AST] = {}
        for node in self.of_type(ast.Assign, ast.Expr, ast.Call):
            if isinstance(node, ast.Call):
                for arg in node.args:
                    out[id(arg)] = node
            else:
                out[id(node.value)] = node  # type: ignore[attr-defined]
        return out

    @cached_property
    def inside_handlers(self) -> set[int]:
        """ids of try statements nested inside an ``except`` clause (in the same function)."""
        return {
            id(n)
            for handler in self.of_type(ast.ExceptHandler)
            for n in _walk_no_nested(handler.body)  # type: ignore[attr-defined]
            if isinstance(n, (ast.Try, ast.TryStar))
        }

    @cached_property
    def has_routes(self) -> bool:
        """Is any function of the file a web route (a whole-file fact, also in a view)?"""
        return any(_statement_names(stmt, self.doc.memo)[2] for stmt in self.doc.module_body)

    @cached_property
    def enclosing_functions(self) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
        """id(node) -> the function whose own body contains it (nested functions excluded)."""
        return own_function_map(self.nodes, self.doc.parents)

    @cached_property
    def bound_names(self) -> set[str]:
        """Every name bound or read anywhere in the file (a whole-file fact, also in a view)."""
        return set().union(*(_statement_names(stmt, self.doc.memo)[1] for stmt in self.doc.module_body))

    def qname(self, node: ast.AST) -> str | None:
        return qualified_name(node, self.imports)

    def is_builtin(self, node: ast.expr, name: str) -> bool:
        """``node`` is the builtin ``name`` (not shadowed by an import, def or assignment)."""
        return isinstance(node, ast.Name) and node.id == name and name not in self.shadowed

    @cached_property
    def shadowed(self) -> set[str]:
        """Names defined, assigned or taken as a parameter anywhere in the file, and imported
        (a whole-file fact, also in a view)."""
        names = set(self.imports.names) | self.imports.ambiguous
        return names.union(*(_statement_names(stmt, self.doc.memo)[0] for stmt in self.doc.module_body))

    def logger_name(self) -> str | None:
        """A module-level ``NAME = logging.getLogger(...)``, if any."""
        for stmt in self.tree.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                if isinstance(stmt.value, ast.Call) and self.qname(stmt.value.func) == "logging.getLogger":
                    return stmt.targets[0].id
        return None

    def module_alias(self, module: str) -> str | None:
        """The local name bound to ``import module`` (any alias), if any."""
        for local, target in self.imports.names.items():
            if target == module:
                return local
        return None




_BUILTIN_NAMES = frozenset(dir(builtins))
_FIX_IMPORT_NAMES = frozenset({"logging", "asyncio", "timezone"})  # what the fixes check before adding an import


@REGISTRY.whole_file_fact
def _whole_file_contribution(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """What ``stmt`` adds to the whole-file facts these checkers read: builtin names it rebinds
    (``shadowed``), names the fixes would import that it uses (``bound_names``), a web route."""
    defined, bound, route = _statement_names(stmt, memo)
    return frozenset(
        [*(f"defines:{n}" for n in defined & _BUILTIN_NAMES), *(f"uses:{n}" for n in bound & _FIX_IMPORT_NAMES)]
        + (["route"] if route else [])
    )


def _statement_names(stmt: ast.stmt, memo: NodeMemo) -> tuple[frozenset[str], frozenset[str], bool]:
    """(names ``stmt`` defines, assigns or takes as parameters; names it binds or reads; does it
    hold a web route), kept in ``memo``: after an edit only the edited statements are walked."""
    return memo.get(stmt, "edge_cases.names", lambda: _walk_statement_names(stmt))


def _walk_statement_names(stmt: ast.stmt) -> tuple[frozenset[str], frozenset[str], bool]:
    defined: set[str] = set()
    route = False
    nodes = list(ast.walk(stmt))
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
            route = route or (not isinstance(node, ast.ClassDef) and _is_route(node))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    return frozenset(defined), frozenset(names_bound(nodes)), route


def _is_leaf_class(cls: type) -> bool:
    """A syntax-tree class no other class derives from: ``isinstance`` means ``type() is``
    (not ``ast.stmt``, nor the deprecated ``ast.Num``-style aliases with their own isinstance)."""
    return type(cls) is type and issubclass(cls, ast.AST) and not cls.__subclasses__()


def _ensure_import(mod: Module, module: str) -> tuple[str, list[TextEdit]] | None:
    """(local name, edits) to refer to ``module``: an existing alias, or a new ``import``."""
    alias = mod.module_alias(module)
    if alias is not None:
        return alias, []
    if module in mod.bound_names:
        return None
    edit = import_insertion(mod.doc, mod.tree, f"import {module}")
    return (module, [edit]) if edit is not None else None


def _is_test_file(path: str) -> bool:
    parts = re.split(r"[\\/]", path)
    name = parts[-1]
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or any(p in ("tests", "test", "testing") for p in parts[:-1])
    )


def _walk_no_nested(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Walk statements without entering nested functions, classes or lambdas."""
    stack = [
        n
        for n in nodes
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
    ]
    while stack:
        node = stack.pop()
        yield node
        for child in child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.append(child)


# -- EDGE001 / EDGE002: swallowed errors -------------------------------------------------------


def _is_log_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id == "print"
    if isinstance(node.func, ast.Attribute) and node.func.attr in LOGGER_METHODS - {"exception"}:
        receiver = (dotted_name(node.func.value) or "").rsplit(".", 1)[-1].lower()
        return "log" in receiver
    return False


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
        elif isinstance(stmt, ast.Expr) and _is_log_call(stmt.value) and not _logs_traceback(stmt.value):
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


@REGISTRY.checker("EDGE001", "EDGE002")
def check_swallowed(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    for node in mod.of_type(ast.Try, ast.TryStar):
        if not isinstance(node, (ast.Try, ast.TryStar)) or _cleanup_only(node.body):
            continue
        if all(isinstance(stmt, ast.Raise) for stmt in node.body):
            continue  # `try: raise X() except Exception: pass` exercises the handling itself (tests)
        for handler in node.handlers:
            if any(isinstance(n, ast.Raise) for n in _walk_no_nested(handler.body)):
                continue
            line, col, _, _ = doc.node_range(handler)
            head = (line, col, line, col + len("except"))
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


def _reports_error(handler: ast.ExceptHandler) -> bool:
    """Does the handler surface the error (traceback, ``sys.exc_info()``, an exception hook or
    reporter such as ``_report_exception()``) or end the process (``sys.exit``, ``os._exit``)?"""
    for node in _walk_no_nested(handler.body):
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


def _is_probe(body: list[ast.stmt]) -> bool:
    """``try: code = obj.__code__``: a single attribute/item lookup whose absence is expected."""
    if len(body) != 1 or not isinstance(body[0], ast.Assign):
        return False
    value = body[0].value
    return isinstance(value, (ast.Attribute, ast.Subscript)) or (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "getattr"
    )


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
    if func is not None and func.name.strip("_").lower().startswith(CLEANUP_FUNCTIONS):
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
    log_calls = [s.value for s in handler.body if isinstance(s, ast.Expr) and _is_log_call(s.value)]
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
            found = _ensure_import(mod, "logging")
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


# -- EDGE003: network calls without a timeout ----------------------------------------------------
# qualified name -> index of the positional parameter that is the timeout
POSITIONAL_TIMEOUT = {
    "urllib.request.urlopen": 2,
    "http.client.HTTPConnection": 2,
    "http.client.HTTPSConnection": 2,
    "socket.create_connection": 1,
}


def _session_names(mod: Module) -> dict[str, str]:
    """Names (and ``self.x`` attributes) bound only to a requests/httpx session: name -> library."""
    found: dict[str, str] = {}
    others: set[str] = set()
    for node in mod.of_type(ast.Assign, ast.AnnAssign, ast.With, ast.AsyncWith):
        pairs: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            pairs = [(node.target, node.value)]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            pairs = [(i.optional_vars, i.context_expr) for i in node.items if i.optional_vars is not None]
        for target, value in pairs:
            name = dotted_name(target)
            if name is None:
                continue
            lib = SESSION_FACTORIES.get(mod.qname(value.func) or "") if isinstance(value, ast.Call) else None
            if lib:
                found.setdefault(name, lib)
            else:
                others.add(name)
    return {k: v for k, v in found.items() if k not in others}


@REGISTRY.checker("EDGE003")
def check_timeouts(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    sessions = _session_names(mod)
    seconds = ctx.config.network_timeout
    value = f"{seconds:g}" if seconds == int(seconds) else repr(seconds)
    for node in mod.of_type(ast.Call):
        assert isinstance(node, ast.Call)
        qname = call_name(node, mod.imports) or ""
        lib, what = _network_call(mod, node, qname, sessions)
        if lib is None:
            continue
        timeout = keyword(node, "timeout")
        if timeout is not None:
            if isinstance(timeout.value, ast.Constant) and timeout.value.value is None:
                fix = Fix(
                    f"Use timeout={value}",
                    (doc.replace_node(timeout.value, value),),
                    safe=True,
                    preferred=True,
                )
                yield NO_TIMEOUT.finding(
                    doc, timeout, f"`timeout=None` lets `{what}` wait forever", fixes=[fix]
                )
            continue
        if lib == "httpx" or has_star_kwargs(node) or _mentions_timeout(mod, node):
            continue
        position = POSITIONAL_TIMEOUT.get(qname)
        if position is not None and (
            len(node.args) > position or any(isinstance(a, ast.Starred) for a in node.args)
        ):
            continue
        if lib == "aiohttp":
            alias = mod.module_alias("aiohttp")
            text = f"timeout={alias}.ClientTimeout(total={value})" if alias else None
            message = f"`{what}` without a timeout waits up to 5 minutes per request by default"
        else:
            text = f"timeout={value}"
            message = f"`{what}` without a timeout can wait forever"
        edit = insert_keyword(doc, node, text) if text else None
        fixes = [Fix(f"Add {text}", (edit,), safe=True, preferred=True)] if edit else []
        yield NO_TIMEOUT.finding(doc, node.func, message, fixes=fixes)


def _mentions_timeout(mod: Module, call: ast.Call) -> bool:
    """The enclosing function decides about timeouts itself (``if timeout is not None: ...``),
    typically leaving ``None`` to mean the global ``socket.setdefaulttimeout()``."""
    func = mod.enclosing_functions.get(id(call))
    if func is None:
        return False
    for node in _walk_no_nested(func.body):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and "timeout" in node.left.id.lower()
        ):
            if any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators):
                return True
    return False


def _network_call(
    mod: Module, call: ast.Call, qname: str, sessions: dict[str, str]
) -> tuple[str | None, str]:
    head, _, attr = qname.rpartition(".")
    if head == "requests" and attr in REQUESTS_FUNCS:
        return "requests", qname
    if head == "httpx" and attr in HTTPX_FUNCS:
        return "httpx", qname
    if qname in POSITIONAL_TIMEOUT:
        return "stdlib", qname
    if qname == "aiohttp.ClientSession":
        return "aiohttp", qname
    if isinstance(call.func, ast.Attribute) and call.func.attr in REQUESTS_FUNCS | {"stream"}:
        receiver = call.func.value
        name = dotted_name(receiver)
        lib = sessions.get(name) if name else None
        if lib is None and isinstance(receiver, ast.Call):
            lib = SESSION_FACTORIES.get(mod.qname(receiver.func) or "")
        if lib is not None and (lib == "httpx" or call.func.attr != "stream"):
            return lib, f"{lib} session .{call.func.attr}()"
    return None, ""


# -- EDGE004: unbounded queries --------------------------------------------------------------------
SQL_BOUNDS = re.compile(r"\b(where|limit|top|fetch\s+(first|next)|group\s+by|having|offset)\b")
SQL_AGGREGATE = re.compile(r"\b(count|sum|avg|min|max|total|group_concat|string_agg|array_agg)\s*\(")
SQL_CATALOG = re.compile(
    r"\b(sqlite_master|sqlite_schema|sqlite_sequence|information_schema|pg_catalog|pg_\w+)\b"
)
ORM_NARROWING = frozenset(
    {
        "filter",
        "filter_by",
        "where",
        "limit",
        "slice",
        "offset",
        "get",
        "first",
        "one",
        "one_or_none",
        "scalar",
        "group_by",
        "having",
        "with_entities",
        "yield_per",
        "count",
        "exists",
        "params",
        "values",
        "fetch",
        "paginate",
    }
)


def _sql_is_unbounded(sql: str) -> bool:
    text = " ".join(sql.lower().split())
    if not text.startswith("select ") or " from " not in text:
        return False
    if SQL_BOUNDS.search(text) or SQL_CATALOG.search(text):
        return False
    select_list = text[len("select ") : text.index(" from ")]
    return SQL_AGGREGATE.search(select_list) is None


def _execute_sql(node: ast.AST) -> str | None:
    """The literal SQL of ``x.execute("...")`` (or ``Await`` of it)."""
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "execute":
        if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            return node.args[0].value
    return None


def _chain(node: ast.expr) -> list[ast.Call]:
    """The calls of a method chain ``a.b(...).c(...).d()``, outermost first."""
    calls: list[ast.Call] = []
    while True:
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Subscript):
            return []  # slicing bounds the query
        else:
            return calls


@REGISTRY.checker("EDGE004")
def check_unbounded_queries(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    if any(isinstance(n, ast.Attribute) and n.attr == "fetchall" for n in mod.nodes):
        for block in _blocks(mod):
            yield from _unbounded_fetches(doc, block)
    for node in mod.of_type(ast.Call):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "all":
            if not node.args and not node.keywords and _orm_whole_table(mod, node):
                yield UNBOUNDED_QUERY.finding(
                    doc, node, "`.all()` on a query without a filter or limit loads the whole table"
                )


def _blocks(mod: Module) -> Iterator[list[ast.stmt]]:
    for node in mod.nodes:
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block


def _unbounded_fetches(doc: Document, body: list[ast.stmt]) -> Iterator[Finding]:
    """``cur.execute(<unbounded SELECT>)`` followed by ``cur.fetchall()`` in the same block."""
    executed: dict[str, bool] = {}  # receiver -> its last query was a literal unbounded SELECT
    for stmt in body:
        nodes = list(_walk_no_nested([stmt]))
        for node in nodes:
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "fetchall"
            ):
                receiver = node.func.value
                sql = _execute_sql(receiver)
                if sql is not None:
                    unbounded = _sql_is_unbounded(sql)
                else:
                    unbounded = executed.get(dotted_name(receiver) or "", False)
                if unbounded:
                    yield UNBOUNDED_QUERY.finding(
                        doc, node, "`fetchall()` of a SELECT without WHERE or LIMIT loads the whole table"
                    )
        direct = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
        direct_call = direct.value if isinstance(direct, ast.Await) else direct
        for node in nodes:
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in ("execute", "executemany"):
                continue
            sql = _execute_sql(node)
            # only a literal query run directly by this statement is known; anything else resets
            unbounded = node is direct_call and sql is not None and _sql_is_unbounded(sql)
            receivers = [dotted_name(node.func.value)]
            if node is direct_call and isinstance(stmt, ast.Assign):
                receivers += [dotted_name(t) for t in stmt.targets]
            for receiver in receivers:
                if receiver:
                    executed[receiver] = unbounded


def _orm_whole_table(mod: Module, call: ast.Call) -> bool:
    chain = _chain(call.func)
    methods = [c.func.attr for c in chain if isinstance(c.func, ast.Attribute)]
    if any(m in ORM_NARROWING for m in methods):
        return False
    # session.query(Model).all()
    for c in chain:
        if isinstance(c.func, ast.Attribute) and c.func.attr == "query":
            owner = (dotted_name(c.func.value) or "").rsplit(".", 1)[-1].lower()
            return "session" in owner and len(c.args) == 1 and not c.keywords and _is_model(c.args[0])
    # session.execute(select(Model)).scalars().all() / session.scalars(select(Model)).all()
    for c in chain:
        if isinstance(c.func, ast.Attribute) and c.func.attr in ("execute", "scalars") and c.args:
            stmt = c.args[0]
            inner = _chain(stmt)
            if not inner:
                return False
            names = [
                x.func.attr if isinstance(x.func, ast.Attribute) else mod.qname(x.func) or "" for x in inner
            ]
            base = inner[-1]
            if mod.qname(base.func) in ("sqlalchemy.select", "sqlalchemy.future.select", "sqlmodel.select"):
                narrowed = any(n in ORM_NARROWING for n in names[:-1])
                return not narrowed and bool(base.args) and all(_is_model(a) for a in base.args)
            return False
    # Model.query.all()  (Flask-SQLAlchemy)
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "query"
    ):
        owner = func.value.value
        return isinstance(owner, ast.Name) and owner.id[:1].isupper()
    return False


def _is_model(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id[:1].isupper()


# -- EDGE005: unbounded reads ----------------------------------------------------------------------
def _strip_item_access(node: ast.expr) -> ast.expr:
    """``request.files["f"].stream`` / ``request.files.get("f")`` -> ``request.files``."""
    while True:
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Attribute) and node.attr == "stream":
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            node = node.func.value
        else:
            return node


def _upload_params(mod: Module) -> set[str]:
    names: set[str] = set()
    for func in mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for arg in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]:
                if arg.annotation is not None and "UploadFile" in ast.unparse(arg.annotation):
                    names.add(arg.arg)
    return names


def _stream_assignments(mod: Module) -> dict[tuple[int, str], list[tuple[int, bool]]]:
    """(id(scope function) or 0, name) -> [(line, assigned a ``stream=True`` response?)] in line order."""
    found: dict[tuple[int, str], list[tuple[int, bool]]] = {}
    for node in mod.of_type(ast.Assign, ast.With, ast.AsyncWith):
        pairs: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            pairs = [(i.optional_vars, i.context_expr) for i in node.items if i.optional_vars is not None]
        for target, value in pairs:
            if not isinstance(target, ast.Name):
                continue
            stream = keyword(value, "stream") if isinstance(value, ast.Call) else None
            streamed = (
                stream is not None and isinstance(stream.value, ast.Constant) and stream.value.value is True
            )
            scope = id(mod.enclosing_functions.get(id(node)) or 0)
            found.setdefault((scope, target.id), []).append((node.lineno, streamed))
    for entries in found.values():
        entries.sort()
    return found


def _streamed_at(
    mod: Module, streams: dict[tuple[int, str], list[tuple[int, bool]]], name: ast.Name
) -> tuple[int, str, int] | None:
    """The ``stream=True`` assignment ``name`` last received (before this line, in this function),
    as (scope id, name, line), or None."""
    scope = id(mod.enclosing_functions.get(id(name)) or 0)
    latest = [(line, streamed) for line, streamed in streams.get((scope, name.id), []) if line <= name.lineno]
    return (scope, name.id, latest[-1][0]) if latest and latest[-1][1] else None


@REGISTRY.checker("EDGE005")
def check_unbounded_reads(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    uploads = _upload_params(mod)
    streams = _stream_assignments(mod)
    whole_reads: dict[tuple[int, str, int], ast.Attribute] = {}
    for node in mod.of_type(ast.For, ast.AsyncFor, ast.comprehension, ast.Call, ast.Attribute):
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            it = node.iter
            if (
                isinstance(it, ast.Call)
                and isinstance(it.func, ast.Attribute)
                and it.func.attr == "readlines"
                and not it.args
                and not it.keywords
            ):
                fix = Fix("Iterate the file directly", (doc.replace_node(it, doc.segment(it.func.value)),))
                yield UNBOUNDED_READ.finding(
                    doc,
                    it,
                    "`readlines()` loads the whole file before the loop starts; iterate the file",
                    fixes=[fix],
                )
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "read":
            if node.args or node.keywords:
                continue
            receiver = node.func.value
            if mod.qname(_strip_item_access(receiver)) == "flask.request.files":
                yield UNBOUNDED_READ.finding(
                    doc, node, "the whole upload is read into memory; stream it (`.save()` or chunked reads)"
                )
            elif isinstance(receiver, ast.Name) and receiver.id in uploads:
                yield UNBOUNDED_READ.finding(
                    doc, node, "the whole upload is read into memory; read it in chunks (`.read(size)`)"
                )
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr in ("content", "text", "json")
        ):
            origin = _streamed_at(mod, streams, node.value)
            if origin is not None:
                first = whole_reads.get(origin)
                if first is None or (node.lineno, node.col_offset) < (first.lineno, first.col_offset):
                    whole_reads[origin] = node
    for node in sorted(whole_reads.values(), key=lambda n: (n.lineno, n.col_offset)):  # once per response
        yield UNBOUNDED_READ.finding(
            doc,
            node,
            f"the response was requested with `stream=True` but `.{node.attr}` reads the whole body",
        )


# -- EDGE006: unbounded retry loops ----------------------------------------------------------------
def _exits(nodes: Iterable[ast.AST]) -> bool:
    for node in _walk_no_nested(nodes):
        if isinstance(node, (ast.Raise, ast.Return, ast.Break)):
            return True
        if isinstance(node, ast.Call) and (dotted_name(node.func) or "") in ("sys.exit", "exit", "os._exit"):
            return True
    return False


def _is_bounded(loop: ast.While) -> bool:
    for node in _walk_no_nested(loop.body):
        if isinstance(node, ast.AugAssign):
            return True
        if isinstance(node, ast.Call):
            name = (dotted_name(node.func) or "").rsplit(".", 1)[-1].lower()
            if any(
                w in name
                for w in ("sleep", "wait", "backoff", "input", "monotonic", "time", "prompt", "getpass")
            ):
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


def _blind_retry(handler: ast.ExceptHandler) -> bool:
    """A handler that catches a failure worth retrying and then just goes round again.

    Handlers for ``KeyboardInterrupt``, ``InterruptedError`` (EINTR), ``KeyError`` and the like,
    and handlers that do real recovery work, are not blind retries."""
    if _exits(handler.body):
        return False
    names = handler_names(handler)
    if not any(n in RETRYABLE or any(w in n.lower() for w in RETRY_WORDS) for n in names):
        return False
    for stmt in handler.body:
        if isinstance(stmt, (ast.Pass, ast.Continue)):
            continue
        if isinstance(stmt, ast.Expr) and (isinstance(stmt.value, ast.Constant) or _is_log_call(stmt.value)):
            continue
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
            continue
        return False
    return True


@REGISTRY.checker("EDGE006")
def check_retry_loops(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    for loop in Module.of(doc).of_type(ast.While):
        if not (isinstance(loop, ast.While) and isinstance(loop.test, ast.Constant) and loop.test.value):
            continue
        tries = [n for n in _walk_no_nested(loop.body) if isinstance(n, (ast.Try, ast.TryStar))]
        retry = any(_exits(t.body + t.orelse) and any(_blind_retry(h) for h in t.handlers) for t in tries)
        if retry and not _is_bounded(loop):
            line, col, _, _ = doc.node_range(loop)
            yield RETRY_LOOP.finding(
                doc,
                (line, col, line, col + len("while")),
                "this loop retries on failure forever and without a pause; bound the attempts and back off",
            )


# -- EDGE007 / EDGE008: money in floats --------------------------------------------------------------
MONEY_STRONG = frozenset(
    {
        "price",
        "prices",
        "cost",
        "costs",
        "fee",
        "fees",
        "salary",
        "salaries",
        "payment",
        "payments",
        "subtotal",
        "tax",
        "discount",
        "refund",
        "wage",
        "wages",
        "revenue",
        "invoice",
        "budget",
        "money",
        "currency",
        "usd",
        "eur",
        "gbp",
        "dollars",
        "balance",
        "balances",
        "amount",
        "amounts",
        "payout",
        "cash",
        "deposit",
        "withdrawal",
    }
)
MONEY_CONTEXT = frozenset({"total", "order", "cart", "due", "bill", "net", "gross"})
NOT_MONEY = frozenset(
    {
        "count",
        "time",
        "seconds",
        "secs",
        "ms",
        "size",
        "bytes",
        "len",
        "length",
        "pages",
        "items",
        "rows",
        "lines",
        "ratio",
        "percent",
        "pct",
        "rate",
        "weight",
        "score",
        "points",
        "steps",
        "loss",
        "load",
        "width",
        "height",
        "pixels",
        "memory",
        "duration",
        "delay",
        "timeout",
        "calls",
        "tokens",
        "progress",
        "level",
        "factor",
    }
)


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[_\W]+", spaced.lower()) if w]


def is_money_name(name: str) -> bool:
    words = set(_words(name))
    if not words or words & NOT_MONEY:
        return False
    if words & MONEY_STRONG:
        return True
    return "total" in words and bool(words & (MONEY_CONTEXT - {"total"}))


def _value_name(node: ast.expr) -> str | None:
    """The identifier that names a value: ``price``, ``x.price``, ``row["price"]``, ``d.get("price")``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    ):
        return node.slice.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
    ):
        key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _has_float_evidence(mod: Module, node: ast.expr) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, float):
            return True
        if isinstance(sub, ast.Call) and mod.is_builtin(sub.func, "float"):
            return True
    return False


@REGISTRY.checker("EDGE007", "EDGE008")
def check_money(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    for node in mod.of_type(ast.Call):
        if not isinstance(node, ast.Call) or len(node.args) < 1:
            continue
        arg = node.args[0]
        if mod.is_builtin(node.func, "float") and len(node.args) == 1:
            parent = mod.holders.get(id(node))
            target = (
                parent.targets[0] if isinstance(parent, ast.Assign) and len(parent.targets) == 1 else None
            )
            names = [n for n in (_value_name(arg), _value_name(target) if target is not None else None) if n]
            money = next((n for n in names if is_money_name(n)), None)
            if money and not (isinstance(parent, ast.Call) and mod.qname(parent.func) == "decimal.Decimal"):
                yield FLOAT_MONEY.finding(
                    doc,
                    node,
                    f"`{money}` looks like money; a float cannot hold most cents exactly, use Decimal",
                )
        elif mod.is_builtin(node.func, "round") and len(node.args) == 2:
            money = next((n for n in map(_value_name, ast.walk(arg)) if n and is_money_name(n)), None)  # type: ignore[arg-type]
            if money and _has_float_evidence(mod, arg):
                yield FLOAT_MONEY.finding(
                    doc,
                    node,
                    f"rounding the float `{money}` gives binary-float results (round(2.675, 2) == 2.67); use Decimal.quantize",
                )
        elif mod.qname(node.func) == "decimal.Decimal" and len(node.args) == 1 and not node.keywords:
            finding = _decimal_from_float(mod, arg)
            if finding is not None:
                yield finding


def _decimal_from_float(mod: Module, arg: ast.expr) -> Finding | None:
    doc = mod.doc
    literal = (
        arg.operand if isinstance(arg, ast.UnaryOp) and isinstance(arg.op, (ast.USub, ast.UAdd)) else arg
    )
    if isinstance(literal, ast.Constant) and isinstance(literal.value, float):
        value = (
            -literal.value if isinstance(arg, ast.UnaryOp) and isinstance(arg.op, ast.USub) else literal.value
        )
        if value != value or value in (float("inf"), float("-inf")) or Decimal(value) == Decimal(repr(value)):
            return None
        fix = Fix(
            f'Use Decimal("{value!r}")', (doc.replace_node(arg, f'"{value!r}"'),), safe=True, preferred=True
        )
        return DECIMAL_FLOAT.finding(
            doc,
            arg,
            f"`Decimal({doc.segment(arg)})` keeps the float's binary error; pass a string",
            fixes=[fix],
        )
    if (isinstance(arg, ast.Call) and mod.is_builtin(arg.func, "float")) or (
        isinstance(arg, ast.BinOp) and _has_float_evidence(mod, arg)
    ):
        if mod.is_builtin(ast.Name(id="str"), "str"):
            fix = Fix(
                "Convert through str()", (doc.replace_node(arg, f"str({doc.segment(arg)})"),), safe=True
            )
            return DECIMAL_FLOAT.finding(
                doc,
                arg,
                "`Decimal` of a float keeps the float's binary error; build it from a string",
                fixes=[fix],
            )
    return None


# -- EDGE009..EDGE012: None and empty input (flow analysis) ------------------------------------------
NONE_ERRORS = ("AttributeError", "TypeError")
EMPTY_ERRORS = ("ZeroDivisionError", "ArithmeticError", "StatisticsError", "ValueError")
INDEX_ERRORS = ("IndexError", "LookupError")
STATISTICS = frozenset(
    {
        "statistics.mean",
        "statistics.fmean",
        "statistics.median",
        "statistics.mode",
        "statistics.harmonic_mean",
        "statistics.geometric_mean",
        "statistics.median_low",
        "statistics.median_high",
    }
)
FLASK_MULTIDICTS = frozenset(
    f"flask.request.{a}" for a in ("args", "form", "values", "headers", "cookies", "files")
)
DICT_FACTORIES = frozenset(
    {"dict", "collections.defaultdict", "collections.OrderedDict", "json.loads", "json.load"}
)
DICT_ANNOTATIONS = re.compile(r"^(typing\.)?(dict|Dict|Mapping|MutableMapping|DefaultDict|OrderedDict)\b")
NONE_USES = frozenset({"int", "float", "len", "open"})
FRESH_LINES = 5  # "freshly filtered": indexed within this many lines of the filtering


@dataclass
class ScopeFacts:
    """What the None/emptiness domain needs to know about the module and the current scope."""

    mod: Module
    scope: ast.AST
    patterns: dict[str, str | bytes | None]  # names bound to re.compile(...) -> the literal pattern
    optional_funcs: dict[str, str]  # module functions annotated to return Optional
    module_dicts: set[str]
    literal_keys: dict[str, frozenset[object]]  # module dicts -> constant keys every literal has
    installed: "InstalledOptional | None" = None  # installed functions declared to return None sometimes

    @cached_property
    def dicts(self) -> set[str]:
        """Names known to hold a dict in this scope (computed only when a `.get()` needs it)."""
        if isinstance(self.scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return _scope_dicts(self.mod, self.scope, self.module_dicts)
        return set(self.module_dicts)


@dataclass
class NoneEmptyDomain:
    mod: Module
    facts: ScopeFacts
    findings: list[Finding] = field(default_factory=list)
    walker: FlowWalker | None = None  # set by the checker: gives the statement being evaluated

    # -- sources
    def none_source(self, value: ast.expr) -> str | None:
        if not isinstance(value, ast.Call):
            return None
        qname = self.mod.qname(value.func) or ""
        if qname in ("re.match", "re.search", "re.fullmatch"):
            if value.args and _always_matches(_pattern_literal(value), qname[3:]):
                return None
            return f"`{qname}()` returns None when nothing matches"
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr in ("match", "search", "fullmatch"):
            receiver = func.value
            name = dotted_name(receiver)
            if isinstance(receiver, ast.Call) and self.mod.qname(receiver.func) == "re.compile":
                literal: str | bytes | None = _pattern_literal(receiver)
            elif name is not None and name.rsplit(".", 1)[-1] in self.facts.patterns:
                literal = self.facts.patterns[name.rsplit(".", 1)[-1]]
            else:
                return None
            if _always_matches(literal, func.attr):
                return None
            return f"`.{func.attr}()` returns None when nothing matches"
        no_default = len(value.args) == 1 and not value.keywords
        if qname in ("os.environ.get", "os.getenv") and no_default:
            return f"`{qname}()` returns None when the variable is unset"
        if qname == "shutil.which":
            return "`shutil.which()` returns None when the program is not found"
        if isinstance(func, ast.Attribute) and func.attr == "get" and no_default:
            receiver_name = dotted_name(func.value)
            key = value.args[0]
            known_keys = self.facts.literal_keys.get(receiver_name or "", frozenset())
            if isinstance(key, ast.Constant) and key.value in known_keys:
                return None  # TABLE = {"a": 1}; TABLE.get("a"): the key is there
            if receiver_name in self.facts.dicts or self.mod.qname(func.value) in FLASK_MULTIDICTS:
                return "`.get()` without a default returns None for a missing key"
        if isinstance(func, ast.Name) and func.id in self.facts.optional_funcs:
            return self.facts.optional_funcs[func.id]
        if self.facts.installed is not None:
            return self.facts.installed.reason(value)
        return None

    def assign(self, name: str, value: ast.expr | None, state: FlowState) -> None:
        state.kill(name)
        if value is None:
            return
        source = self.none_source(value)
        if source is not None:
            state.tracked[f"none:{name}"] = value
            return
        if _is_filtered(value):
            state.tracked[f"filtered:{name}"] = value
            state.tracked[f"maybe-empty:{name}"] = value
        elif _maybe_empty(self.mod, value):
            state.tracked[f"maybe-empty:{name}"] = value
        elif _nonempty_literal(value):
            state.proven |= {f"ne:{name}", f"nn:{name}"}

    # -- uses
    def visit(self, node: ast.AST, state: FlowState, caught: frozenset[str]) -> None:
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            self._none_use(node, node.value, state, caught)
            if isinstance(node, ast.Subscript):
                self._first_of_filtered(node, state, caught)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._none_use(node.iter, node.iter, state, caught)
        elif isinstance(node, ast.Call):
            self._call(node, state, caught)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.FloorDiv)):
            right = node.right
            if (
                isinstance(right, ast.Call)
                and self.mod.is_builtin(right.func, "len")
                and len(right.args) == 1
            ):
                self._empty_use(
                    DIVIDE_BY_LEN,
                    node,
                    right.args[0],
                    state,
                    caught,
                    "division by `len({})` fails when it is empty",
                )

    def _call(self, node: ast.Call, state: FlowState, caught: frozenset[str]) -> None:
        if len(node.args) == 1 and not node.keywords and isinstance(node.func, ast.Name):
            if node.func.id in NONE_USES and self.mod.is_builtin(node.func, node.func.id):
                self._none_use(node, node.args[0], state, caught)
        qname = self.mod.qname(node.func)
        if qname in STATISTICS and len(node.args) == 1:
            self._empty_use(
                DIVIDE_BY_LEN, node, node.args[0], state, caught, f"`{qname}()` fails when `{{}}` is empty"
            )
        elif (
            isinstance(node.func, ast.Name)
            and node.func.id in ("max", "min")
            and self.mod.is_builtin(node.func, node.func.id)
        ):
            if (
                len(node.args) == 1
                and not isinstance(node.args[0], ast.Starred)
                and not keyword(node, "default")
            ):
                if not has_star_kwargs(node):
                    self._empty_use(
                        EMPTY_MAX,
                        node,
                        node.args[0],
                        state,
                        caught,
                        f"`{node.func.id}()` raises ValueError when `{{}}` is empty",
                    )
        elif (
            isinstance(node.func, ast.Name)
            and node.func.id == "next"
            and self.mod.is_builtin(node.func, "next")
        ):
            arg = node.args[0] if len(node.args) == 1 else None
            if arg is None or not _is_filtered(arg) or is_protected(caught, ("StopIteration",)):
                return
            if isinstance(arg, ast.GeneratorExp) and f"ne:{generator_key(arg)}" not in state.proven:
                self.findings.append(
                    FIRST_OF_FILTERED.finding(
                        self.mod.doc,
                        node,
                        "`next()` of a filtered generator raises StopIteration when nothing matches; pass a default",
                    )
                )

    def _none_use(self, where: ast.AST, value: ast.expr, state: FlowState, caught: frozenset[str]) -> None:
        if is_protected(caught, NONE_ERRORS) or _type_checker_accepted(self.mod.doc, where):
            return
        if isinstance(value, ast.Name):
            source = state.tracked.get(f"none:{value.id}")
            if source is None or f"nn:{value.id}" in state.proven:
                return
            state.proven.add(f"nn:{value.id}")  # report once per path
            reason = self.none_source(source) if isinstance(source, ast.expr) else None
            self.findings.append(
                UNCHECKED_NONE.finding(
                    self.mod.doc, where, f"`{value.id}` may be None here ({reason}); check it first"
                )
            )
        elif isinstance(value, ast.Call):
            reason = self.none_source(value)
            if reason is not None and f"nn:{ast.unparse(value)}" not in state.proven:
                self.findings.append(
                    UNCHECKED_NONE.finding(
                        self.mod.doc, where, f"the result may be None ({reason}); check it first"
                    )
                )

    def _empty_use(
        self,
        rule_: object,
        where: ast.AST,
        arg: ast.expr,
        state: FlowState,
        caught: frozenset[str],
        template: str,
    ) -> None:
        assert rule_ in (DIVIDE_BY_LEN, EMPTY_MAX)
        if is_protected(caught, EMPTY_ERRORS):
            return
        if _is_filtered(arg):
            subject = "the filtered values"
        else:
            key = _subject(arg)
            if key is None or f"ne:{key}" in state.proven:
                return
            origin = state.tracked.get(f"maybe-empty:{key}")
            if origin is None or (rule_ is EMPTY_MAX and isinstance(origin, ast.arg)):
                return  # max()/min() of a parameter: non-empty by contract more often than not
            state.proven.add(f"ne:{key}")  # report once per path
            subject = key
        fixes: list[Fix] = []
        if rule_ is EMPTY_MAX:
            fixes = [f for f in [_default_fix(self.mod.doc, where)] if f is not None]
        elif self.walker is not None and subject != "the filtered values":
            fixes = [f for f in [_emptiness_guard_fix(self.mod.doc, self.walker.statement, subject)] if f]
        self.findings.append(rule_.finding(self.mod.doc, where, template.format(subject), fixes=fixes))  # type: ignore[attr-defined]

    def _first_of_filtered(self, node: ast.Subscript, state: FlowState, caught: frozenset[str]) -> None:
        if not (
            _is_int(node.slice, 0)
            or (
                isinstance(node.slice, ast.UnaryOp)
                and isinstance(node.slice.op, ast.USub)
                and _is_int(node.slice.operand, 1)
            )
        ):
            return
        if is_protected(caught, INDEX_ERRORS) or not isinstance(node.ctx, ast.Load):
            return
        value = node.value
        if isinstance(value, ast.ListComp) and _is_filtered(value):
            what = "the filtered list"
        elif (
            isinstance(value, ast.Name)
            and f"filtered:{value.id}" in state.tracked
            and f"ne:{value.id}" not in state.proven
        ):
            source = state.tracked[f"filtered:{value.id}"]
            if node.lineno - getattr(source, "lineno", 0) > FRESH_LINES:
                return  # not freshly filtered: later logic may well guarantee an element
            state.proven.add(f"ne:{value.id}")
            what = f"`{value.id}`"
        else:
            return
        self.findings.append(
            FIRST_OF_FILTERED.finding(
                self.mod.doc,
                node,
                f"{what} may be empty after filtering; `{self.mod.doc.segment(node.slice)}` raises IndexError",
            )
        )


TYPE_IGNORE = re.compile(
    r"type:\s*ignore(?!\[)|type:\s*ignore\[[^\]]*\b(union-attr|index|arg-type)\b"
    r"|pyright:\s*ignore(?!\[)|pyright:\s*ignore\[[^\]]*\breportOptional"
)


def _type_checker_accepted(doc: Document, node: ast.AST) -> bool:
    """``# type: ignore[union-attr]``, ``# pyright: ignore[reportOptionalMemberAccess]`` (or a bare
    ignore) on the line: the author has already answered a type checker's "this may be None"."""
    line = getattr(node, "lineno", 0)
    if not 1 <= line <= doc.line_count or TYPE_IGNORE.search(doc.line_text(line)) is None:
        return False  # the line cannot hold such a comment: no need to tokenize the file
    comment = doc.comments.get(line, "")
    return bool(comment) and TYPE_IGNORE.search(comment) is not None


GUARDABLE = (ast.Return, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.If)


def _emptiness_guard_fix(doc: Document, statement: ast.stmt | None, subject: str) -> Fix | None:
    """Insert ``if not <subject>: raise ValueError(...)`` before the statement that divides."""
    if not isinstance(statement, GUARDABLE):
        return None
    indent = indentation_of(doc, statement)
    if indent is None:
        return None  # shares its line with something else (`if x: return a / len(b)`)
    line = doc.node_range(statement)[0]
    if doc.line_text(line)[len(indent) :].startswith("elif"):
        return None  # a guard cannot go between the branches of an if/elif chain
    unit = "\t" if indent.startswith("\t") else "    "
    # `subject` is a dotted name (identifiers and dots), safe inside a string literal
    guard = f'{indent}if not {subject}:\n{indent}{unit}raise ValueError("{subject} must not be empty")\n'
    return Fix(f"Raise ValueError when {subject} is empty", (TextEdit(line, 1, line, 1, guard),))


def _is_int(node: ast.expr, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == value


def _default_fix(doc: Document, call: ast.AST) -> Fix | None:
    assert isinstance(call, ast.Call)
    arg = call.args[0]
    if isinstance(arg, ast.GeneratorExp) and not call.keywords:
        inner = doc.segment(arg)
        if inner.startswith("(") and inner.endswith(")") and doc.segment(call).endswith(")"):
            inner = inner[1:-1]
        new = f"{doc.segment(call.func)}(({inner.strip()}), default=None)"
        return Fix("Return None for an empty input (default=None)", (doc.replace_node(call, new),))
    edit = insert_keyword(doc, call, "default=None")
    return Fix("Return None for an empty input (default=None)", (edit,)) if edit else None


def _is_filtered(node: ast.expr) -> bool:
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return any(gen.ifs for gen in node.generators)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "list"
        and len(node.args) == 1
    ):
        inner = node.args[0]
        return isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "filter"
    return False


def _maybe_empty(mod: Module, node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        return not (node.keys if isinstance(node, ast.Dict) else node.elts)
    if isinstance(node, ast.Call):
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in ("list", "dict", "set", "tuple")
            and not node.args
        ):
            return mod.is_builtin(node.func, node.func.id)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "split" and not node.args:
            return True
        return mod.qname(node.func) in ("os.listdir", "glob.glob")
    return False


def _nonempty_literal(node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return bool(node.elts) and not any(isinstance(e, ast.Starred) for e in node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.keys) and None not in node.keys
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, bytes)) and bool(node.value)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("split", "rsplit")
    ):
        return bool(node.args) or bool(node.keywords)
    return False


def _subject(node: ast.expr) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("values", "keys", "items")
    ):
        if not node.args:
            return dotted_name(node.func.value)
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)) and len(node.generators) == 1:
        return dotted_name(node.generators[0].iter)
    return dotted_name(node)


def _pattern_literal(call: ast.Call) -> str | bytes | None:
    """The pattern of ``re.match("...", s)`` / ``re.compile("...")`` when literal and without flags."""
    if not call.args:
        return None
    first = call.args[0]
    compiling = isinstance(call.func, ast.Attribute) and call.func.attr == "compile"
    flags_position = 1 if compiling else 2
    if len(call.args) > flags_position or keyword(call, "flags") is not None:
        return None
    if isinstance(first, ast.Constant) and isinstance(first.value, (str, bytes)):
        return first.value
    return None


ZERO_WIDTH_CONTEXT = re.compile(r"\\[ZbB0-9]|\$|\(\?[=!<]|\(\?P=|\(\?\(")


def _always_matches(pattern: str | bytes | None, method: str) -> bool:
    """Does ``re.<method>(pattern, s)`` succeed for every string ``s``?  (False when unsure.)

    A pattern that can match the empty string at position 0 using only ``^``/``\\A`` as zero-width
    assertions matches at the start of any string."""
    if pattern is None or method == "fullmatch":
        return False
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    if ZERO_WIDTH_CONTEXT.search(text):
        return False
    try:
        return re.compile(pattern).match(pattern[:0]) is not None
    except (re.error, RecursionError, OverflowError, ValueError):
        return False


def _module_facts(
    mod: Module,
) -> tuple[dict[str, str | bytes | None], dict[str, str], set[str], set[str], dict[str, frozenset[object]]]:
    """(compiled patterns, Optional-returning functions, module dict names, non-empty constants,
    constant keys of module dict literals)."""
    patterns: dict[str, str | bytes | None] = {}
    assigned: dict[str, list[ast.expr]] = {}
    for node in mod.of_type(ast.Assign):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = dotted_name(target)
                if name and isinstance(node.value, ast.Call) and mod.qname(node.value.func) == "re.compile":
                    key = name.rsplit(".", 1)[-1]
                    literal = _pattern_literal(node.value)
                    patterns[key] = literal if patterns.get(key, literal) == literal else None
    for stmt in mod.tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            assigned.setdefault(stmt.target.id, []).append(stmt.value)
    dicts = {n for n, values in assigned.items() if all(_is_dictish(mod, v) for v in values)}
    literal_keys = {
        n: frozenset.intersection(*(_constant_keys(v) for v in values))
        for n, values in assigned.items()
        if n in dicts and all(isinstance(v, ast.Dict) for v in values)
    }
    constants = {n for n, values in assigned.items() if len(values) == 1 and _nonempty_literal(values[0])}
    optional: dict[str, str] = {}
    for stmt in mod.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.returns is not None:
            if _is_optional_annotation(stmt.returns):
                optional[stmt.name] = f"`{stmt.name}()` is annotated to return None sometimes"
    return patterns, optional, dicts, constants, literal_keys


def _constant_keys(node: ast.Dict) -> frozenset[object]:
    return frozenset(k.value for k in node.keys if isinstance(k, ast.Constant))


def _is_optional_annotation(node: ast.expr) -> bool:
    text = ast.unparse(node) if not isinstance(node, ast.Constant) else str(node.value)
    text = text.replace(" ", "")
    return (
        text.startswith(("Optional[", "typing.Optional["))
        or text.endswith("|None")
        or text.startswith("None|")
    )


def _is_dictish(mod: Module, value: ast.expr) -> bool:
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return True
    if isinstance(value, ast.Call):
        if isinstance(value.func, ast.Name) and value.func.id == "dict":
            return mod.is_builtin(value.func, "dict")
        return (mod.qname(value.func) or "") in DICT_FACTORIES
    return False


def _scope_dicts(
    mod: Module, func: ast.FunctionDef | ast.AsyncFunctionDef, module_dicts: set[str]
) -> set[str]:
    params = func.args
    known = {
        a.arg
        for a in [*params.posonlyargs, *params.args, *params.kwonlyargs]
        if a.annotation is not None and DICT_ANNOTATIONS.match(ast.unparse(a.annotation))
    }
    if params.kwarg is not None:
        known.add(params.kwarg.arg)
    local_values: dict[str, list[ast.expr]] = {}
    for node in _walk_no_nested(func.body):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        local_values.setdefault(name.id, []).append(
                            node.value if target is name else ast.Constant(0)
                        )
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.NamedExpr)) and isinstance(
            node.target, ast.Name
        ):
            value = getattr(node, "value", None)
            local_values.setdefault(node.target.id, []).append(
                value
                if isinstance(value, ast.expr) and not isinstance(node, ast.AugAssign)
                else ast.Constant(0)
            )
    all_params = {a.arg for a in [*params.posonlyargs, *params.args, *params.kwonlyargs]}
    local = {
        n
        for n, values in local_values.items()
        if all(_is_dictish(mod, v) for v in values) and n not in all_params
    }
    inherited = {n for n in module_dicts if n not in local_values and n not in all_params}
    return (known - set(local_values)) | local | inherited


@REGISTRY.checker("EDGE009", "EDGE010", "EDGE011", "EDGE012")
def check_none_and_empty(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    if _is_test_file(doc.path):
        return  # in a test, an unexpected None or empty input already fails the test loudly
    mod = Module.of(doc)
    patterns, optional, module_dicts, constants, literal_keys = _module_facts(mod)
    installed = InstalledOptional.of(doc, ctx)
    initial = {f"ne:{c}" for c in constants} | {f"nn:{c}" for c in constants} | {"ne:sys.argv", "nn:sys.argv"}
    for scope, body in scope_bodies(doc.tree, mod.nodes):
        state = FlowState(proven=set(initial))
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = scope.args
            for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg]:
                if a is not None and a.arg not in ("self", "cls"):
                    state.tracked[f"maybe-empty:{a.arg}"] = a
        facts = ScopeFacts(mod, scope, patterns, optional, module_dicts, literal_keys, installed)
        domain = NoneEmptyDomain(mod, facts)
        domain.walker = walker = FlowWalker(domain)
        try:
            walker.block(body, state)
        except RecursionError:
            continue  # a pathologically deep expression: stay silent on this scope only
        yield from domain.findings


# -- EDGE009: installed functions declared to return None sometimes -----------------------------------
# Mapping `.get()`: the dedicated check judges it (known dicts only, literal keys exempt).
MAPPING_MODULES = frozenset({"builtins", "collections", "_collections_abc", "typing", "os", "types"})
# Declared Optional for other Python implementations only (CPython always has frames).
IMPLEMENTATION_NONE = frozenset({"inspect.currentframe"})
NOT_A_VALUE = frozenset({"Any", "Incomplete", "MaybeNone"})  # in a union: the stub does not commit


class InstalledOptional:
    """Answers "is this call's result None sometimes?" from the installed callee: its stub
    (typeshed for the standard library, a package's own ``.pyi``, ``*-stubs``), else its own
    return annotation read by the introspection worker.  Silent (None) whenever unsure."""

    def __init__(self, doc: Document, ctx: AnalysisContext, members: Any, stubs: Any) -> None:
        self.doc = doc
        self.ctx = ctx
        self.members = members
        self.stubs = stubs
        self._inference: Inference | None = None
        self._answers: dict[int, str | None] = {}

    @classmethod
    def of(cls, doc: Document, ctx: AnalysisContext) -> "InstalledOptional | None":
        members = ctx.members
        if ctx.environment is None or ctx.resolver is None or members is None:
            return None
        return cls(doc, ctx, members, ctx.stubs)

    @property
    def inference(self) -> Inference:
        if self._inference is None:
            self._inference = document_inference(self.doc, self.ctx, self.members)
        return self._inference

    def reason(self, call: ast.Call) -> str | None:
        key = id(call)
        if key not in self._answers:
            self._answers[key] = self._reason(call) if _plain_call(call) else None
        return self._answers[key]

    def _reason(self, call: ast.Call) -> str | None:
        func = call.func
        root = func
        while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
            root = root.value if not isinstance(root, ast.Call) else root.func
        if not isinstance(root, ast.Name) or root.id in ("self", "cls"):
            return None  # members of this file's classes: their own code, judged elsewhere
        if func is root and root.id not in Module.of(self.doc).imports.names:
            return None  # builtins and functions of this file are judged elsewhere
        receiver = self.inference.infer(func.value) if isinstance(func, ast.Attribute) else None
        if receiver is not None and receiver.kind == INSTANCE:
            assert isinstance(func, ast.Attribute)
            value: Value | None = Value(METHOD, receiver.path, func.attr)  # C methods too (stubs only)
        else:
            value = self.inference.infer(func)
        if value is None:
            return None
        if value.kind == OBJECT:
            info = self.members.describe(value.path)
            if not info or info.get("kind") != "function":
                return None
            target, bound = info.get("canonical") or value.path, False
        elif value.kind == METHOD:
            info = self.members.method(value.path, value.name)
            if not info or not info.get("found") or info.get("kind") not in ("function", "other"):
                return None
            owner = str(info.get("owner") or value.path)
            if value.name == "get" and owner.split(".")[0] in MAPPING_MODULES:
                return None
            target, bound = f"{owner}.{value.name}", True
        else:
            return None
        if target in IMPLEMENTATION_NONE:
            return None
        shown = ".".join(target.split(".")[-2:]) if bound else target
        stub = self._stub_annotation(target, call, bound)
        if stub is not None:  # the stub has the function: it decides (it knows the overloads)
            return f"`{shown}()` is declared to return `{stub}`" if stub else None
        runtime = info.get("optional")
        if not isinstance(runtime, str) or _supplies_default(call, _runtime_params(info.get("signature"))):
            return None
        return f"`{shown}()` is declared to return `{runtime}`"

    def _stub_annotation(self, target: str, call: ast.Call, bound: bool) -> str | None:
        """The Optional return annotation the stub gives for this call, "" when the stub defines
        the function but this call does not return None (or it can't tell), None without a stub."""
        if self.stubs is None:
            return None
        parts = target.split(".")
        for i in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:i])
            if self.stubs.tree(module) is None:
                continue
            found = self.stubs.definitions(module, ".".join(parts[i:]))
            if found is None:
                return None
            owner, defs, _ = found
            applicable = []
            for d in defs:
                decorators = {(dotted_name(x) or "").rsplit(".", 1)[-1] for x in d.decorator_list}
                drop = owner is not None and ("classmethod" in decorators or (bound and "staticmethod" not in decorators))
                params = _stub_params(d.args, drop)
                if _accepts(call, params) and not _supplies_default(call, params):
                    applicable.append(d)
            returning = [d for d in applicable if not _is_no_return(d.returns)]
            if returning and all(_stub_union_with_none(d.returns) for d in returning):
                return ast.unparse(returning[0].returns)  # type: ignore[arg-type]
            return ""
        return None


Param = tuple[str, int, bool]  # name, inspect kind (0 positional-only ... 4 **kwargs), has a default


def _plain_call(call: ast.Call) -> bool:
    """No ``*args``/``**kwargs``: which parameters receive arguments is known."""
    return not any(isinstance(a, ast.Starred) for a in call.args) and all(k.arg for k in call.keywords)


def _runtime_params(signature: object) -> list[Param] | None:
    if not isinstance(signature, dict) or not isinstance(signature.get("params"), list):
        return None
    return [(str(p[0]), int(p[1]), bool(p[2])) for p in signature["params"]]


def _stub_params(args: ast.arguments, drop_first: bool) -> list[Param]:
    positional = [(a.arg, 0) for a in args.posonlyargs] + [(a.arg, 1) for a in args.args]
    defaults = len(args.defaults)
    params: list[Param] = [(n, k, i >= len(positional) - defaults) for i, (n, k) in enumerate(positional)]
    if args.vararg is not None:
        params.append((args.vararg.arg, 2, True))
    params += [(a.arg, 3, d is not None) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg is not None:
        params.append((args.kwarg.arg, 4, True))
    return params[1:] if drop_first and params and params[0][1] in (0, 1) else params


def _bound_names(call: ast.Call, params: list[Param]) -> set[str] | None:
    """The parameters this call passes an argument to, None when it does not fit."""
    positional = [p for p in params if p[1] in (0, 1)]
    passed = {p[0] for p in positional[: len(call.args)]}
    if len(call.args) > len(positional) and not any(p[1] == 2 for p in params):
        return None
    by_name = {p[0] for p in params if p[1] in (1, 3)}
    for kw in call.keywords:
        if kw.arg in by_name:
            passed.add(kw.arg)  # type: ignore[arg-type]
        elif not any(p[1] == 4 for p in params):
            return None
    if any(p[1] in (0, 1, 3) and not p[2] and p[0] not in passed for p in params):
        return None  # a required parameter is missing
    return passed


def _accepts(call: ast.Call, params: list[Param]) -> bool:
    return _bound_names(call, params) is not None


def _supplies_default(call: ast.Call, params: list[Param] | None) -> bool:
    """Does the call pass a fallback value (``get(key, default)``)?  True when unsure."""
    if params is None:
        return True
    passed = _bound_names(call, params)
    return passed is None or any("default" in name or name == "fallback" for name in passed)


def _stub_union_with_none(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Subscript):
        name = (dotted_name(node.value) or "").rsplit(".", 1)[-1]
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if name == "Optional":
            members = [*inner, ast.Constant(None)]
        elif name == "Union":
            members = list(inner)
        else:
            return False
    else:
        members = _union_members(node) if node is not None else []
    names = {(dotted_name(m) or "").rsplit(".", 1)[-1] for m in members}
    return (
        len(members) > 1
        and any(isinstance(m, ast.Constant) and m.value is None for m in members)
        and not names & NOT_A_VALUE
    )


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [node]


def _is_no_return(node: ast.expr | None) -> bool:
    return (dotted_name(node) or "").rsplit(".", 1)[-1] in ("NoReturn", "Never") if node is not None else False


# -- EDGE013: blocking calls in async functions ------------------------------------------------------
BLOCKING_CALLS = {
    "time.sleep": "use `await asyncio.sleep(...)`",
    "urllib.request.urlopen": "use an async HTTP client",
    "subprocess.run": "use `asyncio.create_subprocess_exec`",
    "subprocess.call": "use `asyncio.create_subprocess_exec`",
    "subprocess.check_call": "use `asyncio.create_subprocess_exec`",
    "subprocess.check_output": "use `asyncio.create_subprocess_exec`",
    "os.system": "use `asyncio.create_subprocess_shell`",
    "sqlite3.connect": "use an async driver (aiosqlite) or `asyncio.to_thread`",
    "psycopg2.connect": "use an async driver (psycopg's AsyncConnection, asyncpg)",
    "psycopg.connect": "use `psycopg.AsyncConnection.connect`",
    "pymysql.connect": "use an async driver (aiomysql)",
    "socket.create_connection": "use `asyncio.open_connection`",
}
BLOCKING_BUILTINS = {
    "open": "use `aiofiles` or `asyncio.to_thread`",
    "input": "use `asyncio.to_thread(input)`",
}


@REGISTRY.checker("EDGE013")
def check_blocking_in_async(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    sessions = {k for k, v in _session_names(mod).items() if v == "requests"}
    for func in mod.of_type(ast.AsyncFunctionDef):
        assert isinstance(func, ast.AsyncFunctionDef)
        for node in _walk_no_nested(func.body):
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


def _async_sleep_fix(mod: Module, call: ast.Call) -> Fix | None:
    if not isinstance(mod.holders.get(id(call)), ast.Expr):
        return None
    found = _ensure_import(mod, "asyncio")
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


# -- EDGE014: mutable default arguments ---------------------------------------------------------------
MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "sort",
        "reverse",
        "popitem",
        "appendleft",
        "extendleft",
        "__setitem__",
    }
)
MUTABLE_FACTORIES = frozenset(
    {
        "list",
        "dict",
        "set",
        "bytearray",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
    }
)


def _is_mutable_default(mod: Module, node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in ("list", "dict", "set", "bytearray"):
            return mod.is_builtin(node.func, node.func.id)
        return (mod.qname(node.func) or "") in MUTABLE_FACTORIES
    return False


def _rebinds(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Is ``name`` assigned a new object in ``func`` (``x += [...]`` mutates in place and does not count)?"""
    in_place = {id(n.target) for n in ast.walk(func) if isinstance(n, ast.AugAssign)}
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) and id(n) not in in_place
        for n in ast.walk(func)
    )


def _is_storage_name(name: str) -> bool:
    return name.startswith("_") or any(w in ("cache", "memo", "memory") for w in _words(name))


def _mutated_or_escapes(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    def is_param(node: ast.AST | None) -> bool:
        return isinstance(node, ast.Name) and node.id == name

    for node in ast.walk(func):
        if node is func:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in MUTATORS and is_param(node.func.value):
                return True
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and is_param(target.value):
                    return True
                if isinstance(node, ast.AugAssign) and is_param(target):
                    return True
            if isinstance(node, ast.Assign) and is_param(node.value):
                if any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in node.targets):
                    return True
        elif isinstance(node, (ast.Return, ast.Yield)) and is_param(node.value):
            return True
    return False


@REGISTRY.checker("EDGE014")
def check_mutable_defaults(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    for func in mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        args = func.args
        positional = [*args.posonlyargs, *args.args]
        pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
        pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None]
        for arg, default in pairs:
            if _is_storage_name(arg.arg) or (isinstance(default, ast.List) and default.elts):
                continue  # `_cache={}`, `counter=[0]`: deliberate per-function stores, not accidents
            if _rebinds(func, arg.arg):
                continue  # rebound (`cnf = merge(cnf, kw)`): the mutation may well hit a copy
            if _is_mutable_default(mod, default) and _mutated_or_escapes(func, arg.arg):
                fix = _none_default_fix(doc, func, arg, default)
                yield MUTABLE_DEFAULT.finding(
                    doc,
                    default,
                    f"the default of `{arg.arg}` is created once and shared by every call that mutates it",
                    fixes=[fix] if fix else [],
                )


def _none_default_fix(
    doc: Document, func: ast.FunctionDef | ast.AsyncFunctionDef, arg: ast.arg, default: ast.expr
) -> Fix | None:
    body = func.body
    first = body[0]
    has_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    indent = indentation_of(doc, first)
    if indent is None or (doc.node_range(first)[0] == doc.node_range(func)[0]):
        return None
    unit = "\t" if indent.startswith("\t") else "    "
    guard = f"{indent}if {arg.arg} is None:\n{indent}{unit}{arg.arg} = {doc.segment(default)}\n"
    if has_doc:
        end_line = doc.node_range(first)[2]
        if len(body) > 1:
            nxt = body[1]
            if doc.node_range(nxt)[0] == end_line or indentation_of(doc, nxt) is None:
                return None
            where = doc.node_range(nxt)[0]
        elif end_line < doc.line_count:
            where = end_line + 1
        else:
            return None
    else:
        where = doc.node_range(first)[0]
    if where <= doc.node_range(default)[2]:
        return None
    edits = [doc.replace_node(default, "None"), TextEdit(where, 1, where, 1, guard)]
    if arg.annotation is not None and not _is_optional_annotation(arg.annotation):
        _, _, line, col = doc.node_range(arg.annotation)
        edits.append(TextEdit(line, col, line, col, " | None"))
    return Fix("Default to None and create the value inside the function", tuple(edits), preferred=True)


# -- EDGE015: assert for authorisation or validation --------------------------------------------------
AUTH_WORDS = frozenset(
    {
        "admin",
        "authenticated",
        "authorized",
        "authorised",
        "staff",
        "superuser",
        "perm",
        "perms",
        "permission",
        "permissions",
        "role",
        "roles",
        "logged",
        "auth",
        "csrf",
        "privilege",
        "privileges",
    }
)


def _identifiers(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.Attribute):
            yield sub.attr


def _is_route(func: ast.FunctionDef | ast.AsyncFunctionDef | None) -> bool:
    if func is None:
        return False
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = (dotted_name(target) or "").rsplit(".", 1)[-1]
        if name in ROUTE_DECORATORS:
            return True
    return False


@REGISTRY.checker("EDGE015")
def check_assert_validation(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    if _is_test_file(doc.path):
        return
    mod = Module.of(doc)
    for node in mod.of_type(ast.Assert):
        assert isinstance(node, ast.Assert)
        names = list(_identifiers(node.test))
        auth = any(set(_words(n)) & AUTH_WORDS for n in names) or "current_user" in names
        flask_request = any(
            mod.qname(sub) == "flask.request" for sub in ast.walk(node.test) if isinstance(sub, ast.Name)
        )
        if not (auth or flask_request or mod.has_routes):
            continue
        func = mod.enclosing_functions.get(id(node))
        if func is not None and func.name.startswith("test"):
            continue
        validation = flask_request or _is_route(func)
        if not (auth or validation):
            continue
        error = "PermissionError" if auth else "ValueError"
        what = "an authorisation check" if auth else "request validation"
        fix = _assert_fix(doc, node, error)
        yield ASSERT_CHECK.finding(
            doc,
            (
                doc.node_range(node)[0],
                doc.node_range(node)[1],
                doc.node_range(node)[0],
                doc.node_range(node)[1] + 6,
            ),
            f"`assert` used as {what} is removed under `python -O`; raise {error} instead",
            fixes=[fix] if fix else [],
        )


def _assert_fix(doc: Document, node: ast.Assert, error: str) -> Fix | None:
    indent = indentation_of(doc, node)
    _, _, end_line, end_col = doc.node_range(node)
    rest = doc.line_text(end_line)[end_col - 1 :].strip()
    if indent is None or (rest and not rest.startswith("#")):
        return None
    message = (
        doc.segment(node.msg) if node.msg is not None else repr(f"check failed: {ast.unparse(node.test)}")
    )
    unit = "\t" if indent.startswith("\t") else "    "
    text = f"if not ({doc.segment(node.test)}):\n{indent}{unit}raise {error}({message})"
    return Fix(f"Raise {error} explicitly", (doc.replace_node(node, text),), preferred=True)


# -- EDGE016: naive UTC datetimes ----------------------------------------------------------------------
@REGISTRY.checker("EDGE016")
def check_naive_datetime(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    for node in mod.of_type(ast.Call):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        qname = mod.qname(node.func)
        if qname == "datetime.datetime.utcnow" and not node.args and not node.keywords:
            replacement = "now({tz})"
        elif qname == "datetime.datetime.utcfromtimestamp" and len(node.args) == 1 and not node.keywords:
            replacement = "fromtimestamp({arg}, {tz})"
        else:
            continue
        fix = _aware_fix(mod, node, replacement)
        yield NAIVE_DATETIME.finding(
            doc,
            node,
            f"`{node.func.attr}()` returns a naive datetime (deprecated since 3.12); use an aware one",
            fixes=[fix] if fix else [],
        )


def _aware_fix(mod: Module, call: ast.Call, replacement: str) -> Fix | None:
    assert isinstance(call.func, ast.Attribute)
    doc = mod.doc
    edits: list[TextEdit] = []
    tz_alias = next((k for k, v in mod.imports.names.items() if v == "datetime.timezone"), None)
    module_alias = mod.module_alias("datetime")
    if tz_alias is not None:
        tz = f"{tz_alias}.utc"
    elif module_alias is not None:
        tz = f"{module_alias}.timezone.utc"
    elif "timezone" not in mod.bound_names:
        edit = import_insertion(doc, mod.tree, "from datetime import timezone")
        if edit is None or edit.line >= doc.node_range(call)[0]:
            return None
        edits.append(edit)
        tz = "timezone.utc"
    else:
        return None
    arg = doc.segment(call.args[0]) if call.args else ""
    text = f"{doc.segment(call.func.value)}.{replacement.format(arg=arg, tz=tz)}"
    edits.append(doc.replace_node(call, text))
    return Fix(f"Use {text}", tuple(edits), preferred=True)


# -- EDGE017: naive compared with aware ------------------------------------------------------------
NAIVE, AWARE = "naive", "aware"
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


@REGISTRY.checker("EDGE017")
def check_naive_aware(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    if not any(target.startswith("datetime") for target in mod.imports.names.values()):
        return
    kinds = _DatetimeKinds(mod)
    for node in mod.of_type(ast.Compare, ast.BinOp):
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Sub):
                continue
            pairs = [(node.left, node.op, node.right)]
        else:
            assert isinstance(node, ast.Compare)
            operands = [node.left, *node.comparators]
            pairs = [(operands[i], op, operands[i + 1]) for i, op in enumerate(node.ops)]
        for left, op, right in pairs:
            if not isinstance(op, (*ORDERING, ast.Eq, ast.NotEq, ast.Sub)):
                continue
            sides = {kinds.of(left), kinds.of(right)}
            if sides != {NAIVE, AWARE}:
                continue
            naive = left if kinds.of(left) == NAIVE else right
            aware = right if naive is left else left
            if isinstance(op, (ast.Eq, ast.NotEq)):
                outcome = "they are never equal"
            else:
                outcome = "this raises TypeError"
            fix = _naive_call_fix(mod, naive, safe=not isinstance(op, (ast.Eq, ast.NotEq)))
            yield NAIVE_AWARE.finding(
                doc,
                naive,
                f"`{doc.segment(naive)}` is a naive datetime and `{doc.segment(aware)}` is aware: {outcome}",
                fixes=[fix] if fix else [],
            )


class _DatetimeKinds:
    """Is an expression a naive or an aware ``datetime``, as far as this file shows for certain?"""

    def __init__(self, mod: Module) -> None:
        self.mod = mod
        self._busy: set[str] = set()

    def of(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            if self._is_timedelta(node.right):
                return self.of(node.left)
            if isinstance(node.op, ast.Add) and self._is_timedelta(node.left):
                return self.of(node.right)
            return None
        if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        if any(k.arg is None for k in node.keywords):
            return None
        func = node.func
        tzinfo = _keyword_value(node, "tzinfo")
        if isinstance(func, ast.Attribute):
            if func.attr == "astimezone":
                return AWARE
            if func.attr == "replace" and tzinfo is not None:
                return self._tz_kind(tzinfo)
        qname = self.mod.qname(func) or ""
        if qname == "datetime.datetime.today" and not node.args and not node.keywords:
            return NAIVE
        if qname in ("datetime.datetime.now", "datetime.datetime.fromtimestamp"):
            position = 0 if qname.endswith("now") else 1
            tz = node.args[position] if len(node.args) > position else _keyword_value(node, "tz")
            if len(node.args) > position + 1 or (position == 1 and not node.args):
                return None
            return NAIVE if tz is None else self._tz_kind(tz)
        if qname == "datetime.datetime":
            if len(node.args) > 7:
                tzinfo = node.args[7]
            if tzinfo is None:
                return NAIVE if node.args and len(node.args) <= 7 else None
            return self._tz_kind(tzinfo)
        return None

    def _tz_kind(self, tz: ast.expr) -> str | None:
        """NAIVE for ``None``, AWARE for a timezone that is certainly not None, else unknown."""
        if _is_none_literal(tz):
            return NAIVE
        name = (self.mod.qname(tz.func if isinstance(tz, ast.Call) else tz) or "").rsplit(".", 1)[-1]
        if isinstance(tz, ast.Call):
            return AWARE if name in ("ZoneInfo", "timezone", "tzutc", "tzlocal", "tzoffset") else None
        return AWARE if name in ("utc", "UTC") else None

    def _is_timedelta(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and self.mod.qname(node.func) == "datetime.timedelta"

    def _name(self, node: ast.Name) -> str | None:
        scope = self.mod.enclosing_functions.get(id(node))
        values = self._assigned(scope, node.id)
        if values is None and scope is not None and not _binds(scope, node.id):
            values = self._assigned(None, node.id)  # a module-level name read in a function
        if not values or node.id in self._busy:
            return None
        self._busy.add(node.id)
        try:
            found = {self.of(v) for v in values}
        finally:
            self._busy.discard(node.id)
        return found.pop() if len(found) == 1 else None

    def _assigned(
        self, scope: ast.FunctionDef | ast.AsyncFunctionDef | None, name: str
    ) -> list[ast.expr] | None:
        """Every value ``name`` is assigned in ``scope`` (None: the module), or None when it is
        also bound some other way (a parameter, a loop, unpacking, ``global``...)."""
        body = scope.body if scope is not None else self.mod.tree.body
        values: list[ast.expr] = []
        stores = 0
        for sub in _walk_no_nested(body):
            if isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, (ast.Store, ast.Del)):
                stores += 1
            elif isinstance(sub, (ast.Global, ast.Nonlocal)) and name in sub.names:
                return None
            elif isinstance(sub, ast.Assign) and len(sub.targets) == 1:
                target = sub.targets[0]
                if isinstance(target, ast.Name) and target.id == name:
                    values.append(sub.value)
            elif isinstance(sub, ast.AnnAssign) and isinstance(sub.target, ast.Name) and sub.target.id == name:
                if sub.value is not None:
                    values.append(sub.value)
        if scope is not None and name in {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)}:
            return None
        return values if values and stores == len(values) else None


def _binds(scope: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    if name in {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)}:
        return True
    return any(
        (isinstance(sub, ast.Name) and sub.id == name and not isinstance(sub.ctx, ast.Load))
        or (isinstance(sub, (ast.Global, ast.Nonlocal)) and name in sub.names)
        for sub in _walk_no_nested(scope.body)
    )


def _keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    found = keyword(call, name)
    return found.value if found is not None else None


def _is_none_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _naive_call_fix(mod: Module, naive: ast.expr, safe: bool) -> Fix | None:
    """``datetime.now()``/``today()`` -> ``now(timezone.utc)``; ``fromtimestamp(ts)`` -> with a tz."""
    if not (isinstance(naive, ast.Call) and isinstance(naive.func, ast.Attribute)) or naive.keywords:
        return None
    qname = mod.qname(naive.func)
    if qname in ("datetime.datetime.now", "datetime.datetime.today") and not naive.args:
        fix = _aware_fix(mod, naive, "now({tz})")
    elif qname == "datetime.datetime.fromtimestamp" and len(naive.args) == 1:
        fix = _aware_fix(mod, naive, "fromtimestamp({arg}, {tz})")
    else:
        return None
    return replace(fix, safe=safe) if fix is not None else None

"""EDGE004 unbounded-query: a whole table loaded with `fetchall()` or an ORM `.all()`."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.libraries import ORM_NARROWING, ORM_SELECTS
from vetpy.rules.edge.facts import Module, own_nodes, walk_no_nested
from vetpy.rules.edge.sql_rows import SQL_AGGREGATES
from vetpy.rules.registry import REGISTRY, rule, selected_codes
from vetpy.semantic.routes import is_route


UNBOUNDED_QUERY = rule(
    code="EDGE004",
    name="unbounded-query",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when this table has ten million rows?",
    summary="`fetchall()` or an ORM `.all()` on a query without `WHERE`, `LIMIT` or a filter loads a whole table.",
    rationale="""Loading every row of a table works on a developer's laptop and exhausts memory
    in production. Filter, paginate (`LIMIT`/`.limit()`), or stream (`fetchmany`, iterating the
    cursor, `yield_per`). Aggregates (`SELECT count(*) ...`) and catalog tables are not reported; a query whose
    text is an f-string is judged by its literal clauses (`f"SELECT * FROM {table}"` has none). A
    page size the client chooses with nothing to cap it is EDGE024, on by default. Opt-in: the rule runs only when selected by its code, `EDGE` or `ALL` (`--extend-select
    EDGE004`): on real applications nearly every unfiltered `.all()` read a small lookup or
    configuration table, whose size the code does not show.""",
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

CLIENT_PAGE_SIZE = rule(
    code="EDGE024",
    name="client-page-size",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if the client asks for a million rows per page?",
    summary="A page size the client chooses (`limit`, `per_page`, `page_size`) reaches a query with no upper bound.",
    rationale="""Pagination bounds a query only when the server bounds the page: a page size
    taken from the request as it comes lets any client ask for every row at once, and the
    server loads them all. Cap it (`min(n, MAX_PAGE)`, `Query(20, le=100)`). Reported: a route's
    parameter named for a page size (`limit: int = 1000`, `per_page`, `page_size`; not with
    `Query(le=...)`, `Parameter(le=...)`, `Field(le=...)`) or a request value read as an int
    (`request.args.get("per_page", 25, type=int)`, `int(request.GET.get("limit", 20))`) that
    reaches `.limit(n)`, `.fetchmany(n)` or `.paginate(per_page=n)` (or a SQL text's `LIMIT`,
    `"... LIMIT %d" % (n,)` or `f"... LIMIT {n}"`, or the upper bound of a slice of a Django
    queryset, `qs[start:start + n]`: reported where the value is read), or a Django view's
    `get_paginate_by` returning one, with no `min()` and no comparison of it in the function
    (a route's parameter is reported where it is declared, where the bound goes). EDGE004's
    certain half, on by default: whether a whole table is large the code does not show, a page
    size the client picks it does.""",
    bad="""
        @app.get("/orders")
        def orders():
            per_page = request.args.get("per_page", 25, type=int)
            return Order.query.limit(per_page).all()
    """,
    good="""
        @app.get("/orders")
        def orders():
            per_page = min(request.args.get("per_page", 25, type=int), 100)
            return Order.query.limit(per_page).all()
    """,
    cwe=(400, 770),
)


SQL_BOUNDS = re.compile(r"\b(where|limit|top|fetch\s+(first|next)|group\s+by|having|offset)\b")
AGGREGATE_CALL = re.compile(rf"\b({'|'.join(SQL_AGGREGATES)})\s*\(", re.IGNORECASE)
SQL_CATALOG = re.compile(
    r"\b(sqlite_master|sqlite_schema|sqlite_sequence|information_schema|pg_catalog|pg_\w+)\b"
)


def _sql_is_unbounded(sql: str) -> bool:
    text = " ".join(sql.lower().split())
    if not text.startswith("select ") or " from " not in text:
        return False
    if SQL_BOUNDS.search(text) or SQL_CATALOG.search(text):
        return False
    select_list = text[len("select ") : text.index(" from ")]
    return AGGREGATE_CALL.search(select_list) is None


def _execute_sql(node: ast.AST) -> str | None:
    """The literal SQL of ``x.execute("...")`` (or ``Await`` of it)."""
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "execute":
        if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            return node.args[0].value
        if node.args and isinstance(node.args[0], ast.JoinedStr):
            # f"SELECT * FROM {table}": its clauses are the literal parts; a placeholder is a name
            return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "x"
                           for v in node.args[0].values)
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


@REGISTRY.checker("EDGE004", "EDGE024")
def check_unbounded_queries(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    selected = selected_codes(doc)
    if selected is None or "EDGE004" in selected:
        yield from _whole_tables(doc, mod)
    for func in mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        yield from _client_page_sizes(doc, func)  # type: ignore[arg-type]


def _whole_tables(doc: Document, mod: Module) -> Iterator[Finding]:
    """EDGE004: an unfiltered ORM ``.all()`` or a ``fetchall()`` of a SELECT without WHERE/LIMIT."""
    if any(isinstance(n, ast.Attribute) and n.attr == "fetchall" for n in mod.nodes):
        for block in _blocks(mod):
            yield from _unbounded_fetches(doc, block)
    for node in mod.of_type(ast.Call):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "all":
            if not node.args and not node.keywords and _orm_whole_table(mod, node):
                yield UNBOUNDED_QUERY.finding(
                    doc, node, "`.all()` on a query without a filter or limit loads the whole table"
                )


# names of a page size: how many rows the client asks for
_PAGE_SIZE_WORDS = frozenset({"limit", "per_page", "perpage", "page_size", "pagesize", "size", "max_results", "top", "take"})
# the keywords that put an upper bound on a declared parameter (FastAPI/Litestar/pydantic/ninja)
_UPPER_BOUNDS = frozenset({"le", "lt", "max_value", "maximum"})


def _client_page_sizes(doc: Document, func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Finding]:
    """A page size the client chooses with no upper bound, used as the size of a query: a route's
    parameter (``limit: int = 1000``, ``Query(100)`` without ``le=``) or a request value read as an
    int (``int(request.args.get("per_page", 20))``, ``.get("limit", 20, type=int)``) that reaches
    ``.limit(n)``, ``paginate(per_page=n)`` or ``fetchmany(n)`` with no ``min()`` and
    no comparison in between; or returned by Django's ``get_paginate_by``. A route's parameter is
    reported where it is declared (the bound goes there: ``Query(20, le=100)``), a request value
    where the query takes it."""
    if func.name == "get_paginate_by":
        for node in own_nodes(func):
            if isinstance(node, ast.Return) and node.value is not None and _client_int(node.value) is not None:
                yield CLIENT_PAGE_SIZE.finding(doc, node, _PAGE_SIZE_MESSAGE.format(_client_int(node.value)))
        return
    sizes: dict[str, str] = {}
    declared_at: dict[str, ast.arg] = {}  # a route's parameter: reported where it is declared, where the cap goes
    if is_route(func):
        args = func.args
        defaults = dict(zip([a.arg for a in args.args[len(args.args) - len(args.defaults):]], args.defaults))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
        for arg in [*args.args, *args.kwonlyargs]:
            declared = [x for x in (arg.annotation, defaults.get(arg.arg)) if x is not None]
            if arg.arg in _PAGE_SIZE_WORDS and any(_int_declared(x) for x in declared) and not any(
                    isinstance(k, ast.keyword) and k.arg in _UPPER_BOUNDS for x in declared for k in ast.walk(x)):
                sizes[arg.arg] = arg.arg
                declared_at[arg.arg] = arg
    bindings: dict[str, int] = {}
    read_at: dict[str, ast.AST] = {}  # a request value's assignment: where the cap goes
    for node in own_nodes(func):
        for target in _bound_names(node):
            bindings[target] = bindings.get(target, 0) + 1
            if isinstance(node, ast.Assign) and (key := _client_int(node.value)) is not None and (
                    target in _PAGE_SIZE_WORDS or key in _PAGE_SIZE_WORDS):
                sizes[target] = key
                read_at[target] = node
    if not sizes:
        return
    checked = set()
    for node in own_nodes(func):
        if isinstance(node, ast.Compare):
            checked |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("min", "max", "clamp"):
            checked |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    live = {name: key for name, key in sizes.items()
            if name not in checked and bindings.get(name, 0) <= (0 if name in [a.arg for a in func.args.args + func.args.kwonlyargs] else 1)}
    reported: set[str] = set()
    querysets = _querysets(func)
    for node in own_nodes(func):
        direct = _page_size_use(node) is not None
        for name in _page_size_uses(node, querysets):
            if name in live and name not in reported:
                reported.add(name)
                # a size inside a SQL text or a slice bound is reported where it is read (and capped)
                at = declared_at.get(name) or (node if direct else read_at.get(name, node))
                yield CLIENT_PAGE_SIZE.finding(doc, at, _PAGE_SIZE_MESSAGE.format(live[name]))


_PAGE_SIZE_MESSAGE = ("the page size `{}` comes from the client with no upper bound: a request for a million rows "
                      "loads them all; cap it (`min(n, MAX)`, `Query(le=MAX)`)")


def _int_declared(node: ast.expr) -> bool:
    """``int``, ``Annotated[int, ...]``, ``Optional[int]`` or an int default (``= 1000``, ``Query(100)``)."""
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    if isinstance(node, ast.Call):
        return any(_int_declared(a) for a in node.args[:1]) or any(
            k.arg == "default" and _int_declared(k.value) for k in node.keywords)
    return any(isinstance(n, ast.Name) and n.id == "int" for n in ast.walk(node))


def _client_int(value: ast.expr) -> str | None:
    """The key of a request value read as an int: ``int(request.args.get("per_page", 20))``,
    ``request.GET.get("limit", 20, type=int)`` (a receiver named for a request's query), else None."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "int" and len(value.args) == 1:
        inner = value.args[0]
        typed = False
    else:
        inner, typed = value, True
    if not typed and isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr in _TORNADO_GETTERS \
            and isinstance(inner.func.value, ast.Name) and inner.func.value.id == "self" and inner.args:
        key = inner.args[0]  # Tornado's `int(self.get_argument("size", "24"))`
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "get" and inner.args):
        return None
    if typed and not any(k.arg == "type" and isinstance(k.value, ast.Name) and k.value.id == "int" for k in inner.keywords):
        return None
    receiver = dotted_name(inner.func.value) or ""
    key = inner.args[0]
    if "request" not in receiver or receiver.rsplit(".", 1)[-1] not in ("args", "GET", "query_params", "query", "values"):
        return None
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


# a Tornado handler's getters of the query or form (tornado 6.6 `RequestHandler`)
_TORNADO_GETTERS = frozenset({"get_argument", "get_query_argument"})


def _bound_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _page_size_use(node: ast.AST) -> ast.expr | None:
    """The size given to a query: ``.limit(n)``, ``.fetchmany(n)``, ``.paginate(per_page=n)``;
    the bound of a Django queryset slice (``qs[start:start + n]`` of a name bound to
    ``Model.objects...``, see `_page_size_uses`)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in ("limit", "fetchmany") and len(node.args) == 1:
            return node.args[0]
        if node.func.attr == "paginate":
            return next((k.value for k in node.keywords if k.arg == "per_page"), None)
    return None


_SQL_LIMIT = re.compile(r"\bLIMIT\s+(%[sd]|\{)", re.IGNORECASE)


def _page_size_uses(node: ast.AST, querysets: set[str]) -> list[str]:
    """Names that size a query at ``node``: `_page_size_use`'s, the values formatted into a SQL
    text's ``LIMIT %d`` (``"... LIMIT %d OFFSET %d" % (n, offset)``, an f-string's
    ``LIMIT {n}``), and the names in the upper bound of a slice of a queryset
    (``qs[start:start + n]``, ``qs`` bound to ``Model.objects...``)."""
    used = _page_size_use(node)
    if used is not None:
        return [used.id] if isinstance(used, ast.Name) else []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
            and isinstance(node.left.value, str) and _SQL_LIMIT.search(node.left.value):
        return [n.id for n in ast.walk(node.right) if isinstance(n, ast.Name)]
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{" for v in node.values)
        if _SQL_LIMIT.search(text):
            return [n.id for v in node.values if isinstance(v, ast.FormattedValue) for n in ast.walk(v.value)
                    if isinstance(n, ast.Name)]
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice) and node.slice.upper is not None \
            and (isinstance(node.value, ast.Name) and node.value.id in querysets or _pony_query(node.value)):
        return [n.id for n in ast.walk(node.slice.upper) if isinstance(n, ast.Name)]
    return []


def _pony_query(node: ast.expr) -> bool:
    """Pony ORM's ``select(c for c in Course if ...)`` (and its ``.order_by(...)``, ``.filter(...)``
    chain): a query whose slice is its page (pony 0.7 ``Query.__getitem__`` adds LIMIT/OFFSET)."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "select" \
        and len(node.args) == 1 and isinstance(node.args[0], ast.GeneratorExp)


def _querysets(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names the function binds to a Django queryset (``qs = Patient.objects.filter(...)``)."""
    found = set()
    for node in own_nodes(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and any(
                isinstance(n, ast.Attribute) and n.attr == "objects" for n in ast.walk(node.value)):
            found.add(node.targets[0].id)
    return found


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
        nodes = list(walk_no_nested([stmt]))
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
            if mod.qname(base.func) in ORM_SELECTS:
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

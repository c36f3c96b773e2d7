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
from vetpy.rules.edge.facts import Module, walk_no_nested
from vetpy.rules.edge.sql_rows import SQL_AGGREGATES
from vetpy.rules.registry import REGISTRY, rule


UNBOUNDED_QUERY = rule(
    code="EDGE004",
    name="unbounded-query",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when this table has ten million rows?",
    summary="`fetchall()` or an ORM `.all()` on a query without `WHERE`, `LIMIT` or a filter loads a whole table.",
    rationale="""Loading every row of a table works on a developer's laptop and exhausts memory
    in production. Filter, paginate (`LIMIT`/`.limit()`), or stream (`fetchmany`, iterating the
    cursor, `yield_per`). Aggregates (`SELECT count(*) ...`) and catalog tables are not reported.
    Opt-in: the rule runs only when selected by its code, `EDGE` or `ALL` (`--extend-select
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

"""Where an EDGE010/011/012 collection or an EDGE009 None comes from, beyond a function's own
literals (edge28): the rows of a ``SELECT``, the first row of an ORM query, and module-level
collections that start empty and are filled only at run time."""

from __future__ import annotations

import ast
import re

from vetpy.astutil import walk
from vetpy.rules.edge.facts import Module
from vetpy.rules.edge.query_rows import AGGREGATE_TEXT


SELECT_TEXT = re.compile(r"\s*select\b", re.IGNORECASE)


# the collections that start empty when called with this many positional arguments (a factory)
EMPTY_CONSTRUCTORS = {"collections.Counter": 0, "collections.OrderedDict": 0, "collections.defaultdict": 1}


def run_time_empties(mod: Module) -> dict[str, ast.expr]:
    """Module-level collections that start empty and are filled only at run time: a name bound once
    at module level to an empty collection (``_totals = Counter()``, ``_cache = {}``) that no
    module-level statement fills and no function used as a decorator (a registry filled at import,
    ``@register("ping")``) touches. Until a request or a thread fills it, it is empty. Memoised per module."""
    cached = mod.doc.shared.get("edge.run_time_empties")
    if cached is None:
        cached = mod.doc.shared["edge.run_time_empties"] = _collect_run_time_empties(mod)
    return cached  # type: ignore[no-any-return]


def _collect_run_time_empties(mod: Module) -> dict[str, ast.expr]:
    tree = mod.doc.tree
    assert isinstance(tree, ast.Module)
    bound: dict[str, list[ast.expr]] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    bound.setdefault(target.id, []).append(stmt.value)
    empties = {name: values[0] for name, values in bound.items()
               if len(values) == 1 and empty_collection(mod, values[0])}
    if not empties:
        return {}
    decorators = {n.id for node in walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  for d in node.decorator_list for n in walk(d) if isinstance(n, ast.Name)}
    touched_at_import: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if isinstance(stmt, ast.ClassDef) or stmt.name in decorators:
                touched_at_import |= {n.id for n in walk(stmt) if isinstance(n, ast.Name)}
            continue
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None and any(
                isinstance(t, ast.Name) and t.id in empties for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])):
            continue  # the binding itself
        touched_at_import |= {n.id for n in walk(stmt) if isinstance(n, ast.Name)}
    return {name: value for name, value in empties.items() if name not in touched_at_import}


def empty_collection(mod: Module, value: ast.expr) -> bool:
    """An empty literal (``{}``, ``[]``) or a call of a collection's constructor with no items
    (``dict()``, ``set()``, ``Counter()``, ``defaultdict(list)``)."""
    if isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        return not (value.keys if isinstance(value, ast.Dict) else value.elts)
    if not isinstance(value, ast.Call) or value.keywords:
        return False
    if isinstance(value.func, ast.Name) and value.func.id in ("list", "dict", "set") and not value.args:
        return mod.is_builtin(value.func, value.func.id)
    qname = mod.qname(value.func) or ""
    return qname in EMPTY_CONSTRUCTORS and len(value.args) <= EMPTY_CONSTRUCTORS[qname]


# the links of an ORM query chain (Django, SQLAlchemy, Flask-SQLAlchemy, Tortoise, peewee)
QUERY_CHAIN = frozenset({"filter", "filter_by", "order_by", "where", "exclude", "objects", "query", "select_related",
                          "prefetch_related", "annotate", "distinct", "join", "scalars", "execute", "select"})


def first_of_query(call: ast.Call) -> bool:
    """``Model.objects.filter(...).first()``, ``session.query(M).filter_by(...).first()``,
    ``session.execute(stmt).scalars().first()``: the first row of a query, None when none matches."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "first" and not call.args and not call.keywords):
        return False
    node: ast.expr = call.func.value
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Call):
            node = node.func
            continue
        if node.attr in QUERY_CHAIN:
            return True
        node = node.value
    return False


def aggregate_sql(call: ast.Call) -> bool:
    sql = call.args[0] if call.args else None
    return isinstance(sql, ast.Constant) and isinstance(sql.value, str) and AGGREGATE_TEXT.search(sql.value) is not None


def selects_rows(call: ast.Call) -> bool:
    """A call given the text of a ``SELECT`` that is not an aggregate (``db.execute_query_dict(
    "SELECT weight FROM shipments WHERE ...")``, ``conn.execute("SELECT ...")``): its rows, or the
    cursor over them, which a query can leave empty."""
    sql = call.args[0] if call.args else None
    return (isinstance(sql, ast.Constant) and isinstance(sql.value, str) and SELECT_TEXT.match(sql.value) is not None
            and AGGREGATE_TEXT.search(sql.value) is None)

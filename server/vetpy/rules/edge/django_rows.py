"""EDGE010/EDGE011 for the rows of a Django query (issue #20, edge49, service 36).

``values = list(Permit.objects.filter(kind=kind).values_list("valuation_cents", flat=True))`` or
``days = [p.days for p in qs.only("days")[:5000]]`` (``qs = Permit.objects.filter(...)``), then
``sum(values) / len(values)``: a query can match no row, and the average raises
``ZeroDivisionError``.  A query is known by its chain: query methods (``filter``, ``exclude``,
``order_by``, ``values_list``, slicing ...) on ``Model.objects`` or on a local bound to such a
chain, or a chain with a method only a Django ``QuerySet`` has (``values_list``, ``only``,
``defer``, ``select_related``, ``prefetch_related``) on any receiver (``staff_permits(user).filter(
kind=k).values_list("v", flat=True)``).  Only in a module that imports Django, and not in a function
that asks a queryset ``.exists()`` or ``.count()`` (it decides the empty case through the query
itself); the list's own tests (``if not values``) are the flow's (none_empty.py).
"""

from __future__ import annotations

import ast

from vetpy.astutil import imports_package, walk_statements
from vetpy.rules.edge.facts import Module
from vetpy.rules.edge.flow import FlowState

QUERY_METHODS = frozenset({"filter", "exclude", "all", "order_by", "values", "values_list", "only", "defer",
                           "select_related", "prefetch_related", "annotate", "distinct", "using", "reverse",
                           "select_for_update"})
DJANGO_ONLY = frozenset({"values_list", "only", "defer", "select_related", "prefetch_related"})


def _imports_django(mod: Module) -> bool:
    cached = mod.doc.shared.get("edge.imports_django")
    if cached is None:
        cached = mod.doc.shared["edge.imports_django"] = imports_package(
            walk_statements(mod.doc.tree), "django")  # imports are statements
    return bool(cached)


def _asks_the_query(mod: Module, scope: ast.AST) -> bool:
    """Does the function call ``.exists()`` or an argument-less ``.count()`` anywhere? (memoised per document)"""
    memo: dict[int, bool] = mod.doc.shared.setdefault("edge.asks_the_query", {})
    if id(scope) not in memo:
        memo[id(scope)] = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and not n.args
                              and not n.keywords and n.func.attr in ("exists", "count") for n in ast.walk(scope))
    return memo[id(scope)]


def queryset(node: ast.expr, state: FlowState) -> bool:
    """Is ``node`` a Django queryset, by its chain (see the module's doc)?"""
    links = django_only = 0
    while True:
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_METHODS:
            links += 1
            django_only += node.func.attr in DJANGO_ONLY
            node = node.func.value
        else:
            break
    if not links:
        return False
    if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
        return node.value.id[:1].isupper()
    if isinstance(node, ast.Name) and f"queryset:{node.id}" in state.tracked:
        return True
    return django_only > 0


def django_rows(mod: Module, scope: ast.AST, name: str, value: ast.expr, state: FlowState) -> bool:
    """Note what ``name = value`` binds: a queryset (remembered as ``queryset:name``, False: a
    queryset is not itself reported) or a list of a query's rows (``rows:name``, True: may be empty)."""
    if not _imports_django(mod) or _asks_the_query(mod, scope):
        return False
    if queryset(value, state):
        state.tracked[f"queryset:{name}"] = value
        return False
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list" \
            and len(value.args) == 1 and not value.keywords and mod.is_builtin(value.func, "list"):
        rows = queryset(value.args[0], state)
    elif isinstance(value, ast.ListComp) and len(value.generators) == 1:
        rows = queryset(value.generators[0].iter, state)
    else:
        rows = False
    if rows:
        state.tracked[f"rows:{name}"] = value
    return rows

"""SEC036: a parent's rows listed by the parent's id from the request, where the module scopes the parent (issue #20, service37).

``select(Payment).where(Payment.invoice_id == invoice_id)`` in ``GET /invoices/<int:invoice_id>/payments``
reads the payments of whichever invoice the URL names.  Where the module's other routes behind the
same guards fetch that parent (``Invoice``: the model whose name, in snake case with ``_id``, is the
column, ``invoice_id``) by a request id scoped to the caller (at least two such fetches, two thirds
of the module's fetches of it behind those guards, one of them a read: reading an invoice is the
owner's), the children of another caller's invoice are a changed number away.

Not reported: a route that fetches the parent itself (scoped or not: that fetch is judged on its own),
that reads the signed-in user anywhere (a role check, a filter of its own), a column compared with
anything but a parameter of the route, a parent the module never fetches scoped, a route SEC023
reports as unguarded.  Reported at the query, once per route.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import call_chain, last_name, walk
from vetpy.findings import Finding
import vetpy.rules.sec.authorization as authorization
import vetpy.rules.sec.idor_routes as idor_routes
import vetpy.rules.sec.object_ownership as object_ownership
from vetpy.rules.sec.principal_reads import inputs as route_inputs, model_name, reads_user
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_CONDITIONS = frozenset({"where", "filter"})
_READ_VERBS = frozenset({"GET", "HEAD", "get", "head"})


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _child_queries(func: FunctionNode, inputs: set[str]) -> Iterator[tuple[ast.Call, str, str]]:
    """(query, child model, parent column) of ``select(Child).where(Child.parent_id == param)``."""
    for node in walk(func):
        if not (isinstance(node, ast.Call) and last_name(node.func) in _CONDITIONS):
            continue
        calls, _ = call_chain(node)
        select = calls[-1] if calls else None
        if select is None or last_name(select.func) != "select" or len(select.args) != 1 or (child := model_name(select.args[0])) is None:
            continue
        for c in calls[:-1]:
            for cond in c.args if last_name(c.func) in _CONDITIONS else ():
                if isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], ast.Eq) \
                        and isinstance(cond.left, ast.Attribute) and isinstance(cond.left.value, ast.Name) and cond.left.value.id == child \
                        and cond.left.attr.endswith("_id") and isinstance(cond.comparators[0], ast.Name) \
                        and cond.comparators[0].id == cond.left.attr and cond.left.attr in inputs:
                    yield node, child, cond.left.attr


def verdict(func: FunctionNode, parent: str, fetches: list[object_ownership.Fetch], audience: frozenset[str], reads: set[int]) -> str | None:
    if any(f.route is func and f.model == parent for f in fetches):
        return None
    kin = list({id(f.call): f for f in fetches if f.route is not func and f.model == parent and f.audience == audience and not f.excused}.values())
    scoped = [f for f in kin if f.scoped]
    if len(scoped) < 2 or 3 * len(scoped) < 2 * len(kin) or not any(id(f.route) in reads for f in scoped):
        return None
    return f"{len(scoped)} of the module's {len(kin)} other fetches of `{parent}` by routes with the same guards scope it to the signed-in user"


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func: FunctionNode = site.node  # type: ignore[assignment]
    if site.func is not None:
        return
    route = next((r for r in idor_routes.module_routes(sec.doc) if r.node is func), None)
    if route is None:
        return
    inputs = route_inputs(func)
    queries = list(_child_queries(func, inputs))
    if not queries:
        return
    fetches = object_ownership._fetches(sec.doc)
    models = {f.model for f in fetches}
    for query, child, column in queries:
        parent = next((m for m in models if _snake(m) + "_id" == column and m != child), None)
        if parent is None:
            continue
        reads = {id(r.node) for r in idor_routes.module_routes(sec.doc) if r.methods and r.methods <= _READ_VERBS}
        why = verdict(func, parent, fetches, object_ownership._audience(route), reads)
        if why is None or any(reads_user(stmt) for stmt in func.body) or authorization.reported_unguarded(sec.doc, func):
            return
        yield object_ownership.IDOR.finding(
            sec.doc, query,
            f"the `{child}` rows of the `{parent}` the request names (`{column}`) are read without checking that `{parent}` is the "
            f"signed-in user's, but {why}: any user can read another's by changing the id; fetch the `{parent}` scoped first, "
            "or join it and filter by the owner")
        return


MODULE = RuleModule(
    rules=(object_ownership.IDOR,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=object_ownership.MODULE.triggers,
)

"""SEC036's third shape, the owner the request names: a route takes an owner's id from the request
(``student_id`` from the URL, a Django view's ``customer_id``) and lists or reads that owner's rows
(``Enrolment.student == student_id``, ``Order.objects.filter(customer_id=customer_id)``), where the
module's other routes scope the same model's owner column by the signed-in principal
(``Enrolment.student == user.id``, ``filter(customer=request.user)``) or check the requested owner
first (``can_see_student(viewer, student_id)``): the module's convention says a user reads their own
rows, and this route lets any signed-in user read another's by naming them.

Not reported: a route that reads the signed-in user anywhere (``if student_id != user.id and not
user.is_teacher``, a query that also filters by the user), that hands the owner to an access check
(``ensure_can_view(customer_id)``), a role-, staff- or permission-guarded route, a route with no
authorization or one public by name (SEC023's business), a create naming a new row's owner, and a
model whose owner column no other route scopes by the principal (a public profile).  Reported at
the query.  The tenant columns (``company_id``, ``org``) are :mod:`vetpy.rules.sec.tenant_choice`'s."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vetpy.astutil import NodeMemo, call_chain, last_name, subtree_nodes, walk
from vetpy.document import Document
import vetpy.rules.sec.authorization as authorization
import vetpy.rules.sec.tenant_choice as tenant_choice
from vetpy.rules.sec.principal_reads import from_request as _from_request, inputs as _inputs, model_name as _model_name, PRIVILEGED_WORDS, reads_user as _reads_user, \
    user_bound as _user_bound

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# a column naming the person a row belongs to: `student`, `customer_id`, `order__customer_id` (its last part)
_OWNER_COLUMN = re.compile(
    r"^(user|member|student|patient|customer|owner|author|employee|client|buyer|applicant|learner|creator|created_by)(_id|_pk|_uuid)?$")
# the calls that scope a query by their keywords or conditions (not `create`: that names a new row's owner)
_QUERIES = tenant_choice.SCOPING_QUERIES
_ACCESS_CALL = re.compile(r"auth|perm|member|owner|owns|access|allowed|can_|check|ensure|verify|assert|guard|policy|see|view", re.IGNORECASE)
_PRIVILEGED = re.compile(PRIVILEGED_WORDS + "|teacher|instructor|doctor|clinician|dispatcher", re.IGNORECASE)


def owner_column(name: str) -> str | None:
    """``customer_id`` of ``customer_id``, ``order__customer_id``, ``customer__id``; None for other columns."""
    name = re.sub(r"__(id|pk)$", "", name).rsplit("__", 1)[-1]
    return name if _OWNER_COLUMN.match(name) else None


@dataclass(frozen=True)
class Scope:
    call: ast.Call
    model: str | None
    column: str
    value: ast.expr


def _scopes(func: FunctionNode) -> list[Scope]:
    """The handler's query calls that scope an owner column, with the model and the value."""
    found = []
    for node in subtree_nodes(func):
        if not isinstance(node, ast.Call) or last_name(node.func) not in _QUERIES:
            continue
        calls, root = call_chain(node)
        model = _model_name(root) or next((_model_name(c.args[0]) for c in calls if last_name(c.func) in {"query", "select"} and len(c.args) == 1), None)
        for kw in node.keywords:
            column = owner_column(kw.arg or "")
            if column:
                found.append(Scope(node, model, column, kw.value))
        for arg in node.args:
            for cond in walk(arg):
                if isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], ast.Eq):
                    for side, other in ((cond.left, cond.comparators[0]), (cond.comparators[0], cond.left)):
                        if isinstance(side, ast.Attribute) and owner_column(side.attr):
                            found.append(Scope(node, _model_name(side.value) or model, side.attr, other))
    return found


@dataclass(frozen=True)
class RouteScopes:
    own: frozenset[tuple[str | None, str]]  # (model, column) scoped by the principal, or by a checked request value
    chosen: tuple[Scope, ...]  # scopes by an owner the request names, in a route that never reads the user
    checked: bool  # the route reads the user or checks the owner it names


def _route_scopes(func: FunctionNode) -> RouteScopes:
    scopes = _scopes(func)
    if not scopes:
        return RouteScopes(frozenset(), (), False)
    inputs = _inputs(func)
    names = set()  # names bound to an owner the request names
    for node in walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and _from_request(node.value, inputs):
            names.add(node.targets[0].id)
    user = _user_bound(walk(func))
    own = {(s.model, s.column) for s in scopes if _reads_user(s.value, user)}
    chosen = [s for s in scopes if (s.model, s.column) not in own and (
        _from_request(s.value, inputs) or (isinstance(s.value, ast.Name) and s.value.id in names))]
    requested = names | {s.value.id for s in chosen if isinstance(s.value, ast.Name)}
    checked = False
    for node in (n for stmt in func.body for n in walk(stmt)):  # not the decorators: the guards
        if isinstance(node, ast.Compare) and any(isinstance(s, ast.Name) and s.id in requested for s in walk(node)) \
                and _reads_user(node, user):
            checked = True
        elif isinstance(node, ast.Call) and _ACCESS_CALL.search(last_name(node.func) or "") and any(
                isinstance(a, ast.Name) and a.id in requested for a in [*node.args, *(k.value for k in node.keywords)]):
            checked = True
        if checked:
            break
    if checked:  # the module's convention: a requested owner is checked before its rows are read
        own |= {(s.model, s.column) for s in chosen}
    reads = checked or any(_reads_user(stmt) for stmt in func.body)
    return RouteScopes(frozenset(own), () if reads else tuple(chosen), checked)


def _statement_scopes(stmt: ast.stmt, memo: NodeMemo) -> dict[int, RouteScopes]:
    return memo.get(stmt, "sec.owner-choice", lambda: {
        id(r.node): _route_scopes(r.node) for r in authorization.statement_routes(stmt, memo)
        if isinstance(r.node, (ast.FunctionDef, ast.AsyncFunctionDef))})


def facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """What a statement's routes decide of their siblings' findings (a whole-file fact)."""
    scopes = _statement_scopes(stmt, memo).values()
    return frozenset(f"owner:{m}:{c}" for s in scopes for m, c in s.own) | frozenset(
        f"owner-choice:{c.model}:{c.column}" for s in scopes for c in s.chosen)


def _module(doc: Document) -> dict[int, RouteScopes]:
    return tenant_choice.module_map(doc, "sec.owner-choice", _statement_scopes)


def findings(doc: Document, func: FunctionNode) -> Iterator[tuple[ast.Call, str]]:
    """(the query, the owner column) of each scope of ``func``'s by an owner the request names,
    where the module's other routes scope that model's owner column by the signed-in principal."""
    module = _module(doc)
    mine = module.get(id(func))
    if mine is None or not mine.chosen:
        return
    route = next((r for r in authorization.module_routes(doc) if r.node is func), None)
    if route is None or not route.guarded or route.unknown or route.role or authorization.public(route) \
            or any(_PRIVILEGED.search(n) for n in route.guard_names):
        return
    others = {key for k, s in module.items() if k != id(func) for key in s.own}
    reported = set()
    for scope in mine.chosen:
        if (scope.model, scope.column) in others and id(scope.call) not in reported:
            reported.add(id(scope.call))
            yield scope.call, scope.column

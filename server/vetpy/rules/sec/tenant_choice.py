"""SEC036's second shape, the tenant the request chooses: a route scopes a query by a tenant column
(``company_id``, ``org_id``, ``school``, ``lease__company_id``) with a value the client sends
(``request.args.get("company")``, ``req.get_param_as_int("company_id")``, an ``X-Company-ID``
header), or lets the request override the principal's own (``request.args.get("company", type=int)
or _company()``), where the module's other routes scope the same column with a value of their own
(``company_id(req)``, ``_company()``, ``client.company_id``, ``request.user.org_id``): the module's
convention says the tenant comes from the signed-in principal, and this route lets any user name
another tenant's rows.

Not reported: a route that reads the signed-in user anywhere but in the override's fallback (a
membership check, ``if org not in g.user.company_ids``, a query that also filters by the user), that
hands the tenant to an access check (``ensure_member(org)``), a platform operator's route
(``@superuser_required``, Django's ``staff_member_required``), a route with no authorization or one
public by name (SEC023's business), a tenant id that names a new row (``create(org_id=...)``) or is
only displayed, and a module where no other route scopes the column by a value of its own.
Reported at the query."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from vetpy.astutil import NodeMemo, last_name, subtree_nodes, walk
from vetpy.document import Document
from vetpy.libraries import FALCON_TYPED_GETTERS, REQUEST_DATA_ATTRS
import vetpy.rules.sec.authorization as authorization
import vetpy.rules.sec.owned_sql as owned_sql
from vetpy.rules.sec.principal_reads import from_request as _from_request, inputs as _inputs, reads_user as _reads_user

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
T = TypeVar("T")

_NOUNS = r"(company|org|organization|organisation|tenant|account|school|clinic|workspace|team|agency|firm|practice)"
# a request key naming a tenant: `company`, `company_id`, `orgId`, `X-Tenant-ID`
_TENANT_KEY = re.compile(rf"^(x-)?{_NOUNS}([-_]?(id|pk|uuid|slug))?$", re.IGNORECASE)
# a column scoping a query by tenant: `company_id`, `org`, `lease__company_id` (its last part)
_TENANT_COLUMN = re.compile(rf"^{_NOUNS}(_id|_pk|_uuid|_slug)?$")
# the calls that scope a query by their keywords or conditions
SCOPING_QUERIES = frozenset({"filter", "filter_by", "where", "get", "get_or_none", "get_or_404", "get_object_or_404", "exclude", "first"})
_QUERIES = SCOPING_QUERIES
_READS = REQUEST_DATA_ATTRS | FALCON_TYPED_GETTERS | {"get_header_as_int"}
# guards of a platform's operators, who may read every tenant
_OPERATOR_GUARD = re.compile(r"superuser|super_admin|superadmin|staff_member|platform|sysadmin|root|operator", re.IGNORECASE)
_ACCESS_CALL = re.compile(r"auth|perm|member|owner|owns|access|allowed|can_|check|ensure|verify|assert|guard|policy", re.IGNORECASE)


def _tenant_read(node: ast.expr) -> bool:
    """``request.args.get("company")``, ``req.get_param_as_int("company_id")``, ``request.GET["org"]``,
    ``request.headers.get("X-Tenant-ID")``, also converted (``int(...)``)."""
    if isinstance(node, ast.Call) and last_name(node.func) in {"int", "str", "UUID"} and len(node.args) == 1:
        return _tenant_read(node.args[0])
    if isinstance(node, ast.Call) and node.args:
        key = node.args[0]
    elif isinstance(node, ast.Subscript):
        key = node.slice
    else:
        return False
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and _TENANT_KEY.match(key.value)):
        return False
    target = node.func if isinstance(node, ast.Call) else node.value
    read = False
    while isinstance(target, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(target, ast.Attribute):
            read = read or target.attr in _READS
            if target.attr == "request" and isinstance(target.value, ast.Name) and target.value.id == "self":
                return read
        target = target.func if isinstance(target, ast.Call) else target.value
    return read and isinstance(target, ast.Name) and target.id in {"request", "req"}


def _chosen(value: ast.expr) -> tuple[ast.expr, list[ast.expr]] | None:
    """(the request's read, the principal's fallbacks) when ``value`` is a tenant the request
    chooses: the read itself, or the read ``or`` a fallback (``req.get_param_as_int("company") or company_id(req)``)."""
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) and _tenant_read(value.values[0]):
        return value.values[0], value.values[1:]
    if not _tenant_read(value):
        return None
    # `request.args.get("account_id", request.ctx.account_id)`: the default is the principal's fallback
    read = value.args[0] if isinstance(value, ast.Call) and last_name(value.func) in {"int", "str", "UUID"} else value
    return value, (read.args[1:2] if isinstance(read, ast.Call) and last_name(read.func) == "get" else [])


def own_value(value: ast.expr, inputs: set[str]) -> bool:
    """A value a tenant column is scoped by that the client does not choose: not a constant, not a
    read of the request, not a route parameter (``company_id(req)``, ``_company()``, ``client.company_id``)."""
    return not isinstance(value, ast.Constant) and not _from_request(value, inputs) and not (
        isinstance(value, ast.Name) and value.id in inputs) and not any(
        isinstance(n, ast.Attribute) and n.attr in _READS and last_name(n.value) in {"request", "req"} for n in walk(value))


def tenant_column(name: str) -> bool:
    """``company_id``, ``org``, ``lease__company_id`` (its last part): a column that scopes rows to a tenant."""
    return bool(_TENANT_COLUMN.match(name.rsplit("__", 1)[-1]))


@dataclass(frozen=True)
class Scope:
    call: ast.Call  # the query call
    column: str
    value: ast.expr


def _scopes(func: FunctionNode) -> list[Scope]:
    """The handler's query calls that scope a tenant column, with the value they scope it by."""
    found = []
    for node in subtree_nodes(func):
        if not isinstance(node, ast.Call):
            continue
        if last_name(node.func) in owned_sql.SQL_RUNS:  # asyncpg's `WHERE account_id = $1`
            found += [Scope(node, column, arg) for column, arg in owned_sql.where_arguments(node) if _TENANT_COLUMN.match(column)]
            continue
        if last_name(node.func) not in _QUERIES:
            continue
        for kw in node.keywords:
            column = (kw.arg or "").rsplit("__", 1)[-1]
            if _TENANT_COLUMN.match(column):
                found.append(Scope(node, column, kw.value))
        for arg in node.args:
            for cond in walk(arg):
                if isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], ast.Eq):
                    for side, other in ((cond.left, cond.comparators[0]), (cond.comparators[0], cond.left)):
                        if isinstance(side, ast.Attribute) and _TENANT_COLUMN.match(side.attr):
                            found.append(Scope(node, side.attr, other))
    return found


@dataclass(frozen=True)
class Choice:
    scope: Scope
    read: ast.expr  # the request's read of the tenant
    excused: bool  # the handler reads the user elsewhere or hands the tenant to an access check


def _route_choices(func: FunctionNode) -> tuple[list[Choice], frozenset[str]]:
    """The handler's scopes by a tenant the request chooses, and the columns it scopes by a value of
    its own (not the request's, not a constant, not a route parameter)."""
    scopes = _scopes(func)
    if not scopes:
        return [], frozenset()
    chosen: dict[str, tuple[ast.expr, list[ast.expr]]] = {}  # names bound to a chosen tenant
    for node in walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            got = _chosen(node.value)
            if got is not None:
                chosen[node.targets[0].id] = got
    inputs = _inputs(func)
    own: set[str] = set()
    picked: list[tuple[Scope, ast.expr, list[ast.expr]]] = []
    for scope in scopes:
        value = scope.value
        got = chosen.get(value.id) if isinstance(value, ast.Name) else _chosen(value)
        if got is not None:
            picked.append((scope, *got))
        elif own_value(value, inputs):
            own.add(scope.column)
    if not picked:
        return [], frozenset(own)
    # the user read anywhere but in an override's fallback: a membership check, a query by the user too
    # (expressions only: the parser shares one `Load()` among every node)
    fallback = {id(sub) for _, _, rest in picked for f in rest for sub in walk(f) if isinstance(sub, ast.expr)}
    names = {scope.value.id for scope, _, _ in picked if isinstance(scope.value, ast.Name)}
    excused = False
    for node in (n for stmt in func.body for n in walk(stmt)):  # not the decorators: the guards
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)) and id(node) not in fallback \
                and not any(id(sub) in fallback for sub in walk(node)) and _reads_user(node):
            excused = True
            break
        if isinstance(node, ast.Call) and _ACCESS_CALL.search(last_name(node.func) or "") and any(
                isinstance(a, ast.Name) and a.id in names for a in [*node.args, *(k.value for k in node.keywords)]):
            excused = True
            break
    return [Choice(scope, read, excused) for scope, read, _ in picked], frozenset(own)


def _statement_choices(stmt: ast.stmt, memo: NodeMemo) -> dict[int, tuple[list[Choice], frozenset[str]]]:
    """Each route a top-level statement defines, by its function: its choices and own-scoped columns (memoised)."""
    return memo.get(stmt, "sec.tenant-choice", lambda: {
        id(r.node): _route_choices(r.node) for r in authorization.statement_routes(stmt, memo)
        if isinstance(r.node, (ast.FunctionDef, ast.AsyncFunctionDef))})


def facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """What a statement's routes decide of their siblings' findings (a whole-file fact)."""
    return frozenset(f"tenant:{column}" for _, own in _statement_choices(stmt, memo).values() for column in own) | frozenset(
        f"tenant-choice:{c.scope.column}" for choices, _ in _statement_choices(stmt, memo).values() for c in choices)


def module_map(doc: Document, key: str, per_statement: Callable[[ast.stmt, NodeMemo], dict[int, T]]) -> dict[int, T]:
    """The union of ``per_statement``'s maps over the module's statements (each memoised with its statement), kept for the document."""
    cached = doc.shared.get(key)
    if cached is None:
        cached = {}
        for stmt in doc.module_body:
            cached.update(per_statement(stmt, doc.memo))
        doc.shared[key] = cached
    return cached  # type: ignore[no-any-return]


def _module(doc: Document) -> dict[int, tuple[list[Choice], frozenset[str]]]:
    return module_map(doc, "sec.tenant-choice", _statement_choices)


def findings(doc: Document, func: FunctionNode) -> Iterator[tuple[ast.Call, str]]:
    """(the query, why) of each scope of ``func``'s by a tenant the request chooses, where the
    module's other routes scope that column by a value of their own."""
    module = _module(doc)
    choices, _ = module.get(id(func), ([], frozenset()))
    choices = [c for c in choices if not c.excused]
    if not choices:
        return
    route = next((r for r in authorization.module_routes(doc) if r.node is func), None)
    if route is None or not route.guarded or route.unknown or authorization.public(route) \
            or any(_OPERATOR_GUARD.search(n) for n in route.guard_names):
        return
    others = {column for key, (_, own) in module.items() if key != id(func) for column in own}
    reported = set()
    for choice in choices:
        if choice.scope.column in others and id(choice.scope.call) not in reported:
            reported.add(id(choice.scope.call))
            yield choice.scope.call, choice.scope.column


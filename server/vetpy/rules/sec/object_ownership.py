"""SEC036 insecure-direct-object-reference: a route fetches a row by an id from the request
without scoping it to the signed-in user, where the module's other routes do.

A *fetch by a request id* is one row of a model read by a key the client sends (a route
parameter, a field of its body, ``request.args[...]``): ``Model.get(id=key)``,
``Model.get_or_none(pk=key)`` (Tortoise, peewee), ``Model.objects.get(pk=key)`` (any queryset
chain, Django), ``Model.query.get_or_404(key)`` and ``Model.query.filter_by(id=key).first()``
(Flask-SQLAlchemy), ``session.get(Model, key)`` (SQLAlchemy), ``get_object_or_404(Model, pk=key)``,
and SQLAlchemy 2.0's ``session.scalar(select(Model).where(Model.id == key))`` (also
``session.execute(...).scalar_one_or_none()``, ``session.scalars(...).first()``).
A field of a name the handler binds to the request's body (``data = await req.get_media()``,
``data = await validated(req, schema)``: a helper given the request, named for its body) is a key the
client sends too.  It is *scoped* when a tenant column of it is given a value the client does not
choose (``building__company_id=company_id(req)``, ``Employee.company_id == _company()``: the
application's helper for the principal's tenant, whatever its name), or when its call chain reads the signed-in user (``owner=request.user``,
``owner_id=current_user.id``, ``.filter(account_id=auth.account_id(request))``,
``request.user.invoices.get(pk=pk)``, ``session["account_id"]``, the application's own helper for the
principal, ``current_employee()``, or a name the handler binds to one, ``emp = current_employee()``
then ``LeaveRequest.employee_id == emp.id``), or the row it binds is then
compared with the user or handed to an access check (``if obj.owner_id != user.id: abort(404)``,
``check_owner(obj)``).  A call, with a request id, of a helper of the module or of another module of
the project that fetches one row of a model by its parameter and scopes it so
(``company_employee(employee_id)``, whose body fetches the ``Employee`` and aborts unless its
``company_id`` is the user's) counts as a scoped fetch of that model: the module's convention as much
as a scoped query in the route; a call of the module's own helper that only fetches its id's row is an unscoped one.

Reported, at the fetch, only where the module's other routes with the same guards (so an
administrator's route or a dispatcher's, which may read every row, is judged among its own kind)
fetch the same model by a request id scoped, at least two thirds of their fetches of it: the
module's own convention says the model belongs to a user.  A model no sibling scopes (a public
catalogue, a tracking page) is never reported, nor a handler that reads the signed-in user
anywhere else (a role check, a check through a helper vetpy does not follow), nor a route that
SEC023 reports for having no authorization at all (anyone may call it: that is the defect).  Where no
such sibling decides, a sibling behind the same (unprivileged) guards that records the principal on
the model's rows it creates or lists (``Licence.objects.create(applicant=request.auth)``) makes a
route that changes a row fetched by id alone a finding (:mod:`vetpy.rules.sec.owned_rows`).
A query scoped by a tenant the request chooses is the same defect one level up
(:mod:`vetpy.rules.sec.tenant_choice`).

Also read as fetches: the project's one-row helper given a table by name (``db.get_or_404(conn,
"trips", trip_id, member_id=request.ctx.member_id)``), a helper given the model class that scopes
whatever it is given (``scoped(Building, req, pk)``), SQLAlchemy's ``session.query(Model)``.  The
principal an auth decorator puts on the request (``request.ctx.member_id``, ``req.context.account_id``),
the module's helper given only the request that returns the principal (``_api_owner(request)``)
and the claims a dependency injects (``claims: dict = Depends(require_billing_writer)``) read the
user; a row matched by a secret the client must know (``confirmation_code=code``) is scoped.  A
route's own other fetches of the same row are the same defect, reported once, not siblings (an
``INSERT`` recording the user as a row's author is no check of the row fetched); Pyramid's views are
routes guarded by their ``permission=`` (:mod:`vetpy.rules.sec.idor_routes`); a
route whose guards only ask for a signed-in caller (``@mobile_token_required``) and has no sibling
behind the same guards is judged by the routes behind other guards of ordinary users.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vetpy import reads
from vetpy.astutil import NodeMemo, call_chain, last_name, subtree_nodes, walk
from vetpy.dataflow import Trust
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import REGISTRY, rule
import vetpy.rules.sec.authorization as authorization
import vetpy.rules.sec.built_statements as built_statements
import vetpy.rules.sec.idor_routes as idor_routes
import vetpy.rules.sec.owned_rows as owned_rows
import vetpy.rules.sec.owned_sql as owned_sql
from vetpy.rules.sec.cross_module import project_target
from vetpy.rules.sec.sink_summaries import module_function, note_dependent
import vetpy.rules.sec.owner_choice as owner_choice
import vetpy.rules.sec.tenant_choice as tenant_choice
from vetpy.rules.sec.principal_reads import body_names, from_request as _from_request, inputs as _inputs, model_name as _model_name, parameters, PRIVILEGED_WORDS, \
    reads_user as _reads_user, user_bound as _user_bound
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

IDOR = rule(
    code="SEC036",
    name="insecure-direct-object-reference",
    family="SEC",
    severity=Severity.WARNING,
    summary="A route fetches a row by an id from the request without scoping it to the signed-in user, while the module's other routes scope that model.",
    rationale="""When the other routes of a module fetch an `Invoice` with `account_id=current_user.id`
    (or check `invoice.owner_id` after fetching it), the model belongs to a user; the route that
    fetches it by the request's id alone (`Invoice.get(id=invoice_id)`) hands any signed-in user
    everyone's rows: changing the number in the URL is enough (CWE-639, OWASP's broken object level
    authorization). Filter by the owner in the same query, or check the row's owner before using
    it. Reported only where two thirds of the other fetches of the model by routes with the same
    guards are scoped (a tenant column given a value the client does not choose,
    `Unit.get_or_none(id=data["unit_id"], building__company_id=company_id(req))`, is scoped; a
    call of the project's helper that fetches the row and checks its owner,
    `company_employee(employee_id)`, is a scoped fetch; so is asyncpg's SQL of one table by a key,
    `fetchrow("SELECT * FROM notes WHERE id = $1 AND owner_id = $2", note_id, user.id)`, and psycopg's or sqlite3's
    `execute("... WHERE id = %s", (note_id,))`; a call of the module's helper that fetches its parameter's row unscoped,
    `_owner_by_id(request, owner_id)`, is an unscoped fetch); a model nobody scopes (a catalogue), an administrator's route and a handler
    that reads the user elsewhere (a role check) are not. Where no sibling fetches the model by id, a
    sibling behind the same guards that creates or lists its rows with the signed-in user as a column
    (`Licence.objects.create(applicant=request.auth)`) says whose they are: a route that then deletes
    or changes one fetched by id alone is reported (not one that only reads it). Also reported: a route that requires a
    login and never reads who the user is, signing a storage link for a key the request names
    (`s3.generate_presigned_url("get_object", Params={"Bucket": B, "Key": request.args["key"]})`,
    `generate_presigned_post`): a prefix check every user's files pass (`key.startswith("receipts/")`)
    ties nothing to the user. Not a key read from a row, one checked against the user's own prefix,
    nor a public route. And a query scoped by a tenant the request chooses
    (`AuditLog.filter(company_id=req.get_param_as_int("company") or company_id(req))`,
    `.where(PayrollRun.company_id == request.args["company"])`, an `X-Company-ID` header) where the
    module's other routes scope that column by a value of their own (the principal's): not when the
    handler reads the user elsewhere (a membership check) or hands the tenant to an access check,
    nor on a platform operator's route (`@superuser_required`), nor for a tenant that names a new row. Likewise
    an owner column given an id from the request (`Enrolment.student == student_id` from the URL) where the
    module's other routes filter that model's owner by the signed-in user or check the requested owner
    first: not when the route compares the owner with the user or hands it to an access check, nor on a
    role-guarded route.""",
    bad="""
        from flask import Blueprint
        from flask_login import current_user, login_required

        bp = Blueprint("invoices", __name__)

        @bp.get("/invoices/<int:invoice_id>")
        @login_required
        def show(invoice_id):
            return Invoice.query.filter_by(id=invoice_id, owner_id=current_user.id).first_or_404().to_dict()

        @bp.post("/invoices/<int:invoice_id>/pay")
        @login_required
        def pay(invoice_id):
            invoice = Invoice.query.filter_by(id=invoice_id, owner_id=current_user.id).first_or_404()
            return invoice.pay()

        @bp.get("/invoices/<int:invoice_id>/pdf")
        @login_required
        def pdf(invoice_id):
            return Invoice.query.get_or_404(invoice_id).render_pdf()
    """,
    good="""
        @bp.get("/invoices/<int:invoice_id>/pdf")
        @login_required
        def pdf(invoice_id):
            return Invoice.query.filter_by(id=invoice_id, owner_id=current_user.id).first_or_404().render_pdf()
    """,
    cwe=(639,),
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# the calls that return one row
_FETCHES = frozenset({"get", "get_or_none", "get_or_404", "first", "first_or_404", "one", "one_or_none", "get_by_id", "get_object_or_404"})
# a row fetched by a positional key: `session.get(Model, key)`, `Model.query.get_or_404(key)`, `Model.get_by_id(key)`
_POSITIONAL = frozenset({"get", "get_or_404", "get_by_id"})
# keywords that name a row: `id=`, `pk=`, `number=`, `invoice_id=` (the owner's columns are the scope, not the key)
_KEY = re.compile(r"^(id|pk|uuid|guid|number|slug|[a-z0-9_]+_(id|pk|uuid|number))$")
_OWNER_KEY = re.compile(r"(^|_)(owner|user|account|tenant|org|organization|organisation|author|created_by)(_id|_pk)?$")
# a column holding a secret the client must know (`confirmation_code=code`, `token=token`): possession scopes the row
_SECRET_KEY = re.compile(r"(^|_)(code|token|secret|pin|password|passcode|signature|nonce|otp)$")
# a call that checks access to an object it is given
_ACCESS_CALL = re.compile(r"auth|perm|owner|owns|access|allowed|can_|check|ensure|verify|assert|guard|policy", re.IGNORECASE)



@dataclass(frozen=True)
class Fetch:
    call: ast.Call | ast.Subscript  # a fetch call, or Pony's `Model[key]`
    model: str
    key: str  # how the row is named (`id`, `number`, `positional`)
    scoped: bool
    excused: bool  # not scoped, but the handler reads the user elsewhere (a role check, a check we cannot follow)
    audience: frozenset[str]
    route: FunctionNode


def _dependency_users(node: ast.expr | None, callees: frozenset[str]) -> Iterator[str]:
    """The last names, naming the user, of what ``node``'s ``Depends(...)`` (``callees``) calls
    (``Depends(require_billing_writer)``, ``Security(current_user)``)."""
    for sub in walk(node) if node is not None else ():
        if isinstance(sub, ast.Call) and last_name(sub.func) in callees and sub.args:
            target = sub.args[0].func if isinstance(sub.args[0], ast.Call) else sub.args[0]
            name = last_name(target) or ""
            if authorization.names_user(name):
                yield name


_INJECTS = frozenset({"Depends", "Security"})
_AUDIENCE_INJECTS = _INJECTS | {"Provide"}


def _injected_principals(func: FunctionNode) -> frozenset[str]:
    """The handler's parameters the framework fills with the principal or its claims
    (``claims: dict = Depends(require_billing_writer)``, ``user = Security(current_user)``)."""
    return frozenset(a.arg for a, default in parameters(func)
                     if any(True for node in (default, a.annotation) for _ in _dependency_users(node, _INJECTS)))


def _audience(route: authorization.Route) -> frozenset[str]:
    """Who may call the route: its guards' and auth dependencies' last names."""
    names = {n.rsplit(".", 1)[-1] for n in route.guard_names}
    func = route.node
    if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for node in [*func.args.defaults, *func.args.kw_defaults, *(a.annotation for a in [*func.args.args, *func.args.kwonlyargs])]:
            names.update(_dependency_users(node, _AUDIENCE_INJECTS))
    return frozenset(names)


# SQLAlchemy 2.0: `session.scalar(stmt)`; `session.execute(stmt).scalar_one_or_none()`, `session.scalars(stmt).first()`
_RESULT_ROW = frozenset({"scalar_one", "scalar_one_or_none", "first", "one", "one_or_none"})
# the last names of every call `_fetch` may answer (the others are not looked at)
_FETCH_CALLS = _FETCHES | _RESULT_ROW | {"scalar"} | owned_sql.SQL_RUNS
_CONDITIONS = frozenset({"where", "filter", "filter_by"})


def _statement_run(call: ast.Call) -> ast.expr | None:
    """The statement whose one row ``call`` returns: ``stmt`` of ``session.scalar(stmt)``,
    ``(await session.execute(stmt)).scalar_one_or_none()``, ``session.scalars(stmt).first()``."""
    name = last_name(call.func)
    if name == "scalar" and isinstance(call.func, ast.Attribute) and len(call.args) == 1:
        return call.args[0]
    if name not in _RESULT_ROW or call.args or not isinstance(call.func, ast.Attribute):
        return None
    result = call.func.value
    result = result.value if isinstance(result, ast.Await) else result
    if isinstance(result, ast.Call) and last_name(result.func) == "scalars" and not result.args and isinstance(result.func, ast.Attribute):
        result = result.func.value  # `.execute(stmt).scalars().first()`
        result = result.value if isinstance(result, ast.Await) else result
    if isinstance(result, ast.Call) and last_name(result.func) in {"execute", "scalars"} and len(result.args) == 1:
        return result.args[0]
    return None


def _select_fetch(stmt: ast.expr, inputs: set[str], bound: frozenset[str]) -> tuple[str, str, bool] | None:
    """(model, key, scoped) of ``select(Model).where(Model.id == key, Model.user_id == user.id)``."""
    calls, _ = call_chain(stmt)
    if not calls or last_name(calls[-1].func) != "select" or len(calls[-1].args) != 1:
        return None
    model = _model_name(calls[-1].args[0])
    if model is None:
        return None
    key = None
    conditions: list[ast.expr] = []
    for c in calls[:-1]:
        if last_name(c.func) not in _CONDITIONS:
            return None  # a join, a subquery's shape: not one row of the model by its key
        conditions += c.args
        for kw in c.keywords:
            if kw.arg and _KEY.match(kw.arg) and not _OWNER_KEY.search(kw.arg) and _from_request(kw.value, inputs):
                key = key or kw.arg
    for cond in conditions:
        if isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], ast.Eq) \
                and isinstance(cond.left, ast.Attribute) and isinstance(cond.left.value, ast.Name) and cond.left.value.id == model \
                and _KEY.match(cond.left.attr) and not _OWNER_KEY.search(cond.left.attr) and _from_request(cond.comparators[0], inputs):
            key = key or cond.left.attr
    if key is None:
        return None
    return model, key, any(_reads_user(cond, bound) for cond in conditions) or any(
        _reads_user(kw.value, bound) for c in calls for kw in c.keywords) or _tenant_scoped(calls, conditions, inputs)


def _fetch(call: ast.Call, inputs: set[str], bound: frozenset[str], generic: frozenset[str] = frozenset()) -> tuple[str, str, bool] | None:
    """(model, key, scoped) of a fetch of one row by a request id, else None; ``bound``: the
    handler's names bound to the signed-in user; ``generic``: a helper's parameters that name the
    model it is given (``async def scoped(model, req, pk): await model.get_or_none(id=pk, ...)``),
    whose fetches are of the model ``param:NAME``."""
    stmt = _statement_run(call)
    if stmt is not None:
        return _select_fetch(stmt, inputs, bound)
    if last_name(call.func) in owned_sql.SQL_RUNS:
        return owned_sql.sql_fetch(call, _KEY, _OWNER_KEY, lambda e: _from_request(e, inputs), lambda e: _reads_user(e, bound))
    name = last_name(call.func)
    if name not in _FETCHES:
        return _table_helper_fetch(call, name or "", inputs, bound) if _TABLE_HELPER.match(name or "") else None
    calls, root = call_chain(call)
    model = _model_name(root) or (f"param:{root.id}" if isinstance(root, ast.Name) and root.id in generic else None) or next(  # SQLAlchemy's `session.query(Invoice).filter_by(id=key).first()`
        (_model_name(c.args[0]) for c in calls if last_name(c.func) == "query" and len(c.args) == 1 and _model_name(c.args[0])), None)
    key = None
    first = call.args[0] if call.args else None
    if model is None and first is not None and (name == "get_object_or_404" or isinstance(call.func, ast.Attribute)):
        # `session.get(Model, key)`, `get_object_or_404(Model, pk=key)`: the model is the first argument
        model = _model_name(first) or _model_name(call_chain(first)[1] if isinstance(first, ast.Call) else None)
        if model is not None and name in _POSITIONAL and len(call.args) > 1 and _from_request(call.args[1], inputs):
            key = "positional"
    elif model is not None and name in _POSITIONAL and first is not None and _from_request(first, inputs):
        if name != "get" or any(isinstance(c.func, ast.Attribute) and c.func.attr == "query" for c in calls) or \
                (isinstance(call.func, ast.Attribute) and last_name(call.func.value) == "query"):
            key = "positional"  # `Model.query.get(key)`, `Model.query.get_or_404(key)`, `Model.get_by_id(key)`
    if model is None:
        return _table_helper_fetch(call, name, inputs, bound)
    for c in calls:
        for kw in c.keywords:
            if kw.arg and _KEY.match(kw.arg) and not _OWNER_KEY.search(kw.arg) and _from_request(kw.value, inputs):
                key = key or kw.arg
    if key is None:
        return None
    scoped = any(kw.arg and _SECRET_KEY.search(kw.arg) for c in calls for kw in c.keywords) or any(
        _reads_user(c.func.value, bound) if isinstance(c.func, ast.Attribute) else False for c in calls) or any(
        _reads_user(a, bound) for c in calls for a in [*c.args, *(k.value for k in c.keywords)]) or _tenant_scoped(calls, [], inputs)
    return model, key, scoped


def _fetch_built(func: FunctionNode, call: ast.Call, inputs: set[str], bound: frozenset[str]) -> tuple[str, str, bool] | None:
    """:func:`_fetch`, and a statement built in steps (:mod:`vetpy.rules.sec.built_statements`)."""
    return _fetch(call, inputs, bound) or built_statements.fetch(func, call, _statement_run(call), inputs, bound, _select_fetch)


# the project's own one-row helpers that take the table by name: `db.get_or_404(conn, "trips", trip_id, member_id=...)`
_TABLE_HELPERS = frozenset({"get_or_404", "get_or_none", "get_by_id"})
# ... and under another word of the same shape: `db.get_scoped_or_404(conn, "claims", claim_id, clinic_id)`
_TABLE_HELPER = re.compile(r"^(get|fetch|load)_\w+_or_(404|none)$")
_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _table_helper_fetch(call: ast.Call, name: str, inputs: set[str], bound: frozenset[str]) -> tuple[str, str, bool] | None:
    """(table, "positional", scoped) of ``db.get_or_404(conn, "trips", trip_id, member_id=request.ctx.member_id)``:
    a helper named for fetching one row, given a table's name then a request id; scoped when another
    of its arguments reads the user or names the principal's tenant."""
    if name not in _TABLE_HELPERS and not _TABLE_HELPER.match(name):
        return None
    for i, arg in enumerate(call.args[:-1]):
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _TABLE_NAME.match(arg.value) \
                and _from_request(call.args[i + 1], inputs):
            rest = [*call.args[:i], *call.args[i + 2:], *(k.value for k in call.keywords)]
            scoped = any(_reads_user(a, bound) for a in rest) or _tenant_scoped([call], [], inputs)
            return arg.value, "positional", scoped
    return None


def _tenant_scoped(calls: list[ast.Call], conditions: list[ast.expr], inputs: set[str]) -> bool:
    """The fetch is scoped by a tenant column with a value the client does not choose
    (``Unit.get_or_none(id=key, building__company_id=company_id(req))``, ``Employee.company_id ==
    _company()``): the application's own helper for the principal's tenant, whatever its name."""
    if any(kw.arg and tenant_choice.tenant_column(kw.arg) and tenant_choice.own_value(kw.value, inputs) for c in calls for kw in c.keywords):
        return True
    return any(isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], ast.Eq)
               and isinstance(cond.left, ast.Attribute) and tenant_choice.tenant_column(cond.left.attr)
               and tenant_choice.own_value(cond.comparators[0], inputs) for cond in conditions)


def _row_names(nodes: list[ast.AST], calls: list[ast.AST], direct: bool = False) -> frozenset[str]:
    """The names bound to a value holding one of ``calls`` (fetches); ``direct``: only the names
    bound to the row itself (``user = User.get(id=user_id)``, not ``link = Link.get(ward=User.get(...))``)."""
    wanted = {id(c) for c in calls}
    return frozenset(t.id for n in nodes if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None
                     and (id(n.value.value if isinstance(n.value, ast.Await) else n.value) in wanted if direct
                          else any(id(sub) in wanted for sub in walk(n.value)))
                     for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name))


def _checked_after(func: FunctionNode, nodes: list[ast.AST], call: ast.Call, user: frozenset[str]) -> bool:
    """The fetched row, bound to a name, then compared with the user or given to an access check;
    the row's own name is not the user, whatever it is called (``user = User.get(id=user_id)`` then
    ``if user is None`` checks nothing)."""
    bound = _row_names(nodes, [call])
    if not bound:
        return False
    rows = _row_names(nodes, [call], direct=True)
    refusals = _self_refusals(nodes)
    for n in nodes:
        if isinstance(n, ast.Compare) and id(n) not in refusals and any(isinstance(s, ast.Name) and s.id in bound for s in walk(n)) and _reads_user(n, user, rows):
            return True
        if isinstance(n, ast.Call) and _ACCESS_CALL.search(last_name(n.func) or "") and any(
                isinstance(a, ast.Name) and a.id in bound for a in [*n.args, *(k.value for k in n.keywords)]):
            return True
    return False


def _self_refusals(nodes: list[ast.AST]) -> set[int]:
    """The comparisons that refuse the signed-in user's own row (``if profile.user_id ==
    request.user.id: raise HttpError(400, "You cannot disable yourself")``): equal, the ``if``
    only raises or aborts, so every other row passes; no check of its owner."""
    found = set()
    for n in nodes:
        if isinstance(n, ast.If) and not n.orelse and isinstance(n.test, ast.Compare) \
                and all(isinstance(op, (ast.Eq, ast.Is)) for op in n.test.ops) and _refuses(n.body):
            found.add(id(n.test))
    return found


def _refuses(body: list[ast.stmt]) -> bool:
    """A block that only raises (``raise HttpError(...)``) or aborts (``abort(403)``)."""
    return len(body) == 1 and (isinstance(body[0], ast.Raise) or (
        isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call) and last_name(body[0].value.func) == "abort"))


@dataclass(frozen=True)
class Helpers:
    """What the module's own helpers (top-level functions, not routes) are to its routes."""
    principals: frozenset[str] = frozenset()  # given only the request, they return the principal (`_api_owner(request)`)
    unscoped: tuple[tuple[str, str, int, str], ...] = ()  # (helper, model, index, parameter): fetch their parameter's row unscoped


_NO_HELPERS = Helpers()


def _principal_helper(func: FunctionNode) -> bool:
    """``def _api_owner(request): ident = require_token(request); ...; return row["owner_id"]``: a helper
    given only the request whose every return reads the signed-in user returns the principal (or its id)."""
    names = [a.arg for a, _ in parameters(func)]
    if names not in (["request"], ["req"]):
        return False
    nodes = list(walk(func))
    returns = [n.value for n in nodes if isinstance(n, ast.Return) and n.value is not None]
    user = _user_bound(nodes)
    return bool(returns) and all(_reads_user(r, user) for r in returns)


def _unscoped_helper(func: FunctionNode) -> tuple[str, int, str] | None:
    """(model, index, parameter) of a helper given the request and one id that fetches that id's row
    and neither scopes nor checks it (``def _owner_by_id(request, owner_id): return
    request.db.execute("SELECT * FROM owners WHERE id = %s", (owner_id,)).fetchone()``): a call of it
    with a request id is a fetch of that row as much as the query written in the route."""
    inputs = _inputs(func)
    if len(inputs) != 1:
        return None
    param = next(iter(inputs))
    nodes = list(walk(func))
    user = _user_bound(nodes)
    models = set()
    for node in nodes:
        if isinstance(node, ast.Call) and _fetch_call(node):
            fetched = _fetch(node, inputs, user)
            if fetched is not None:
                if fetched[2] or fetched[1] == "join" or _checked_after(func, nodes, node, user):
                    return None
                models.add(fetched[0])
        if isinstance(node, ast.Compare) and _reads_user(node, user) or isinstance(node, ast.Call) and \
                _ACCESS_CALL.search(last_name(node.func) or "") and not _ACTION.match(last_name(node.func) or ""):
            return None  # the helper checks something of the user: not read
    if len(models) != 1 or next(iter(models)).startswith("param:"):
        return None
    names = [a.arg for a, _ in parameters(func)]
    return models.pop(), names.index(param), param


# a call named for what it does to a row, not for a check (`delete_owner_files(owner_id)`, `insert_audit(...)`)
_ACTION = re.compile(r"^_?(delete|remove|insert|update|create|save|add|set|send|write|log|audit|notify|record|store|purge|erase)_")
_INSERT = re.compile(r"^\s*INSERT\b", re.IGNORECASE)


def _inserts(stmt: ast.stmt) -> bool:
    """``db.execute("INSERT INTO notes (owner_id, author_id) VALUES (%s, %s)", (owner["id"], user_id))``:
    a statement that only adds a row (recording who did it is no check of the row fetched)."""
    value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
    while isinstance(value, (ast.Await, ast.Call)) and not (isinstance(value, ast.Call) and last_name(value.func) in owned_sql.SQL_RUNS):
        value = value.value if isinstance(value, ast.Await) else value.func.value if isinstance(value.func, ast.Attribute) else None
    return isinstance(value, ast.Call) and bool(value.args) and isinstance(value.args[0], ast.Constant) \
        and isinstance(value.args[0].value, str) and bool(_INSERT.match(value.args[0].value))


def _helper_kind(stmt: ast.stmt) -> tuple[bool, tuple[str, int, str] | None]:
    if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False, None
    return _principal_helper(stmt), _unscoped_helper(stmt)


def _module_helpers(doc: Document) -> Helpers:
    cached = doc.shared.get("sec.idor-local-helpers")
    if cached is None:
        routes = {id(r.node) for r in idor_routes.module_routes(doc)}
        principals, unscoped = set(), []
        for stmt in doc.module_body:
            if id(stmt) in routes or not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            principal, fetches = doc.memo.get(stmt, "sec.idor-helper-kind", lambda: _helper_kind(stmt))  # noqa: B023 - called at once
            if principal:
                principals.add(stmt.name)
            if fetches is not None:
                unscoped.append((stmt.name, *fetches))
        names = [s.name for s in doc.module_body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
        cached = doc.shared["sec.idor-local-helpers"] = Helpers(  # a name defined twice is not read
            frozenset(n for n in principals if names.count(n) == 1), tuple(u for u in unscoped if names.count(u[0]) == 1))
    return cached  # type: ignore[no-any-return]


def _helper_call_fetch(node: ast.Call, helpers: Helpers, inputs: set[str]) -> str | None:
    """The model whose row ``node``, a call of the module's unscoped helper, fetches by a request id."""
    if not isinstance(node.func, ast.Name):
        return None
    for name, model, index, param in helpers.unscoped:
        if node.func.id == name:
            given = node.args[index] if index < len(node.args) else next((k.value for k in node.keywords if k.arg == param), None)
            return model if given is not None and _from_request(given, inputs) else None
    return None


def _route_fetches(route: authorization.Route, helpers: Helpers = _NO_HELPERS) -> list[Fetch]:
    func = route.node
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    inputs = _inputs(func)
    nodes = subtree_nodes(func)
    if not inputs and not any(isinstance(n, ast.Name) and n.id in {"request", "req"} for n in nodes):
        return []
    inputs |= body_names(func, inputs)
    audience = _audience(route)
    fetched_rows: list[tuple[ast.Call | ast.Subscript, str, str, bool]] = []
    user: frozenset[str] | None = None
    for node in nodes:
        if helpers.unscoped and isinstance(node, ast.Call) and (model := _helper_call_fetch(node, helpers, inputs)) is not None:
            user = (_user_bound(nodes, helpers.principals) | _injected_principals(func)) if user is None else user
            fetched_rows.append((node, model, "helper", _checked_after(func, nodes, node, user)))
        elif isinstance(node, ast.Call) and _fetch_call(node) or _subscript_fetch(node, inputs):
            user = (_user_bound(nodes, helpers.principals) | _injected_principals(func)) if user is None else user
            fetched = _fetch_built(func, node, inputs, user) if isinstance(node, ast.Call) else (_model_name(node.value), "positional", False)  # type: ignore[attr-defined]
            if fetched is not None:
                model, key, scoped = fetched
                fetched_rows.append((node, model, key, scoped or _checked_after(func, nodes, node, user)))  # type: ignore[arg-type]
    reads_user = False
    if any(not scoped for *_, scoped in fetched_rows):
        # the handler reads the signed-in user elsewhere (a role check); the rows it fetched are not the user, whatever they are called
        rows = _row_names(nodes, [f[0] for f in fetched_rows], direct=True)
        reads_user = any(_reads_user(stmt, frozenset(), rows) for stmt in func.body if not _inserts(stmt))
    found = [Fetch(node, model, key, scoped, not scoped and reads_user, audience, func) for node, model, key, scoped in fetched_rows]
    # `first()` over `filter_by(id=...)` and the `filter_by` itself are one fetch: keep the outermost
    inner = {id(c) for f in found if isinstance(f.call, ast.Call) for c in call_chain(f.call)[0][1:]}
    # in the order of the source: the route's first fetch of a row is the one reported
    return sorted((f for f in found if id(f.call) not in inner), key=lambda f: (f.call.lineno, f.call.col_offset))


def _fetch_call(node: ast.Call) -> bool:
    """A call ``_fetch`` may answer (the others are not looked at)."""
    name = last_name(node.func) or ""
    return name in _FETCH_CALLS or bool(_TABLE_HELPER.match(name))


def _subscript_fetch(node: ast.AST, inputs: set[str]) -> bool:
    """Pony ORM's ``Submission[key]`` (pony 0.7 ``EntityMeta.__getitem__``: the row of that primary
    key, or ``ObjectNotFound``) with a key from the request."""
    return isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _model_name(node.value) is not None \
        and not isinstance(node.slice, (ast.Slice, ast.Tuple)) and _from_request(node.slice, inputs)


def _statement_fetches(stmt: ast.stmt, memo: NodeMemo, helpers: Helpers = _NO_HELPERS) -> dict[tuple[int, tuple[str, ...]], list[Fetch]]:
    """The fetches of each route a top-level statement defines, by the route's function and guard
    names (all ``_route_fetches`` reads of a route), memoised with the statement and what the
    module's helpers are: the editor asks for every route of the module on every edit, and only the
    edited statement's can have changed."""
    return memo.get(stmt, ("sec.idor", helpers), lambda: {
        (id(r.node), r.guard_names): _route_fetches(r, helpers) for r in idor_routes.statement_routes(stmt, memo)})


@REGISTRY.whole_file_fact
def _fetch_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A route's fetches decide its siblings' findings: an edit that changes one is analysed whole."""
    return frozenset(f"idor:{f.model}:{','.join(sorted(f.audience))}:{f.scoped}:{f.excused}"
                     for fetches in _statement_fetches(stmt, memo).values() for f in fetches)


@REGISTRY.whole_file_fact
def _tenant_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A route's tenant scopes decide its siblings' findings (:mod:`vetpy.rules.sec.tenant_choice`)."""
    return tenant_choice.facts(stmt, memo) | owner_choice.facts(stmt, memo)


@REGISTRY.whole_file_fact
def _helper_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A route's calls of a helper with a request id, and what a helper of the module scopes, decide
    the findings of sibling routes (:func:`_helper_fetches`): an edit that changes one is analysed whole."""
    return memo.get(stmt, "sec.idor-helper-facts", lambda: _statement_helper_facts(stmt, memo))


def _statement_helper_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    routes = [r.node for r in idor_routes.statement_routes(stmt, memo) if isinstance(r.node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    facts = set()
    for func in routes:
        inputs = _inputs(func)
        facts |= {f"idor-call:{func.name}:{last_name(n.func)}" for n in subtree_nodes(func) if isinstance(n, ast.Call)
                  and any(_from_request(a, inputs) for a in [*n.args, *(k.value for k in n.keywords)])}
        # a call given only the request (the module's helper for the principal, `_api_owner(request)`)
        facts |= {f"idor-request-call:{func.name}:{n.func.id}" for n in subtree_nodes(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                  and len(n.args) == 1 and not n.keywords and isinstance(n.args[0], ast.Name) and n.args[0].id in {"request", "req"}}
    if not routes and isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        facts.add(f"idor-helper:{stmt.name}:{_scoping_helper(stmt)}:{memo.get(stmt, 'sec.idor-helper-kind', lambda: _helper_kind(stmt))}")
    return frozenset(facts)


def _fetches(doc: Document) -> list[Fetch]:
    cached = doc.shared.get("sec.idor")
    if cached is None:
        known: dict[tuple[int, tuple[str, ...]], list[Fetch]] = {}
        helpers = _module_helpers(doc)
        for stmt in doc.module_body:
            known.update(_statement_fetches(stmt, doc.memo, helpers))
        cached = doc.shared["sec.idor"] = [
            f for r in idor_routes.module_routes(doc)
            for f in (known[(id(r.node), r.guard_names)] if (id(r.node), r.guard_names) in known else _route_fetches(r, helpers))]
    return cached  # type: ignore[no-any-return]


def _verdict(fetch: Fetch, fetches: list[Fetch]) -> str | None:
    if fetch.scoped or fetch.excused or fetch.key == "join":
        return None  # an unscoped join is only a sibling: its `ON` may scope it in ways not read
    # the route's own other fetches of the row (the `SELECT` then the `UPDATE` by the same id) are the same
    # defect, not siblings: the module's other routes decide
    others = [f for f in fetches if f.route is not fetch.route and f.model == fetch.model and not f.excused]
    kin = [f for f in others if f.audience == fetch.audience]
    if not kin and fetch.audience and all(_SIGNED_IN.search(name) and not _PRIVILEGED.search(name) for name in fetch.audience):
        # no sibling behind the same guards, and the route's only ask that the caller is signed in
        # (`@mobile_token_required`): the routes behind other guards of ordinary users judge it
        # (`@scopes_required("trips")`); a dispatcher's or an administrator's route never is judged so
        kin = [f for f in others if f.audience and not any(_PRIVILEGED.search(name) for name in f.audience)]
    scoped = sum(f.scoped for f in kin)
    if scoped and 3 * scoped >= 2 * len(kin):
        return f"{scoped} of the module's {len(kin)} other fetches of `{fetch.model}` by routes with the same guards scope it to the signed-in user"
    return None


# guards that admit a privileged principal, who may read every row (an administrator, staff, an operator)
_PRIVILEGED = re.compile(PRIVILEGED_WORDS, re.IGNORECASE)
# guards that only ask that the caller is signed in (`login_required`, `mobile_token_required`, `jwt_required`)
_SIGNED_IN = re.compile(r"^(login_required|authenticated|(require_|requires_)?(login|auth|user|token|jwt|bearer|session)(_required)?|"
                        r"\w*_(token|jwt|bearer|session|login|auth)_required)$", re.IGNORECASE)


def _scoping_helper(func: FunctionNode) -> str | None:
    """The model a helper fetches one row of by one of its parameters and scopes to the signed-in
    user, in the query or by a check after (``def company_employee(employee_id): emp =
    db_session.get(Employee, employee_id); if emp is None or emp.company_id !=
    current_user.company_id: abort(404)``); None when it fetches none, several models, or one unscoped."""
    args = func.args
    params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]} - {"self", "cls"}
    nodes = list(walk(func))
    user = _user_bound(nodes)
    models = set()
    for node in nodes:
        if isinstance(node, ast.Call) and _fetch_call(node):
            fetched = _fetch(node, params, user, frozenset(params)) or built_statements.fetch(func, node, _statement_run(node), params, user, _select_fetch)
            if fetched is not None:
                if not (fetched[2] or _checked_after(func, nodes, node, user)):
                    return None
                models.add(fetched[0])
    return models.pop() if len(models) == 1 else None


def _given_model(helper: FunctionNode, call: ast.Call, param: str) -> str | None:
    """The model class ``call`` passes to the helper's parameter ``param`` (``scoped(Building, req, pk)``)."""
    names = [a.arg for a in [*helper.args.posonlyargs, *helper.args.args]]
    index = names.index(param) if param in names else -1
    given = call.args[index] if 0 <= index < len(call.args) else next((k.value for k in call.keywords if k.arg == param), None)
    return _model_name(given)


def _helper_function(sec: SecurityPass, call: ast.Call, local: dict[str, FunctionNode]) -> FunctionNode | None:
    """The module-level function of this module (not a route) or of another module of the project
    that ``call`` calls, else None."""
    if isinstance(call.func, ast.Name) and call.func.id in local:
        return local[call.func.id]
    if sec.ctx is None or sec.ctx.resolver is None or not isinstance(call.func, (ast.Name, ast.Attribute)):
        return None
    qualified = sec.qualified(call.func)
    target = project_target(sec, qualified, False) if qualified else None
    if target is None:
        return None
    found = module_function(target[0], target[1], target[2])
    reads.note_file(target[0])  # the helper's text decides: an edit of it re-checks this file (result cache)
    note_dependent(target[0], sec.doc.path)  # ... and in the editor, when it is saved
    return found[1] if found is not None else None


def _helper_fetches(sec: SecurityPass) -> list[Fetch]:
    """The module's routes' calls, with a request id, of a helper that fetches the row it names
    scoped to the signed-in user (:func:`_scoping_helper`): scoped fetches of that model, the module's
    convention as much as a scoped query in the route.  Asked only where a fetch is unscoped and
    its route's siblings' own queries leave it unreported."""
    cached = sec.doc.shared.get("sec.idor-helpers")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    routes = [r for r in idor_routes.module_routes(sec.doc) if isinstance(r.node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    route_nodes = {id(r.node) for r in routes}
    defined: dict[str, list[FunctionNode]] = {}
    for stmt in sec.doc.module_body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defined.setdefault(stmt.name, []).append(stmt)
    local = {name: defs[0] for name, defs in defined.items() if len(defs) == 1 and id(defs[0]) not in route_nodes}
    models: dict[int, str | None] = {}
    found = []
    for route in routes:
        func: FunctionNode = route.node  # type: ignore[assignment]
        inputs = _inputs(func)
        for node in walk(func):
            if not isinstance(node, ast.Call) or not any(_from_request(a, inputs) for a in [*node.args, *(k.value for k in node.keywords)]):
                continue
            helper = _helper_function(sec, node, local)
            if helper is None or helper is func:
                continue
            if id(helper) not in models:
                models[id(helper)] = _scoping_helper(helper)
            model = models[id(helper)]
            if model is not None and model.startswith("param:"):
                model = _given_model(helper, node, model[len("param:"):])
            if model is not None:
                found.append(Fetch(node, model, "helper", True, False, _audience(route), func))
    sec.doc.shared["sec.idor-helpers"] = found
    return found


_PRESIGNERS = frozenset({"generate_presigned_url", "generate_presigned_post"})


def _presigned_keys(sec: SecurityPass, func: FunctionNode) -> Iterator[ast.expr]:
    """In a route that requires a signed-in user and never reads who it is: the storage keys taken
    from the request that it signs a link for (``s3.generate_presigned_url("get_object",
    Params={"Bucket": B, "Key": request.args["key"]})``, ``generate_presigned_post(B, key)``)."""
    route = next((r for r in authorization.module_routes(sec.doc) if r.node is func), None)
    if route is None or not route.guarded or route.unknown or authorization.public(route):
        return
    calls = [n for n in walk(func) if isinstance(n, ast.Call) and last_name(n.func) in _PRESIGNERS]
    if not calls or any(_reads_user(stmt) for stmt in func.body):
        return
    scope = sec.flow.scope(func)
    for call in calls:
        key: ast.expr | None = None
        if last_name(call.func) == "generate_presigned_post":
            kw = next((k for k in call.keywords if k.arg == "Key"), None)
            key = kw.value if kw is not None else call.args[1] if len(call.args) > 1 else None
        else:
            params = next((k.value for k in call.keywords if k.arg == "Params"), call.args[1] if len(call.args) > 1 else None)
            if isinstance(params, ast.Dict):
                key = next((v for k, v in zip(params.keys, params.values) if isinstance(k, ast.Constant) and k.value == "Key"), None)
        if key is not None and scope.value(key, call).trust is Trust.UNTRUSTED:
            yield key


def _siblings(doc: Document, fetch: Fetch) -> list[FunctionNode]:
    """The module's other routes behind the same guards as ``fetch``'s."""
    return [r.node for r in idor_routes.module_routes(doc)
            if isinstance(r.node, (ast.FunctionDef, ast.AsyncFunctionDef)) and r.node is not fetch.route and _audience(r) == fetch.audience]


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func: FunctionNode = site.node  # type: ignore[assignment]
    if site.func is not None:
        return
    for key in _presigned_keys(sec, func):
        yield IDOR.finding(
            sec.doc, key,
            "a link to the storage object the request names is signed for any signed-in user: the route requires a login but "
            "never ties the key to the user, so changing the key fetches another user's file; look the key up on a row the "
            "user owns, or check it starts with the user's own prefix")
    chosen = [(query, f"the query is scoped by `{column}` taken from the request, while the module's other routes scope `{column}` "
               "by a value of their own (the signed-in principal's): any user can read or change another tenant's rows by "
               "naming it; take the tenant from the principal, or check the user belongs to it")
              for query, column in tenant_choice.findings(sec.doc, func)] + [
        (query, f"the query lists the rows of the `{column}` the request names, while the module's other routes scope `{column}` "
                "by the signed-in user or check the requested one first: any signed-in user can read another's rows by "
                "changing the id; scope the query to the user, or check the user may see that owner")
        for query, column in owner_choice.findings(sec.doc, func)]
    if chosen and not authorization.reported_unguarded(sec.doc, func):
        for query, why in chosen:
            yield IDOR.finding(sec.doc, query, why)
    fetches = _fetches(sec.doc)
    unguarded: bool | None = None
    reported: set[str] = set()
    for fetch in fetches:
        if fetch.route is func and fetch.model not in reported:
            why = _verdict(fetch, fetches)
            if why is None and not fetch.scoped and not fetch.excused:
                helpers = [f for f in _helper_fetches(sec) if f.model == fetch.model and f.audience == fetch.audience]
                why = _verdict(fetch, fetches + helpers)
                if why is not None:
                    names = ", ".join(sorted({f"`{last_name(f.call.func)}()`" for f in helpers}))
                    why = f"{why} (calls of {names}, which checks it, count)"
                elif fetch.audience and not any(_PRIVILEGED.search(name) for name in fetch.audience):
                    why = owned_rows.verdict(fetch, fetches, _siblings(sec.doc, fetch), sec.doc.memo)
            if why is not None and unguarded is None:
                # a route with no authorization at all is SEC023's finding: its unscoped fetch is that defect
                unguarded = authorization.reported_unguarded(sec.doc, func)
            if unguarded:
                return
            if why is not None:
                reported.add(fetch.model)  # once per route and model: its later fetches of the row are the same defect
                key = "its id" if fetch.key == "positional" else f"`{fetch.key}`"
                yield IDOR.finding(
                    sec.doc, fetch.call,
                    f"`{fetch.model}` is fetched by {key} from the request without scoping it to the signed-in user, but {why}: "
                    "any user can read or change another's by changing the id; filter by the owner in the query or check it")


MODULE = RuleModule(
    rules=(IDOR,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=authorization.MODULE.triggers,
)

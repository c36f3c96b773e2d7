"""SEC036, the tenant the request chooses: a route scopes a query by a tenant column
(``company_id``, ``org_id``, ``school``, ``lease__company_id``) with a value read from the request
(``request.args.get("company")``, ``req.get_param_as_int("company_id")``, an ``X-Tenant-ID``
header), also as an override of the principal's own (``request.args.get("company") or
_company()``), where the module's other routes scope that column with a value of their own (the
signed-in principal's tenant).  Lines marked ``# !`` must carry a SEC036 finding; every other line
must not (services 30 views_reports, 32 resources_admin and resources_partner_api)."""

from __future__ import annotations

from pathlib import Path

from test_review_rules import flagged, marked
from vetpy.context import AnalysisContext

SELECT = AnalysisContext.bare(select=["SEC036"])

FLASK = """
from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import func, select
from .auth import api_scope, login_required, superuser_required, ensure_member
from .db import db_session
from .models import Employee, PayrollRun

bp = Blueprint("reports", __name__)

def _company() -> int:
    return int(g.claims["company"])

@bp.get("/headcount")
@api_scope("reports:read")
def headcount():
    return jsonify(n=db_session.scalar(select(func.count()).select_from(Employee).where(Employee.company_id == _company())))

@bp.get("/payroll-cost")
@api_scope("reports:read")
def payroll_cost():
    company_id = request.args.get("company", type=int) or _company()
    total = db_session.scalar(select(func.sum(PayrollRun.total_gross))  # !
                              .where(PayrollRun.company_id == company_id))
    return jsonify(total=str(total))

@bp.get("/payroll-cost/inline")
@api_scope("reports:read")
def payroll_cost_inline():
    total = db_session.scalar(select(func.sum(PayrollRun.total_gross)).where(PayrollRun.company_id == int(request.args["company"])))  # !
    return jsonify(total=str(total))

@bp.get("/runs")
@login_required
def runs():
    org = request.args.get("company", type=int)
    if org not in g.user.company_ids:
        abort(403)
    return jsonify([r.id for r in db_session.scalars(select(PayrollRun).where(PayrollRun.company_id == org))])

@bp.get("/runs/checked")
@login_required
def runs_checked():
    org = request.args.get("company", type=int)
    ensure_member(org)
    return jsonify([r.id for r in db_session.scalars(select(PayrollRun).where(PayrollRun.company_id == org))])

@bp.get("/platform/runs")
@superuser_required
def platform_runs():
    org = request.args.get("company", type=int)
    return jsonify([r.id for r in db_session.scalars(select(PayrollRun).where(PayrollRun.company_id == org))])

@bp.get("/public/companies")
def public_companies():
    org = request.args.get("company", type=int)
    return jsonify([e.name for e in db_session.scalars(select(Employee).where(Employee.company_id == org))])

@bp.get("/label")
@api_scope("reports:read")
def label():
    company = request.args.get("company", "")
    return jsonify(label=f"report for {company}", total=db_session.scalar(select(func.count()).select_from(Employee).where(Employee.company_id == _company())))
"""

# the Falcon shapes of service32 and their look-alikes are the rule's fixture's (a membership check, an operator's route, a title)
FALCON = (Path(__file__).parents[1] / "fixtures" / "rules" / "SEC036" / "tenants.py").read_text(encoding="utf-8").replace(
    "# expect: SEC036", "# !")

# nothing in the module scopes `company_id` by a value of its own: the request's is the only one there is
UNSCOPED = """
import falcon
from .auth import require_staff
from .models import Payment

class PaymentsResource:
    @falcon.before(require_staff)
    async def on_get(self, req, resp):
        resp.media = [p.id for p in await Payment.filter(lease__company_id=req.get_param_as_int("company_id"))]

    @falcon.before(require_staff)
    async def on_get_v2(self, req, resp):
        resp.media = [p.id for p in await Payment.filter(lease__company_id=req.get_param_as_int("company"))]
"""

# the request's company names a new row (a create, not a scope), or picks a row the user's query already scopes
OTHER_USES = """
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST
from .models import Invite, Project

@require_GET
@login_required
def projects(request):
    return JsonResponse({"ids": list(Project.objects.filter(org_id=request.user.org_id).values_list("id", flat=True))})

@require_POST
@login_required
def invite(request):
    Invite.objects.create(org_id=request.POST["org"], email=request.POST["email"])
    return JsonResponse({}, status=201)

@require_GET
@login_required
def mine(request):
    return JsonResponse({"ids": list(Project.objects.filter(org_id=request.GET["org"], members=request.user).values_list("id", flat=True))})

@require_GET
@login_required
def by_org(request):
    return JsonResponse({"ids": list(Project.objects.filter(org_id=request.GET["org"]).values_list("id", flat=True))})  # !
"""


def test_a_tenant_the_request_chooses_is_reported_where_siblings_scope_it_themselves() -> None:
    for src in (FLASK, FALCON, OTHER_USES):
        assert marked(src)
        assert flagged(src, "SEC036", SELECT) == marked(src), src.splitlines()[1]


def test_no_sibling_scoping_the_column_itself_is_no_convention() -> None:
    assert flagged(UNSCOPED, "SEC036", SELECT) == []


# a row fetched by a field of the request's body (`data = await body(req)`, `validated(req, schema)`),
# where the sibling fetches it scoped by the principal's tenant through the application's own helper
# (`building__company_id=company_id(req)`, whatever the helper is called): service32 resources_leases
BODY_KEYS = """
import falcon
from .auth import company_id, require_staff
from .models import Unit
from .web import body, validated

class LeasesResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp):
        data = await validated(req, SCHEMA)
        unit = await Unit.get_or_none(id=data["unit_id"])  # !
        resp.media = {"unit": unit.id}

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp):
        data = await validated(req, SCHEMA)
        unit = await Unit.get_or_none(id=data["unit_id"], building__company_id=company_id(req))
        resp.media = {"unit": unit.id}

    @falcon.before(require_staff)
    async def on_put(self, req, resp):
        data = await body(req)
        unit = await Unit.get_or_none(id=int(data.get("unit_id", 0)), building__company_id=company_id(req))
        resp.media = {"unit": unit.id}
"""


def test_a_body_field_is_a_request_id_and_the_principals_tenant_helper_scopes() -> None:
    assert flagged(BODY_KEYS, "SEC036", SELECT) == marked(BODY_KEYS)


def test_a_tenant_constant_or_chosen_by_the_request_is_no_scope() -> None:
    """A sibling scoped by a constant company or by the company the request names scopes nothing of the user's."""
    for value in ('1', 'data["company_id"]', 'req.get_param_as_int("company")'):
        src = BODY_KEYS.replace("building__company_id=company_id(req)", f"building__company_id={value}")
        assert 11 not in flagged(src, "SEC036", SELECT), value


def test_a_helper_given_the_request_for_another_purpose_gives_no_input() -> None:
    src = BODY_KEYS.replace("data = await validated(req, SCHEMA)\n        unit = await Unit.get_or_none(id=data",
                            "data = await page_context(req)\n        unit = await Unit.get_or_none(id=data")
    assert flagged(src, "SEC036", SELECT) == []


# asyncpg's `WHERE account_id = $1` scopes a tenant as `filter(account_id=...)` does; the request's
# `request.args.get("account_id", request.ctx.account_id)` overrides the principal's own (its default
# is the fallback, not a check): service33 routes_partner
SANIC_SQL = """
from sanic import Blueprint
from sanic.response import json
from .auth import ensure_account_member, partner_key_required

bp = Blueprint("partner", url_prefix="/partner/v1")

@bp.get("/members")
@partner_key_required("members:read")
async def members(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT id, full_name FROM members WHERE account_id = $1 ORDER BY id", request.ctx.account_id)
    return json([dict(r) for r in rows])

@bp.get("/invoices")
@partner_key_required("invoices:read")
async def invoices(request):
    account_id = int(request.args.get("account_id", request.ctx.account_id))
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT number, total FROM invoices WHERE account_id = $1", account_id)  # !
    return json([dict(r) for r in rows])

@bp.get("/invoices/checked")
@partner_key_required("invoices:read")
async def invoices_checked(request):
    account_id = int(request.args.get("account_id", request.ctx.account_id))
    await ensure_account_member(request, account_id)
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT number, total FROM invoices WHERE account_id = $1", account_id)
    return json([dict(r) for r in rows])

@bp.get("/invoices/own")
@partner_key_required("invoices:read")
async def invoices_own(request):
    label = request.args.get("account_id", "")
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT number, total FROM invoices WHERE account_id = $1", request.ctx.account_id)
    return json({"label": label, "rows": [dict(r) for r in rows]})

@bp.get("/invoices/compared")
@partner_key_required("invoices:read")
async def invoices_compared(request):
    account_id = int(request.args.get("account_id", request.ctx.account_id))
    if account_id != request.ctx.account_id:
        return json([], status=403)
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT number, total FROM invoices WHERE account_id = $1", account_id)
    return json([dict(r) for r in rows])
"""


def test_an_sql_tenant_scope_and_a_get_default_override_are_read() -> None:
    assert marked(SANIC_SQL)
    assert flagged(SANIC_SQL, "SEC036", SELECT) == marked(SANIC_SQL)


def test_an_sql_override_without_a_sibling_scoping_by_the_principal_is_no_convention() -> None:
    src = SANIC_SQL.replace('"SELECT id, full_name FROM members WHERE account_id = $1 ORDER BY id", request.ctx.account_id',
                            '"SELECT id, full_name FROM members ORDER BY id"')
    src = src.replace('"SELECT number, total FROM invoices WHERE account_id = $1", request.ctx.account_id', '"SELECT number, total FROM invoices"')
    assert flagged(src, "SEC036", SELECT) == []


def test_an_override_compared_with_the_principals_own_is_checked() -> None:
    """The fallback's own read of the user is no check, but a comparison after it is (the parser's
    shared ``Load()`` must not make every read look like part of the fallback)."""
    src = FLASK.replace(
        '    company_id = request.args.get("company", type=int) or _company()\n',
        '    company_id = request.args.get("company", type=int) or _company()\n'
        '    if company_id not in g.user.company_ids:\n        abort(403)\n')
    assert len(marked(src)) == 2  # the override's query, now checked, and the inline choice
    assert flagged(src, "SEC036", SELECT) == marked(src)[1:]

"""Reporting API for BI tools and accounting integrations (bearer JWT or API key)."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, g, jsonify, request, send_file
from sqlalchemy import func, select

from . import payroll_calc, reports
from .auth import api_key_required, api_scope, api_token_required
from .db import db_session
from .models import Employee, ExpenseClaim, PayrollRun, Payslip

bp = Blueprint("reports", __name__, url_prefix="/api/reports")


def _company() -> int:
    return int(g.claims["company"])


@bp.get("/headcount")
@api_scope("reports:read")
def headcount():
    total = db_session.scalar(select(func.count()).select_from(Employee)
                              .where(Employee.company_id == _company(), Employee.end_date.is_(None)))  # SAFE: claims-company
    return jsonify(headcount=total)


@bp.get("/turnover")
@api_scope("reports:read")
def turnover():
    year = request.args.get("year", type=int) or date.today().year
    start, end = date(year, 1, 1), date(year, 12, 31)
    headcount = db_session.scalar(select(func.count()).select_from(Employee).where(
        Employee.company_id == _company(), Employee.start_date <= end)) or 0
    leavers = db_session.scalar(select(func.count()).select_from(Employee).where(
        Employee.company_id == _company(), Employee.end_date.between(start, end))) or 0
    return jsonify(rate=leavers / headcount)  # SEEDED: EDGE division-by-zero


@bp.get("/payroll-cost")
@api_scope("reports:read")
def payroll_cost():
    company_id = request.args.get("company", type=int) or _company()
    total = db_session.scalar(select(func.sum(PayrollRun.total_gross))
                              .where(PayrollRun.company_id == company_id)) or Decimal("0")  # SEEDED: SEC idor
    return jsonify(total=str(total))


@bp.get("/payroll-cost/monthly")
@api_scope("reports:read")
def payroll_cost_monthly():
    year = request.args.get("year", type=int) or date.today().year
    first = request.args.get("from_month", 1, type=int)
    last = request.args.get("to_month", 12, type=int)
    out = {}
    for month in range(first, last):  # SEEDED: EDGE off-by-one
        start, end = payroll_calc.period_bounds(date(year, month, 1))
        out[month] = str(db_session.scalar(select(func.sum(PayrollRun.total_gross)).where(
            PayrollRun.company_id == _company(), PayrollRun.period_start >= start,
            PayrollRun.period_end <= end)) or 0)
    return jsonify(out)


@bp.get("/expenses")
@api_scope("reports:read")
def expenses():
    since = date.fromisoformat(request.args.get("since", f"{date.today().year}-01-01"))
    until = date.fromisoformat(request.args.get("until"))  # SEEDED: EDGE none-input
    rows = db_session.execute(
        select(ExpenseClaim.category, func.sum(ExpenseClaim.amount))
        .join(Employee, Employee.id == ExpenseClaim.employee_id)
        .where(Employee.company_id == _company(), ExpenseClaim.submitted_at.between(since, until))
        .group_by(ExpenseClaim.category)).all()
    return jsonify({c: str(t) for c, t in rows})


@bp.get("/payslips")
@api_token_required
def payslips():
    limit = min(request.args.get("limit", 100, type=int), 1000)  # SAFE: page-size-capped
    rows = db_session.scalars(select(Payslip).join(PayrollRun, PayrollRun.id == Payslip.run_id)
                              .where(PayrollRun.company_id == _company()).limit(limit)).all()
    return jsonify([{"employee": p.employee_id, "net": str(p.net)} for p in rows])


@bp.get("/employees.csv")
@api_scope("employees:read")
def employees_csv():
    rows = db_session.scalars(select(Employee).where(Employee.company_id == _company())).all()
    return send_file(io.BytesIO(reports.employees_csv(rows).encode()), mimetype="text/csv",
                     download_name="employees.csv")  # SAFE: csv-cells-escaped


@bp.get("/ledger")
@api_key_required
def ledger():
    page = request.args.get("page", 1, type=int)
    size = request.args.get("size", 100, type=int)  # SEEDED: EDGE unbounded-page-size
    runs = db_session.scalars(select(PayrollRun).where(PayrollRun.company_id == g.api_user.company_id)
                              .order_by(PayrollRun.id).offset(page * size).limit(size)).all()  # SEEDED: EDGE off-by-one
    return jsonify([{"id": r.id, "gross": str(r.total_gross), "net": str(r.total_net)} for r in runs])


@bp.get("/ledger/v2")
@api_key_required
def ledger_v2():
    page = max(request.args.get("page", 1, type=int), 1)
    size = min(max(request.args.get("size", 100, type=int), 1), 500)  # SAFE: page-size-capped
    runs = db_session.scalars(select(PayrollRun).where(PayrollRun.company_id == g.api_user.company_id)
                              .order_by(PayrollRun.id).offset((page - 1) * size).limit(size)).all()  # SAFE: one-based-page
    return jsonify([{"id": r.id, "gross": str(r.total_gross)} for r in runs])


@bp.get("/tenure")
@api_scope("reports:read")
def tenure():
    today = date.today()
    rows = db_session.scalars(select(Employee).where(Employee.company_id == _company())).all()
    years = [payroll_calc.years_of_service(e.start_date, today) for e in rows]
    if not years:
        abort(404)
    return jsonify(average=sum(years) / len(years))  # SAFE: division-guarded

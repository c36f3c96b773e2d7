"""Benefits: plans, quotes, enrolment."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select

from . import integrations, payroll_calc
from .auth import roles_required
from .db import db_session
from .models import Benefit, Employee
from .schemas import BenefitEnrolSchema
from .views_common import company_employee, current_employee

bp = Blueprint("benefits", __name__, url_prefix="/benefits")

PLANS = {"health-basic", "health-plus", "dental", "cycle-to-work", "pension-top-up"}


@bp.get("/")
@login_required
def mine():
    emp = current_employee()
    rows = db_session.scalars(select(Benefit).where(Benefit.employee_id == emp.id)).all()  # SAFE: owner-scoped
    return jsonify([{"plan": b.plan, "monthly_cost": str(b.monthly_cost)} for b in rows])


@bp.get("/quote")
@login_required
def quote():
    plan = request.args.get("plan", "")
    if plan not in PLANS:  # SAFE: allow-list
        abort(400)
    emp = current_employee()
    age = payroll_calc.years_of_service_exact(emp.start_date, date.today())
    return jsonify(monthly=str(integrations.benefits_quote(plan, age)))


@bp.post("/enrol")
@login_required
def enrol():
    emp = current_employee()
    data = BenefitEnrolSchema().load(request.get_json() or {})
    if data["plan"] not in PLANS:
        abort(400)
    benefit = Benefit(employee_id=emp.id, **data)  # SAFE: owner-forced
    db_session.add(benefit)
    db_session.commit()
    integrations.benefits_enrol(emp.id, data["plan"])
    return jsonify(plan=benefit.plan, monthly_cost=str(benefit.monthly_cost)), 201


@bp.post("/enrol/<int:employee_id>")
@login_required
@roles_required("admin", "payroll")
def enrol_for(employee_id: int):
    emp = company_employee(employee_id)  # SAFE: tenant-check
    data = BenefitEnrolSchema().load(request.get_json() or {})
    benefit = Benefit(employee_id=emp.id, **data)
    db_session.add(benefit)
    db_session.commit()
    return jsonify(plan=benefit.plan), 201


@bp.get("/cost")
@login_required
@roles_required("admin", "payroll")
def company_cost():
    rows = db_session.scalars(select(Benefit).join(Employee, Employee.id == Benefit.employee_id)
                              .where(Employee.company_id == current_user.company_id)).all()  # SAFE: tenant-scoped
    total = sum((b.monthly_cost * b.employer_share for b in rows), Decimal("0"))  # SAFE: decimal-sum
    return jsonify(total=str(payroll_calc.money(total)), rows=len(rows))

"""Leave requests: request, approve, cancel, team calendar."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select, text, update

from . import payroll_calc
from .auth import at_least
from .db import db_session
from .models import Employee, LeaveRequest
from .schemas import LeaveRequestSchema
from .views_common import audit, company_employee, current_employee

bp = Blueprint("leave", __name__, url_prefix="/leave")


def _json(r: LeaveRequest) -> dict:
    return {"id": r.id, "kind": r.kind, "start": r.start.isoformat(), "end": r.end.isoformat(),
            "days": str(r.days), "status": r.status}


@bp.get("/")
@login_required
def mine():
    emp = current_employee()
    rows = db_session.scalars(select(LeaveRequest).where(LeaveRequest.employee_id == emp.id)).all()  # SAFE: owner-scoped
    return jsonify([_json(r) for r in rows])


@bp.post("/")
@login_required
def request_leave():
    emp = current_employee()
    data = LeaveRequestSchema().load(request.get_json() or {})
    days = Decimal(payroll_calc.working_days(data["start"], data["end"]))
    if data["kind"] == "annual" and days > emp.leave_balance_days:  # SAFE: balance-checked
        return jsonify(error="not enough leave"), 422
    req = LeaveRequest(employee_id=emp.id, days=days, **data)  # SAFE: owner-forced
    db_session.add(req)
    db_session.commit()
    return jsonify(_json(req)), 201


@bp.post("/<int:request_id>/approve")
@login_required
@at_least("manager")
def approve(request_id: int):
    req = db_session.get(LeaveRequest, request_id)
    if req is None:
        abort(404)
    emp = company_employee(req.employee_id)
    if req.status != "pending":
        abort(409)
    req.status = "approved"
    req.decided_by = current_user.id
    if req.kind == "annual":
        emp.leave_balance_days = emp.leave_balance_days - req.days  # SEEDED: EDGE read-modify-write
    db_session.commit()
    return jsonify(_json(req))


@bp.post("/<int:request_id>/approve-atomic")
@login_required
@at_least("manager")
def approve_atomic(request_id: int):
    req = db_session.get(LeaveRequest, request_id)
    if req is None:
        abort(404)
    company_employee(req.employee_id)
    claimed = db_session.execute(
        update(LeaveRequest).where(LeaveRequest.id == request_id, LeaveRequest.status == "pending")
        .values(status="approved", decided_by=current_user.id)  # SAFE: conditional-update
    ).rowcount
    if claimed == 0:
        db_session.rollback()
        abort(409)
    if req.kind == "annual":
        db_session.execute(update(Employee).where(Employee.id == req.employee_id)
                           .values(leave_balance_days=Employee.leave_balance_days - req.days))  # SAFE: atomic-sql-update
    db_session.commit()
    return jsonify(status="approved")


@bp.post("/<int:request_id>/reject")
@login_required
@at_least("manager")
def reject(request_id: int):
    req = db_session.get(LeaveRequest, request_id)
    if req is None:
        abort(404)
    company_employee(req.employee_id)  # SAFE: tenant-check
    req.status = "rejected"
    req.decided_by = current_user.id
    db_session.commit()
    return jsonify(_json(req))


@bp.post("/<int:request_id>/cancel")
@login_required
def cancel(request_id: int):
    req = db_session.get(LeaveRequest, request_id)  # SEEDED: SEC idor
    if req is None or req.status not in {"pending", "approved"}:
        abort(404)
    req.status = "cancelled"
    audit("leave.cancel", request=request_id)
    db_session.commit()
    return jsonify(_json(req))


@bp.delete("/<int:request_id>")
@login_required
def withdraw(request_id: int):
    emp = current_employee()
    req = db_session.scalars(select(LeaveRequest).where(LeaveRequest.id == request_id,
                                                        LeaveRequest.employee_id == emp.id)).first()  # SAFE: owner-scoped
    if req is None or req.status != "pending":
        abort(404)
    db_session.delete(req)
    db_session.commit()
    return "", 204


@bp.get("/calendar")
@login_required
def team_calendar():
    month = request.args.get("month", date.today().strftime("%Y-%m"))
    try:
        first = date.fromisoformat(month + "-01")  # SAFE: parse-guarded
    except ValueError:
        abort(400)
    start, end = payroll_calc.period_bounds(first)
    kind = request.args.get("kind", "annual")
    rows = db_session.execute(
        text("SELECT l.id, e.first_name, e.last_name, l.start, l.end FROM leave_requests l "
             "JOIN employees e ON e.id = l.employee_id WHERE e.company_id = :c AND l.kind = :kind "
             "AND l.start <= :end AND l.end >= :start AND l.status = 'approved'"),
        {"c": current_user.company_id, "kind": kind, "start": start, "end": end},  # SAFE: bound-parameters
    )
    return jsonify([dict(r._mapping) for r in rows])


@bp.get("/stats")
@login_required
@at_least("manager")
def stats():
    me = current_employee()
    team = db_session.scalars(select(Employee).where(Employee.manager_id == me.id)).all()
    taken = sum((e.leave_balance_days for e in team), Decimal("0"))
    per_head = taken / len(team) if team else Decimal("0")  # SAFE: division-guarded
    return jsonify(team=len(team), average_balance=str(payroll_calc.money(per_head)))

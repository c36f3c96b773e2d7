"""Timesheets: weekly submission, manager approval, kiosk clock-in, imports."""
from __future__ import annotations

import hmac
import io
from datetime import date, datetime, timezone
from decimal import Decimal

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from . import importers, payroll_calc, reports, storage
from .auth import at_least
from .db import db_session
from .models import Company, Employee, Timesheet
from .runtime import client_ip, rate_limited
from .schemas import TimesheetSchema
from .security import hash_kiosk_pin
from .views_common import company_employee, current_employee, page_args

bp = Blueprint("timesheets", __name__, url_prefix="/timesheets")


def _sheet_json(t: Timesheet) -> dict:
    return {"id": t.id, "week_start": t.week_start.isoformat(), "hours": str(t.hours),
            "overtime": str(t.overtime_hours), "status": t.status}


@bp.get("/")
@login_required
def my_timesheets():
    offset, size = page_args()
    emp = current_employee()
    rows = db_session.scalars(select(Timesheet).where(Timesheet.employee_id == emp.id)  # SAFE: owner-scoped
                              .order_by(Timesheet.week_start.desc()).offset(offset).limit(size)).all()
    return jsonify([_sheet_json(t) for t in rows])


@bp.post("/")
@login_required
def submit():
    emp = current_employee()
    data = TimesheetSchema().load(request.get_json() or {})
    sheet = Timesheet(employee_id=emp.id, status="submitted", **data)  # SAFE: owner-forced
    db_session.add(sheet)
    try:
        db_session.commit()
    except IntegrityError:  # SAFE: unique-constraint-handled
        db_session.rollback()
        return jsonify(error="timesheet for that week exists"), 409
    return jsonify(_sheet_json(sheet)), 201


@bp.get("/week")
@login_required
def week():
    week_start = date.fromisoformat(request.args.get("start"))  # SEEDED: EDGE none-input
    emp = current_employee()
    sheet = db_session.scalars(select(Timesheet).where(Timesheet.employee_id == emp.id,
                                                       Timesheet.week_start == week_start)).first()
    return jsonify(_sheet_json(sheet) if sheet else None)


@bp.get("/team")
@login_required
@at_least("manager")
def team():
    raw = request.args.get("start", "")
    try:
        week_start = date.fromisoformat(raw)  # SAFE: parse-guarded
    except ValueError:
        abort(400)
    me = current_employee()
    rows = db_session.scalars(select(Timesheet).join(Employee, Employee.id == Timesheet.employee_id)
                              .where(Employee.manager_id == me.id, Timesheet.week_start == week_start)).all()
    hours = payroll_calc.average_hours(rows)
    return jsonify(sheets=[_sheet_json(t) for t in rows], average=str(hours))


@bp.post("/<int:sheet_id>/approve")
@login_required
@at_least("manager")
def approve(sheet_id: int):
    me = current_employee()
    result = db_session.execute(
        update(Timesheet)
        .where(Timesheet.id == sheet_id, Timesheet.status == "submitted",
               Timesheet.employee_id.in_(select(Employee.id).where(Employee.manager_id == me.id)))  # SAFE: conditional-update-scoped
        .values(status="approved", approved_by=current_user.id)
    )
    db_session.commit()
    if result.rowcount == 0:
        abort(409)
    return jsonify(status="approved")


@bp.get("/<int:sheet_id>/quick-approve")
@login_required
@at_least("manager")
def quick_approve(sheet_id: int):  # SEEDED: SEC csrf-get-state-change
    """Link in the weekly reminder e-mail."""
    sheet = db_session.get(Timesheet, sheet_id)
    if sheet is None:
        abort(404)
    company_employee(sheet.employee_id)
    sheet.status = "approved"
    sheet.approved_by = current_user.id
    db_session.commit()
    return jsonify(status="approved")


@bp.post("/kiosk/clock")
def kiosk_clock():
    if rate_limited("kiosk:" + client_ip()):
        abort(429)
    payload = request.get_json(silent=True) or {}  # SAFE: none-defaulted
    employee_id = payload.get("employee_id")
    pin = str(payload.get("pin", ""))
    if not isinstance(employee_id, int) or not pin.isdigit():  # SAFE: type-and-content-checked
        abort(400)
    emp = db_session.get(Employee, employee_id)
    stored = (emp.preferences or {}).get("kiosk_pin", "") if emp else ""
    if not hmac.compare_digest(stored, hash_kiosk_pin(pin)):  # SAFE: constant-time-compare
        abort(403)
    now = datetime.now(timezone.utc)  # SAFE: aware-datetime
    emp.preferences = {**emp.preferences, "last_clock": now.isoformat()}
    db_session.commit()
    return jsonify(at=now.isoformat())


@bp.post("/shift")
@login_required
def record_shift():
    form = request.get_json() or {}
    emp = current_employee()
    company = db_session.get(Company, emp.company_id)
    hours = payroll_calc.shift_hours(form["in"], form["out"], company.timezone)
    duration = payroll_calc.parse_hours(form.get("break", "0:00"))
    return jsonify(hours=hours - float(duration))


@bp.post("/shift/exact")
@login_required
def record_shift_exact():
    form = request.get_json() or {}
    emp = current_employee()
    company = db_session.get(Company, emp.company_id)
    hours = payroll_calc.shift_hours_utc(form["in"], form["out"], company.timezone)
    return jsonify(hours=round(hours, 2))  # SAFE: hours-not-money


@bp.post("/import")
@login_required
@at_least("manager")
def import_csv():
    upload = request.files.get("file")
    if upload is None:
        abort(400)
    stream = io.TextIOWrapper(upload.stream, encoding="utf-8", newline="")  # SAFE: streamed-upload
    rows = importers.import_timesheets_csv(stream)
    return jsonify(rows=len(rows))


@bp.post("/import/xlsx")
@login_required
@at_least("manager")
def import_xlsx():
    upload = request.files.get("file")
    if upload is None:
        abort(400)
    path = storage.scratch_dir()
    target = f"{path}/upload.xlsx"
    upload.save(target)
    rows = reports.read_timesheet_workbook(target)
    total = sum((hours for _, hours in rows), Decimal("0"))  # SAFE: decimal-sum
    return jsonify(rows=len(rows), hours=str(total))

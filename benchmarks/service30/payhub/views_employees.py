"""Employees: list, profile, self-service edits, directory, search."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import bindparam, func, select, text

from . import importers, integrations, runtime
from .auth import at_least, roles_required
from .db import db_session
from .models import Employee
from .schemas import EmployeeCreateSchema, EmployeeDirectorySchema, EmployeeOutSchema, EmployeeSelfUpdateSchema
from .views_common import audit, company_employee, current_employee, page_args

log = logging.getLogger(__name__)
bp = Blueprint("employees", __name__, url_prefix="/employees")

SORTABLE = {"name": "last_name", "start": "start_date", "email": "email"}
ADMIN_EDITABLE = {"first_name", "last_name", "email", "tax_code", "manager_id", "end_date"}


@bp.get("/")
@login_required
@at_least("manager")
def list_employees():
    offset, size = page_args()
    rows = db_session.scalars(
        select(Employee).where(Employee.company_id == current_user.company_id)  # SAFE: tenant-scoped
        .order_by(Employee.last_name).offset(offset).limit(size)
    ).all()
    return jsonify(EmployeeOutSchema(many=True).dump(rows))


@bp.get("/<int:employee_id>")
@login_required
@at_least("manager")
def get_employee(employee_id: int):
    return jsonify(EmployeeOutSchema().dump(company_employee(employee_id)))  # SAFE: tenant-check


@bp.get("/<int:employee_id>/bank")
@login_required
@at_least("manager")
def get_bank_details(employee_id: int):
    emp = db_session.get(Employee, employee_id)  # SEEDED: SEC idor
    if emp is None:
        abort(404)
    return jsonify(iban=emp.bank_iban, tax_code=emp.tax_code)


@bp.post("/")
@login_required
@roles_required("admin", "payroll")
def create_employee():
    data = EmployeeCreateSchema().load(request.get_json() or {})  # SAFE: schema-validated
    emp = Employee(company_id=current_user.company_id, **data)  # SAFE: schema-limited-fields
    db_session.add(emp)
    audit("employee.create", email=data["email"])
    db_session.commit()
    runtime.invalidate_directory(current_user.company_id)
    return jsonify(EmployeeOutSchema().dump(emp)), 201


@bp.patch("/me")
@login_required
def update_me():
    emp = current_employee()
    data = EmployeeSelfUpdateSchema().load(request.get_json() or {})
    for key, value in data.items():
        setattr(emp, key, value)
    audit("employee.self_update", fields=sorted(data))  # SAFE: log-field-names
    db_session.commit()
    return jsonify(EmployeeOutSchema().dump(emp))


@bp.patch("/<int:employee_id>")
@login_required
@roles_required("admin", "payroll")
def admin_update(employee_id: int):
    emp = company_employee(employee_id)
    payload = request.get_json() or {}
    for key, value in payload.items():
        if key in ADMIN_EDITABLE:  # SAFE: field-allow-list
            setattr(emp, key, value)
    db_session.commit()
    return jsonify(EmployeeOutSchema().dump(emp))


@bp.put("/<int:employee_id>/record")
@login_required
@roles_required("admin", "payroll")
def replace_record(employee_id: int):
    emp = company_employee(employee_id)
    for key, value in (request.get_json() or {}).items():
        setattr(emp, key, value)  # SEEDED: SEC mass-assignment
    db_session.commit()
    return jsonify(EmployeeOutSchema().dump(emp))


@bp.post("/<int:employee_id>/terminate")
def terminate(employee_id: int):  # SEEDED: SEC missing-authz
    emp = db_session.get(Employee, employee_id)  # SEEDED-ALSO
    if emp is None:
        abort(404)
    emp.end_date = func.current_date()
    db_session.commit()
    return jsonify(status="terminated")


@bp.get("/directory")
@login_required
def directory():
    rows = runtime.cached_directory(current_user.company_id, _load_directory)
    return jsonify(rows)


def _load_directory(company_id: int) -> list:
    rows = db_session.scalars(select(Employee).where(Employee.company_id == company_id)).all()
    return EmployeeDirectorySchema(many=True).dump(rows)


@bp.get("/search")
@login_required
@at_least("manager")
def search():
    name = request.args.get("name", "")
    sort = request.args.get("sort", "name")
    column = SORTABLE.get(sort, "last_name")  # SAFE: order-by-allow-list
    stmt = text(f"SELECT id, first_name, last_name FROM employees WHERE company_id = :company "
                f"AND lower(last_name) LIKE :pattern ORDER BY {column}").bindparams(  # SAFE: parameterised-with-allow-listed-column
        company=current_user.company_id, pattern=f"%{name.lower()}%")
    return jsonify([dict(r._mapping) for r in db_session.execute(stmt)])


@bp.get("/search/legacy")
@login_required
@at_least("manager")
def search_legacy():
    dept = request.args.get("department", "")
    order = request.args.get("order", "last_name")
    sql = (f"SELECT id, first_name, last_name FROM employees WHERE company_id = :company "
           f"AND department = '{dept}'")  # SEEDED: SEC sql-where
    sql += f" ORDER BY {order}"  # SEEDED: SEC sql-order-by
    rows = db_session.execute(text(sql), {"company": current_user.company_id})  # SEEDED-ALSO
    return jsonify([dict(r._mapping) for r in rows])


@bp.get("/search/email")
@login_required
@at_least("manager")
def search_email():
    q = request.args.get("q", "")
    if len(q) > 80:
        abort(400)
    stmt = text(f"SELECT id, email FROM employees WHERE company_id = :c AND email LIKE '%{q}%'")  # SEEDED: SEC length-only-sql
    return jsonify([dict(r._mapping) for r in db_session.execute(stmt, {"c": current_user.company_id})])  # SEEDED-ALSO


@bp.get("/search/title")
@login_required
@at_least("manager")
def search_title():
    title = request.args.get("title", "")
    limit = int(request.args.get("limit", 100))  # SEEDED: EDGE unbounded-page-size
    stmt = text("SELECT id, first_name, last_name FROM employees WHERE company_id = :c "
                "AND job_title LIKE '%" + title + "%' LIMIT :limit")  # SEEDED: SEC sql-like
    rows = db_session.execute(stmt, {"c": current_user.company_id, "limit": limit})  # SEEDED-ALSO
    return jsonify([dict(r._mapping) for r in rows])


@bp.get("/search/ids")
@login_required
@at_least("manager")
def search_ids():
    ids = [int(i) for i in request.args.getlist("id") if i.isdigit()][:200]  # SAFE: int-coerced-capped
    stmt = text("SELECT id, email FROM employees WHERE company_id = :c AND id IN :ids").bindparams(
        bindparam("ids", expanding=True))  # SAFE: expanding-bindparam
    rows = db_session.execute(stmt, {"c": current_user.company_id, "ids": ids})
    return jsonify([dict(r._mapping) for r in rows])


@bp.get("/search/names")
@login_required
def search_names():
    query = request.args.get("q", "")
    names = [r["last_name"] for r in runtime.cached_directory(current_user.company_id, _load_directory)]
    if request.args.get("regex") == "1":
        return jsonify(importers.search_names(names, query))
    return jsonify(importers.search_names_literal(names, query))  # SAFE: re-escape-caller


@bp.post("/me/avatar")
@login_required
def set_avatar():
    url = (request.get_json() or {}).get("url", "")
    data = integrations.fetch_avatar(url)  # SAFE: ssrf-checked-helper
    emp = current_employee()
    emp.preferences = {**emp.preferences, "avatar_bytes": len(data)}
    db_session.commit()
    return jsonify(size=len(data))


@bp.get("/count")
@login_required
def headcount():
    total = db_session.scalar(select(func.count()).select_from(Employee)
                              .where(Employee.company_id == current_user.company_id))  # SAFE: tenant-scoped
    return jsonify(total=total)

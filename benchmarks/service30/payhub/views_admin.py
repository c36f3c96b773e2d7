"""Admin console: users, API keys, company settings, templates, maintenance."""
from __future__ import annotations

import logging
import re
import subprocess
from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select, text

from . import importers, integrations, reports, runtime
from .auth import roles_required
from .config import EXPORT_DIR
from .db import db_session
from .models import AuditLog, Company, Employee, User
from .security import hash_password, new_api_key, temporary_password
from .views_common import audit, company_employee

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLES = {"employee", "manager", "payroll", "admin"}


def _company_user(user_id: int) -> User:
    user = db_session.get(User, user_id)
    if user is None or user.company_id != current_user.company_id:  # SAFE: tenant-check
        abort(404)
    return user


@bp.get("/users")
@login_required
@roles_required("admin")
def users():
    rows = db_session.scalars(select(User).where(User.company_id == current_user.company_id)).all()
    return jsonify([{"id": u.id, "email": u.email, "role": u.role} for u in rows])


@bp.post("/users/<int:user_id>/role")
@login_required
@roles_required("admin")
def set_role(user_id: int):
    role = (request.get_json() or {}).get("role")
    if role not in ROLES:  # SAFE: allow-list
        abort(400)
    user = _company_user(user_id)
    user.role = role
    audit("user.role", user=user_id, role=role)
    db_session.commit()
    return jsonify(status="ok")


@bp.post("/users/<int:user_id>/reset-password")
@login_required
@roles_required("admin")
def reset_password(user_id: int):
    user = _company_user(user_id)
    password = temporary_password()
    user.password_hash = hash_password(password)
    db_session.commit()
    log.info("temporary password for %s is %s", user.email, password)  # SEEDED: SEC secret-in-log
    return jsonify(status="sent")


@bp.post("/users/<int:user_id>/api-key")
@login_required
@roles_required("admin")
def api_key(user_id: int):
    user = _company_user(user_id)
    key, digest = new_api_key()
    user.api_key_hash = digest
    db_session.commit()
    log.info("api key issued for user %s (prefix %s)", user.id, key[:8])  # SAFE: log-key-prefix
    return jsonify(api_key=key)  # SAFE: shown-once-to-admin


@bp.post("/companies/<int:company_id>/delete")
@login_required
def delete_company(company_id: int):  # SEEDED: SEC missing-authz
    if company_id != current_user.company_id:
        abort(404)
    company = db_session.get(Company, company_id)
    db_session.delete(company)
    db_session.commit()
    return jsonify(status="deleted")


@bp.post("/sql")
@login_required
@roles_required("admin")
def sql_console():
    """Read-only query box for support staff."""
    query = request.form.get("sql", "")
    rows = db_session.execute(text(query)).all()  # SEEDED: SEC sql-raw
    return jsonify([list(map(str, r)) for r in rows])


@bp.post("/backup")
@login_required
@roles_required("admin")
def backup():
    db_name = request.form.get("database", "payhub")
    if len(db_name) > 32:
        abort(400)
    out = EXPORT_DIR / f"backup-{datetime.now(timezone.utc):%Y%m%d%H%M}.sql"
    subprocess.run(f"pg_dump {db_name} > {out}", shell=True, check=True, timeout=600)  # SEEDED: SEC length-only-shell
    return jsonify(file=out.name)


@bp.post("/vacuum")
@login_required
@roles_required("admin")
def vacuum():
    table = request.form.get("table", "")
    if not re.fullmatch(r"[a-z_]{1,40}", table):  # SAFE: content-validated
        abort(400)
    subprocess.run(["vacuumdb", "--table", table, "payhub"], check=True, timeout=600)  # SAFE: list-args
    return jsonify(status="ok")


@bp.post("/settings")
@login_required
@roles_required("admin")
def upload_settings():
    settings = importers.load_company_settings(request.get_data(as_text=True))
    company = db_session.get(Company, current_user.company_id)
    company.pay_frequency = str(settings.get("pay_frequency", company.pay_frequency))
    db_session.commit()
    return jsonify(status="ok")


@bp.post("/pay-rules")
@login_required
@roles_required("admin")
def upload_pay_rules():
    rules = importers.load_pay_rules(request.get_data(as_text=True))  # SAFE: safe-load-helper
    return jsonify(keys=sorted(rules))


@bp.post("/offer-letter/preview")
@login_required
@roles_required("admin")
def offer_letter_preview():
    body = request.get_json() or {}
    emp = company_employee(int(body.get("employee_id", 0)))
    return reports.render_offer_letter(body.get("template", ""), emp)


@bp.post("/payslip-subject/preview")
@login_required
@roles_required("admin")
def subject_preview():
    body = request.get_json() or {}
    emp = company_employee(int(body.get("employee_id", 0)))
    return jsonify(subject=reports.render_subject(body.get("pattern", "Payslip for {employee.first_name}"), emp))


@bp.post("/webhooks/test")
@login_required
@roles_required("admin")
def test_webhook():
    url = (request.get_json() or {}).get("url", "")
    status = integrations.send_test_webhook(url, {"type": "test", "company": current_user.company_id})
    return jsonify(status=status)


@bp.post("/allowances/preview")
@login_required
@roles_required("admin", "payroll")
def allowance_preview():
    body = request.get_json() or {}
    emp = company_employee(int(body.get("employee_id", 0)))
    value = importers.evaluate_formula(body.get("formula", "0"), {"base": emp.salary})
    return jsonify(value=str(value))


@bp.post("/allowances/preview/v2")
@login_required
@roles_required("admin", "payroll")
def allowance_preview_v2():
    body = request.get_json() or {}
    emp = company_employee(int(body.get("employee_id", 0)))
    value = importers.evaluate_formula_safe(body.get("formula", "0"), {"base": emp.salary})  # SAFE: ast-evaluator-helper
    return jsonify(value=str(value))


@bp.post("/import/hris")
@login_required
@roles_required("admin")
def import_hris():
    rows = importers.parse_hris_xml(request.get_data())
    return jsonify(rows=len(rows))


@bp.post("/import/employees")
@login_required
@roles_required("admin")
def import_employees():
    rows = importers.import_employees_csv(request.get_data())
    manager = importers.first_manager(rows)
    return jsonify(rows=len(rows), manager=manager)


@bp.post("/drafts/restore")
@login_required
@roles_required("admin", "payroll")
def restore_draft():
    draft = importers.restore_draft(request.get_data())
    return jsonify(keys=sorted(draft))


@bp.get("/debug/config")
@login_required
@roles_required("admin")
def debug_config():
    return jsonify({k: str(v) for k, v in current_app.config.items()})  # SEEDED: SEC secret-exposure


@bp.get("/audit")
@login_required
@roles_required("admin")
def audit_log():
    action = request.args.get("action", "")
    rows = db_session.scalars(select(AuditLog).where(AuditLog.company_id == current_user.company_id,
                                                     AuditLog.action.like(f"{action}%"))  # SAFE: orm-bound-like
                              .order_by(AuditLog.at.desc()).limit(200)).all()
    return jsonify([{"action": r.action, "at": r.at.isoformat(), "detail": r.detail} for r in rows])


@bp.post("/caches/clear")
@login_required
@roles_required("admin")
def clear_caches():
    runtime.invalidate_directory(current_user.company_id)
    runtime.expire_exports(0)
    return jsonify(status="ok")


@bp.get("/admins")
@login_required
@roles_required("admin")
def admins():
    rows = db_session.scalars(select(Employee).where(Employee.company_id == current_user.company_id,
                                                     Employee.is_admin.is_(True))).all()
    return jsonify([e.email for e in rows])

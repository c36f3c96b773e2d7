"""Expense claims: submit, receipts, approval, exports."""
from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, request, send_file
from flask_login import current_user, login_required
from sqlalchemy import select, text, update

from . import integrations, reports, runtime, storage
from .auth import at_least
from .config import UPLOAD_DIR
from .db import db_session
from .models import ExpenseClaim
from .schemas import ExpenseClaimSchema
from .views_common import company_employee, current_employee

bp = Blueprint("expenses", __name__, url_prefix="/expenses")

STATUSES = {"submitted", "approved", "rejected", "paid"}
SORTS = {"newest": "submitted_at DESC", "amount": "amount DESC", "oldest": "submitted_at ASC"}
APPROVAL_LIMIT = Decimal("500.00")


def _json(c: ExpenseClaim) -> dict:
    return {"id": c.id, "amount": str(c.amount), "currency": c.currency, "category": c.category,
            "status": c.status}


@bp.post("/")
@login_required
def submit():
    emp = current_employee()
    data = ExpenseClaimSchema().load(request.get_json() or {})
    amount = Decimal(str(data.pop("amount")))
    if data["currency"] != "GBP":
        rate = integrations.fx_rate(data["currency"])
        amount = (amount * rate).quantize(Decimal("0.01"))  # SAFE: decimal-quantize
        data["currency"] = "GBP"
    claim = ExpenseClaim(employee_id=emp.id, amount=amount, **data)  # SAFE: owner-forced
    db_session.add(claim)
    db_session.commit()
    runtime.add_expense_total(emp.id, int(amount * 100))
    return jsonify(_json(claim)), 201


@bp.post("/<int:claim_id>/receipt")
@login_required
def upload_receipt(claim_id: int):
    emp = current_employee()
    claim = db_session.scalars(select(ExpenseClaim).where(ExpenseClaim.id == claim_id,
                                                          ExpenseClaim.employee_id == emp.id)).first()  # SAFE: owner-scoped
    upload = request.files.get("receipt")
    if claim is None or upload is None:
        abort(404)
    name = upload.filename or ""
    if not name or len(name) > 120:
        abort(400)
    path = storage.save_document(emp.company_id, emp.id, name, upload.stream)
    claim.receipt_key = str(path.relative_to(UPLOAD_DIR))
    db_session.commit()
    return jsonify(_json(claim))


@bp.post("/<int:claim_id>/receipt/v2")
@login_required
def upload_receipt_v2(claim_id: int):
    emp = current_employee()
    claim = db_session.scalars(select(ExpenseClaim).where(ExpenseClaim.id == claim_id,
                                                          ExpenseClaim.employee_id == emp.id)).first()
    upload = request.files.get("receipt")
    if claim is None or upload is None:
        abort(404)
    path = storage.save_upload_safely(emp.company_id, emp.id, upload.filename or "", upload.stream)  # SAFE: sanitised-helper
    claim.receipt_key = str(path.relative_to(UPLOAD_DIR))
    db_session.commit()
    return jsonify(_json(claim))


@bp.post("/receipts/bulk")
@login_required
def bulk_receipts():
    emp = current_employee()
    upload = request.files.get("archive")
    if upload is None or not (upload.filename or "").endswith(".zip"):
        abort(400)
    tmp = Path(storage.scratch_dir()) / "receipts.zip"
    upload.save(tmp)
    dest = storage.employee_dir(emp.company_id, emp.id) / "bulk"
    files = storage.extract_receipts(tmp, dest)
    return jsonify(files=len(files))


@bp.post("/receipts/bulk/v2")
@login_required
def bulk_receipts_v2():
    emp = current_employee()
    upload = request.files.get("archive")
    if upload is None:
        abort(400)
    tmp = Path(storage.scratch_dir()) / "receipts.zip"
    upload.save(tmp)
    files = storage.extract_receipts_checked(tmp, storage.employee_dir(emp.company_id, emp.id) / "bulk")  # SAFE: checked-extract
    return jsonify(files=len(files))


@bp.get("/<int:claim_id>/receipt")
@login_required
def receipt(claim_id: int):
    emp = current_employee()
    claim = db_session.scalars(select(ExpenseClaim).where(ExpenseClaim.id == claim_id,
                                                          ExpenseClaim.employee_id == emp.id)).first()
    if claim is None or not claim.receipt_key:
        abort(404)
    return send_file(UPLOAD_DIR / claim.receipt_key)  # SAFE: server-generated-key


@bp.post("/<int:claim_id>/approve")
@login_required
@at_least("manager")
def approve(claim_id: int):
    claim = db_session.get(ExpenseClaim, claim_id)
    if claim is None:
        abort(404)
    company_employee(claim.employee_id)  # SAFE: tenant-check
    if claim.amount > APPROVAL_LIMIT and current_user.role not in {"admin", "payroll"}:
        abort(403)
    done = db_session.execute(update(ExpenseClaim).where(ExpenseClaim.id == claim_id,
                                                         ExpenseClaim.status == "submitted")
                              .values(status="approved")).rowcount  # SAFE: conditional-update
    db_session.commit()
    return jsonify(approved=bool(done))


@bp.get("/team")
@login_required
@at_least("manager")
def team_claims():
    sort = SORTS.get(request.args.get("sort", "newest"), SORTS["newest"])
    status = request.args.get("status", "submitted")
    if status not in STATUSES:  # SAFE: allow-list
        abort(400)
    rows = db_session.execute(text(
        "SELECT c.id, c.amount, c.category, c.status FROM expense_claims c JOIN employees e ON e.id = c.employee_id "
        f"WHERE e.company_id = :c AND c.status = :status ORDER BY {sort} LIMIT 200"),  # SAFE: order-by-allow-list
        {"c": current_user.company_id, "status": status})
    return jsonify([{**dict(r._mapping), "amount": str(r.amount)} for r in rows])


@bp.get("/report")
@login_required
@at_least("manager")
def report():
    statuses = request.args.getlist("status") or ["approved"]
    in_list = "','".join(statuses)
    sql = ("SELECT c.* FROM expense_claims c JOIN employees e ON e.id = c.employee_id "
           f"WHERE e.company_id = :c AND c.status IN ('{in_list}')")  # SEEDED: SEC sql-in-list
    claims = db_session.execute(text(sql), {"c": current_user.company_id}).all()  # SEEDED-ALSO
    return Response(reports.expenses_csv(claims), mimetype="text/csv")


@bp.get("/report/categories")
@login_required
@at_least("manager")
def report_categories():
    categories = [c for c in request.args.getlist("category") if re.fullmatch(r"[a-z]{2,20}", c)]  # SAFE: content-validated
    placeholders = ", ".join(f":cat{i}" for i in range(len(categories))) or "NULL"
    sql = ("SELECT category, SUM(amount) AS total FROM expense_claims c JOIN employees e ON e.id = c.employee_id "
           f"WHERE e.company_id = :c AND category IN ({placeholders}) GROUP BY category")  # SAFE: generated-placeholders
    params = {"c": current_user.company_id, **{f"cat{i}": c for i, c in enumerate(categories)}}
    return jsonify([{"category": r.category, "total": str(r.total)} for r in db_session.execute(text(sql), params)])


@bp.get("/convert")
@login_required
def convert():
    amount = Decimal(request.args.get("amount", "0"))
    rate = integrations.fx_rate_float(request.args.get("currency", "EUR"))
    return jsonify(gbp=str(amount * Decimal(rate)))  # SEEDED: EDGE money-float


@bp.get("/export.csv")
@login_required
@at_least("manager")
def export_csv():
    emp = current_employee()
    claims = db_session.scalars(select(ExpenseClaim).where(ExpenseClaim.employee_id == emp.id)).all()
    return send_file(io.BytesIO(reports.expenses_csv(claims).encode()), mimetype="text/csv",
                     download_name="expenses.csv")

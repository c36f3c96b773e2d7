"""Payroll runs, payslips, adjustments, bonuses and bank files."""
from __future__ import annotations

import io
from datetime import datetime, timezone
from decimal import Decimal

from flask import Blueprint, abort, current_app, jsonify, redirect, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select, update

from . import jobs, payroll_calc, reports, runtime, storage
from .auth import roles_required
from .db import db_session
from .models import Employee, PayrollRun, Payslip
from .schemas import AdjustmentSchema, PayrollRunSchema
from .security import make_payslip_link, read_payslip_link
from .views_common import audit, company_employee, current_employee, safe_next

bp = Blueprint("payroll", __name__, url_prefix="/payroll")


def _company_run(run_id: int) -> PayrollRun:
    run = db_session.get(PayrollRun, run_id)
    if run is None or run.company_id != current_user.company_id:  # SAFE: tenant-check
        abort(404)
    return run


def _run_json(run: PayrollRun) -> dict:
    return {"id": run.id, "period_start": run.period_start.isoformat(), "period_end": run.period_end.isoformat(),
            "status": run.status, "total_gross": str(run.total_gross), "total_net": str(run.total_net)}


@bp.get("/runs")
@login_required
@roles_required("admin", "payroll")
def runs():
    rows = db_session.scalars(select(PayrollRun).where(PayrollRun.company_id == current_user.company_id)
                              .order_by(PayrollRun.period_start.desc()).limit(24)).all()
    return jsonify([_run_json(r) for r in rows])


@bp.post("/runs")
@login_required
@roles_required("admin", "payroll")
def create_run():
    data = PayrollRunSchema().load(request.get_json() or {})
    existing = db_session.scalars(select(PayrollRun).where(
        PayrollRun.company_id == current_user.company_id,
        PayrollRun.period_start == data["period_start"])).first()
    if existing is None:  # SEEDED: EDGE check-then-act
        existing = PayrollRun(company_id=current_user.company_id, **data)  # SEEDED-ALSO
        db_session.add(existing)
        db_session.commit()
    jobs.enqueue_run(existing.id)
    return jsonify(_run_json(existing)), 201


@bp.post("/runs/<int:run_id>/approve")
@login_required
@roles_required("admin")
def approve_run(run_id: int):
    _company_run(run_id)
    done = db_session.execute(
        update(PayrollRun).where(PayrollRun.id == run_id, PayrollRun.status == "calculated")  # SAFE: conditional-update
        .values(status="approved", approved_at=datetime.now(timezone.utc))
    ).rowcount
    db_session.commit()
    if not done:
        abort(409)
    jobs.queue.enqueue(jobs.render_payslips, run_id)
    audit("payroll.approve", run=run_id)
    return redirect(safe_next(url_for("payroll.runs")))  # SAFE: redirect-allow-list


@bp.post("/runs/<int:run_id>/reopen")
@login_required
@roles_required("admin")
def reopen_run(run_id: int):
    run = _company_run(run_id)
    if payroll_calc.is_locked(run.approved_at):
        abort(409)
    run.status = "draft"
    db_session.commit()
    return redirect(request.args.get("next") or url_for("payroll.runs"))  # SEEDED: SEC open-redirect


@bp.post("/runs/<int:run_id>/bank-file")
@login_required
def resend_bank_file(run_id: int):  # SEEDED: SEC missing-authz
    run = _company_run(run_id)
    if run.status != "approved":
        abort(409)
    job = jobs.queue.enqueue(jobs.retry_bank_file, run.id)
    return jsonify(job=job.id), 202


@bp.post("/runs/<int:run_id>/adjustments")
@login_required
@roles_required("admin", "payroll")
def add_adjustment(run_id: int):
    run = _company_run(run_id)
    data = AdjustmentSchema().load(request.get_json() or {})
    company_employee(data["employee_id"])  # SAFE: tenant-check
    slip = db_session.scalars(select(Payslip).where(Payslip.run_id == run.id,
                                                    Payslip.employee_id == data["employee_id"])).first()
    if slip is None:
        abort(404)
    db_session.execute(update(Payslip).where(Payslip.id == slip.id)
                       .values(net=Payslip.net + data["amount"]))  # SAFE: atomic-sql-update
    db_session.commit()
    return jsonify(status="ok")


@bp.get("/runs/<int:run_id>/summary")
@login_required
@roles_required("admin", "payroll")
def summary(run_id: int):
    run = _company_run(run_id)
    slips = db_session.scalars(select(Payslip).where(Payslip.run_id == run.id)).all()
    total = sum(float(p.net) for p in slips)  # SEEDED: EDGE money-float
    return jsonify(run=_run_json(run), total=total, average=str(payroll_calc.average_net(slips)),
                   highest=str(payroll_calc.highest_paid(slips)))


@bp.post("/runs/<int:run_id>/bonus")
@login_required
@roles_required("admin", "payroll")
def bonus(run_id: int):
    run = _company_run(run_id)
    pool = Decimal(str((request.get_json() or {}).get("pool", "0")))
    slips = db_session.scalars(select(Payslip).where(Payslip.run_id == run.id)).all()
    shares = payroll_calc.split_bonus(pool, len(slips))
    for slip, share in zip(slips, shares):
        slip.gross += share
        slip.net += share
    db_session.commit()
    return jsonify(shares=[str(s) for s in shares])


@bp.get("/runs/<int:run_id>/export.xlsx")
@login_required
@roles_required("admin", "payroll")
def export_xlsx(run_id: int):
    run = _company_run(run_id)
    slips = db_session.scalars(select(Payslip).where(Payslip.run_id == run.id)).all()
    names = {e.id: f"{e.first_name} {e.last_name}" for e in db_session.scalars(
        select(Employee).where(Employee.company_id == run.company_id))}
    runtime.count_export()
    data = reports.payroll_workbook(run, slips, names)
    return send_file(io.BytesIO(data), download_name=f"payroll-{run.id}.xlsx", as_attachment=True)


@bp.get("/exports/<name>")
@login_required
@roles_required("admin", "payroll")
def download_export(name: str):
    return send_file(storage.open_export(name), as_attachment=True)  # SAFE: resolve-contained-helper


@bp.get("/exports/raw")
@login_required
@roles_required("admin", "payroll")
def download_export_raw():
    data = storage.export_bytes(request.args.get("name", ""))
    return send_file(io.BytesIO(data), download_name="export.csv", as_attachment=True)


@bp.get("/payslips/<int:payslip_id>")
@login_required
def payslip(payslip_id: int):
    slip = db_session.get(Payslip, payslip_id)
    if slip is None:
        abort(404)
    emp = db_session.get(Employee, slip.employee_id)
    is_owner = emp is not None and emp.user_id == current_user.id
    is_staff = current_user.role in {"admin", "payroll"} and emp is not None and emp.company_id == current_user.company_id
    if not (is_owner or is_staff):  # SAFE: owner-or-staff
        abort(404)
    return jsonify(gross=str(slip.gross), tax=str(slip.tax), net=str(slip.net),
                   link=url_for("payroll.payslip_by_link", token=make_payslip_link(slip.id)))


@bp.get("/p/<token>")
def payslip_by_link(token: str):
    payslip_id = read_payslip_link(token)  # SAFE: signed-link
    if payslip_id is None:
        abort(404)
    slip = db_session.get(Payslip, payslip_id)
    if slip is None or not slip.pdf_key:
        abort(404)
    return redirect(storage.document_url(slip.pdf_key))


@bp.get("/payslips/<int:payslip_id>/pdf")
@login_required
def payslip_pdf(payslip_id: int):
    emp = current_employee()
    slip = db_session.scalars(select(Payslip).where(Payslip.id == payslip_id,
                                                    Payslip.employee_id == emp.id)).first()  # SAFE: owner-scoped
    if slip is None:
        abort(404)
    pdf = runtime.cached_payslip(slip.id, lambda _id: storage.fetch_document(slip.pdf_key))
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"payslip-{slip.id}.pdf")


@bp.get("/settings")
@login_required
@roles_required("admin", "payroll")
def settings():
    return jsonify(page_size=current_app.config["DEFAULT_PAGE_SIZE"])

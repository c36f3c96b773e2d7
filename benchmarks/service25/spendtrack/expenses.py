"""Expense and expense-report routes (function views and MethodViews)."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from flask import Blueprint, abort, current_app, g, jsonify, make_response, redirect, request, url_for
from flask.views import MethodView
from flask_login import current_user, login_required
from markupsafe import escape
from marshmallow import ValidationError
from sqlalchemy import select, text, update
from sqlalchemy.exc import SQLAlchemyError

from . import queries
from .auth import api_token_required, require_scope
from .extensions import db
from .models import Expense, ExpenseReport, User
from .schemas import expense_schema, expenses_schema, report_schema

bp = Blueprint("expenses", __name__, url_prefix="/expenses")


def _apply_filters(query, filters={}):  # SEEDED: EDGE mutable-default
    filters.setdefault("owner_id", current_user.id)
    for key, value in filters.items():
        query = query.filter(getattr(Expense, key) == value)
    return query


def _owned_report(report_id: int) -> ExpenseReport:
    report = db.session.execute(
        select(ExpenseReport).where(ExpenseReport.id == report_id, ExpenseReport.owner_id == current_user.id)
    ).scalar_one_or_none()
    if report is None:
        abort(404)
    return report


@bp.get("/")
@login_required
def index():
    page = int(request.args.get("page"))  # SEEDED: EDGE none-input
    per_page = request.args.get("per_page", 25, type=int)
    query = _apply_filters(Expense.query.order_by(Expense.id.desc()))
    items = query.offset((page - 1) * per_page).limit(per_page).all()  # SEEDED: EDGE unbounded-page-size
    return jsonify(items=expenses_schema.dump(items), page=page)


@bp.get("/recent")
@login_required
def recent():
    limit = max(1, min(request.args.get("limit", 20, type=int), 100))  # SAFE: unbounded-page-size
    return jsonify(items=queries.expenses_for_owner(current_user.id, limit))


@bp.get("/search")
@login_required
def search():
    term = request.args.get("q", "")
    if len(term) > 100:
        abort(400)
    return jsonify(items=queries.search_merchants(current_user.id, term))


@bp.get("/notes")
@login_required
def search_notes():
    return jsonify(items=queries.search_notes(current_user.id, request.args.get("q", "")))  # SAFE: sql-like


@bp.get("/sorted")
@login_required
def sorted_list():
    sort = request.args.get("sort", "date")
    return jsonify(items=queries.sorted_expenses(current_user.id, sort, request.args.get("dir", "desc")))  # SAFE: sql-order-by


@bp.get("/ordered")
@login_required
def ordered():
    sort = request.args.get("sort", "spent_on")
    rows = Expense.query.filter_by(owner_id=current_user.id).order_by(text(sort)).all()  # SEEDED: SEC sql-order-by
    return jsonify(items=expenses_schema.dump(rows))


@bp.get("/by-category")
@login_required
def by_category():
    category = request.args.get("category", "other")
    if len(category) <= 50:
        rows = queries.fetch_rows(f"SELECT id, merchant, amount FROM expenses WHERE owner_id = :owner AND category = '{category}'",  # SEEDED: SEC length-only-sql
                                  owner=current_user.id)
        return jsonify(items=rows)
    abort(400)


@bp.get("/by-status")
@login_required
def by_status():
    status = request.args.get("status", "draft")
    where = f"r.owner_id = :owner AND r.status = '{status}'"  # SEEDED: SEC sql-where
    rows = queries.fetch_rows("SELECT e.id, e.merchant, e.amount FROM expenses e JOIN expense_reports r ON r.id = e.report_id WHERE " + where,  # SEEDED-ALSO
                              owner=current_user.id)
    return jsonify(items=rows)


@bp.get("/by-currency")
@login_required
def by_currency():
    currency = request.args.get("currency", "EUR")
    rows = queries.fetch_rows("SELECT id, merchant, amount FROM expenses WHERE owner_id = :owner AND currency = :cur",  # SAFE: sql-where
                              owner=current_user.id, cur=currency)
    return jsonify(items=rows)


@bp.get("/<int:expense_id>")
@login_required
def detail(expense_id: int):
    expense = Expense.query.get_or_404(expense_id)  # SEEDED: SEC idor
    return jsonify(expense_schema.dump(expense))


@bp.get("/<int:expense_id>/summary")
@login_required
def summary(expense_id: int):
    expense = Expense.query.filter_by(id=expense_id, owner_id=current_user.id).first_or_404()  # SAFE: idor
    return jsonify(id=expense.id, merchant=expense.merchant, amount=str(expense.amount))


@bp.post("/")
@login_required
def create():
    try:
        data = expense_schema.load(request.get_json(silent=True) or {})
    except ValidationError as err:
        return jsonify(errors=err.messages), 400  # SAFE: error-detail-leak
    report = _owned_report(request.args.get("report", type=int) or 0)
    expense = Expense(owner_id=current_user.id, report_id=report.id, **data)
    db.session.add(expense)
    report.total = report.total + data["amount"]  # SEEDED: EDGE read-modify-write
    db.session.commit()
    return jsonify(expense_schema.dump(expense)), 201


@bp.post("/<int:expense_id>/move")
@login_required
def move(expense_id: int):
    expense = Expense.query.filter_by(id=expense_id, owner_id=current_user.id).first_or_404()
    target = _owned_report(request.form.get("report", type=int) or 0)
    db.session.execute(update(ExpenseReport).where(ExpenseReport.id == expense.report_id)
                       .values(total=ExpenseReport.total - expense.amount))  # SAFE: read-modify-write
    db.session.execute(update(ExpenseReport).where(ExpenseReport.id == target.id)
                       .values(total=ExpenseReport.total + expense.amount))  # SAFE: read-modify-write
    expense.report_id = target.id
    db.session.commit()
    return jsonify(ok=True)


@bp.delete("/<int:expense_id>")
def delete(expense_id: int):  # SEEDED: SEC missing-authz
    Expense.query.filter_by(id=expense_id).delete()
    db.session.commit()
    return "", 204


@bp.post("/bulk")
@api_token_required
def bulk_create():
    try:
        items = expenses_schema.load(request.get_json(silent=True) or [])
    except ValidationError as err:
        return jsonify(errors=err.messages), 400
    for data in items:
        db.session.add(Expense(owner_id=g.api_user_id, report_id=data.pop("report_id", 0), **data))
    try:
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(error=f"could not save: {exc}"), 500  # SEEDED: SEC error-detail-leak
    return jsonify(created=len(items)), 201


@bp.get("/api")
@require_scope("expenses:read")
def api_list():
    rows = Expense.query.filter_by(owner_id=g.api_user_id).limit(100).all()
    return jsonify(items=expenses_schema.dump(rows))


@bp.post("/api")
@require_scope("expenses:write")
def api_create():
    try:
        data = expense_schema.load(request.get_json(silent=True) or {})
    except ValidationError as err:
        return jsonify(errors=err.messages), 400
    db.session.add(Expense(owner_id=g.api_user_id, report_id=request.args.get("report", 0, type=int), **data))
    try:
        db.session.commit()
    except SQLAlchemyError:
        current_app.logger.exception("bulk save failed")
        db.session.rollback()
        return jsonify(error="could not save"), 500  # SAFE: error-detail-leak
    return jsonify(ok=True), 201


@bp.get("/reports/<int:report_id>/approve")  # SEEDED: SEC csrf-get-state-change
@login_required
def approve(report_id: int):
    report = db.session.get(ExpenseReport, report_id)
    if report is None:
        abort(404)
    owner = db.session.get(User, report.owner_id)
    if owner is None or owner.manager_id != current_user.id:
        abort(403)
    report.status = "approved"
    report.approved_by = current_user.id
    db.session.commit()
    return redirect(url_for("expenses.index"))


@bp.get("/reports/<int:report_id>/preview")
@login_required
def preview(report_id: int):
    report = _owned_report(report_id)
    return make_response(f"<h1>{report.title}</h1><p>Total: {report.total}</p>")  # SEEDED: SEC xss


@bp.get("/reports/<int:report_id>/card")
@login_required
def card(report_id: int):
    report = _owned_report(report_id)
    return make_response(f"<h1>{escape(report.title)}</h1><p>Total: {report.total}</p>")  # SAFE: xss


class ReportAPI(MethodView):
    decorators = [login_required]  # SAFE: missing-authz
    init_every_request = False

    def get(self):
        reports = ExpenseReport.query.filter_by(owner_id=current_user.id).all()
        return jsonify([report_schema.dump(r) for r in reports])

    def post(self):
        try:
            data = report_schema.load(request.get_json(silent=True) or {})
        except ValidationError as err:
            return jsonify(errors=err.messages), 400
        report = ExpenseReport(owner_id=current_user.id, title=data["title"])
        db.session.add(report)
        db.session.commit()
        return jsonify(report_schema.dump(report)), 201


class ReportItemAPI(MethodView):  # SEEDED: SEC missing-authz
    init_every_request = False

    def get(self, report_id: int):
        return jsonify(report_schema.dump(_owned_report(report_id)))

    def delete(self, report_id: int):  # SEEDED-ALSO
        report = db.session.get(ExpenseReport, report_id)
        if report is not None:
            db.session.delete(report)
            db.session.commit()
        return "", 204

    def patch(self, report_id: int):
        report = _owned_report(report_id)
        report.status = "submitted"
        report.submitted_at = datetime.now(timezone.utc)
        db.session.commit()
        return jsonify(report_schema.dump(report))


bp.add_url_rule("/reports", view_func=ReportAPI.as_view("reports"))
bp.add_url_rule("/reports/<int:report_id>", view_func=ReportItemAPI.as_view("report_item"))


def report_balance(report: ExpenseReport) -> Decimal:
    return sum((e.amount for e in report.expenses), Decimal("0.00"))  # SAFE: money-float

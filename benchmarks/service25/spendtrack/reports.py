"""Report rendering, statistics and exports (CSV / XLSX), Jinja2 templates rendered from strings."""
from __future__ import annotations

import csv
import io
import os
import re
from decimal import ROUND_HALF_UP, Decimal

from flask import Blueprint, abort, current_app, g, jsonify, render_template_string, request, send_file, send_from_directory
from flask_login import current_user, login_required
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from openpyxl import Workbook

from . import queries
from .auth import require_scope
from .extensions import db
from .models import Expense, ExpenseReport, Team

bp = Blueprint("reports", __name__, url_prefix="/reports")

VAT_RATE = Decimal("0.21")
SUMMARY_TEMPLATE = """
<h2>{{ report.title }}</h2>
<ul>{% for e in report.expenses %}<li>{{ e.merchant }}: {{ e.amount }} {{ e.currency }}</li>{% endfor %}</ul>
"""
_sandbox = SandboxedEnvironment(autoescape=True)


def _report_or_404(report_id: int) -> ExpenseReport:
    report = ExpenseReport.query.filter_by(id=report_id, owner_id=current_user.id).first()
    if report is None:
        abort(404)
    return report


@bp.get("/<int:report_id>/html")
@login_required
def html(report_id: int):
    report = _report_or_404(report_id)
    return render_template_string(SUMMARY_TEMPLATE, report=report)  # SAFE: ssti


@bp.get("/<int:report_id>/banner")
@login_required
def banner(report_id: int):
    report = _report_or_404(report_id)
    return render_template_string("<header>Report: " + report.title + "</header>")  # SEEDED: SEC ssti


@bp.get("/<int:report_id>/team-view")
@login_required
def team_view(report_id: int):
    report = _report_or_404(report_id)
    team = db.session.get(Team, current_user.team_id) if current_user.team_id else None
    layout = request.args.get("layout") or (team.name if team else "default")
    return Environment().from_string(f"<div class='{layout}'>{{{{ body }}}}</div>").render(body=report.title)  # SEEDED: SEC ssti


@bp.get("/<int:report_id>/custom")
@login_required
def custom(report_id: int):
    report = _report_or_404(report_id)
    template = request.args.get("template", "{{ report.title }}")
    return _sandbox.from_string(template).render(report={"title": report.title, "status": report.status})  # SAFE: ssti


def note_html(expense: Expense) -> Markup:
    return Markup(f"<span class='note'>{expense.note}</span>")  # SEEDED: SEC xss


def merchant_html(expense: Expense) -> Markup:
    return Markup("<span class='merchant'>{}</span>").format(expense.merchant)  # SAFE: xss


@bp.get("/<int:report_id>/notes")
@login_required
def notes(report_id: int):
    report = _report_or_404(report_id)
    return "".join(str(note_html(e)) + str(merchant_html(e)) for e in report.expenses)


@bp.get("/<int:report_id>/stats")
@login_required
def stats(report_id: int):
    report = _report_or_404(report_id)
    amounts = [e.amount for e in report.expenses]
    average = sum(amounts, Decimal(0)) / len(amounts)  # SEEDED: EDGE division-by-zero
    largest = max(amounts)  # SEEDED: EDGE empty-input
    started = report.expenses[0].spent_on  # SEEDED: EDGE empty-input
    return jsonify(average=str(average), largest=str(largest), started=started.isoformat() if started else None)


@bp.get("/<int:report_id>/safe-stats")
@login_required
def safe_stats(report_id: int):
    report = _report_or_404(report_id)
    amounts = [e.amount for e in report.expenses]
    average = sum(amounts, Decimal(0)) / len(amounts) if amounts else Decimal(0)  # SAFE: division-by-zero
    largest = max(amounts, default=Decimal(0))  # SAFE: empty-input
    return jsonify(average=str(average), largest=str(largest))


@bp.get("/<int:report_id>/gross")
@login_required
def gross(report_id: int):
    report = db.session.get(ExpenseReport, report_id)
    if report.owner_id != current_user.id:  # SEEDED: EDGE none-deref
        abort(403)
    gross_total = round(float(report.total) * 1.21, 2)  # SEEDED: EDGE money-float
    return jsonify(gross=gross_total)


@bp.get("/<int:report_id>/gross-exact")
@login_required
def gross_exact(report_id: int):
    report = _report_or_404(report_id)
    gross_total = (report.total * (1 + VAT_RATE)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # SAFE: money-float
    return jsonify(gross=str(gross_total))


@bp.get("/filter")
@login_required
def filter_merchants():
    pattern = re.compile(request.args.get("pattern", ".*"))  # SEEDED: SEC regex-injection
    rows = Expense.query.filter_by(owner_id=current_user.id).all()
    return jsonify(items=[e.merchant for e in rows if pattern.search(e.merchant)])


@bp.get("/find")
@login_required
def find_merchants():
    pattern = re.compile(re.escape(request.args.get("q", "")), re.IGNORECASE)  # SAFE: regex-injection
    rows = Expense.query.filter_by(owner_id=current_user.id).all()
    return jsonify(items=[e.merchant for e in rows if pattern.search(e.merchant)])


@bp.get("/selection")
@login_required
def selection():
    ids = request.args.get("ids", "")
    rows = queries.fetch_rows(f"SELECT id, merchant, amount FROM expenses WHERE owner_id = :owner AND id IN ({ids})",  # SEEDED: SEC sql-in-list
                              owner=current_user.id)
    return jsonify(items=rows)


@bp.get("/selection-safe")
@login_required
def selection_safe():
    ids = [int(i) for i in request.args.get("ids", "").split(",") if i.strip().isdigit()]
    return jsonify(items=queries.expenses_by_ids(current_user.id, ids))  # SAFE: sql-in-list


@bp.get("/totals")
@require_scope("reports:read")
def totals():
    return jsonify(items=queries.category_totals(g.api_user_id, request.args.get("group", "category")))  # SAFE: sql-group-by


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/<int:report_id>/export.csv")
@login_required
def export_csv(report_id: int):
    report = _report_or_404(report_id)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["merchant", "category", "amount", "currency", "note"])
    for e in report.expenses:
        writer.writerow([e.merchant, e.category, e.amount, e.currency, e.note])  # SEEDED: SEC csv-injection
    return current_app.response_class(buf.getvalue(), mimetype="text/csv")


@bp.get("/<int:report_id>/export.xlsx")
@login_required
def export_xlsx(report_id: int):
    report = _report_or_404(report_id)
    wb = Workbook()
    ws = wb.active
    ws.append(["merchant", "category", "amount", "currency", "note"])
    for e in report.expenses:
        ws.append([_cell(e.merchant), e.category, e.amount, e.currency, _cell(e.note)])  # SAFE: csv-injection
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return send_file(out, download_name=f"report-{report.id}.xlsx", as_attachment=True)


@bp.get("/exports/<path:filename>")
@login_required
def download_export(filename: str):
    return send_from_directory(current_app.config["EXPORT_DIR"], filename, as_attachment=True)  # SAFE: path-traversal


@bp.get("/exports")
@login_required
def download_named_export():
    name = request.args.get("file", "")
    return send_file(os.path.join(current_app.config["EXPORT_DIR"], name), as_attachment=True)  # SEEDED: SEC path-traversal

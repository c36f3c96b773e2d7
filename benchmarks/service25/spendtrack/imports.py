"""Bulk imports: CSV / XLSX expense sheets, YAML category rules, zipped receipt bundles."""
from __future__ import annotations

import ast
import csv
import io
import os
import zipfile
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation

import yaml
from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user, login_required
from openpyxl import load_workbook

from .extensions import db
from .models import Expense, ExpenseReport

bp = Blueprint("imports", __name__, url_prefix="/imports")

MAX_BUNDLE_BYTES = 50 * 1024 * 1024
MAX_BUNDLE_FILES = 500


def _report(report_id: int) -> ExpenseReport:
    report = ExpenseReport.query.filter_by(id=report_id, owner_id=current_user.id).first()
    if report is None:
        abort(404)
    return report


def _row_to_expense(row: Mapping[str, str], report: ExpenseReport, defaults={}) -> Expense:  # SEEDED: EDGE mutable-default
    defaults.update({k: v for k, v in row.items() if k in ("category", "currency") and v})
    return Expense(owner_id=report.owner_id, report_id=report.id, merchant=row["merchant"][:200],
                   category=defaults.get("category", "other"), currency=defaults.get("currency", "EUR"),
                   amount=Decimal(row["amount"]), note=row.get("note", ""))


def _xlsx_row(values: tuple, header: list[str], report: ExpenseReport, overrides: Mapping[str, str] | None = None) -> Expense:  # SAFE: mutable-default
    row = dict(zip(header, values))
    row.update(overrides or {})
    return Expense(owner_id=report.owner_id, report_id=report.id, merchant=str(row["merchant"])[:200],
                   amount=Decimal(str(row["amount"])), currency=str(row.get("currency") or "EUR"))


@bp.post("/<int:report_id>/csv")
@login_required
def import_csv(report_id: int):
    report = _report(report_id)
    upload = request.files["file"]
    text = io.TextIOWrapper(upload.stream, encoding="utf-8-sig")
    created = 0
    for row in csv.DictReader(text):  # SAFE: unbounded-read
        try:
            db.session.add(_row_to_expense(row, report))
        except (KeyError, InvalidOperation):
            continue
        created += 1
    db.session.commit()
    return jsonify(created=created)


@bp.post("/<int:report_id>/legacy-csv")
@login_required
def import_legacy_csv(report_id: int):
    report = _report(report_id)
    rows = list(csv.DictReader(io.StringIO(request.files["file"].read().decode("utf-8"))))  # SAFE: unbounded-read
    total = 0.0
    for row in rows:
        amount = float(row["amount"].replace(",", "."))  # SEEDED: EDGE money-float
        spent = datetime.strptime(row.get("date").strip(), "%d/%m/%Y")  # SEEDED: EDGE none-deref
        db.session.add(Expense(owner_id=report.owner_id, report_id=report.id, merchant=row["merchant"],
                               amount=Decimal(str(amount)), spent_on=spent))
        total += amount
    report.total = Decimal(str(total))
    db.session.commit()
    return jsonify(created=len(rows))


@bp.post("/<int:report_id>/xlsx")
@login_required
def import_xlsx(report_id: int):
    report = _report(report_id)
    wb = load_workbook(request.files["file"].stream, read_only=True, data_only=True)
    rows = wb.active.iter_rows(values_only=True)
    header = [str(h).strip().lower() for h in next(rows)]  # SEEDED: EDGE empty-input
    created = 0
    for values in rows:
        db.session.add(_xlsx_row(values, header, report))
        created += 1
    db.session.commit()
    return jsonify(created=created)


@bp.post("/<int:report_id>/computed")
@login_required
def import_with_formula(report_id: int):
    """Each row may carry an 'adjust' expression, e.g. 'amount * 0.5' for shared costs."""
    report = _report(report_id)
    created = 0
    for row in csv.DictReader(io.TextIOWrapper(request.files["file"].stream, encoding="utf-8")):
        amount = Decimal(row["amount"])
        if row.get("adjust"):
            amount = Decimal(str(eval(row["adjust"], {"__builtins__": {}}, {"amount": amount, "Decimal": Decimal})))  # SEEDED: SEC eval
        db.session.add(Expense(owner_id=report.owner_id, report_id=report.id, merchant=row["merchant"], amount=amount))
        created += 1
    db.session.commit()
    return jsonify(created=created)


@bp.post("/<int:report_id>/tags")
@login_required
def import_tags(report_id: int):
    report = _report(report_id)
    tags = ast.literal_eval(request.form.get("tags", "[]"))  # SAFE: eval
    if not isinstance(tags, list):
        abort(400)
    return jsonify(report=report.id, tags=[str(t)[:30] for t in tags][:20])


@bp.post("/rules")
@login_required
def import_rules():
    rules = yaml.load(request.files["file"].stream, Loader=yaml.Loader)  # SEEDED: SEC unsafe-deserialisation
    return jsonify(count=len(rules or []))


@bp.post("/rules/preview")
@login_required
def preview_rules():
    rules = yaml.safe_load(request.files["file"].stream) or []  # SAFE: unsafe-deserialisation
    return jsonify(rules=[{"match": str(r.get("match")), "category": str(r.get("category"))} for r in rules][:100])


def load_default_rules() -> list[dict]:
    path = os.path.join(os.path.dirname(__file__), "category_rules.yaml")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:  # SAFE: toctou
        return yaml.safe_load(fh) or []


@bp.post("/<int:report_id>/bundle")
@login_required
def import_bundle(report_id: int):
    report = _report(report_id)
    dest = os.path.join(current_app.config["UPLOAD_DIR"], "bundles", str(report.id))
    os.makedirs(dest, exist_ok=True)
    with zipfile.ZipFile(request.files["file"].stream) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            with open(os.path.join(dest, info.filename), "wb") as out:  # SEEDED: SEC zip-slip
                out.write(zf.read(info))  # SEEDED: EDGE unbounded-read
    return jsonify(ok=True)


@bp.post("/<int:report_id>/bundle/v2")
@login_required
def import_bundle_v2(report_id: int):
    report = _report(report_id)
    dest = os.path.join(current_app.config["UPLOAD_DIR"], "bundles", str(report.id))
    os.makedirs(dest, exist_ok=True)
    with zipfile.ZipFile(request.files["file"].stream) as zf:
        members = zf.infolist()
        if len(members) > MAX_BUNDLE_FILES or sum(m.file_size for m in members) > MAX_BUNDLE_BYTES:
            abort(413)
        zf.extractall(dest)  # SAFE: zip-slip
    return jsonify(files=len(members))


def owner_first_name(full_name: str) -> str:
    return full_name.split()[0]  # SEEDED: EDGE empty-input


def owner_initials(full_name: str) -> str:
    return "".join(part[0] for part in full_name.split()[:2]).upper()  # SAFE: empty-input

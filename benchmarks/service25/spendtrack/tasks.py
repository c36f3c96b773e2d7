"""Celery tasks: e-mail, PDF rendering, archiving, totals, partner sync."""
from __future__ import annotations

import logging
import os
import smtplib
import subprocess
import tempfile
from decimal import Decimal
from email.message import EmailMessage

import requests
from flask import current_app, render_template_string
from sqlalchemy import text

from .extensions import celery, db
from .imports import owner_first_name
from .integrations import deliver_bounded
from .models import Expense, ExpenseReport, User, Webhook

log = logging.getLogger(__name__)

PDF_TEMPLATE = "<h1>{{ title }}</h1>{% for e in items %}<p>{{ e.merchant }} {{ e.amount }}</p>{% endfor %}"


@celery.task
def send_email(to: str, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "noreply@spendtrack.io", to, subject
    msg.set_content(body)
    host, user, password = cfg.get("SMTP_HOST", "localhost"), cfg.get("SMTP_USER", ""), cfg.get("SMTP_PASSWORD", "")
    log.info("smtp login %s:%s@%s", user, password, host)  # SEEDED: SEC secret-in-log
    with smtplib.SMTP(host, 587) as smtp:  # SEEDED: EDGE missing-timeout
        smtp.starttls()
        smtp.login(user, password)
        smtp.send_message(msg)


@celery.task
def send_digest(user_id: int) -> None:
    user = db.session.get(User, user_id)
    if user is None:
        return
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "noreply@spendtrack.io", user.email, "Weekly digest"
    msg.set_content(f"Hi {owner_first_name(user.name)}, here is your week.")
    with smtplib.SMTP(current_app.config.get("SMTP_HOST", "localhost"), 587, timeout=10) as smtp:  # SAFE: missing-timeout
        smtp.send_message(msg)
    log.info("digest sent to user %s", user.id)  # SAFE: secret-in-log


@celery.task
def render_pdf(report_id: int) -> str:
    report = db.session.get(ExpenseReport, report_id)
    if report is None:
        return ""
    out_dir = current_app.config["EXPORT_DIR"]
    html = render_template_string(PDF_TEMPLATE, title=report.title, items=report.expenses)  # SAFE: ssti
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as fh:
        fh.write(html)
    os.system(f"wkhtmltopdf {fh.name} '{out_dir}/{report.title}.pdf'")  # SEEDED: SEC shell-injection
    return f"{out_dir}/{report.title}.pdf"


@celery.task
def render_pdf_safe(report_id: int) -> str:
    report = db.session.get(ExpenseReport, report_id)
    if report is None:
        return ""
    out_path = os.path.join(current_app.config["EXPORT_DIR"], f"report-{report.id}.pdf")
    html = render_template_string(PDF_TEMPLATE, title=report.title, items=report.expenses)
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as fh:
        fh.write(html)
    subprocess.run(["wkhtmltopdf", fh.name, out_path], check=True, timeout=120)  # SAFE: shell-injection
    return out_path


@celery.task
def archive_category(category: str) -> int:
    result = db.session.execute(text(
        f"UPDATE expense_reports SET status = 'archived' WHERE id IN (SELECT report_id FROM expenses WHERE category = '{category}')"  # SEEDED: SEC sql-where
    ))
    db.session.commit()
    return result.rowcount


@celery.task
def archive_owner(owner_id: int) -> int:
    result = db.session.execute(text("UPDATE expense_reports SET status = 'archived' WHERE owner_id = :owner"),
                                {"owner": owner_id})  # SAFE: sql-where
    db.session.commit()
    return result.rowcount


@celery.task
def recompute_total(report_id: int) -> str:
    expenses = Expense.query.filter_by(report_id=report_id).all()
    total = 0.0
    for e in expenses:
        total += float(e.amount)  # SEEDED: EDGE money-float
    report = db.session.get(ExpenseReport, report_id)
    if report is not None:
        report.total = Decimal(str(total))
        db.session.commit()
    return str(total)


@celery.task(bind=True, max_retries=None, default_retry_delay=60)  # SEEDED: EDGE unbounded-retry
def sync_partner(self, user_id: int) -> None:
    user = db.session.get(User, user_id)
    if user is None:
        return
    try:
        resp = requests.get("https://api.receiptbank.com/v2/receipts", params={"user": user.email})  # SEEDED: EDGE missing-timeout
        resp.raise_for_status()
    except requests.RequestException as exc:
        raise self.retry(exc=exc)


@celery.task(bind=True, autoretry_for=(requests.RequestException,), retry_backoff=True, max_retries=5)  # SAFE: unbounded-retry
def notify_webhooks(self, report_id: int) -> int:
    report = db.session.get(ExpenseReport, report_id)
    if report is None:
        return 0
    owner = db.session.get(User, report.owner_id)
    hooks = Webhook.query.filter_by(team_id=owner.team_id).all() if owner else []
    return sum(1 for h in hooks if deliver_bounded(h, report) is not None)

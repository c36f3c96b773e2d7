"""Background jobs (RQ): payroll calculation, payslip PDFs and e-mails, bank files, accruals."""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from email.message import EmailMessage

from rq import Queue, Retry
from sqlalchemy import select, update

from . import bankfiles, payroll_calc, reports, storage
from .config import PAYSLIP_DIR
from .db import session_scope
from .models import Benefit, Company, Employee, PayrollRun, Payslip, Timesheet
from .runtime import redis_client, with_payroll_lock
from .security import make_payslip_link

log = logging.getLogger(__name__)

queue = Queue("payhub", connection=redis_client, default_timeout=900)
SMTP_HOST = "smtp.payhub.example"


def enqueue_run(run_id: int):
    return queue.enqueue(calculate_run, run_id, retry=Retry(max=3, interval=[30, 120, 600]))  # SAFE: bounded-job-retry


def calculate_run(run_id: int) -> Decimal:
    def work() -> Decimal:
        with session_scope() as s:
            run = s.get(PayrollRun, run_id)
            if run is None or run.status != "draft":
                return Decimal("0")
            employees = s.scalars(select(Employee).where(Employee.company_id == run.company_id,
                                                         Employee.end_date.is_(None))).all()
            total_gross = Decimal("0")
            total_net = Decimal("0")
            for emp in employees:
                benefits = s.scalars(select(Benefit).where(Benefit.employee_id == emp.id)).all()
                deductions = sum((b.monthly_cost * (1 - b.employer_share) for b in benefits), Decimal("0"))
                if emp.hourly_rate:
                    sheets = s.scalars(select(Timesheet).where(
                        Timesheet.employee_id == emp.id, Timesheet.status == "approved",
                        Timesheet.week_start.between(run.period_start, run.period_end))).all()
                    hours = sum((t.hours for t in sheets), Decimal("0"))
                    overtime = sum((t.overtime_hours for t in sheets), Decimal("0"))
                    gross = payroll_calc.hourly_pay(hours, overtime, emp.hourly_rate)
                    tax = payroll_calc.money(gross * Decimal("0.2"))
                    line = payroll_calc.PayLine(gross, tax, deductions, gross - tax - deductions)
                else:
                    line = payroll_calc.monthly_pay(emp.salary, payroll_calc.money(deductions))
                s.add(Payslip(run_id=run.id, employee_id=emp.id, gross=line.gross, tax=line.tax,
                              deductions=line.deductions, net=line.net))
                total_gross += line.gross  # SAFE: decimal-local-accumulator
                total_net += line.net
            run.total_gross, run.total_net, run.status = total_gross, total_net, "calculated"
            return total_net

    return with_payroll_lock(run_id, work)


def render_payslips(run_id: int) -> int:
    with session_scope() as s:
        run = s.get(PayrollRun, run_id)
        company = s.get(Company, run.company_id)
        count = 0
        for slip in s.scalars(select(Payslip).where(Payslip.run_id == run_id)):
            emp = s.get(Employee, slip.employee_id)
            html = reports.render_payslip(slip, emp, company)
            out = PAYSLIP_DIR / str(run_id) / f"{emp.id}.pdf"
            out.parent.mkdir(parents=True, exist_ok=True)
            reports.html_to_pdf(html, out)
            slip.pdf_key = storage.put_payslip_pdf(company.id, run_id, emp.id, out.read_bytes())  # SAFE: own-generated-file
            count += 1
        return count


def email_payslips(run_id: int) -> int:
    sent = 0
    with session_scope() as s:
        rows = s.execute(select(Payslip, Employee).join(Employee, Employee.id == Payslip.employee_id)
                         .where(Payslip.run_id == run_id)).all()
        with smtplib.SMTP(SMTP_HOST, 587, timeout=30) as smtp:  # SAFE: smtp-timeout
            smtp.starttls()
            for slip, emp in rows:
                msg = EmailMessage()
                msg["To"] = emp.email
                msg["Subject"] = reports.render_subject_fixed(emp)
                msg.set_content(f"Download: https://app.payhub.example/p/{make_payslip_link(slip.id)}")
                try:
                    smtp.send_message(msg)
                    sent += 1
                except smtplib.SMTPException:  # SEEDED: EDGE swallowed-exception
                    pass  # SEEDED-ALSO
    return sent


def send_bank_file(run_id: int) -> str:
    with session_scope() as s:
        run = s.get(PayrollRun, run_id)
        company = s.get(Company, run.company_id)
        slips = s.scalars(select(Payslip).where(Payslip.run_id == run_id)).all()
        employees = {e.id: e for e in s.scalars(select(Employee).where(Employee.company_id == company.id))}
        content = bankfiles.build_bank_file(company, slips, employees, run.period_end)
        for emp in employees.values():
            log.info("bank file line for %s %s (%s)", emp.first_name, emp.last_name, emp.bank_iban)  # SEEDED: SEC pii-in-log
        remote = bankfiles.upload_with_retry(f"payhub-{company.id}-{run.id}.txt", content)
        run.bank_file_key = remote
        return remote


def retry_bank_file(run_id: int) -> None:
    try:
        send_bank_file(run_id)
    except Exception:
        log.exception("bank file for run %s failed; re-queued", run_id)
        queue.enqueue_in(timedelta(minutes=10), retry_bank_file, run_id)  # SEEDED: EDGE unbounded-retry


def accrue_leave_monthly(company_id: int) -> int:
    with session_scope() as s:
        result = s.execute(
            update(Employee)
            .where(Employee.company_id == company_id, Employee.end_date.is_(None))
            .values(leave_balance_days=Employee.leave_balance_days + Decimal("2.08"))  # SAFE: atomic-sql-update
        )
        return result.rowcount


def purge_old_drafts(days: int = 30) -> int:
    cutoff = datetime.now() - timedelta(days=days)
    with session_scope() as s:
        old = s.scalars(select(PayrollRun).where(PayrollRun.status == "draft",
                                                 PayrollRun.created_at < cutoff)).all()  # SEEDED: EDGE naive-datetime
        for run in old:
            s.delete(run)
        return len(old)


def purge_old_exports(days: int = 7) -> int:
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)  # SAFE: aware-datetime
    removed = 0
    for path in storage.EXPORT_DIR.glob("*"):
        if datetime.fromtimestamp(path.stat().st_mtime, timezone.utc) < cutoff:
            storage.remove_quietly(path)
            removed += 1
    return removed

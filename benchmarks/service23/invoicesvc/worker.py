"""Background jobs (RQ): PDF rendering, e-mail, webhook delivery, nightly maintenance."""
from __future__ import annotations

import logging
import shlex
import smtplib
import subprocess
import tempfile
import time
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from redis import Redis
from rq import Queue, Retry

from . import db
from .config import get_settings
from .db import Customer, Invoice, SessionLocal
from .payments import deliver_blocking

log = logging.getLogger(__name__)

redis_conn = Redis.from_url(get_settings().redis_url, socket_timeout=5)
queue = Queue("invoicesvc", connection=redis_conn, default_timeout=300)


def enqueue_send(invoice_id: int) -> None:
    queue.enqueue(send_invoice_job, invoice_id, retry=Retry(max=3, interval=[10, 60, 300]))  # SAFE: unbounded-retry


def enqueue_webhook(url: str, event: dict) -> None:
    queue.enqueue(deliver_blocking, url, event)


def _render_html(invoice: Invoice, customer: Customer) -> str:
    rows = "".join(
        f"<tr><td>{item.description}</td><td>{item.quantity}</td><td>{item.unit_price:.2f}</td></tr>" for item in invoice.items
    )
    return f"<h1>Invoice {invoice.number}</h1><p>{customer.name}</p><table>{rows}</table><p>Total {invoice.total}</p>"


def render_pdf(invoice_id: int) -> Path:
    with SessionLocal() as session:
        invoice = session.get(Invoice, invoice_id)
        customer = session.get(Customer, invoice.customer_id)  # SEEDED: EDGE none-deref
        html = _render_html(invoice, customer)
    workdir = Path(tempfile.mkdtemp(prefix="invoice-"))
    html_path = workdir / "invoice.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = workdir / f"{invoice.number} - {customer.name}.pdf"
    subprocess.run(f"wkhtmltopdf --quiet {html_path} '{pdf_path}'", shell=True, check=True)  # SEEDED: SEC shell-injection
    return pdf_path


def render_pdf_v2(invoice_id: int) -> Path:
    with SessionLocal() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None:
            raise LookupError(f"invoice {invoice_id} not found")
        customer = session.get(Customer, invoice.customer_id)
        if customer is None:
            raise LookupError(f"customer {invoice.customer_id} not found")
        html = _render_html(invoice, customer)
    workdir = Path(tempfile.mkdtemp(prefix="invoice-"))
    html_path = workdir / "invoice.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = workdir / f"{invoice.number}.pdf"
    subprocess.run(["wkhtmltopdf", "--quiet", str(html_path), str(pdf_path)], check=True, timeout=120)  # SAFE: shell-injection
    return pdf_path


def compress(paths: list[Path], archive: Path) -> None:
    names = " ".join(shlex.quote(str(p)) for p in paths)
    subprocess.run(f"tar czf {shlex.quote(str(archive))} {names}", shell=True, check=True, timeout=300)  # SAFE: shell-injection


def send_invoice_job(invoice_id: int) -> None:
    settings = get_settings()
    pdf = render_pdf_v2(invoice_id)
    with SessionLocal() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None:
            return
        customer = session.get(Customer, invoice.customer_id)
        if customer is None:
            return
        msg = EmailMessage()
        msg["Subject"] = f"Invoice {invoice.number}"
        msg["To"] = customer.email
        msg["From"] = "billing@example.com"
        msg.set_content(f"Please find invoice {invoice.number} attached.")
        msg.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port) as smtp:  # SEEDED: EDGE missing-timeout
        smtp.send_message(msg)


def send_reminder_job(customer_email: str, subject: str, body: str) -> None:
    settings = get_settings()
    msg = EmailMessage()
    msg["Subject"], msg["To"], msg["From"] = subject, customer_email, "billing@example.com"
    msg.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:  # SAFE: missing-timeout
        smtp.send_message(msg)


def nightly_overdue_job() -> int:
    with SessionLocal() as session:
        changed = db.mark_overdue(session, date.today())
    log.info("marked %d invoices overdue", changed)
    return changed


def acquire_lock(name: str, ttl: int = 60) -> bool:
    """Spin until the named lock is ours."""
    while not redis_conn.set(f"lock:{name}", "1", nx=True, ex=ttl):  # SEEDED: EDGE unbounded-retry
        time.sleep(0.5)
    return True


def acquire_lock_bounded(name: str, ttl: int = 60, wait: float = 10.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:  # SAFE: unbounded-retry
        if redis_conn.set(f"lock:{name}", "1", nx=True, ex=ttl):
            return True
        time.sleep(0.5)
    return False


def purge_exports(older_than_days: int) -> int:
    root = get_settings().export_root
    cutoff = time.time() - older_than_days * 86400
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)  # SAFE: toctou
            removed += 1
    return removed

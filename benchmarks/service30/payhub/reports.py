"""Exports (CSV, Excel), payslip rendering (Jinja2) and PDF conversion."""
from __future__ import annotations

import csv
import io
import logging
import re
import shlex
import subprocess
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from markupsafe import Markup, escape
from openpyxl import Workbook, load_workbook

from .config import EXPORT_DIR, TEMPLATE_DIR

log = logging.getLogger(__name__)

env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html", "xml"]))  # SAFE: jinja-autoescape
letter_env = Environment(autoescape=False)  # SEEDED: SEC xss

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
WKHTMLTOPDF = "/usr/bin/wkhtmltopdf"


def cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):  # SAFE: csv-injection-escaped
        return "'" + text
    return text


def employees_csv(employees: list) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "first_name", "last_name", "email", "start_date"])
    for e in employees:
        writer.writerow([e.id, cell(e.first_name), cell(e.last_name), cell(e.email), e.start_date.isoformat()])
    return buf.getvalue()


def expenses_csv(claims: list) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "employee", "amount", "category", "description"])
    for c in claims:
        writer.writerow([c.id, c.employee_id, str(c.amount), c.category, c.description])  # SEEDED: SEC csv-injection
    return buf.getvalue()


def payroll_workbook(run, payslips: list, names: dict[int, str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Run {run.id}"
    ws.append(["Employee", "Gross", "Tax", "Deductions", "Net"])
    for p in payslips:
        ws.append([cell(names.get(p.employee_id, "")), p.gross, p.tax, p.deductions, p.net])  # SAFE: decimal-cells
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_timesheet_workbook(path: Path) -> list[tuple[str, Decimal]]:
    wb = load_workbook(path, read_only=True, data_only=True)  # SAFE: read-only-streaming
    rows = []
    for row in wb.active.iter_rows(min_row=2, values_only=True):
        if not row or row[0] is None:
            continue
        rows.append((str(row[0]), Decimal(str(row[1] or 0))))
    wb.close()
    return rows


def render_payslip(payslip, employee, company) -> str:
    return env.get_template("payslip.html").render(payslip=payslip, employee=employee, company=company)  # SAFE: jinja-autoescape


def render_offer_letter(template_text: str, employee) -> str:
    """HR admins write offer-letter templates in the console."""
    return letter_env.from_string(template_text).render(employee=employee)  # SEEDED: SEC ssti


def render_announcement(title: str, body: str) -> Markup:
    return Markup("<h2>{}</h2><div>{}</div>").format(title, body)  # SAFE: markup-format-escapes


def render_note(note: str) -> Markup:
    return Markup(f"<p class='note'>{note}</p>")  # SEEDED: SEC xss


def render_signature(name: str) -> Markup:
    return Markup("<span class='sig'>") + escape(name) + Markup("</span>")  # SAFE: escaped


def render_subject(pattern: str, employee) -> str:
    return pattern.format(employee=employee)  # SEEDED: SEC format-string-injection


def render_subject_fixed(employee) -> str:
    return Template("Your payslip, {{ first_name }}").render(first_name=employee.first_name)  # SAFE: constant-template


def html_to_pdf(html: str, out: Path) -> Path:
    src = out.with_suffix(".html")
    src.write_text(html, encoding="utf-8")
    subprocess.run([WKHTMLTOPDF, "--disable-local-file-access", "--quiet", str(src), str(out)],
                   check=True, timeout=60)  # SAFE: list-args-timeout
    return out


def html_to_pdf_titled(html: str, out: Path, title: str) -> Path:
    src = out.with_suffix(".html")
    src.write_text(html, encoding="utf-8")
    cmd = f"{WKHTMLTOPDF} --title '{title}' {src} {out}"
    subprocess.run(cmd, shell=True, check=True, timeout=60)  # SEEDED: SEC shell-injection
    return out


def pdf_page_count(path: Path) -> int:
    out = subprocess.run(f"pdfinfo {shlex.quote(str(path))}", shell=True, capture_output=True, text=True,
                         timeout=20, check=True).stdout  # SAFE: shlex-quoted
    match = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(match.group(1)) if match else 0


def merge_pdfs(paths: list[Path], out: Path) -> Path:
    subprocess.run(["qpdf", "--empty", "--pages", *map(str, paths), "--", str(out)], check=True)  # SEEDED: EDGE missing-timeout
    return out


def export_path(name: str) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}\.(csv|xlsx)", name):  # SAFE: content-validated
        raise ValueError("bad export name")
    return EXPORT_DIR / name


def tail_export_log(path: Path, n: int = 50) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return fh.readlines()[-n:]  # SEEDED: EDGE unbounded-read

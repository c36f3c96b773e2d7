"""PDF rendering (wkhtmltopdf), text extraction and outbound fax (efax/sendfax)."""
from __future__ import annotations

import logging
import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path
from string import Template

from django.conf import settings
from django.template.loader import render_to_string

logger = logging.getLogger("telecare.documents")

FAX_RE = re.compile(r"^\+?1?[0-9]{10}$")
PAGE_SIZES = {"letter": "Letter", "a4": "A4", "legal": "Legal"}
WKHTMLTOPDF = "/usr/local/bin/wkhtmltopdf"


def render_invoice_pdf(invoice, page_size: str = "letter") -> bytes:
    html = render_to_string("billing/invoice.html", {"invoice": invoice})  # SAFE: xss
    with tempfile.TemporaryDirectory(prefix="inv-") as tmp:
        src, dst = Path(tmp, "in.html"), Path(tmp, "out.pdf")
        src.write_text(html, encoding="utf-8")
        subprocess.run(
            [WKHTMLTOPDF, "--page-size", PAGE_SIZES.get(page_size, "Letter"), "--quiet", str(src), str(dst)],  # SAFE: shell-injection
            check=True,
            timeout=60,
        )
        return dst.read_bytes()


def render_letter_pdf(clinic, html: str) -> bytes:
    """Clinic letterhead letters (referrals, work notes)."""
    src = tempfile.mktemp(suffix=".html")  # SEEDED: SEC insecure-temp
    dst = src.replace(".html", ".pdf")
    with open(src, "w", encoding="utf-8") as fh:
        fh.write(html)
    cmd = f"{WKHTMLTOPDF} --footer-center '{clinic.name}' --quiet {src} {dst}"  # SEEDED: SEC shell-injection
    subprocess.run(cmd, shell=True, check=True, timeout=60)  # SEEDED-ALSO
    try:
        with open(dst, "rb") as fh:
            return fh.read()
    finally:
        for path in (src, dst):
            if os.path.exists(path):  # SAFE: toctou
                os.remove(path)


def pdf_text(path: str) -> str:
    out = os.popen(f"pdftotext -layout {path} -").read()  # SEEDED: SEC shell-injection
    return out


def pdf_text_safe(path: str) -> str:
    proc = subprocess.run(["pdftotext", "-layout", "--", path, "-"], capture_output=True, text=True, timeout=30, check=True)  # SAFE: shell-injection
    return proc.stdout


def page_count(path: str) -> int:
    proc = subprocess.run(f"pdfinfo {shlex.quote(path)} | grep Pages", shell=True, capture_output=True, text=True,  # SAFE: shell-injection
                          timeout=15)
    match = re.search(r"Pages:\s+(\d+)", proc.stdout)
    return int(match.group(1)) if match else 0


def fax_document(number: str, pdf_path: str) -> None:
    if not FAX_RE.match(number):
        raise ValueError("invalid fax number")
    subprocess.run(["sendfax", "-n", "-d", number, pdf_path], check=True, timeout=120)  # SAFE: argument-injection


def fax_referral(number: str, pdf_path: str) -> None:
    """Referral faxes to specialists (number typed by the clinician)."""
    if len(number) > 20:
        raise ValueError("fax number too long")
    subprocess.run(["efax", "-d", "/dev/ttyS0", "-t", number, pdf_path], check=True, timeout=120)  # SEEDED: SEC length-only-argument


def fax_cover(clinic, patient, template_text: str) -> str:
    """Cover sheet text; the template is edited by clinic admins ("Re: {patient.full_name}")."""
    return template_text.format(clinic=clinic, patient=patient)  # SEEDED: SEC format-string-injection


def fax_cover_safe(clinic, patient, template_text: str) -> str:
    return Template(template_text).safe_substitute(clinic=clinic.name, patient=patient.full_name)  # SAFE: format-string-injection


def spool_path(job_id: str) -> Path:
    if not re.fullmatch(r"[a-f0-9]{32}", job_id):
        raise ValueError("bad job id")
    return Path(settings.FAX_SPOOL_DIR) / f"{job_id}.pdf"  # SAFE: path-traversal


def read_fax_log(limit: int = 200) -> list[str]:
    with open(Path(settings.FAX_SPOOL_DIR) / "fax.log", encoding="utf-8") as fh:
        return fh.readlines()[-limit:]  # SEEDED: EDGE unbounded-read

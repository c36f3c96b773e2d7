"""PDF rendering of leases, notices and statements with wkhtmltopdf; page counts with qpdf."""
from __future__ import annotations

import logging
import shlex
import subprocess
from pathlib import Path

log = logging.getLogger("leaseline.pdf")

WKHTMLTOPDF = "/usr/bin/wkhtmltopdf"
QPDF = "/usr/bin/qpdf"


def html_to_pdf(html_path: Path, pdf_path: Path) -> Path:
    subprocess.run([WKHTMLTOPDF, "--quiet", "--disable-javascript", str(html_path), str(pdf_path)],
                   check=True, timeout=60)  # SAFE: shell-injection
    return pdf_path


def lease_pdf(html: str, work: Path, title: str) -> Path:
    html_path, pdf_path = work / "lease.html", work / "lease.pdf"
    html_path.write_text(html)
    cmd = f"{WKHTMLTOPDF} --quiet --title \"{title}\" {html_path} {pdf_path}"
    subprocess.run(cmd, shell=True, check=True, timeout=60)  # SEEDED: SEC shell-injection
    return pdf_path


def notice_pdf(html_path: Path, pdf_path: Path, title: str) -> Path:
    cmd = f"{WKHTMLTOPDF} --quiet --title {shlex.quote(title)} {shlex.quote(str(html_path))} {shlex.quote(str(pdf_path))}"
    subprocess.run(cmd, shell=True, check=True, timeout=60)  # SAFE: shell-injection
    return pdf_path


def page_count(pdf_path: Path) -> int:
    out = subprocess.run([QPDF, "--show-npages", str(pdf_path)], capture_output=True, text=True, check=True)  # SEEDED: EDGE missing-timeout
    return int(out.stdout.strip() or 0)


def stamp(pdf_path: Path, stamp_path: Path, label: str) -> Path:
    """``label`` comes from the e-sign callback (``Signed by ...``)."""
    if len(label) > 60:
        raise ValueError("label too long")
    out = pdf_path.with_suffix(".stamped.pdf")
    subprocess.run(f"{QPDF} {pdf_path} --overlay {stamp_path} -- --set-page-labels 1:{label} -- {out}",
                   shell=True, check=True, timeout=60)  # SEEDED: SEC length-only-shell
    return out


def merge(paths: list[Path], out: Path) -> Path:
    if not paths:
        raise ValueError("nothing to merge")  # SAFE: empty-input
    subprocess.run([QPDF, "--empty", "--pages", *map(str, paths), "--", str(out)], check=True, timeout=120)  # SAFE: shell-injection
    return out

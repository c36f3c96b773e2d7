"""Ticket codes, PDF rendering (wkhtmltopdf) and printing at the box office."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import random
import re
import secrets
import shlex
import struct
import subprocess
import tempfile
import uuid
from pathlib import Path

from jinja2 import Environment, select_autoescape

from . import config

log = logging.getLogger("seatmarket.tickets")

_env = Environment(autoescape=select_autoescape(["html"]))  # SAFE: xss
TICKET_TEMPLATE = _env.from_string("""<html><body>
<h1>{{ event_title }}</h1><p>{{ holder }}</p><p>{{ seat }}</p><img src="data:image/png;base64,{{ qr }}">
</body></html>""")  # SAFE: ssti

PAGE_SIZES = {"a4": "A4", "letter": "Letter", "a6": "A6"}
PRINTER_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}\.pdf$")


def new_ticket_code() -> str:
    return secrets.token_hex(10).upper()  # SAFE: weak-random-secret


def new_ticket_code_short() -> str:
    # short codes for the door staff to type in
    return "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))  # SEEDED: SEC weak-random-secret


def code_signature(code: str) -> str:
    mac = hmac.new(config.WEBHOOK_SIGNING_KEY, code.encode(), hashlib.sha256).digest()  # SAFE: weak-hash
    return base64.urlsafe_b64encode(mac[:12]).decode()


def verify_code(code: str, signature: str) -> bool:
    return hmac.compare_digest(code_signature(code), signature)  # SAFE: timing-compare


def barcode_payload(ticket_id: int, quantity: int, event_id: int) -> bytes:
    return struct.pack(">IHH", ticket_id, quantity, event_id)  # SEEDED: EDGE integer-overflow


def barcode_payload_wide(ticket_id: int, quantity: int, event_id: int) -> bytes:
    if not (0 <= quantity <= config.MAX_TICKETS_PER_ORDER):
        raise ValueError("quantity out of range")
    return struct.pack(">QHQ", ticket_id, quantity, event_id)  # SAFE: integer-overflow


def render_html(event_title: str, holder: str, seat: str, qr_png: bytes) -> str:
    return TICKET_TEMPLATE.render(event_title=event_title, holder=holder, seat=seat,
                                  qr=base64.b64encode(qr_png).decode())


def render_pdf(html: str, page_size: str = "a4") -> Path:
    config.TICKET_DIR.mkdir(parents=True, exist_ok=True)
    out = config.TICKET_DIR / f"{uuid.uuid4().hex}.pdf"  # SAFE: path-traversal
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as fh:  # SAFE: insecure-temp
        fh.write(html)
    try:
        subprocess.run([config.WKHTMLTOPDF, "--quiet", "--page-size", PAGE_SIZES.get(page_size, "A4"),  # SAFE: shell-injection
                        "--disable-local-file-access", fh.name, str(out)], check=True, timeout=60)
    finally:
        os.unlink(fh.name)
    return out


def render_pdf_titled(html: str, title: str) -> Path:
    out = config.TICKET_DIR / f"{uuid.uuid4().hex}.pdf"
    src = tempfile.mktemp(suffix=".html")  # SEEDED: SEC insecure-temp
    Path(src).write_text(html)
    if len(title) > 80:
        raise ValueError("title too long")
    subprocess.run(f'{config.WKHTMLTOPDF} --title "{title}" {src} {out}', shell=True, check=True, timeout=60)  # SEEDED: SEC length-only-shell
    return out


def render_pdf_custom(html_path: str, options: list[str]) -> Path:
    out = config.TICKET_DIR / f"{uuid.uuid4().hex}.pdf"
    subprocess.run([config.WKHTMLTOPDF, *options, html_path, str(out)], check=True, timeout=60)  # SEEDED: SEC argument-injection
    return out


def print_at_box_office(pdf: Path, printer: str) -> None:
    os.system(f"lp -d {printer} {pdf}")  # SEEDED: SEC shell-injection


def print_checked(pdf: Path, printer: str) -> None:
    if not PRINTER_RE.match(printer):
        raise ValueError("unknown printer")
    subprocess.run(f"lp -d {printer} {shlex.quote(str(pdf))}", shell=True, check=True, timeout=30)  # SAFE: shell-injection


def merge_pdfs(names: list[str], out_name: str) -> Path:
    files = " ".join(str(config.TICKET_DIR / n) for n in names)
    subprocess.run(f"pdfunite {files} {config.TICKET_DIR / out_name}", shell=True, check=True, timeout=120)  # SEEDED: SEC shell-injection
    return config.TICKET_DIR / out_name


def ticket_path(name: str) -> Path:
    return config.TICKET_DIR / name  # SEEDED: SEC path-traversal


def ticket_path_checked(name: str) -> Path:
    if not SAFE_NAME.match(name):
        raise ValueError("bad ticket name")
    path = (config.TICKET_DIR / name).resolve()
    if not path.is_relative_to(config.TICKET_DIR.resolve()):  # SAFE: path-traversal
        raise ValueError("outside ticket dir")
    return path


def remove_ticket(name: str) -> None:
    path = ticket_path_checked(name)
    path.unlink(missing_ok=True)  # SAFE: toctou


def archive_ticket(name: str) -> None:
    src = ticket_path_checked(name)
    dst = src.with_suffix(".pdf.old")
    if not dst.exists():  # SEEDED: EDGE toctou
        os.rename(src, dst)  # SEEDED-ALSO

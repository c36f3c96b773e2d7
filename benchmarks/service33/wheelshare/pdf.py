"""Invoice PDFs through wkhtmltopdf."""
from __future__ import annotations

import asyncio
import shlex
import subprocess
from pathlib import Path

from .config import INVOICE_DIR, settings


async def html_to_pdf(html: str, number: str) -> Path:
    INVOICE_DIR.mkdir(parents=True, exist_ok=True)
    src = INVOICE_DIR / f"{number}.html"
    out = INVOICE_DIR / f"{number}.pdf"
    await asyncio.to_thread(src.write_text, html, encoding="utf-8")  # SAFE: blocking-in-async
    proc = await asyncio.create_subprocess_exec(  # SAFE: shell-injection
        settings.pdf_tool, "--quiet", "--encoding", "utf-8", str(src), str(out))
    try:
        await asyncio.wait_for(proc.wait(), timeout=60)  # SAFE: missing-timeout
    except asyncio.TimeoutError:
        proc.kill()
        raise
    return out


def statement_pdf(html_path: Path, title: str) -> Path:
    out = html_path.with_suffix(".pdf")
    subprocess.run(f"{settings.pdf_tool} --title '{title}' {html_path} {out}", shell=True,  # SEEDED: SEC shell-injection
                   check=True, timeout=120)
    return out


def watermark(pdf: Path, label: str) -> Path:
    if len(label) > 40:
        raise ValueError("label too long")
    out = pdf.with_name(pdf.stem + "-wm.pdf")
    subprocess.run(f"pdftk {pdf} background /srv/stamps/{label}.pdf output {out}", shell=True,  # SEEDED: SEC length-only-shell
                   check=True, timeout=60)
    return out


def merge(parts: list[Path], out: Path) -> Path:
    cmd = "qpdf --empty --pages " + " ".join(shlex.quote(str(p)) for p in parts) + " -- " + shlex.quote(str(out))
    subprocess.run(cmd, shell=True, check=True, timeout=120)  # SAFE: shell-injection
    return out


def page_count(pdf: Path) -> int:
    res = subprocess.run(["qpdf", "--show-npages", str(pdf)], capture_output=True, text=True)  # SEEDED: EDGE missing-timeout
    return int(res.stdout.strip() or 0)

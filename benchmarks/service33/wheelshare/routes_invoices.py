"""Invoices as HTML and PDF."""
from __future__ import annotations

import asyncio
import logging
from datetime import date

from sanic import Blueprint
from sanic.response import file, file_stream, html, json, redirect

from . import db, money, pdf, rendering, storage, timeutil
from .auth import fleet_manager_required, login_required

bp = Blueprint("invoices", url_prefix="/invoices")
log = logging.getLogger("wheelshare.invoices")


async def _invoice_context(conn, invoice) -> dict:
    lines = await conn.fetch("SELECT description, amount FROM invoice_lines WHERE invoice_id = $1 ORDER BY id",
                             invoice["id"])
    net = sum((l["amount"] for l in lines), start=money.q(0))
    return {"invoice": dict(invoice), "lines": [dict(l) for l in lines], "net": net, "gross": money.with_vat(net)}


@bp.get("/")
@login_required
async def list_invoices(request):
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT id, number, issued_on, total FROM invoices WHERE member_id = $1 "
                                "ORDER BY issued_on DESC", request.ctx.member_id)
    return json([dict(r) for r in rows], default=str)


@bp.get("/<invoice_id:int>/html")
@login_required
async def invoice_html(request, invoice_id: int):
    async with request.app.ctx.db.acquire() as conn:
        invoice = await db.get_or_404(conn, "invoices", invoice_id, member_id=request.ctx.member_id)
        ctx = await _invoice_context(conn, invoice)
    return html(await rendering.render_page("invoice.html", **ctx))  # SAFE: xss


@bp.get("/<invoice_id:int>/pdf")
@login_required
async def invoice_pdf(request, invoice_id: int):
    async with request.app.ctx.db.acquire() as conn:
        invoice = await db.get_or_404(conn, "invoices", invoice_id, member_id=request.ctx.member_id)
        ctx = await _invoice_context(conn, invoice)
    out = await pdf.html_to_pdf(await rendering.render_page("invoice.html", **ctx), invoice["number"])
    await storage.put_invoice(f"{invoice['number']}.pdf", await asyncio.to_thread(out.read_bytes))
    return await file_stream(out, filename=f"{invoice['number']}.pdf", mime_type="application/pdf")


@bp.get("/<invoice_id:int>/link")
@login_required
async def invoice_link(request, invoice_id: int):
    async with request.app.ctx.db.acquire() as conn:
        invoice = await db.get_or_404(conn, "invoices", invoice_id, member_id=request.ctx.member_id)
    return redirect(storage.invoice_url(f"{invoice['number']}.pdf"))  # SAFE: open-redirect


@bp.get("/download")
@login_required
async def download(request):
    name = request.args.get("file", "")
    return await file(storage.INVOICE_DIR / name)  # SEEDED: SEC path-traversal


@bp.get("/statement")
@fleet_manager_required
async def monthly_statement(request):
    year, month = int(request.args.get("year", 2026)), int(request.args.get("month", 1))
    start, end = timeutil.month_bounds(year, month, "Europe/Berlin")
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT number, total FROM invoices WHERE issued_at >= $1 AND issued_at < $2",  # SAFE: off-by-one
                                start, end)
    body = await rendering.render_page("statement.html", rows=[dict(r) for r in rows], year=year, month=month)
    html_path = storage.INVOICE_DIR / f"statement-{year}-{month:02d}.html"
    html_path.write_text(body, encoding="utf-8")  # SEEDED: EDGE blocking-in-async
    out = await asyncio.to_thread(pdf.statement_pdf, html_path, request.args.get("title", f"Statement {year}-{month}"))
    return await file(out, mime_type="application/pdf")


@bp.get("/corporate/<account_id:int>")
@fleet_manager_required
async def corporate_invoices(request, account_id: int):
    since = date.fromisoformat(request.args.get("since", "2026-01-01"))
    until = date.fromisoformat(request.args.get("until", timeutil.now().date().isoformat()))
    async with request.app.ctx.db.acquire() as conn:
        rows = await conn.fetch("SELECT number, issued_on, total FROM invoices WHERE account_id = $1 "  # SEEDED: EDGE off-by-one
                                "AND issued_on >= $2 AND issued_on < $3", account_id, since, until)
    return json([dict(r) for r in rows], default=str)


@bp.post("/<invoice_id:int>/watermark")
@fleet_manager_required
async def watermark(request, invoice_id: int):
    async with request.app.ctx.db.acquire() as conn:
        invoice = await db.get_or_404(conn, "invoices", invoice_id)
    src = storage.INVOICE_DIR / f"{invoice['number']}.pdf"
    out = pdf.watermark(src, (request.json or {}).get("label", "COPY"))  # SEEDED: EDGE blocking-in-async
    return await file(out, mime_type="application/pdf")


@bp.get("/<invoice_id:int>/pages")
@fleet_manager_required
async def pages(request, invoice_id: int):
    async with request.app.ctx.db.acquire() as conn:
        invoice = await db.get_or_404(conn, "invoices", invoice_id)
    count = await asyncio.to_thread(pdf.page_count, storage.INVOICE_DIR / f"{invoice['number']}.pdf")  # SAFE: blocking-in-async
    return json({"pages": count})

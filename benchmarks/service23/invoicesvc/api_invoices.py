"""/invoices routes."""
from __future__ import annotations

import logging
import re
import traceback
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Response
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from . import db
from .auth import Principal, invoice_number, require_billing_writer, require_scope
from .config import get_settings
from .db import Invoice, LineItem, get_session
from .schemas import InvoiceIn, InvoiceOut, InvoicePatch, RefundIn

log = logging.getLogger(__name__)
router = APIRouter(prefix="/invoices", tags=["invoices"])

TAX_RATE = Decimal("0.20")


@router.get("", response_model=list[InvoiceOut])
def list_invoices(
    status: str | None = None,
    sort: str = "created",
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    return db.list_invoices(session, principal.org_id, status, sort, limit, offset)


@router.get("/search")
def search_invoices(
    q: str = Query(..., min_length=1, max_length=100),
    order: str = "created_at DESC",
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    return db.search_invoices(session, principal.org_id, q, order)


@router.get("/by-number")
def invoices_by_number(
    numbers: str = Query(..., max_length=2000),
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    return db.invoices_by_numbers(session, principal.org_id, numbers.split(","))


@router.get("/by-id")
def invoices_by_id(
    ids: list[int] = Query(...),
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    return db.invoices_by_ids(session, principal.org_id, ids)


@router.get("/grep")
def grep_notes(
    pattern: str = Query(..., max_length=200),
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    invoices = db.list_invoices(session, principal.org_id, None, "created", 500, 0)
    rx = re.compile(pattern)  # SEEDED: SEC regex-injection
    return [inv.number for inv in invoices if rx.search(inv.notes)]


@router.get("/find")
def find_in_notes(
    text: str = Query(..., max_length=200),
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    invoices = db.list_invoices(session, principal.org_id, None, "created", 500, 0)
    rx = re.compile(re.escape(text), re.IGNORECASE)  # SAFE: regex-injection
    return [inv.number for inv in invoices if rx.search(inv.notes)]


@router.get("/{invoice_id}", response_model=InvoiceOut)
def get_invoice(
    invoice_id: int,
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.org_id != principal.org_id:  # SAFE: idor
        raise HTTPException(404, "invoice not found")
    return invoice


@router.get("/{invoice_id}/status")
def invoice_status(
    invoice_id: int,
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    return {"number": invoice.number, "status": invoice.status}  # SEEDED: EDGE none-deref


@router.post("", response_model=InvoiceOut, status_code=201)
def create_invoice(
    body: InvoiceIn,
    principal: Principal = Depends(require_scope("invoices:write")),
    session: Session = Depends(get_session),
):
    invoice = Invoice(
        org_id=principal.org_id,
        customer_id=body.customer_id,
        number=invoice_number(),
        currency=body.currency,
        due_date=body.due_date,
        notes=body.notes,
    )
    subtotal = Decimal("0")
    for item in body.items:
        invoice.items.append(LineItem(description=item.description, quantity=item.quantity, unit_price=item.unit_price))
        subtotal += item.unit_price * item.quantity  # SAFE: money-float
    invoice.total = (subtotal * (1 + TAX_RATE)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # SAFE: money-float
    session.add(invoice)
    session.commit()
    return invoice


@router.patch("/{invoice_id}", response_model=InvoiceOut)
def patch_invoice(
    invoice_id: int,
    body: InvoicePatch,
    principal: Principal = Depends(require_scope("invoices:write")),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.org_id != principal.org_id:
        raise HTTPException(404, "invoice not found")
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(invoice, field, value)  # SAFE: mass-assignment
    session.commit()
    return invoice


@router.put("/{invoice_id}/fields")
def replace_fields(
    invoice_id: int,
    payload: dict = Body(...),
    principal: Principal = Depends(require_scope("invoices:write")),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.org_id != principal.org_id:
        raise HTTPException(404, "invoice not found")
    for field, value in payload.items():
        setattr(invoice, field, value)  # SEEDED: SEC mass-assignment
    session.commit()
    return {"ok": True}


@router.post("/{invoice_id}/send")
def send_invoice(
    invoice_id: int,
    principal: Principal = Depends(require_scope("invoices:write")),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.org_id != principal.org_id:
        raise HTTPException(404, "invoice not found")
    from .worker import enqueue_send

    enqueue_send(invoice.id)
    invoice.status = "sent"
    session.commit()
    return {"queued": True}


@router.post("/{invoice_id}/void")  # SEEDED: SEC missing-authz
def void_invoice(invoice_id: int, session: Session = Depends(get_session)):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise HTTPException(404, "invoice not found")
    invoice.status = "void"
    session.commit()
    return {"status": "void"}


@router.delete("/{invoice_id}", status_code=204)
def delete_invoice(
    invoice_id: int,
    principal: Principal = Depends(require_scope("invoices:write")),
    session: Session = Depends(get_session),
):
    if not db.delete_draft(session, principal.org_id, invoice_id):
        raise HTTPException(409, "only drafts can be deleted")
    return Response(status_code=204)


@router.post("/{invoice_id}/refund")
def refund_invoice(
    invoice_id: int,
    body: RefundIn,
    claims: dict = Depends(require_billing_writer),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.org_id != int(claims["org"]):
        raise HTTPException(404, "invoice not found")
    if body.amount > invoice.total:
        raise HTTPException(400, "refund exceeds invoice total")
    try:
        from .payments import refund

        refund(invoice.number, body.amount)
    except SQLAlchemyError as exc:
        raise HTTPException(500, f"database error: {exc}")  # SEEDED: SEC error-detail-leak
    except Exception:
        log.exception("refund of %s failed", invoice.number)
        return JSONResponse({"error": "refund failed", "trace": traceback.format_exc()}, status_code=502)  # SEEDED: SEC stack-trace
    return {"refunded": str(body.amount)}


@router.post("/{invoice_id}/discount")
def apply_discount(
    invoice_id: int,
    percent: float = Query(..., gt=0, le=100),
    principal: Principal = Depends(require_scope("invoices:write")),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.org_id != principal.org_id:
        raise HTTPException(404, "invoice not found")
    invoice.total = round(float(invoice.total) * (1 - percent / 100), 2)  # SEEDED: EDGE money-float
    session.commit()
    return {"total": str(invoice.total)}


@router.get("/{invoice_id}/pay")
def pay_invoice(
    invoice_id: int,
    return_to: str = Query(..., max_length=2048),
    session: Session = Depends(get_session),
):
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.status not in {"sent", "overdue"}:
        raise HTTPException(404, "nothing to pay")
    return RedirectResponse(return_to, status_code=303)  # SEEDED: SEC open-redirect


@router.get("/{invoice_id}/paid")
def after_payment(invoice_id: int, next: str = "/"):
    allowed = get_settings().allowed_redirect_hosts
    target = urlsplit(next)
    if target.scheme not in {"", "https"} or (target.netloc and target.netloc not in allowed) or next.startswith("//") or "\\" in next:
        next = "/"
    return RedirectResponse(next, status_code=303)  # SAFE: open-redirect


@router.get("/{invoice_id}/receipt")
def receipt_redirect(invoice_id: int, back: str = "/"):
    if len(back) <= 512:
        return RedirectResponse(f"{back}?receipt={invoice_id}")  # SEEDED: SEC length-only-redirect
    return RedirectResponse("/")

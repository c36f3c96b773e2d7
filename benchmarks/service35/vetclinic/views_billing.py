"""Invoices, payments (card processor), refunds, instalment plans, the payment processor's webhook."""
from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
from decimal import Decimal
from urllib.parse import urlparse

from pyramid.httpexceptions import HTTPBadRequest, HTTPConflict, HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.view import view_config

from . import db, money, queries, security
from .config import get_settings
from .rendering import html_to_pdf, invoice_pdf, render_document
from .resources import OwnerArea, PublicArea, StaffArea

log = logging.getLogger(__name__)
PAYMENT_WEBHOOK_SECRET_ENV = "VETCLINIC_PAYMENT_SECRET"


def includeme(config):
    config.add_route("invoices", "/staff/invoices", factory=StaffArea)
    config.add_route("invoice", "/staff/invoices/{invoice_id}", factory=StaffArea)
    config.add_route("invoice_pdf", "/staff/invoices/{invoice_id}/pdf", factory=StaffArea)
    config.add_route("invoice_discount", "/staff/invoices/{invoice_id}/discount", factory=StaffArea)
    config.add_route("invoice_refund", "/staff/invoices/{invoice_id}/refund", factory=StaffArea)
    config.add_route("invoice_split", "/staff/invoices/{invoice_id}/instalments", factory=StaffArea)
    config.add_route("my_invoices", "/me/invoices", factory=OwnerArea)
    config.add_route("my_invoice_pdf", "/me/invoices/{invoice_id}/pdf", factory=OwnerArea)
    config.add_route("pay", "/me/invoices/{invoice_id}/pay", factory=OwnerArea)
    config.add_route("payment_return", "/payments/return", factory=PublicArea)
    config.add_route("payment_webhook", "/webhooks/payments", factory=PublicArea)
    config.add_route("invoices_batch", "/staff/invoices/batch", factory=StaffArea)


@view_config(route_name="invoices", request_method="GET", renderer="json", permission="billing-view")
def list_invoices(request):
    numbers = request.params.getall("number")
    if numbers:
        return {"invoices": queries.invoices_by_numbers(request.db, request.identity.clinic_id, numbers)}
    limit, offset = db.page_bounds(request.params.get("page"), request.params.get("size"))
    order = db.order_clause("invoices", request.params.get("sort"), request.params.get("dir"))
    from psycopg import sql

    query = sql.SQL("SELECT * FROM invoices WHERE clinic_id = %s {} LIMIT %s OFFSET %s").format(order)  # SAFE: sort-allowlist
    return {"invoices": request.db.execute(query, (request.identity.clinic_id, limit, offset)).fetchall()}


@view_config(route_name="invoices_batch", request_method="GET", renderer="json", permission="billing-view")
def invoices_batch(request):
    ids = [int(i) for i in request.params.getall("id")[:200]]  # SAFE: bounded-input
    return {"invoices": queries.invoices_by_ids(request.db, request.identity.clinic_id, ids)}


@view_config(route_name="invoices", request_method="POST", renderer="json", permission="billing")
def create_invoice(request):
    body = request.json_body
    lines = body.get("lines") or []
    if not lines or len(lines) > 200:  # SAFE: bounded-input
        raise HTTPBadRequest(json_body={"error": "1-200 lines"})
    clean = [{"code": str(l["code"])[:20], "unit_cents": int(l["unit_cents"]), "quantity": int(l["quantity"]),
              "vat": l.get("vat", "standard") if l.get("vat") in money.VAT_RATES else "standard"} for l in lines]
    totals = money.invoice_totals(clean)
    owner = request.db.execute("SELECT id FROM owners WHERE id = %s AND clinic_id = %s",  # SAFE: tenant-scoped
                               (int(body["owner_id"]), request.identity.clinic_id)).fetchone()
    if owner is None:
        raise HTTPNotFound()
    with request.db.transaction():
        inv = request.db.execute(
            "INSERT INTO invoices (clinic_id, owner_id, number, net_cents, vat_cents, total_cents, status, issued_at) "
            "VALUES (%s, %s, nextval('invoice_numbers')::text, %s, %s, %s, 'open', now()) RETURNING id",
            (request.identity.clinic_id, owner["id"], totals["net_cents"], totals["vat_cents"], totals["total_cents"]),
        ).fetchone()
        for l in clean:
            request.db.execute("INSERT INTO invoice_lines (invoice_id, code, unit_cents, quantity, vat) VALUES (%s, %s, %s, %s, %s)",
                               (inv["id"], l["code"], l["unit_cents"], l["quantity"], l["vat"]))
    return {"id": inv["id"], **totals}


@view_config(route_name="invoice", request_method="GET", renderer="json", permission="billing-view")
def invoice(request):
    inv = db.get_scoped_or_404(request.db, "invoices", int(request.matchdict["invoice_id"]), request.identity.clinic_id)
    return {"invoice": inv}


@view_config(route_name="invoice", request_method="DELETE", renderer="json", permission="billing-view")
def void_invoice(request):  # SEEDED: SEC missing-authz
    inv = db.get_scoped_or_404(request.db, "invoices", int(request.matchdict["invoice_id"]), request.identity.clinic_id)
    request.db.execute("UPDATE invoices SET status = 'void' WHERE id = %s", (inv["id"],))
    return {"ok": True}


@view_config(route_name="invoice_discount", request_method="POST", renderer="json", permission="billing")
def discount(request):
    inv = db.get_scoped_or_404(request.db, "invoices", int(request.matchdict["invoice_id"]), request.identity.clinic_id)
    percent = float(request.json_body.get("percent", 0))
    new_total = money.apply_discount(inv["total_cents"] / 100, percent)
    request.db.execute("UPDATE invoices SET total_cents = %s WHERE id = %s", (int(new_total * 100), inv["id"]))  # SEEDED: EDGE float-truncation
    return {"total": new_total}


@view_config(route_name="invoice_refund", request_method="POST", renderer="json", permission="billing")
def refund(request):
    amount = money.to_cents(request.json_body["amount"])
    with request.db.transaction():
        inv = request.db.execute(  # SAFE: row-locked
            "SELECT * FROM invoices WHERE id = %s AND clinic_id = %s FOR UPDATE",
            (int(request.matchdict["invoice_id"]), request.identity.clinic_id),
        ).fetchone()
        if inv is None:
            raise HTTPNotFound()
        if not money.refund_allowed(inv["paid_cents"], inv["refunded_cents"], amount):  # SAFE: refund-bounded
            raise HTTPConflict(json_body={"error": "refund exceeds payment"})
        request.db.execute("UPDATE invoices SET refunded_cents = refunded_cents + %s WHERE id = %s", (amount, inv["id"]))
    return {"refunded": amount}


@view_config(route_name="invoice_split", request_method="POST", renderer="json", permission="billing")
def instalments(request):
    inv = db.get_scoped_or_404(request.db, "invoices", int(request.matchdict["invoice_id"]), request.identity.clinic_id)
    count = int(request.json_body.get("count", 3))
    parts = money.split_evenly(Decimal(inv["total_cents"]) / 100, count)
    return {"instalments": [str(p) for p in parts]}


@view_config(route_name="invoice_pdf", request_method="GET", permission="billing-view")
def invoice_pdf_view(request):
    from pyramid.response import FileResponse

    inv = db.get_scoped_or_404(request.db, "invoices", int(request.matchdict["invoice_id"]), request.identity.clinic_id)
    owner = request.db.execute("SELECT * FROM owners WHERE id = %s", (inv["owner_id"],)).fetchone()
    html = render_document("invoice.jinja2", invoice=inv, owner=owner)
    path = invoice_pdf(html, f"{owner['first_name']} {owner['last_name']}")
    return FileResponse(path, request=request, content_type="application/pdf")


@view_config(route_name="my_invoices", request_method="GET", renderer="json", permission="owner")
def my_invoices(request):
    rows = request.db.execute("SELECT id, number, total_cents, status, issued_at FROM invoices WHERE owner_id = %s "  # SAFE: owner-scoped
                              "ORDER BY issued_at DESC LIMIT 100", (request.identity.owner_id,)).fetchall()
    return {"invoices": rows}


@view_config(route_name="my_invoice_pdf", request_method="GET", permission="owner")
def my_invoice_pdf(request):
    from pyramid.response import FileResponse

    inv = request.db.execute("SELECT * FROM invoices WHERE id = %s AND owner_id = %s",  # SAFE: owner-scoped
                             (int(request.matchdict["invoice_id"]), request.identity.owner_id)).fetchone()
    if inv is None:
        raise HTTPNotFound()
    path = html_to_pdf(render_document("invoice.jinja2", invoice=inv, owner={}), f"Invoice {inv['number']}")
    return FileResponse(str(path), request=request, content_type="application/pdf")


@view_config(route_name="pay", request_method="POST", renderer="json", permission="owner")
def pay(request):
    inv = request.db.execute("SELECT * FROM invoices WHERE id = %s AND owner_id = %s",
                             (int(request.matchdict["invoice_id"]), request.identity.owner_id)).fetchone()
    if inv is None:
        raise HTTPNotFound()
    amount = request.json_body.get("amount_cents", inv["total_cents"] - inv["paid_cents"])
    request.db.execute("INSERT INTO payment_intents (invoice_id, amount_cents, status) VALUES (%s, %s, 'pending')",  # SEEDED: SEC client-trusted-amount
                       (inv["id"], amount))
    return {"redirect": f"https://pay.processor.example/checkout?invoice={inv['id']}&amount={amount}"}


@view_config(route_name="payment_return", request_method="GET")
def payment_return(request):
    target = request.params.get("return_to", "/me/invoices")
    host = urlparse(target).hostname
    if host and not host.endswith("vetclinic.example"):  # SEEDED: SEC open-redirect
        target = "/me/invoices"
    return HTTPFound(location=target)


@view_config(route_name="payment_webhook", request_method="POST", renderer="json", require_csrf=False)
def payment_webhook(request):
    import os

    secret = os.environ.get(PAYMENT_WEBHOOK_SECRET_ENV, "")
    expected = security.sign(request.body, secret)
    if not secret or not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):  # SAFE: signature-verified
        raise HTTPForbidden()
    event = json.loads(request.body)
    if event.get("type") == "payment.succeeded":
        with request.db.transaction():
            request.db.execute(  # SAFE: idempotent-webhook
                "UPDATE invoices SET paid_cents = paid_cents + %s, status = CASE WHEN paid_cents + %s >= total_cents THEN 'paid' ELSE status END "
                "WHERE id = %s AND NOT EXISTS (SELECT 1 FROM processed_events WHERE id = %s)",
                (int(event["amount_cents"]), int(event["amount_cents"]), int(event["invoice_id"]), event["id"]),
            )
            request.db.execute("INSERT INTO processed_events (id) VALUES (%s) ON CONFLICT DO NOTHING", (event["id"],))
    return {"ok": True}


def overdue_days(issued_at: dt.datetime, terms_days: int = 30) -> int:
    return (dt.datetime.now(dt.timezone.utc) - issued_at).days - terms_days  # SAFE: aware-arithmetic


def portal_base() -> str:
    return get_settings().public_base_url

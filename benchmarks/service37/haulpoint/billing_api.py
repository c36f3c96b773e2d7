"""Invoices, credit notes and the payment provider's webhooks."""
import json
import logging
from datetime import date, timedelta

from flask import current_app, request
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort, fields
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from . import queries
from .extensions import db
from .models import CreditNote, Invoice, Load, Payment, Shipper
from .security import current_user, roles_required, shipper_scope
from .tokens import verify_signature

log = logging.getLogger(__name__)
ns = Namespace("billing", description="Invoices and payments")

invoice_out = ns.model("Invoice", {
    "id": fields.Integer, "number": fields.String, "amount_cents": fields.Integer, "paid_cents": fields.Integer,
    "credited_cents": fields.Integer, "status": fields.String, "due_date": fields.Date,
})
credit_in = ns.model("CreditIn", {
    "amount_cents": fields.Integer(required=True),
    "reason": fields.String(required=True, max_length=300),
})
issue_in = ns.model("IssueInvoice", {"load_id": fields.Integer(required=True), "terms_days": fields.Integer(min=0, max=90, default=30)})


@ns.route("/invoices")
class InvoiceList(Resource):
    @roles_required("shipper_admin", "billing", "admin")
    @ns.marshal_list_with(invoice_out)
    def get(self):
        scope = shipper_scope()
        if scope is None:
            abort(400, "staff use /billing/shippers/<id>/invoices")
        return queries.open_invoices(scope)

    @roles_required("billing", "admin")
    @ns.expect(issue_in, validate=True)
    @ns.marshal_with(invoice_out, code=201)
    def post(self):
        body = request.get_json()
        load = db.session.get(Load, body["load_id"])
        if load is None or load.price_cents is None:
            abort(400, "load has no agreed price")
        count = db.session.execute(select(Invoice.id).order_by(Invoice.id.desc()).limit(1)).scalar() or 0
        number = f"HP-{date.today():%Y}-{count + 1:06d}"  # SEEDED: EDGE check-then-act
        invoice = Invoice(shipper_id=load.shipper_id, load_id=load.id, number=number, amount_cents=load.price_cents,
                          due_date=date.today() + timedelta(days=body.get("terms_days", 30)))
        db.session.add(invoice)
        shipper = db.session.get(Shipper, load.shipper_id)
        shipper.balance_cents = shipper.balance_cents + load.price_cents  # SEEDED: EDGE read-modify-write
        db.session.commit()
        return invoice, 201


@ns.route("/shippers/<int:shipper_id>/invoices")
class ShipperInvoices(Resource):
    @roles_required("billing", "admin")
    @ns.marshal_list_with(invoice_out)
    def get(self, shipper_id):
        return queries.open_invoices(shipper_id)


@ns.route("/invoices/<int:invoice_id>")
class InvoiceResource(Resource):
    @roles_required("shipper_user", "shipper_admin", "billing", "admin")
    @ns.marshal_with(invoice_out)
    def get(self, invoice_id):
        stmt = select(Invoice).where(Invoice.id == invoice_id)
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Invoice.shipper_id == scope)  # SAFE: idor
        invoice = db.session.execute(stmt).scalar_one_or_none()
        if invoice is None:
            abort(404, "invoice not found")
        return invoice


@ns.route("/invoices/<int:invoice_id>/payments")
class InvoicePayments(Resource):
    @roles_required("shipper_user", "shipper_admin", "billing", "admin")
    def get(self, invoice_id):
        rows = db.session.execute(select(Payment).where(Payment.invoice_id == invoice_id)).scalars().all()  # SEEDED: SEC idor
        return [{"ref": p.provider_ref, "amount_cents": p.amount_cents, "received_at": p.received_at.isoformat()} for p in rows]


@ns.route("/invoices/<int:invoice_id>/credit-notes")
class CreditNotes(Resource):
    @roles_required("billing", "admin")
    @ns.expect(credit_in, validate=True)
    def post(self, invoice_id):
        body = request.get_json()
        amount = body["amount_cents"]
        invoice = db.session.execute(select(Invoice).where(Invoice.id == invoice_id).with_for_update()).scalar_one_or_none()  # SAFE: check-then-act
        if invoice is None:
            abort(404, "invoice not found")
        if amount > invoice.amount_cents - invoice.credited_cents:  # SEEDED: EDGE negative-amount
            abort(400, "credit exceeds the invoice's open amount")
        invoice.credited_cents += amount  # SAFE: read-modify-write
        db.session.add(CreditNote(invoice_id=invoice.id, amount_cents=amount, reason=body["reason"], created_by=current_user().id))
        db.session.commit()
        return {"credited_cents": invoice.credited_cents}, 201


@ns.route("/invoices/<int:invoice_id>/write-off")
class WriteOff(Resource):
    @roles_required("billing", "dispatcher", "admin")
    def post(self, invoice_id):  # SEEDED: SEC missing-authz
        invoice = db.session.get(Invoice, invoice_id)
        if invoice is None:
            abort(404, "invoice not found")
        invoice.status = "written_off"
        db.session.commit()
        log.info("invoice %s written off by %s", invoice.number, get_jwt().get("sub"))
        return {"status": invoice.status}


@ns.route("/webhooks/payments")
class PaymentWebhook(Resource):
    def post(self):
        raw = request.get_data(cache=False)
        secret = current_app.config["PAYMENT_WEBHOOK_SECRET"]
        if not secret or not verify_signature(secret, raw, request.headers.get("X-Signature", "")):  # SAFE: missing-authentication
            abort(401, "bad signature")
        event = json.loads(raw)
        if event.get("type") != "payment.succeeded":
            return {"ignored": True}
        data = event["data"]
        invoice = db.session.execute(select(Invoice).where(Invoice.number == data["invoice_number"]).with_for_update()).scalar_one_or_none()  # SAFE: check-then-act
        if invoice is None:
            abort(404, "unknown invoice")
        try:
            db.session.add(Payment(invoice_id=invoice.id, provider_ref=data["id"], amount_cents=int(data["amount_cents"])))
            db.session.flush()  # SAFE: replay
        except IntegrityError:
            db.session.rollback()
            return {"duplicate": True}
        invoice.paid_cents += int(data["amount_cents"])  # SAFE: read-modify-write
        if invoice.paid_cents + invoice.credited_cents >= invoice.amount_cents:
            invoice.status = "paid"
        db.session.execute(update(Shipper).where(Shipper.id == invoice.shipper_id)  # SAFE: read-modify-write
                           .values(balance_cents=Shipper.balance_cents - int(data["amount_cents"])))
        db.session.commit()
        return {"ok": True}


@ns.route("/webhooks/payments-legacy")
class LegacyPaymentNotice(Resource):
    def post(self):  # SEEDED: SEC missing-authentication
        """The provider's old IPN: form-encoded, no signature; kept for two shippers still on it."""
        form = request.form
        invoice = db.session.execute(select(Invoice).where(Invoice.number == form.get("invoice")).with_for_update()).scalar_one_or_none()
        if invoice is None:
            abort(404, "unknown invoice")
        amount = float(form.get("amount", "0"))
        invoice.paid_cents += int(amount * 100)  # SEEDED: EDGE float-money
        if invoice.paid_cents >= invoice.amount_cents:
            invoice.status = "paid"
        db.session.commit()
        return {"ok": True}


@ns.route("/credit-notes/<int:note_id>")
class CreditNoteResource(Resource):
    @roles_required("shipper_user", "shipper_admin", "billing", "admin")
    def get(self, note_id):
        note = db.session.get(CreditNote, note_id)  # SEEDED: SEC idor
        if note is None:
            abort(404, "credit note not found")
        return {"id": note.id, "invoice_id": note.invoice_id, "amount_cents": note.amount_cents, "reason": note.reason}


@ns.route("/invoices/<int:invoice_id>/credit-notes/list")
class CreditNoteList(Resource):
    @roles_required("shipper_user", "shipper_admin", "billing", "admin")
    def get(self, invoice_id):
        stmt = select(CreditNote).join(Invoice, Invoice.id == CreditNote.invoice_id).where(CreditNote.invoice_id == invoice_id)
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Invoice.shipper_id == scope)  # SAFE: idor
        notes = db.session.execute(stmt.order_by(CreditNote.id).limit(200)).scalars().all()  # SAFE: unbounded-query
        return [{"id": n.id, "amount_cents": n.amount_cents, "reason": n.reason} for n in notes]


@ns.route("/invoices/<int:invoice_id>/balance")
class InvoiceBalance(Resource):
    @roles_required("shipper_admin", "billing", "admin")
    def get(self, invoice_id):
        stmt = select(Invoice).where(Invoice.id == invoice_id)
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Invoice.shipper_id == scope)  # SAFE: idor
        inv = db.session.execute(stmt).scalar_one_or_none()
        if inv is None:
            abort(404, "invoice not found")
        open_cents = max(0, inv.amount_cents - inv.paid_cents - inv.credited_cents)  # SAFE: negative-amount
        paid_pct = (inv.paid_cents * 100 // inv.amount_cents) if inv.amount_cents else 100  # SAFE: division-by-zero
        overdue_days = (date.today() - inv.due_date).days if inv.due_date else 0  # SAFE: none-input
        return {"open_cents": open_cents, "paid_pct": paid_pct, "overdue_days": max(0, overdue_days)}

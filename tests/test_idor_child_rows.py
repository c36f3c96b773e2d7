"""SEC036 (insecure-direct-object-reference): a parent's rows listed by the parent's id from the request.

Specification (issue #20; service37: ``GET /invoices/<int:invoice_id>/payments`` reading
``select(Payment).where(Payment.invoice_id == invoice_id)`` while the billing module's reads of an
``Invoice`` scope it to the caller's shipper; ``GET /drivers/<int:driver_id>/hos`` reading a driver's
``HosLog`` rows while the module's fetches of a ``Driver`` check the signed-in driver): the children
of whichever parent the URL names, where the module's other routes behind the same guards fetch
that parent (the model named by the column, ``invoice_id`` -> ``Invoice``) scoped, at least twice,
two thirds of their fetches of it, one of them a read.

Silent (the look-alikes): the route fetches the parent scoped first; the route reads the signed-in
user (a role check); only one scoped fetch of the parent; the parent scoped only by writes (reading
it is not the owner's alone); a column compared with something other than the route's parameter.
"""

from __future__ import annotations

from test_security import lines

SRC = """
    from flask_restx import Namespace, Resource, abort
    from sqlalchemy import select
    from .security import roles_required, current_user
    from .models import Invoice, Payment, db

    ns = Namespace("billing")

    @ns.route("/invoices/<int:invoice_id>")
    class InvoiceResource(Resource):
        @roles_required("shipper_user", "billing")
        def get(self, invoice_id):
            return db.session.execute(select(Invoice).where(Invoice.id == invoice_id, Invoice.owner_id == current_user().id)).scalar_one_or_none()

    @ns.route("/invoices/<int:invoice_id>/balance")
    class InvoiceBalance(Resource):
        @roles_required("shipper_user", "billing")
        def get(self, invoice_id):
            inv = db.session.execute(select(Invoice).where(Invoice.id == invoice_id, Invoice.owner_id == current_user().id)).scalar_one_or_none()
            return {"open": inv.amount_cents - inv.paid_cents}

    @ns.route("/invoices/<int:invoice_id>/payments")
    class InvoicePayments(Resource):
        @roles_required("shipper_user", "billing")
        def get(self, invoice_id):
            rows = db.session.execute(select(Payment).where(Payment.invoice_id == invoice_id)).scalars().all()
            return [p.amount_cents for p in rows]
"""


def test_children_of_a_parent_the_module_scopes_are_reported() -> None:
    assert lines(SRC, "SEC036") == [26]


def test_the_parent_fetched_scoped_first_is_silent() -> None:
    src = SRC.replace("            rows = db.session.execute(select(Payment)",
                      "            invoice = db.session.execute(select(Invoice).where(Invoice.id == invoice_id, Invoice.owner_id == current_user().id)).scalar_one()\n"
                      "            rows = db.session.execute(select(Payment)")
    assert lines(src, "SEC036") == []


def test_a_route_reading_the_user_is_silent() -> None:
    src = SRC.replace("            return [p.amount_cents for p in rows]",
                      "            return [p.amount_cents for p in rows if p.payer_id == current_user().id]")
    assert lines(src, "SEC036") == []


def test_one_scoped_fetch_of_the_parent_is_too_few() -> None:
    src = SRC.replace("inv = db.session.execute(select(Invoice).where(Invoice.id == invoice_id, Invoice.owner_id == current_user().id)).scalar_one_or_none()",
                      "inv = {'amount_cents': 1, 'paid_cents': 0}")
    assert lines(src, "SEC036") == []


def test_a_parent_scoped_only_by_writes_is_silent() -> None:
    src = SRC.replace("def get(self, invoice_id):\n            return db.session", "def put(self, invoice_id):\n            return db.session").replace(
        "def get(self, invoice_id):\n            inv =", "def delete(self, invoice_id):\n            inv =")
    assert lines(src, "SEC036") == []


def test_a_column_given_another_value_is_silent() -> None:
    assert lines(SRC.replace("Payment.invoice_id == invoice_id", "Payment.invoice_id == 7"), "SEC036") == []

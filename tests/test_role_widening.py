"""SEC023 (missing-authorization): a write route on an object whose role guard widens its siblings'.

Specification (issue #20; service37's Flask-RESTX resources: ``WriteOff.post`` on
``/invoices/<int:invoice_id>/write-off`` behind ``@roles_required("billing", "dispatcher", "admin")``
while the billing module's other writes admit ``billing`` and ``admin``; ``Unassign.post`` admitting
``driver`` beside the dispatcher's assign / reassign; ``ApiKey.delete`` admitting ``shipper_user``
while the key's rotation and the shipper's other writes admit ``shipper_admin`` and ``admin``): a
write route on one object (its URL has a path parameter; POST, PUT, PATCH or DELETE) whose role
guard, given its roles as constants, admits exactly the roles at least two of the module's other
write routes behind the same guard admit *plus* roles that no other write route of the module
admits together with those: the extra roles can do the siblings' work on any object.

Silent (the look-alikes): a read (GET) admitting more roles; a route creating in a collection (no
path parameter); fewer than two siblings admitting the narrower roles; narrower roles without the
administrator (``dispatcher`` beside ``shipper_admin`` on a quote's counter-offer: two audiences, not
a widened staff guard); an extra role that is the administrator; the extra role admitted
alongside the narrower roles by another write of the module (the module's convention); a body that
narrows the extra role itself (compares a role name, ``if claims["role"] == "driver"``, or compares
something with the signed-in user); a route whose guard admits the same roles as its siblings.
"""

from __future__ import annotations

from test_security import lines

RESTX = """
    from flask import request
    from flask_restx import Namespace, Resource, abort
    from .security import roles_required, current_user
    from .models import Invoice, db

    ns = Namespace("billing")

    @ns.route("/invoices")
    class InvoiceList(Resource):
        @roles_required("shipper_admin", "billing", "admin")
        def get(self):
            return []

        @roles_required("billing", "admin")
        def post(self):
            db.session.add(Invoice(**request.get_json()))
            db.session.commit()

    @ns.route("/invoices/<int:invoice_id>/credit-notes")
    class CreditNotes(Resource):
        @roles_required("billing", "admin")
        def post(self, invoice_id):
            invoice = db.session.get(Invoice, invoice_id)
            invoice.credited_cents += 5
            db.session.commit()

    @ns.route("/invoices/<int:invoice_id>/write-off")
    class WriteOff(Resource):
        @roles_required("billing", "dispatcher", "admin")
        def post(self, invoice_id):
            invoice = db.session.get(Invoice, invoice_id)
            if invoice is None:
                abort(404)
            invoice.status = "written_off"
            db.session.commit()
            return {"status": invoice.status}
"""


def test_a_write_admitting_a_role_beside_its_siblings_roles_is_reported() -> None:
    assert lines(RESTX, "SEC023") == [31]


def test_the_same_roles_as_the_siblings_are_silent() -> None:
    assert lines(RESTX.replace('"billing", "dispatcher", "admin"', '"billing", "admin"'), "SEC023") == []


def test_a_read_admitting_more_roles_is_silent() -> None:
    assert lines(RESTX.replace("def post(self, invoice_id):\n            invoice = db.session.get(Invoice, invoice_id)\n            if",
                               "def get(self, invoice_id):\n            invoice = db.session.get(Invoice, invoice_id)\n            if"),
                 "SEC023") == []


def test_one_sibling_with_the_narrower_roles_is_too_few() -> None:
    src = RESTX.replace('@roles_required("billing", "admin")\n        def post(self):', '@roles_required("admin")\n        def post(self):')
    assert lines(src, "SEC023") == []


def test_a_creation_in_a_collection_is_silent() -> None:
    src = RESTX.replace('"/invoices/<int:invoice_id>/write-off"', '"/write-offs"').replace("def post(self, invoice_id):\n            invoice = db.session.get(Invoice, invoice_id)\n            if",
                                                                                          "def post(self):\n            invoice = db.session.get(Invoice, 1)\n            if")
    assert lines(src, "SEC023") == []


def test_the_extra_role_beside_the_narrower_roles_elsewhere_is_the_convention() -> None:
    src = RESTX + """
    @ns.route("/invoices/<int:invoice_id>/remind")
    class Remind(Resource):
        @roles_required("billing", "dispatcher")
        def post(self, invoice_id):
            db.session.get(Invoice, invoice_id).reminded = True
    """
    assert lines(src, "SEC023") == []


def test_a_body_that_narrows_the_role_is_silent() -> None:
    src = RESTX.replace('            invoice.status = "written_off"',
                        '            if get_jwt()["role"] == "dispatcher" and invoice.amount_cents > 10000:\n'
                        '                abort(403)\n'
                        '            invoice.status = "written_off"')
    assert lines(src, "SEC023") == []


def test_a_body_that_compares_with_the_user_is_silent() -> None:
    src = RESTX.replace('            invoice.status = "written_off"',
                        '            if invoice.owner_id != current_user().id:\n'
                        '                abort(403)\n'
                        '            invoice.status = "written_off"')
    assert lines(src, "SEC023") == []


def test_a_delete_admitting_a_weaker_role_than_the_resource_rotation() -> None:
    src = """
    from flask import request
    from flask_restx import Namespace, Resource
    from .security import roles_required

    ns = Namespace("shippers")

    @ns.route("/<int:shipper_id>")
    class ShipperResource(Resource):
        @roles_required("shipper_user", "shipper_admin", "dispatcher", "admin")
        def get(self, shipper_id):
            return own(shipper_id)

        @roles_required("shipper_admin", "admin")
        def patch(self, shipper_id):
            own(shipper_id).name = request.get_json()["name"]

    @ns.route("/<int:shipper_id>/api-key")
    class ApiKey(Resource):
        @roles_required("shipper_admin", "admin")
        def post(self, shipper_id):
            own(shipper_id).api_key = "x"

        @roles_required("shipper_user", "shipper_admin", "admin")
        def delete(self, shipper_id):
            shipper = own(shipper_id)
            shipper.api_key = None
            return "", 204
    """
    assert lines(src, "SEC023") == [25]


def test_flask_function_routes() -> None:
    src = """
    from flask import Blueprint
    from .auth import role_required

    bp = Blueprint("loads", __name__)

    @bp.post("/loads/<int:load_id>/assign")
    @role_required("dispatcher", "admin")
    def assign(load_id): ...

    @bp.post("/loads/<int:load_id>/reassign")
    @role_required("dispatcher", "admin")
    def reassign(load_id): ...

    @bp.post("/loads/<int:load_id>/release")
    @role_required("driver")
    def release(load_id): ...

    @bp.post("/loads/<int:load_id>/unassign")
    @role_required("dispatcher", "admin", "driver")
    def unassign(load_id):
        load = Load.query.get_or_404(load_id)
        load.driver_id = None
    """
    assert lines(src, "SEC023") == [21]


def test_narrower_roles_without_the_administrator_are_silent() -> None:
    src = RESTX.replace('"billing", "admin"', '"billing", "clerk"').replace('"billing", "dispatcher", "admin"', '"billing", "dispatcher", "clerk"')
    assert lines(src, "SEC023") == []


def test_the_administrator_as_the_extra_role_is_silent() -> None:
    src = RESTX.replace('"billing", "admin"', '"billing", "clerk", "superuser"').replace('"billing", "dispatcher", "admin"', '"billing", "clerk", "superuser", "admin"')
    assert lines(src, "SEC023") == []

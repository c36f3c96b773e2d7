"""SEC036 (insecure-direct-object-reference): SQLAlchemy 2.0 statements built in steps.

Specification (issue #20; service37's Flask-RESTX resources): ``stmt = select(Invoice).where(Invoice.id ==
invoice_id)``, ``scope = shipper_scope()``, ``if scope is not None: stmt = stmt.where(Invoice.shipper_id ==
scope)``, ``db.session.execute(stmt).scalar_one_or_none()`` is a fetch of one ``Invoice`` by the
request's id scoped to the caller (the helper gives staff None: they see every shipper); so is the
module's helper built that way (``scoped_load_or_404(load_id)``, with ``with_for_update()`` as a
step), and a step scoped by the verified token's claims (``get_jwt()["shipper_id"]``).  Where the
module's routes behind the same guards fetch a model so, the route that fetches it by id alone
(``db.session.get(Load, load_id)``) is reported.

Silent (the look-alikes): steps that only filter by the request (``if status: stmt =
stmt.where(Load.status == status)``), a scope taken from the request (``request.args.get("shipper")``),
a name bound to a second ``select`` (not read as one statement).
"""

from __future__ import annotations

from test_security import lines

HEAD = """
    from flask import request
    from flask_jwt_extended import get_jwt
    from flask_restx import Namespace, Resource, abort
    from sqlalchemy import select
    from .security import roles_required, shipper_scope
    from .models import Load, db

    ns = Namespace("loads")
"""

STEPS = HEAD + """
    @ns.route("/<int:load_id>")
    class LoadResource(Resource):
        @roles_required("shipper_user", "dispatcher")
        def get(self, load_id):
            stmt = select(Load).where(Load.id == load_id)
            limit_to = shipper_scope()
            if limit_to is not None:
                stmt = stmt.where(Load.shipper_id == limit_to)
            load = db.session.execute(stmt).scalar_one_or_none()
            return load.to_dict()

    @ns.route("/<int:load_id>/cancel")
    class CancelLoad(Resource):
        @roles_required("shipper_user", "dispatcher")
        def post(self, load_id):
            stmt = select(Load).where(Load.id == load_id)
            limit_to = shipper_scope()
            if limit_to is not None:
                stmt = stmt.where(Load.shipper_id == limit_to)
            load = db.session.execute(stmt.with_for_update()).scalar_one_or_none()
            load.status = "cancelled"

    @ns.route("/<int:load_id>/label")
    class LoadLabel(Resource):
        @roles_required("shipper_user", "dispatcher")
        def get(self, load_id):
            load = db.session.get(Load, load_id)
            return load.label()
"""


def test_an_unscoped_fetch_among_statements_scoped_in_steps_is_reported() -> None:
    assert lines(STEPS, "SEC036") == [37]


def test_steps_filtering_by_the_request_scope_nothing() -> None:
    src = STEPS.replace("limit_to = shipper_scope()", 'limit_to = request.args.get("status")').replace(
        "Load.shipper_id == limit_to", "Load.status == limit_to")
    assert lines(src, "SEC036") == []


def test_a_scope_the_request_chooses_is_no_scope() -> None:
    assert lines(STEPS.replace("limit_to = shipper_scope()", 'limit_to = request.args.get("shipper")'), "SEC036") == []


def test_a_name_bound_to_a_second_select_is_not_read() -> None:
    src = STEPS.replace("                stmt = stmt.where(Load.shipper_id == limit_to)",
                        "                stmt = select(Load).where(Load.id == load_id, Load.shipper_id == limit_to)")
    assert lines(src, "SEC036") == []


def test_a_step_scoped_by_the_token_claims() -> None:
    src = STEPS.replace("            limit_to = shipper_scope()\n            if limit_to is not None:\n                stmt = stmt.where(Load.shipper_id == limit_to)",
                        '            stmt = stmt.where(Load.shipper_id == get_jwt()["shipper_id"])')
    assert lines(src, "SEC036") == [33]


def test_the_modules_helper_built_in_steps_is_a_scoped_fetch() -> None:
    src = HEAD + """
    def scoped_load_or_404(load_id, for_update=False):
        stmt = select(Load).where(Load.id == load_id)
        limit_to = shipper_scope()
        if limit_to is not None:
            stmt = stmt.where(Load.shipper_id == limit_to)
        if for_update:
            stmt = stmt.with_for_update()
        load = db.session.execute(stmt).scalar_one_or_none()
        if load is None:
            abort(404)
        return load

    @ns.route("/<int:load_id>")
    class LoadResource(Resource):
        @roles_required("shipper_user", "dispatcher")
        def get(self, load_id):
            return scoped_load_or_404(load_id).to_dict()

    @ns.route("/<int:load_id>/cancel")
    class CancelLoad(Resource):
        @roles_required("shipper_user", "dispatcher")
        def post(self, load_id):
            scoped_load_or_404(load_id, for_update=True).status = "cancelled"

    @ns.route("/<int:load_id>/label")
    class LoadLabel(Resource):
        @roles_required("shipper_user", "dispatcher")
        def get(self, load_id):
            load = db.session.get(Load, load_id)
            return load.label()
    """
    assert lines(src, "SEC036") == [39]

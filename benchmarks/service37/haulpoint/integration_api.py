"""The API-key API for shippers' TMS integrations."""
import logging

from flask import g, request
from flask_restx import Namespace, Resource, abort, fields, reqparse
from sqlalchemy import select

from . import queries, webhooks
from .extensions import db
from .models import Invoice, Load, Subscription
from .security import api_key_required, legacy_api_key_required

log = logging.getLogger(__name__)
ns = Namespace("integrations", description="TMS integrations (API keys)", security="apikey")

load_out = ns.model("IntegrationLoad", {
    "id": fields.Integer, "reference": fields.String, "tracking_number": fields.String, "status": fields.String,
    "weight_kg": fields.Integer, "price_cents": fields.Integer,
})
sub_in = ns.model("SubscriptionIn", {
    "channel": fields.String(required=True, enum=["email", "sms", "webhook"]),
    "target": fields.String(required=True, max_length=500),
    "events": fields.String(default="assigned,picked_up,delivered"),
})
page_args = reqparse.RequestParser()
page_args.add_argument("page", type=int, location="args", default=1)
page_args.add_argument("per_page", type=int, location="args", default=100)


@ns.route("/loads")
class Loads(Resource):
    @api_key_required("loads:read")
    @ns.expect(page_args)
    def get(self):
        a = page_args.parse_args()
        per_page = min(max(a["per_page"], 1), 500)  # SAFE: unbounded-query
        page = max(a["page"], 1)
        stmt = select(Load).where(Load.shipper_id == g.api_shipper.id).order_by(Load.id).offset((page - 1) * per_page).limit(per_page)  # SAFE: idor
        rows = db.session.execute(stmt).scalars().all()
        total = queries.count_loads(g.api_shipper.id)
        return {"items": [ns.marshal(r, load_out) for r in rows], "pages": queries.page_count(total, per_page)}


@ns.route("/loads/<string:tracking_number>")
class LoadByTracking(Resource):
    @api_key_required("loads:read")
    @ns.marshal_with(load_out)
    def get(self, tracking_number):
        load = db.session.execute(select(Load).where(Load.tracking_number == tracking_number)).scalar_one_or_none()  # SEEDED: SEC idor
        if load is None:
            abort(404, "unknown tracking number")
        return load


@ns.route("/loads/<string:tracking_number>/cancel")
class CancelByTracking(Resource):
    @api_key_required()
    def post(self, tracking_number):  # SEEDED: SEC token-presence-no-scope
        load = db.session.execute(select(Load).where(Load.tracking_number == tracking_number, Load.shipper_id == g.api_shipper.id)
                                  .with_for_update()).scalar_one_or_none()
        if load is None or load.status not in ("tendered", "assigned"):
            abort(409, "load cannot be cancelled")
        load.status = "cancelled"
        load.version = load.version + 1
        db.session.commit()
        return {"status": "cancelled"}


@ns.route("/invoices")
class Invoices(Resource):
    @api_key_required("billing:read")
    def get(self):
        rows = db.session.execute(select(Invoice).where(Invoice.shipper_id == g.api_shipper.id).order_by(Invoice.id.desc()).limit(500)).scalars().all()  # SAFE: unbounded-query
        return [{"number": i.number, "amount_cents": i.amount_cents, "paid_cents": i.paid_cents, "status": i.status} for i in rows]


@ns.route("/subscriptions")
class Subscriptions(Resource):
    @api_key_required("webhooks:write")
    @ns.expect(sub_in, validate=True)
    def post(self):
        body = request.get_json()
        if body["channel"] == "webhook":
            try:
                webhooks.assert_public_url(body["target"])  # SAFE: ssrf
            except (webhooks.UnsafeUrl, OSError) as exc:
                abort(400, str(exc))
        sub = Subscription(shipper_id=g.api_shipper.id, channel=body["channel"], target=body["target"], events=body.get("events"))
        db.session.add(sub)
        db.session.commit()
        return {"id": sub.id}, 201


@ns.route("/subscriptions/<int:sub_id>/test")
class TestSubscription(Resource):
    @api_key_required("webhooks:write")
    def post(self, sub_id):
        sub = db.session.execute(select(Subscription).where(Subscription.id == sub_id, Subscription.shipper_id == g.api_shipper.id)).scalar_one_or_none()  # SAFE: idor
        if sub is None or sub.channel != "webhook":
            abort(404, "webhook subscription not found")
        return webhooks.test_delivery(sub.target, g.api_shipper.name)


@ns.route("/legacy/loads")
class LegacyLoads(Resource):
    @legacy_api_key_required
    def get(self):
        stmt = select(Load).where(Load.shipper_id == g.api_shipper.id).order_by(Load.id.desc()).limit(200)  # SAFE: idor
        return [ns.marshal(r, load_out) for r in db.session.execute(stmt).scalars()]

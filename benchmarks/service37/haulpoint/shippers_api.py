"""Shippers: company profile, users, credit limit, rate cards and API keys."""
import logging

import yaml
from flask import request
from flask_restx import Namespace, Resource, abort, fields, reqparse
from sqlalchemy import select

from .extensions import db
from .models import Shipper, User
from .security import _key_digest, current_user, roles_required, shipper_scope, staff_required
from .tokens import new_api_key

log = logging.getLogger(__name__)
ns = Namespace("shippers", description="Shipper companies")

shipper_model = ns.model("Shipper", {
    "id": fields.Integer(readonly=True),
    "name": fields.String,
    "credit_limit_cents": fields.Integer,
    "balance_cents": fields.Integer,
    "timezone": fields.String,
    "webhook_url": fields.String,
})
shipper_full = ns.clone("ShipperFull", shipper_model, {
    "api_key_prefix": fields.String,
    "api_key_hash": fields.String,
    "webhook_secret": fields.String,
    "scopes": fields.String,
})
profile_model = ns.model("ShipperProfile", {
    "name": fields.String(max_length=200),
    "timezone": fields.String(max_length=64),
})
user_model = ns.model("ShipperUser", {"id": fields.Integer, "email": fields.String, "name": fields.String, "role": fields.String})

PROFILE_FIELDS = {"name", "timezone"}

user_list_args = reqparse.RequestParser()
user_list_args.add_argument("role", type=str, location="args", choices=("shipper_user", "shipper_admin"))
user_list_args.add_argument("limit", type=int, location="args", default=50)


def _own_shipper_or_404(shipper_id):
    scope = shipper_scope()
    if scope is not None and scope != shipper_id:  # SAFE: idor
        abort(404, "shipper not found")
    shipper = db.session.get(Shipper, shipper_id)
    if shipper is None:
        abort(404, "shipper not found")
    return shipper


@ns.route("/<int:shipper_id>")
class ShipperResource(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher", "billing", "admin")
    @ns.marshal_with(shipper_model)
    def get(self, shipper_id):
        return _own_shipper_or_404(shipper_id)

    @roles_required("shipper_admin", "admin")
    @ns.expect(profile_model, validate=True)
    @ns.marshal_with(shipper_model)
    def patch(self, shipper_id):
        shipper = _own_shipper_or_404(shipper_id)
        for key, value in request.get_json().items():
            if key in PROFILE_FIELDS:  # SAFE: mass-assignment
                setattr(shipper, key, value)
        db.session.commit()
        return shipper

    @roles_required("shipper_admin", "admin")
    @ns.marshal_with(shipper_model)
    def put(self, shipper_id):
        """The shipper portal's settings page posts the whole object back."""
        shipper = _own_shipper_or_404(shipper_id)
        for key, value in request.get_json().items():
            if hasattr(shipper, key) and key != "id":
                setattr(shipper, key, value)  # SEEDED: SEC mass-assignment
        db.session.commit()
        return shipper


@ns.route("/<int:shipper_id>/full")
class ShipperFullResource(Resource):
    @roles_required("shipper_admin", "dispatcher", "admin")
    @ns.marshal_with(shipper_full)
    def get(self, shipper_id):  # SEEDED: SEC excessive-data-exposure
        return _own_shipper_or_404(shipper_id)


@ns.route("/<int:shipper_id>/users")
class ShipperUsers(Resource):
    @roles_required("shipper_admin", "admin")
    @ns.expect(user_list_args)
    @ns.marshal_list_with(user_model)
    def get(self, shipper_id):
        _own_shipper_or_404(shipper_id)
        args = user_list_args.parse_args()
        stmt = select(User).where(User.shipper_id == shipper_id).limit(min(args["limit"], 200))  # SAFE: unbounded-query
        if args["role"]:
            stmt = stmt.where(User.role == args["role"])
        return db.session.execute(stmt).scalars().all()


@ns.route("/<int:shipper_id>/users/<int:user_id>")
class ShipperUser(Resource):
    @roles_required("shipper_admin", "admin")
    def delete(self, shipper_id, user_id):
        _own_shipper_or_404(shipper_id)
        user = db.session.execute(select(User).where(User.id == user_id, User.shipper_id == shipper_id)).scalar_one_or_none()  # SAFE: idor
        if user is None:
            abort(404, "user not found")
        if user.id == current_user().id:
            abort(400, "you cannot remove yourself")
        user.is_active = False
        user.token_version = User.token_version + 1
        db.session.commit()
        return "", 204


@ns.route("/<int:shipper_id>/credit-limit")
class CreditLimit(Resource):
    @staff_required
    def put(self, shipper_id):  # SEEDED: SEC missing-authz
        shipper = db.session.get(Shipper, shipper_id)
        if shipper is None:
            abort(404, "shipper not found")
        limit = int(request.get_json()["credit_limit_cents"])
        if limit < 0:
            abort(400, "credit limit must not be negative")
        shipper.credit_limit_cents = limit
        db.session.commit()
        return {"credit_limit_cents": limit}


@ns.route("/<int:shipper_id>/rate-card")
class RateCard(Resource):
    @roles_required("billing", "admin")
    def put(self, shipper_id):
        """Billing uploads rate cards as YAML exported from the pricing spreadsheet."""
        shipper = db.session.get(Shipper, shipper_id)
        if shipper is None:
            abort(404, "shipper not found")
        card = yaml.safe_load(request.get_data(as_text=True))  # SAFE: unsafe-yaml
        if not isinstance(card, dict) or "rate_per_mile" not in card:
            abort(400, "rate card needs rate_per_mile")
        shipper.rate_per_mile = card["rate_per_mile"]
        shipper.fuel_surcharge_pct = card.get("fuel_surcharge_pct", 0)
        db.session.commit()
        return {"ok": True}


@ns.route("/<int:shipper_id>/api-key")
class ApiKey(Resource):
    @roles_required("shipper_admin", "admin")
    def post(self, shipper_id):
        shipper = _own_shipper_or_404(shipper_id)
        prefix, raw = new_api_key()
        shipper.api_key_prefix = prefix
        shipper.api_key_hash = _key_digest(raw)  # SAFE: plaintext-secret-storage
        db.session.commit()
        log.info("API key rotated for shipper %s prefix=%s", shipper.id, prefix)  # SAFE: secret-in-log
        return {"api_key": raw}, 201

    @roles_required("shipper_user", "shipper_admin", "admin")
    def delete(self, shipper_id):  # SEEDED: SEC missing-authz
        shipper = _own_shipper_or_404(shipper_id)
        shipper.api_key_prefix = None
        shipper.api_key_hash = None
        db.session.commit()
        return "", 204

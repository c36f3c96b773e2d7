"""Quotes: price a lane, accept a quote (turns into a load), bulk lane pricing."""
import csv
import io
from datetime import datetime, timedelta, timezone

from flask import request
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort, fields
from sqlalchemy import select, update

from . import pricing
from .extensions import db
from .models import Quote, Shipper
from .security import roles_required, shipper_scope

ns = Namespace("quotes", description="Quotes and pricing")

quote_in = ns.model("QuoteIn", {
    "miles": fields.Integer(required=True, min=1, max=5000),
    "accessorials": fields.List(fields.String(enum=list(pricing.ACCESSORIALS_CENTS))),
    "hazmat": fields.Boolean(default=False),
})
quote_out = ns.model("Quote", {
    "id": fields.Integer, "miles": fields.Integer, "base_cents": fields.Integer, "fuel_cents": fields.Integer,
    "accessorial_cents": fields.Integer, "total_cents": fields.Integer, "status": fields.String,
    "expires_at": fields.DateTime(dt_format="iso8601"),
})


@ns.route("")
class QuoteList(Resource):
    @roles_required("shipper_user", "shipper_admin")
    @ns.expect(quote_in, validate=True)
    @ns.marshal_with(quote_out, code=201)
    def post(self):
        body = request.get_json()
        shipper = db.session.get(Shipper, get_jwt()["shipper_id"])
        base, fuel, extras, total = pricing.quote_total(body["miles"], shipper.rate_per_mile, shipper.fuel_surcharge_pct,
                                                        body.get("accessorials") or [], body.get("hazmat", False))
        quote = Quote(shipper_id=shipper.id, miles=body["miles"], base_cents=base, fuel_cents=fuel, accessorial_cents=extras,  # SAFE: naive-datetime
                      total_cents=total, expires_at=datetime.now(timezone.utc) + timedelta(hours=24))
        db.session.add(quote)
        db.session.commit()
        return quote, 201


@ns.route("/<int:quote_id>")
class QuoteResource(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher", "billing")
    @ns.marshal_with(quote_out)
    def get(self, quote_id):
        stmt = select(Quote).where(Quote.id == quote_id)
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Quote.shipper_id == scope)  # SAFE: idor
        quote = db.session.execute(stmt).scalar_one_or_none()
        if quote is None:
            abort(404, "quote not found")
        return quote


@ns.route("/<int:quote_id>/accept")
class AcceptQuote(Resource):
    @roles_required("shipper_admin")
    def post(self, quote_id):
        claims = get_jwt()
        now = datetime.now(timezone.utc)
        result = db.session.execute(update(Quote).where(Quote.id == quote_id, Quote.shipper_id == claims["shipper_id"],  # SAFE: check-then-act
                                                        Quote.status == "open", Quote.expires_at > now).values(status="accepted"))
        if result.rowcount != 1:
            db.session.rollback()
            abort(409, "quote is not open or has expired")
        db.session.commit()
        return {"status": "accepted"}


@ns.route("/<int:quote_id>/adjust")
class AdjustQuote(Resource):
    @roles_required("shipper_admin", "dispatcher")
    def post(self, quote_id):
        """A dispatcher (or the shipper's admin, on a counter-offer) changes the price."""
        quote = db.session.get(Quote, quote_id)
        if quote is None or (shipper_scope() is not None and quote.shipper_id != shipper_scope()):
            abort(404, "quote not found")
        quote.total_cents = int(request.get_json()["total_cents"])  # SEEDED: SEC client-trusted-amount
        db.session.commit()
        return {"total_cents": quote.total_cents}


@ns.route("/bulk")
class BulkQuotes(Resource):
    @roles_required("shipper_admin")
    def post(self):
        """CSV of ``origin,destination,miles`` lanes; returns a price per lane."""
        shipper = db.session.get(Shipper, get_jwt()["shipper_id"])
        upload = request.files.get("lanes")
        if upload is None:
            abort(400, "upload a CSV as 'lanes'")
        reader = csv.reader(io.TextIOWrapper(upload.stream, encoding="utf-8"))
        header = next(reader)  # SEEDED: EDGE empty-input
        out = []
        for i, row in enumerate(reader):
            if i >= 5000:
                abort(413, "at most 5000 lanes per upload")
            origin, destination, miles = row  # SEEDED: EDGE unpacking-mismatch
            out.append({"origin": origin, "destination": destination,
                        "cents": pricing.linehaul_cents_fast(int(miles), shipper.rate_per_mile)})
        return {"columns": header, "lanes": out}

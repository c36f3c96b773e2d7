"""Loads: tender, view, edit with an optimistic version, cancel, search, label and history."""
import logging
import math
import re

from flask import request, send_file
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort, fields, reqparse
from sqlalchemy import func, select, update

from . import queries
from .documents import render_label_pdf
from .extensions import db
from .models import Load, Shipper, Stop
from .security import current_user, roles_required, scoped_load_or_404, shipper_scope
from .timeutil import parse_local_window
from .tokens import new_tracking_number

log = logging.getLogger(__name__)
ns = Namespace("loads", description="Loads and shipments")

HAZMAT_CLASSES = ["1", "2.1", "2.2", "2.3", "3", "4.1", "4.2", "4.3", "5.1", "5.2", "6.1", "7", "8", "9"]

stop_in = ns.model("StopIn", {
    "kind": fields.String(required=True, enum=["pickup", "delivery"]),
    "address": fields.String(required=True, max_length=300),
    "lat": fields.Float, "lon": fields.Float,
    "tz": fields.String(required=True),
    "day": fields.String(required=True, pattern=r"^\d{4}-\d{2}-\d{2}$"),
    "window_start": fields.String(required=True, pattern=r"^\d{2}:\d{2}$"),
    "window_end": fields.String(required=True, pattern=r"^\d{2}:\d{2}$"),
})
load_in = ns.model("LoadIn", {
    "reference": fields.String(max_length=64),
    "weight_kg": fields.Integer(required=True, min=1, max=36000),
    "length_cm": fields.Integer(min=1), "width_cm": fields.Integer(min=1), "height_cm": fields.Integer(min=1),
    "hazmat_class": fields.String(enum=HAZMAT_CLASSES),
    "notes": fields.String(max_length=2000),
    "stops": fields.List(fields.Nested(stop_in), required=True, min_items=2, max_items=20),
})
load_out = ns.model("Load", {
    "id": fields.Integer, "reference": fields.String, "tracking_number": fields.String, "status": fields.String,
    "version": fields.Integer, "weight_kg": fields.Integer, "hazmat_class": fields.String, "price_cents": fields.Integer,
    "notes": fields.String, "created_at": fields.DateTime(dt_format="iso8601"),
})
edit_in = ns.model("LoadEdit", {
    "version": fields.Integer(required=True),
    "reference": fields.String(max_length=64),
    "notes": fields.String(max_length=2000),
    "weight_kg": fields.Integer(min=1, max=36000),
})
EDITABLE = ("reference", "notes", "weight_kg")

list_args = reqparse.RequestParser()
list_args.add_argument("status", type=str, location="args")
list_args.add_argument("page", type=int, location="args", default=1)
list_args.add_argument("per_page", type=int, location="args", default=25)


@ns.route("")
class LoadList(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher", "admin")
    @ns.expect(list_args)
    def get(self):
        args = list_args.parse_args()
        page = max(1, args["page"])
        per_page = min(max(1, args["per_page"]), 100)  # SAFE: unbounded-query
        stmt = select(Load).order_by(Load.id.desc())
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Load.shipper_id == scope)  # SAFE: idor
        if args["status"]:
            stmt = stmt.where(Load.status == args["status"])
        rows = db.session.execute(stmt.offset((page - 1) * per_page).limit(per_page)).scalars().all()  # SAFE: off-by-one-pagination
        total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
        return {"page": page, "pages": math.ceil(total / per_page),  # SAFE: division-by-zero
                "items": [ns.marshal(r, load_out) for r in rows]}

    @roles_required("shipper_user", "shipper_admin")
    @ns.expect(load_in, validate=True)
    def post(self):
        body = request.get_json()
        claims = get_jwt()
        shipper = db.session.get(Shipper, claims["shipper_id"])
        if shipper.balance_cents >= shipper.credit_limit_cents:  # SEEDED: EDGE check-then-act
            abort(402, "credit limit reached")
        load = Load(shipper_id=shipper.id, reference=body.get("reference"), weight_kg=body["weight_kg"],
                    length_cm=body.get("length_cm"), width_cm=body.get("width_cm"), height_cm=body.get("height_cm"),
                    hazmat_class=body.get("hazmat_class"), notes=body.get("notes", ""),
                    tracking_number=new_tracking_number())
        for seq, s in enumerate(body["stops"], start=1):
            lo, hi = parse_local_window(s["day"], s["window_start"], s["window_end"], s["tz"])
            load.stops.append(Stop(seq=seq, kind=s["kind"], address=s["address"], lat=s.get("lat"), lon=s.get("lon"),
                                   tz=s["tz"], window_start=lo, window_end=hi))
        if load.stops[0].kind != "pickup" or load.stops[-1].kind != "delivery":
            abort(400, "a load starts with a pickup and ends with a delivery")
        db.session.add(load)
        db.session.commit()
        return ns.marshal(load, load_out), 201


@ns.route("/<int:load_id>")
class LoadResource(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher", "billing", "admin")
    @ns.marshal_with(load_out)
    def get(self, load_id):
        return scoped_load_or_404(load_id)

    @roles_required("shipper_user", "shipper_admin", "dispatcher")
    @ns.expect(edit_in, validate=True)
    @ns.marshal_with(load_out)
    def patch(self, load_id):
        body = request.get_json()
        load = scoped_load_or_404(load_id)
        changes = {k: body[k] for k in EDITABLE if k in body}  # SAFE: mass-assignment
        if not changes:
            abort(400, "nothing to change")
        result = db.session.execute(update(Load).where(Load.id == load.id, Load.version == body["version"])  # SAFE: check-then-act
                                    .values(version=Load.version + 1, **changes))
        if result.rowcount != 1:
            db.session.rollback()
            abort(409, "load was changed by someone else; reload and try again")
        db.session.commit()
        db.session.refresh(load)
        return load


@ns.route("/<int:load_id>/cancel")
class CancelLoad(Resource):
    @roles_required("shipper_admin", "dispatcher", "admin")
    def post(self, load_id):
        load = scoped_load_or_404(load_id, for_update=True)  # SAFE: check-then-act
        if load.status in ("delivered", "cancelled"):
            abort(409, f"load is already {load.status}")
        if load.status == "in_transit" and get_jwt().get("role") != "admin":  # SAFE: missing-authz
            abort(403, "only an admin can cancel a load in transit")
        load.status = "cancelled"
        load.version = load.version + 1
        db.session.commit()
        return {"status": load.status, "version": load.version}


@ns.route("/<int:load_id>/label")
class LoadLabel(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher", "admin")
    def get(self, load_id):
        load = db.session.get(Load, load_id)  # SEEDED: SEC idor
        if load is None:
            abort(404, "load not found")
        buf = render_label_pdf(load)
        return send_file(buf, mimetype="application/pdf", download_name=f"{load.tracking_number}.pdf")


search_args = reqparse.RequestParser()
search_args.add_argument("q", type=str, location="args", required=True)


@ns.route("/search")
class LoadSearch(Resource):
    @roles_required("shipper_user", "shipper_admin")
    @ns.expect(search_args)
    def get(self):
        q = search_args.parse_args()["q"]
        rows = queries.search_loads(get_jwt()["shipper_id"], q)
        return [ns.marshal(r, load_out) for r in rows]


@ns.route("/search/references")
class ReferenceSearch(Resource):
    @roles_required("dispatcher", "admin")
    @ns.expect(search_args)
    def get(self):
        return [dict(r) for r in queries.search_references(search_args.parse_args()["q"])]


@ns.route("/by-reference")
class ByReference(Resource):
    @roles_required("shipper_user", "shipper_admin")
    def post(self):
        refs = request.get_json().get("references") or []
        if len(refs) > 200:  # SAFE: unbounded-loop-input
            abort(400, "at most 200 references")
        return [dict(r) for r in queries.loads_by_references(get_jwt()["shipper_id"], refs)]


@ns.route("/<int:load_id>/dimensions")
class Dimensions(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher")
    def get(self, load_id):
        load = scoped_load_or_404(load_id)
        volume_m3 = (load.length_cm or 0) * (load.width_cm or 0) * (load.height_cm or 0) / 1_000_000
        density = load.weight_kg / volume_m3  # SEEDED: EDGE division-by-zero
        return {"volume_m3": round(volume_m3, 3), "density_kg_m3": round(density, 1),
                "requested_by": current_user().id}


@ns.route("/notes/grep")
class NotesGrep(Resource):
    @roles_required("shipper_admin", "dispatcher")
    def get(self):
        """Find loads whose notes match a pattern, e.g. ``dock\\s*7``."""
        pattern = re.compile(request.args.get("pattern", ""), re.IGNORECASE)  # SEEDED: SEC regex-injection
        stmt = select(Load).order_by(Load.id.desc()).limit(500)
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Load.shipper_id == scope)  # SAFE: idor
        return [r.id for r in db.session.execute(stmt).scalars() if pattern.search(r.notes or "")]


@ns.route("/notes/find")
class NotesFind(Resource):
    @roles_required("shipper_admin", "dispatcher")
    def get(self):
        needle = re.compile(re.escape(request.args.get("text", "")[:100]), re.IGNORECASE)  # SAFE: regex-injection
        stmt = select(Load).order_by(Load.id.desc()).limit(500)  # SAFE: unbounded-query
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Load.shipper_id == scope)
        return [r.id for r in db.session.execute(stmt).scalars() if needle.search(r.notes or "")]


@ns.route("/recent")
class RecentLoads(Resource):
    @roles_required("shipper_user", "shipper_admin")
    def get(self):
        page = request.args.get("page", 1, type=int)
        per_page = 20
        stmt = (select(Load).where(Load.shipper_id == get_jwt()["shipper_id"]).order_by(Load.created_at.desc())  # SEEDED: EDGE off-by-one-pagination
                .offset(page * per_page).limit(per_page))
        return [ns.marshal(r, load_out) for r in db.session.execute(stmt).scalars()]

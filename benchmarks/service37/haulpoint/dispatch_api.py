"""Dispatch board: assign a driver and truck, reassign, unassign, hazmat and hours-of-service checks."""
import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from flask import request
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort, fields, reqparse
from sqlalchemy import select, update

from . import hos, queries
from .extensions import db, get_redis
from .models import Driver, HosLog, Load, Vehicle
from .notify import notify_shipper
from .security import current_user, roles_required
from .tokens import new_pickup_code

log = logging.getLogger(__name__)
ns = Namespace("dispatch", description="Dispatch board")

assign_in = ns.model("Assign", {
    "version": fields.Integer(required=True),
    "driver_id": fields.Integer(required=True),
    "vehicle_id": fields.Integer(required=True),
    "estimated_drive_minutes": fields.Integer(required=True, min=1, max=5000),
})
board_args = reqparse.RequestParser()
board_args.add_argument("status", type=str, location="args", default="tendered")
board_args.add_argument("sort", type=str, location="args", default="created")
board_args.add_argument("direction", type=str, location="args", default="desc")
board_args.add_argument("page", type=int, location="args", default=1)

_board_cache = {}
_board_cache_lock = threading.Lock()
BOARD_TTL = 15
_assign_counts = {}


@ns.route("/board")
class Board(Resource):
    @roles_required("dispatcher", "admin")
    @ns.expect(board_args)
    def get(self):
        a = board_args.parse_args()
        key = (a["status"], a["sort"], a["direction"], a["page"])
        now = time.monotonic()
        with _board_cache_lock:
            hit = _board_cache.get(key)
            if hit and now - hit[0] < BOARD_TTL:
                return hit[1]
        rows = [dict(r) for r in queries.board_rows(a["status"], a["sort"], a["direction"], max(1, a["page"]))]
        with _board_cache_lock:
            if len(_board_cache) > 256:
                _board_cache.clear()  # SAFE: unbounded-cache
            _board_cache[key] = (now, rows)
        return rows


def _check_driver(driver: Driver, load: Load, minutes: int):
    if load.hazmat_class and not driver.hazmat_endorsed:
        abort(409, "driver lacks a hazmat endorsement")
    logs = db.session.execute(select(HosLog).where(HosLog.driver_id == driver.id).order_by(HosLog.started_at.desc()).limit(200)).scalars().all()  # SAFE: unbounded-query
    if not hos.can_take_load(logs, timedelta(minutes=minutes)):
        abort(409, "driver does not have the hours left")


@ns.route("/loads/<int:load_id>/assign")
class Assign(Resource):
    @roles_required("dispatcher", "admin")
    @ns.expect(assign_in, validate=True)
    def post(self, load_id):
        body = request.get_json()
        load = db.session.get(Load, load_id)
        driver = db.session.get(Driver, body["driver_id"])
        vehicle = db.session.get(Vehicle, body["vehicle_id"])
        if load is None or driver is None or vehicle is None:
            abort(404, "load, driver or vehicle not found")
        if load.weight_kg > vehicle.max_weight_kg:
            abort(409, "load is over the truck's limit")
        _check_driver(driver, load, body["estimated_drive_minutes"])
        result = db.session.execute(update(Load).where(Load.id == load.id, Load.version == body["version"], Load.status == "tendered")  # SAFE: check-then-act
                                    .values(driver_id=driver.id, vehicle_id=vehicle.id, carrier_id=driver.carrier_id,
                                            status="assigned", version=Load.version + 1))
        if result.rowcount != 1:
            db.session.rollback()
            abort(409, "load changed since you loaded the board")
        db.session.commit()
        _assign_counts[driver.id] = _assign_counts.get(driver.id, 0) + 1  # SEEDED: EDGE unbounded-cache
        notify_shipper(load.shipper_id, "assigned", {"tracking_number": load.tracking_number})
        return {"status": "assigned"}


@ns.route("/loads/<int:load_id>/reassign")
class Reassign(Resource):
    @roles_required("dispatcher", "admin")
    def post(self, load_id):
        body = request.get_json() or {}
        load = db.session.get(Load, load_id)
        if load is None:
            abort(404, "load not found")
        if load.version != body.get("version"):  # SEEDED: EDGE check-then-act
            abort(409, "stale version")
        driver = db.session.get(Driver, body.get("driver_id"))
        if driver is None:
            abort(404, "driver not found")
        load.driver_id = driver.id
        load.version = load.version + 1
        db.session.commit()
        log.info("load %s reassigned to driver %s (%s, %s) by %s", load.id, driver.id, driver.name, driver.phone, current_user().email)  # SEEDED: SEC pii-in-log
        return {"status": load.status, "version": load.version}


@ns.route("/loads/<int:load_id>/unassign")
class Unassign(Resource):
    @roles_required("dispatcher", "admin", "driver")
    def post(self, load_id):  # SEEDED: SEC missing-authz
        load = db.session.execute(select(Load).where(Load.id == load_id).with_for_update()).scalar_one_or_none()
        if load is None or load.status not in ("assigned", "accepted"):
            abort(409, "load cannot be unassigned")
        load.driver_id = None
        load.vehicle_id = None
        load.status = "tendered"
        load.version = load.version + 1
        db.session.commit()
        return {"status": load.status}


@ns.route("/loads/<int:load_id>/pickup-code")
class PickupCode(Resource):
    @roles_required("dispatcher")
    def post(self, load_id):
        code = new_pickup_code()
        get_redis().set(f"pickup:{load_id}", code, ex=86400)
        return {"code": code, "by": get_jwt().get("sub")}


@ns.route("/loads/<int:load_id>/release")
class Release(Resource):
    @roles_required("driver")
    def post(self, load_id):
        """The dock clerk types the code the driver reads out."""
        r = get_redis()
        expected = r.get(f"pickup:{load_id}")
        supplied = (request.get_json() or {}).get("code", "")
        if expected is None or expected.decode() != supplied:  # SEEDED: SEC brute-force
            abort(403, "wrong code")
        r.delete(f"pickup:{load_id}")
        own_driver = select(Driver.id).where(Driver.user_id == current_user().id).scalar_subquery()  # SAFE: idor
        db.session.execute(update(Load).where(Load.id == load_id, Load.driver_id == own_driver, Load.status == "assigned").values(status="in_transit"))
        db.session.commit()
        return {"status": "in_transit"}


@ns.route("/stale")
class StaleTenders(Resource):
    @roles_required("dispatcher", "admin")
    def get(self):
        """Tendered loads nobody has picked up for more than four hours."""
        rows = db.session.execute(select(Load).where(Load.status == "tendered").order_by(Load.created_at).limit(500)).scalars().all()  # SAFE: unbounded-query
        cutoff = datetime.utcnow() - timedelta(hours=4)
        return [{"id": l.id, "tracking_number": l.tracking_number} for l in rows if l.created_at < cutoff]  # SEEDED: EDGE naive-aware-compare


@ns.route("/aging")
class TenderAging(Resource):
    @roles_required("dispatcher", "admin")
    def get(self):
        cutoff = datetime.now(timezone.utc) - timedelta(hours=4)  # SAFE: naive-datetime
        stmt = select(Load.id, Load.tracking_number).where(Load.status == "tendered", Load.created_at < cutoff).limit(500)  # SAFE: naive-aware-compare
        return [{"id": i, "tracking_number": t} for i, t in db.session.execute(stmt).all()]

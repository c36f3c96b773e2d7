"""Carriers, drivers (licences, hazmat endorsements, hours of service) and vehicles."""
import logging
from datetime import date, datetime, timedelta, timezone

from flask import request
from flask_jwt_extended import get_jwt, jwt_required
from flask_restx import Namespace, Resource, abort, fields, reqparse
from sqlalchemy import select, update

from . import hos
from .extensions import db
from .models import Carrier, Driver, HosLog, Vehicle
from .security import current_user, roles_required, staff_required
from .tokens import decrypt_field, encrypt_field

log = logging.getLogger(__name__)
ns = Namespace("carriers", description="Carriers, drivers and vehicles")

driver_out = ns.model("Driver", {
    "id": fields.Integer, "carrier_id": fields.Integer, "name": fields.String, "licence_state": fields.String,
    "licence_expiry": fields.Date, "hazmat_endorsed": fields.Boolean, "home_tz": fields.String,
})
driver_in = ns.model("DriverIn", {
    "name": fields.String(required=True, max_length=200),
    "phone": fields.String(pattern=r"^\+?[0-9 ()-]{7,20}$"),
    "licence_number": fields.String(required=True, max_length=40),
    "licence_state": fields.String(required=True, pattern=r"^[A-Z]{2}$"),
    "licence_expiry": fields.Date(required=True),
    "hazmat_endorsed": fields.Boolean(default=False),
    "home_tz": fields.String(default="America/Chicago"),
})
hos_in = ns.model("HosEntry", {
    "status": fields.String(required=True, enum=["off", "sleeper", "driving", "on_duty"]),
    "at": fields.DateTime(required=True, dt_format="iso8601"),
})

expiring_args = reqparse.RequestParser()
expiring_args.add_argument("days", type=int, location="args", default=30)


@ns.route("/<int:carrier_id>/drivers")
class Drivers(Resource):
    @staff_required
    @ns.marshal_list_with(driver_out)
    def get(self, carrier_id):
        return db.session.execute(select(Driver).where(Driver.carrier_id == carrier_id).order_by(Driver.name).limit(500)).scalars().all()  # SAFE: unbounded-query

    @roles_required("dispatcher", "admin")
    @ns.expect(driver_in, validate=True)
    @ns.marshal_with(driver_out, code=201)
    def post(self, carrier_id):
        if db.session.get(Carrier, carrier_id) is None:
            abort(404, "carrier not found")
        body = request.get_json()
        driver = Driver(carrier_id=carrier_id, name=body["name"], phone=body.get("phone"),  # SAFE: plaintext-pii-storage
                        licence_number=encrypt_field(body["licence_number"]), licence_state=body["licence_state"],
                        licence_expiry=date.fromisoformat(body["licence_expiry"]), hazmat_endorsed=body.get("hazmat_endorsed", False),
                        home_tz=body.get("home_tz", "America/Chicago"))
        db.session.add(driver)
        db.session.commit()
        log.info("driver %s added to carrier %s", driver.id, carrier_id)  # SAFE: pii-in-log
        return driver, 201


@ns.route("/drivers/<int:driver_id>/licence")
class DriverLicence(Resource):
    @roles_required("dispatcher", "admin", "driver")
    def get(self, driver_id):
        driver = db.session.get(Driver, driver_id)
        if driver is None:
            abort(404, "driver not found")
        if get_jwt().get("role") == "driver" and driver.user_id != current_user().id:  # SAFE: idor
            abort(404, "driver not found")
        return {"licence_number": decrypt_field(driver.licence_number), "state": driver.licence_state,
                "expiry": driver.licence_expiry.isoformat() if driver.licence_expiry else None}


@ns.route("/drivers/expiring")
class ExpiringLicences(Resource):
    @roles_required("dispatcher", "admin")
    @ns.expect(expiring_args)
    def get(self):
        days = min(max(expiring_args.parse_args()["days"], 1), 365)
        cutoff = date.today() + timedelta(days=days)
        rows = db.session.execute(select(Driver).where(Driver.licence_expiry <= cutoff).limit(500)).scalars().all()  # SAFE: unbounded-query
        return [{"id": d.id, "name": d.name, "phone": d.phone, "licence_expiry": d.licence_expiry.isoformat()} for d in rows]


@ns.route("/drivers/<int:driver_id>/hos")
class DriverHos(Resource):
    @roles_required("driver")
    @ns.expect(hos_in, validate=True)
    def post(self, driver_id):
        driver = db.session.execute(select(Driver).where(Driver.id == driver_id, Driver.user_id == current_user().id)).scalar_one_or_none()  # SAFE: idor
        if driver is None:
            abort(404, "driver not found")
        at = datetime.fromisoformat(request.get_json()["at"])
        if at.tzinfo is None or at > datetime.now(timezone.utc) + timedelta(minutes=5):  # SAFE: naive-aware-compare
            abort(400, "timestamp must carry an offset and not be in the future")
        last = db.session.execute(select(HosLog).where(HosLog.driver_id == driver.id, HosLog.ended_at.is_(None))  # SAFE: check-then-act
                                  .with_for_update()).scalar_one_or_none()
        if last is not None:
            last.ended_at = at
        db.session.add(HosLog(driver_id=driver.id, status=request.get_json()["status"], started_at=at))
        db.session.commit()
        return {"ok": True}, 201

    @roles_required("dispatcher", "admin", "driver")
    def get(self, driver_id):
        logs = db.session.execute(select(HosLog).where(HosLog.driver_id == driver_id).order_by(HosLog.started_at.desc()).limit(200)).scalars().all()  # SEEDED: SEC idor
        left = hos.remaining(logs)
        return {"driving_left_min": int(left["driving"].total_seconds() // 60),
                "window_left_min": int(left["window"].total_seconds() // 60),
                "violation_hours": hos.violation_hours(logs), "duty_ratio": hos.duty_ratio(logs)}


@ns.route("/vehicles/<int:vehicle_id>")
class VehicleResource(Resource):
    @staff_required
    def get(self, vehicle_id):
        v = db.session.get(Vehicle, vehicle_id)
        if v is None:
            abort(404, "vehicle not found")
        return {"id": v.id, "plate": v.plate, "odometer_km": float(v.odometer_km or 0), "device_serial": v.device_serial}

    @roles_required("dispatcher", "admin")
    def put(self, vehicle_id):
        v = db.session.get(Vehicle, vehicle_id)
        if v is None:
            abort(404, "vehicle not found")
        db.session.execute(update(Vehicle).where(Vehicle.id == vehicle_id).values(**request.get_json()))  # SEEDED: SEC mass-assignment
        db.session.commit()
        return {"ok": True}


@ns.route("/<int:carrier_id>/insurance")
class Insurance(Resource):
    @roles_required("dispatcher", "admin")
    def get(self, carrier_id):
        carrier = db.session.get(Carrier, carrier_id)
        if carrier is None:
            abort(404, "carrier not found")
        days_left = (carrier.insurance_expiry - date.today()).days  # SEEDED: EDGE none-input
        return {"days_left": days_left, "ok": days_left > 0}


@ns.route("/drivers/roster")
class DriverRoster(Resource):
    @jwt_required()
    def get(self):  # SEEDED: SEC missing-authz
        """Today's roster for the dispatch wallboard."""
        rows = db.session.execute(select(Driver).order_by(Driver.name).limit(1000)).scalars().all()
        return [{"id": d.id, "name": d.name, "phone": d.phone, "carrier_id": d.carrier_id} for d in rows]


@ns.route("/drivers/me")
class DriverMe(Resource):
    @roles_required("driver")
    def get(self):
        driver = db.session.execute(select(Driver).where(Driver.user_id == current_user().id)).scalar_one_or_none()  # SAFE: idor
        if driver is None:
            abort(404, "no driver profile")
        return ns.marshal(driver, driver_out)


@ns.route("/vehicles/<int:vehicle_id>/fuel")
class FuelEconomy(Resource):
    @roles_required("dispatcher", "admin")
    def post(self, vehicle_id):
        body = request.get_json() or {}
        litres = float(body.get("litres", 0))
        km = float(body.get("km", 0))
        if litres <= 0 or km < 0:  # SAFE: division-by-zero
            abort(400, "litres must be positive")
        return {"l_per_100km": round(litres * 100 / km, 2) if km else None, "km_per_l": round(km / litres, 2)}  # SAFE: division-by-zero

    @roles_required("dispatcher", "admin")
    def get(self, vehicle_id):
        v = db.session.get(Vehicle, vehicle_id)
        if v is None:
            abort(404, "vehicle not found")
        litres = float(request.args.get("litres", "0"))
        return {"km_per_l": round(float(v.odometer_km or 0) / litres, 2)}  # SEEDED: EDGE division-by-zero

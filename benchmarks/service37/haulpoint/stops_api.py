"""Stops: arrival / departure check-ins from the driver app, appointment changes, detention."""
from datetime import datetime, timedelta, timezone

from flask import request
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort, fields
from sqlalchemy import select

from .extensions import db
from .models import Driver, Load, Stop
from .security import current_user, roles_required, shipper_scope
from .timeutil import parse_local_window, zone, window_hours

ns = Namespace("stops", description="Stops of a load")

checkin_model = ns.model("CheckIn", {"at": fields.String(description="ISO-8601 with offset; now if absent")})
window_model = ns.model("Window", {
    "day": fields.String(required=True, pattern=r"^\d{4}-\d{2}-\d{2}$"),
    "window_start": fields.String(required=True, pattern=r"^\d{2}:\d{2}$"),
    "window_end": fields.String(required=True, pattern=r"^\d{2}:\d{2}$"),
})


def _driver_stop_or_404(stop_id):
    user = current_user()
    stmt = (select(Stop).join(Load, Load.id == Stop.load_id).join(Driver, Driver.id == Load.driver_id)  # SAFE: idor
            .where(Stop.id == stop_id, Driver.user_id == user.id))
    stop = db.session.execute(stmt).scalar_one_or_none()
    if stop is None:
        abort(404, "stop not found")
    return stop


def _when(body):
    raw = (body or {}).get("at")
    if not raw:
        return datetime.now(timezone.utc)
    at = datetime.fromisoformat(raw)
    if at.tzinfo is None:  # SAFE: naive-datetime
        abort(400, "timestamps need a UTC offset")
    return at


@ns.route("/<int:stop_id>/arrive")
class Arrive(Resource):
    @roles_required("driver")
    @ns.expect(checkin_model)
    def post(self, stop_id):
        stop = _driver_stop_or_404(stop_id)
        stop.arrived_at = _when(request.get_json(silent=True))
        db.session.commit()
        late = stop.window_end is not None and stop.arrived_at > stop.window_end  # SAFE: none-input
        return {"arrived_at": stop.arrived_at.isoformat(), "late": late}


@ns.route("/<int:stop_id>/depart")
class Depart(Resource):
    @roles_required("driver")
    @ns.expect(checkin_model)
    def post(self, stop_id):
        stop = _driver_stop_or_404(stop_id)
        if stop.arrived_at is None:  # SAFE: none-input
            abort(409, "check in before departing")
        stop.departed_at = _when(request.get_json(silent=True))
        db.session.commit()
        return {"dwell_minutes": int((stop.departed_at - stop.arrived_at).total_seconds() // 60)}


@ns.route("/<int:stop_id>/detention")
class Detention(Resource):
    @roles_required("dispatcher", "billing")
    def get(self, stop_id):
        stop = db.session.get(Stop, stop_id)
        if stop is None:
            abort(404, "stop not found")
        dwell = stop.departed_at - stop.arrived_at  # SEEDED: EDGE none-dereference
        free = timedelta(hours=2)
        billable_hours = max(0, (dwell - free).seconds // 3600)  # SEEDED: EDGE timedelta-seconds
        return {"billable_hours": billable_hours}


@ns.route("/<int:stop_id>/window")
class Window(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher")
    @ns.expect(window_model, validate=True)
    def put(self, stop_id):
        body = request.get_json()
        stmt = select(Stop).join(Load, Load.id == Stop.load_id).where(Stop.id == stop_id)
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Load.shipper_id == scope)  # SAFE: idor
        stop = db.session.execute(stmt).scalar_one_or_none()
        if stop is None:
            abort(404, "stop not found")
        lo, hi = parse_local_window(body["day"], body["window_start"], body["window_end"], stop.tz)
        if window_hours(lo, hi) > 24:
            abort(400, "a window is at most 24 hours")
        stop.window_start, stop.window_end = lo, hi
        db.session.commit()
        return {"window_start": lo.isoformat(), "window_end": hi.isoformat()}


@ns.route("/<int:stop_id>/notes")
class StopNotes(Resource):
    @roles_required("driver", "dispatcher")
    def put(self, stop_id):
        stop = db.session.get(Stop, stop_id)  # SEEDED: SEC idor
        if stop is None:
            abort(404, "stop not found")
        load = db.session.get(Load, stop.load_id)
        load.notes = (load.notes or "") + f"\n[stop {stop.seq}] " + request.get_json().get("note", "")[:500]
        db.session.commit()
        return {"ok": True, "by": get_jwt().get("role")}


@ns.route("/today")
class TodayStops(Resource):
    @roles_required("driver")
    def get(self):
        user = current_user()
        driver = db.session.execute(select(Driver).where(Driver.user_id == user.id)).scalar_one_or_none()  # SAFE: idor
        if driver is None:
            abort(404, "no driver profile")
        tz = zone(driver.home_tz)
        today = datetime.now().date()  # SEEDED: EDGE naive-datetime
        start = datetime.combine(today, datetime.min.time(), tzinfo=tz)
        stmt = (select(Stop).join(Load, Load.id == Stop.load_id)  # SAFE: unbounded-query
                .where(Load.driver_id == driver.id, Stop.window_start >= start, Stop.window_start < start + timedelta(days=1))
                .order_by(Stop.window_start).limit(50))
        return [{"id": s.id, "address": s.address, "kind": s.kind, "window_start": s.window_start.isoformat()}
                for s in db.session.execute(stmt).scalars()]


@ns.route("/<int:stop_id>/push")
class PushAppointment(Resource):
    @roles_required("dispatcher")
    def post(self, stop_id):
        """Move an appointment to the same hours on another day (the consignee asked)."""
        stop = db.session.get(Stop, stop_id)
        if stop is None or stop.window_start is None:  # SAFE: none-input
            abort(404, "stop has no appointment")
        days = int((request.get_json() or {}).get("days", 1))
        stop.window_start = stop.window_start + timedelta(days=days)  # SEEDED: EDGE dst-drift
        stop.window_end = stop.window_end + timedelta(days=days)
        db.session.commit()
        return {"window_start": stop.window_start.isoformat()}


@ns.route("/<int:stop_id>/push-local")
class PushAppointmentLocal(Resource):
    @roles_required("dispatcher")
    def post(self, stop_id):
        stop = db.session.get(Stop, stop_id)
        if stop is None or stop.window_start is None or stop.window_end is None:
            abort(404, "stop has no appointment")
        days = max(-30, min(30, int((request.get_json() or {}).get("days", 1))))
        tz = zone(stop.tz)
        new = []
        for edge in (stop.window_start, stop.window_end):
            local = edge.astimezone(tz)
            moved = datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=tz)  # SAFE: dst-drift
            new.append(moved.astimezone(timezone.utc))
        stop.window_start, stop.window_end = new
        db.session.commit()
        return {"window_start": stop.window_start.isoformat(), "by": get_jwt().get("sub")}

"""GPS pings from in-cab devices: the signed webhook, the legacy gateway, geofences and ETAs."""
import json
import logging
import threading
from datetime import datetime, timedelta, timezone

import msgpack
from flask import request
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort, fields
from sqlalchemy import func, select

from . import geo, queries
from .extensions import db, get_queue, get_redis
from .models import Geofence, Load, Ping, Stop, Vehicle
from .security import client_ip, roles_required, scoped_load_or_404
from .timeutil import parse_device_time
from .tokens import decrypt_gateway_frame, decrypt_gateway_frame_v2, device_token_matches, verify_signature

log = logging.getLogger(__name__)
ns = Namespace("telematics", description="Device ingestion, geofences and ETAs")

MAX_BATCH = 500
_stats_lock = threading.Lock()
_stats = {"accepted": 0, "rejected": 0}
_legacy_seen = 0

geofence_in = ns.model("GeofenceIn", {
    "name": fields.String(required=True, max_length=120),
    "lat": fields.Float(required=True, min=-90, max=90),
    "lon": fields.Float(required=True, min=-180, max=180),
    "radius_m": fields.Integer(required=True, min=50, max=50000),
})


def _count(key, n=1):
    with _stats_lock:
        _stats[key] += n  # SAFE: unsynchronized-counter


def _store(vehicle, points):
    accepted = 0
    prev = db.session.execute(select(Ping.odometer_km).where(Ping.vehicle_id == vehicle.id)
                              .order_by(Ping.recorded_at.desc()).limit(1)).scalar()
    for p in points[:MAX_BATCH]:  # SAFE: unbounded-loop-input
        lat, lon = p.get("lat"), p.get("lon")
        if not geo.valid_coordinates(lat, lon) or "ts" not in p:  # SAFE: unvalidated-parse
            continue
        recorded = parse_device_time(p["ts"])
        db.session.add(Ping(vehicle_id=vehicle.id, lat=lat, lon=lon, speed_kph=p.get("speed"), odometer_km=p.get("odo"),
                            recorded_at=recorded))
        if p.get("odo") is not None:
            vehicle.odometer_km = float(vehicle.odometer_km or 0) + geo.odometer_delta_km(prev, p["odo"])
            prev = p["odo"]
        accepted += 1
    db.session.commit()
    _count("accepted", accepted)
    if accepted:
        get_queue("telematics").enqueue("haulpoint.jobs.evaluate_geofences", vehicle.id, job_timeout=120)
    return accepted


@ns.route("/devices/<string:serial>/pings")
class SignedPings(Resource):
    def post(self, serial):
        vehicle = db.session.execute(select(Vehicle).where(Vehicle.device_serial == serial)).scalar_one_or_none()
        raw = request.get_data(cache=False)
        if vehicle is None or not vehicle.device_secret or not verify_signature(vehicle.device_secret, raw, request.headers.get("X-Signature", "")):  # SAFE: missing-authentication
            _count("rejected")
            abort(401, "bad signature")
        if request.content_type == "application/msgpack":
            payload = msgpack.unpackb(raw, raw=False, max_array_len=MAX_BATCH, max_map_len=32, strict_map_key=True)  # SAFE: unsafe-deserialization
        else:
            payload = json.loads(raw)
        points = payload.get("points") if isinstance(payload, dict) else None  # SAFE: none-input
        if not points:  # SAFE: empty-input
            abort(400, "no points")
        return {"accepted": _store(vehicle, points)}, 202


@ns.route("/legacy/ping")
class LegacyPing(Resource):
    def post(self):
        """The 2019 gateway posts one ping with the device token in the query string."""
        global _legacy_seen
        _legacy_seen += 1  # SEEDED: EDGE unsynchronized-counter
        serial = request.args.get("serial", "")
        vehicle = db.session.execute(select(Vehicle).where(Vehicle.device_serial == serial)).scalar_one_or_none()
        if vehicle is None or not device_token_matches(vehicle.device_secret or "", request.args.get("token", "")):
            log.warning("legacy ping rejected serial=%s token=%s ip=%s", serial, request.args.get("token"), client_ip())  # SEEDED: SEC secret-in-log
            abort(401, "unknown device")
        body = request.stream.read()  # SEEDED: EDGE unbounded-read
        point = json.loads(body)
        return {"accepted": _store(vehicle, [point])}, 202


@ns.route("/legacy/replay")
class LegacyReplay(Resource):
    def post(self):
        """Replays a gateway's buffered pings after an outage (msgpack; the gateway has no signing key)."""
        serial = request.args.get("serial", "")
        vehicle = db.session.execute(select(Vehicle).where(Vehicle.device_serial == serial)).scalar_one_or_none()
        if vehicle is None or not device_token_matches(vehicle.device_secret or "", request.headers.get("X-Device-Token", "")):
            abort(401, "unknown device")
        points = msgpack.unpackb(request.get_data(), raw=False)
        key = f"replay:{serial}"
        r = get_redis()
        if r.get(key):  # SEEDED: EDGE check-then-act
            abort(409, "a replay is already running for this device")
        r.set(key, "1", ex=600)
        try:
            accepted = 0
            for start in range(0, len(points), MAX_BATCH):  # SEEDED: EDGE unbounded-loop-input
                accepted += _store(vehicle, points[start:start + MAX_BATCH])
            return {"accepted": accepted}, 202
        finally:
            r.delete(key)


@ns.route("/geofences")
class Geofences(Resource):
    @roles_required("shipper_admin")
    @ns.expect(geofence_in, validate=True)
    def post(self):
        body = request.get_json()
        fence = Geofence(shipper_id=get_jwt()["shipper_id"], name=body["name"], lat=body["lat"], lon=body["lon"],
                         radius_m=body["radius_m"])
        db.session.add(fence)
        db.session.commit()
        return {"id": fence.id}, 201


@ns.route("/geofences/<int:fence_id>")
class GeofenceResource(Resource):
    @roles_required("shipper_admin", "dispatcher")
    def delete(self, fence_id):
        fence = db.session.get(Geofence, fence_id)  # SEEDED: SEC idor
        if fence is None:
            abort(404, "geofence not found")
        db.session.delete(fence)
        db.session.commit()
        return "", 204


@ns.route("/loads/<int:load_id>/eta")
class LoadEta(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher")
    def get(self, load_id):
        load = scoped_load_or_404(load_id)
        if load.vehicle_id is None:
            return {"eta": None, "reason": "not dispatched"}
        since = datetime.now(timezone.utc) - timedelta(hours=1)  # SAFE: naive-datetime
        pings = queries.recent_pings(load.vehicle_id, since, limit=120)
        if not pings:  # SAFE: empty-collection
            return {"eta": None, "reason": "no recent position"}
        last = pings[-1]
        nxt = db.session.execute(select(Stop).where(Stop.load_id == load.id, Stop.arrived_at.is_(None)).order_by(Stop.seq).limit(1)).scalar_one_or_none()
        if nxt is None or nxt.lat is None:  # SAFE: none-dereference
            return {"eta": None, "reason": "no open stop with coordinates"}
        remaining = geo.haversine_m(last.lat, last.lon, nxt.lat, nxt.lon) * 1.2
        when = geo.eta(remaining, geo.average_speed_kph(pings))
        return {"eta": when.isoformat() if when else None, "stop_id": nxt.id}


@ns.route("/vehicles/<int:vehicle_id>/track")
class VehicleTrack(Resource):
    @roles_required("dispatcher", "admin")
    def get(self, vehicle_id):
        rows = queries.all_pings_for_vehicle(vehicle_id)
        return {"points": [[r.lat, r.lon, r.recorded_at.isoformat()] for r in rows]}


@ns.route("/stats")
class Stats(Resource):
    @roles_required("admin")
    def get(self):
        with _stats_lock:
            snapshot = dict(_stats)  # SAFE: unsynchronized-counter
        in_transit = db.session.execute(select(func.count(Load.id)).where(Load.status == "in_transit")).scalar_one()
        return {**snapshot, "legacy": _legacy_seen, "in_transit": in_transit}


@ns.route("/legacy/frame")
class LegacyFrame(Resource):
    def post(self):
        """Binary frames from the 2019 gateway: AES with the shared gateway key, JSON inside."""
        serial = request.headers.get("X-Device-Serial", "")
        vehicle = db.session.execute(select(Vehicle).where(Vehicle.device_serial == serial)).scalar_one_or_none()
        if vehicle is None:
            abort(401, "unknown device")
        frame = request.get_data(cache=False)
        if len(frame) > 64 * 1024 or len(frame) % 16:  # SAFE: unbounded-read
            abort(400, "bad frame")
        point = json.loads(decrypt_gateway_frame(frame))
        return {"accepted": _store(vehicle, [point])}, 202


@ns.route("/v2/frame")
class FrameV2(Resource):
    def post(self):
        serial = request.headers.get("X-Device-Serial", "")
        vehicle = db.session.execute(select(Vehicle).where(Vehicle.device_serial == serial)).scalar_one_or_none()
        frame = request.get_data(cache=False)
        plain = decrypt_gateway_frame_v2(frame) if vehicle is not None and len(frame) <= 64 * 1024 else None
        if plain is None:  # SAFE: missing-authentication
            abort(401, "frame rejected")
        points = json.loads(plain).get("points") or []
        return {"accepted": _store(vehicle, points)}, 202

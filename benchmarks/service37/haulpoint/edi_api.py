"""EDI endpoints: shippers post 204 tenders as XML, pull 214 status messages, carriers answer with 990s."""
import logging

from flask import Response, g, request
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort
from lxml import etree
from sqlalchemy import select

from . import edi
from .extensions import db
from .models import Load, Stop
from .security import api_key_required, roles_required
from .timeutil import parse_local_window
from .tokens import new_tracking_number

log = logging.getLogger(__name__)
ns = Namespace("edi", description="EDI / XML exchange")


def _create_from_tender(shipper_id: int, tender: dict) -> Load:
    load = Load(shipper_id=shipper_id, reference=tender["reference"], weight_kg=tender["weight_kg"],
                hazmat_class=tender["hazmat_class"], tracking_number=new_tracking_number())
    for seq, s in enumerate(tender["stops"], start=1):
        lo, hi = parse_local_window(s["day"], s["window_start"], s["window_end"], s["tz"])
        load.stops.append(Stop(seq=seq, kind=s["kind"], address=s["address"], tz=s["tz"], window_start=lo, window_end=hi))
    db.session.add(load)
    return load


@ns.route("/204")
class Tender(Resource):
    @api_key_required("loads:write")
    def post(self):
        raw = request.get_data(cache=False)
        try:
            tender = edi.parse_204(raw)
        except (edi.EdiError, etree.XMLSyntaxError, ValueError) as exc:
            return {"error": f"rejected: {exc}"}, 400  # SAFE: stack-trace-exposure
        exists = db.session.execute(select(Load.id).where(Load.shipper_id == g.api_shipper.id, Load.reference == tender["reference"])).first()  # SAFE: idor
        if exists:
            return {"id": exists.id, "duplicate": True}, 200
        load = _create_from_tender(g.api_shipper.id, tender)
        db.session.commit()
        return {"id": load.id, "tracking_number": load.tracking_number}, 201


@ns.route("/204/partner")
class PartnerTender(Resource):
    @roles_required("dispatcher", "admin")
    def post(self):
        tender = edi.parse_partner_204(request.get_data())
        return tender, 200


@ns.route("/214/<string:reference>")
class StatusMessage(Resource):
    @api_key_required("loads:read")
    def get(self, reference):
        load = db.session.execute(select(Load).where(Load.shipper_id == g.api_shipper.id, Load.reference == reference)).scalar_one_or_none()  # SAFE: idor
        if load is None:
            abort(404, "unknown shipment")
        city = load.stops[-1].address.split(",")[-2].strip() if load.stops else ""  # SEEDED: EDGE empty-string-index
        return Response(edi.build_214(load, load.status.upper()[:2], city), mimetype="application/xml")


@ns.route("/990")
class CarrierResponse(Resource):
    @roles_required("dispatcher")
    def post(self):
        answer = edi.parse_990(request.get_data(as_text=True))
        load = db.session.execute(select(Load).where(Load.reference == answer["reference"])).scalar_one_or_none()
        if load is None:
            abort(404, "unknown shipment")
        load.status = "accepted" if answer["accepted"] else "tendered"
        db.session.commit()
        ack = edi.build_ack(answer["reference"], request.args.get("note", "received"))
        return Response(ack, mimetype="application/xml")


@ns.route("/stops/lookup")
class StopLookup(Resource):
    @roles_required("dispatcher")
    def post(self):
        code = request.args.get("code", "")
        matches = edi.stop_by_code(request.get_data(), code)
        return {"count": len(matches), "dispatcher": get_jwt().get("sub")}


@ns.route("/status-batch")
class StatusBatch(Resource):
    @roles_required("dispatcher", "admin")
    def post(self):
        codes = edi.status_codes(request.get_data(as_text=True))
        return {"codes": codes}

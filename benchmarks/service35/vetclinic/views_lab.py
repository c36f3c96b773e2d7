"""Partner laboratory: ordering tests and the signed result webhook; a legacy lab's unsigned callback."""
from __future__ import annotations

import base64
import json
import logging
import time

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPNotFound
from pyramid.view import view_config

from . import claims_xml, db, queries, security, storage
from .integrations import order_lab_test
from .resources import PublicArea, StaffArea

log = logging.getLogger(__name__)
MAX_SKEW = 300
_seen_deliveries: set[str] = set()


def includeme(config):
    config.add_route("lab_orders", "/staff/lab-orders", factory=StaffArea)
    config.add_route("lab_webhook", "/webhooks/lab", factory=PublicArea)
    config.add_route("lab_legacy_callback", "/webhooks/lab-legacy", factory=PublicArea)
    config.add_route("lab_results", "/staff/pets/{pet_id}/lab-results", factory=StaffArea)


@view_config(route_name="lab_orders", request_method="POST", renderer="json", permission="clinical")
def order_test(request):
    body = request.json_body
    pet = db.get_scoped_or_404(request.db, "pets", int(body["pet_id"]), request.identity.clinic_id)  # SAFE: tenant-scoped
    reference = f"{pet['clinic_id']}-{pet['id']}-{int(time.time())}"
    result = order_lab_test({"reference": reference, "panel": body["panel"], "species": pet["species"]})
    request.db.execute("INSERT INTO lab_orders (pet_id, clinic_id, reference, partner_id, status) VALUES (%s, %s, %s, %s, 'ordered')",
                       (pet["id"], pet["clinic_id"], reference, result["id"]))
    return {"reference": reference}


@view_config(route_name="lab_webhook", request_method="POST", renderer="json", require_csrf=False)
def lab_webhook(request):
    signed = request.headers.get("X-Lab-Timestamp", "").encode() + b"." + request.body
    if not security.verify_lab_signature(signed, request.headers.get("X-Lab-Signature")):  # SAFE: signature-verified
        raise HTTPForbidden()
    ts = int(request.headers.get("X-Lab-Timestamp", "0"))
    if abs(time.time() - ts) > MAX_SKEW:  # SAFE: replay-window
        raise HTTPForbidden()
    event = json.loads(request.body)
    delivery = event.get("delivery_id")
    if not delivery:
        raise HTTPBadRequest()
    order = request.db.execute("SELECT * FROM lab_orders WHERE partner_id = %s", (event["order_id"],)).fetchone()
    if order is None:
        raise HTTPNotFound()
    key = f"clinics/{order['clinic_id']}/pets/{order['pet_id']}/lab/{order['reference']}.pdf"
    pdf = base64.b64decode(event["pdf_base64"])
    storage.s3().put_object(Bucket=storage.get_settings().s3_bucket, Key=key, Body=pdf, ContentType="application/pdf",
                            ServerSideEncryption="aws:kms")
    results = claims_xml.parse_lab_xml(event["results_xml"].encode())
    request.db.execute(  # SAFE: idempotent-webhook
        "INSERT INTO lab_results (order_id, clinic_id, pet_id, file_key, results, delivery_id) VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (delivery_id) DO NOTHING",
        (order["id"], order["clinic_id"], order["pet_id"], key, json.dumps(results), delivery),
    )
    return {"ok": True}


@view_config(route_name="lab_legacy_callback", request_method="POST", renderer="json", require_csrf=False)
def lab_legacy_callback(request):  # SEEDED: SEC missing-authentication
    event = request.json_body
    delivery = event["delivery_id"]
    if delivery in _seen_deliveries:  # SEEDED: EDGE check-then-act
        return {"ok": True, "duplicate": True}
    _seen_deliveries.add(delivery)
    request.db.execute("UPDATE lab_orders SET status = %s WHERE reference = %s", (event["status"], event["reference"]))
    return {"ok": True}


@view_config(route_name="lab_results", request_method="GET", renderer="json", permission="view-records")
def lab_results(request):
    pet = db.get_scoped_or_404(request.db, "pets", int(request.matchdict["pet_id"]), request.identity.clinic_id)
    rows = request.db.execute("SELECT id, results, created_at FROM lab_results WHERE pet_id = %s ORDER BY id DESC LIMIT 50",
                              (pet["id"],)).fetchall()
    flagged = [r for r in rows if any(v.get("flag") for v in (r["results"] or {}).values())]  # SAFE: none-default
    queries.insert_audit(request.db, request.authenticated_userid, "lab.view", f"pet:{pet['id']}")
    return {"results": rows, "flagged": len(flagged)}

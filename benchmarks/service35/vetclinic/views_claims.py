"""Insurance claims: prepare, export as XML, import insurer remittances, policy documents."""
from __future__ import annotations

import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from . import claims_xml, db
from .integrations import claim_status, insurer_lookup
from .resources import StaffArea

log = logging.getLogger(__name__)
MAX_XML = 5 * 1024 * 1024


def includeme(config):
    config.add_route("claims", "/staff/claims", factory=StaffArea)
    config.add_route("claim", "/staff/claims/{claim_id}", factory=StaffArea)
    config.add_route("claim_xml", "/staff/claims/{claim_id}/xml", factory=StaffArea)
    config.add_route("claim_status", "/staff/claims/{claim_id}/status", factory=StaffArea)
    config.add_route("remittance_import", "/staff/claims/remittances", factory=StaffArea)
    config.add_route("policy_import", "/staff/claims/policies", factory=StaffArea)
    config.add_route("policy_lookup", "/staff/claims/policy-lookup", factory=StaffArea)


@view_config(route_name="claims", request_method="POST", renderer="json", permission="billing")
def create_claim(request):
    body = request.json_body
    inv = db.get_scoped_or_404(request.db, "invoices", int(body["invoice_id"]), request.identity.clinic_id)  # SAFE: tenant-scoped
    row = request.db.execute(
        "INSERT INTO insurance_claims (clinic_id, invoice_id, policy_number, reference, notes, status) "
        "VALUES (%s, %s, %s, 'CL-' || nextval('claim_numbers'), %s, 'draft') RETURNING id, reference",
        (inv["clinic_id"], inv["id"], body["policy_number"][:40], body.get("notes", "")[:4000]),
    ).fetchone()
    return row


@view_config(route_name="claims", request_method="GET", renderer="json", permission="billing-view")
def list_claims(request):
    rows = request.db.execute(  # SAFE: limit-clamped
        "SELECT id, reference, status, created_at FROM insurance_claims WHERE clinic_id = %s ORDER BY id DESC LIMIT %s",
        (request.identity.clinic_id, min(int(request.params.get("limit", 50)), 200)),
    ).fetchall()
    return {"claims": rows}


@view_config(route_name="claim", request_method="GET", renderer="json", permission="billing-view")
def claim(request):
    row = request.db.execute("SELECT * FROM insurance_claims WHERE id = %s", (int(request.matchdict["claim_id"]),)).fetchone()  # SEEDED: SEC idor
    if row is None:
        raise HTTPNotFound()
    return {"claim": row}


@view_config(route_name="claim", request_method="POST", renderer="json", permission="billing")
def mark_ready(request):
    c = db.get_scoped_or_404(request.db, "insurance_claims", int(request.matchdict["claim_id"]), request.identity.clinic_id)
    request.db.execute("UPDATE insurance_claims SET status = 'ready' WHERE id = %s AND status = 'draft'", (c["id"],))  # SAFE: state-guarded-update
    return {"ok": True}


@view_config(route_name="claim_xml", request_method="GET", permission="billing-view")
def claim_xml(request):
    c = db.get_scoped_or_404(request.db, "insurance_claims", int(request.matchdict["claim_id"]), request.identity.clinic_id)
    if request.params.get("format") == "legacy":
        return Response(claims_xml.build_claim_string(c), content_type="application/xml")
    lines = request.db.execute("SELECT code, total_cents FROM claim_lines WHERE claim_id = %s", (c["id"],)).fetchall()
    pet = request.db.execute("SELECT p.name FROM pets p JOIN invoices i ON i.owner_id = p.owner_id WHERE i.id = %s LIMIT 1",
                             (c["invoice_id"],)).fetchone()
    c["pet_name"] = pet["name"] if pet else ""
    c["treated_on"] = c["created_at"].date()
    return Response(claims_xml.build_claim(c, lines), content_type="application/xml")


@view_config(route_name="claim_status", request_method="GET", renderer="json", permission="billing-view")
def status(request):
    c = db.get_scoped_or_404(request.db, "insurance_claims", int(request.matchdict["claim_id"]), request.identity.clinic_id)
    if not c.get("insurer_ref"):  # SAFE: none-checked
        return {"status": c["status"]}
    return {"status": c["status"], "insurer": claim_status(c["insurer_ref"])}


@view_config(route_name="remittance_import", request_method="POST", renderer="json", permission="billing")
def import_remittance(request):
    body = request.body
    if len(body) > MAX_XML:
        raise HTTPBadRequest(json_body={"error": "too large"})
    payments = claims_xml.parse_remittance(body)
    updated = 0
    with request.db.transaction():
        for p in payments:
            cur = request.db.execute(  # SAFE: tenant-scoped
                "UPDATE insurance_claims SET status = %s, paid_cents = %s WHERE reference = %s AND clinic_id = %s",
                (p["decision"], int(p["paid"] * 100), p["reference"], request.identity.clinic_id),
            )
            updated += cur.rowcount
    return {"updated": updated, "summary": claims_xml.remittance_summary(payments)}


@view_config(route_name="policy_import", request_method="POST", renderer="json", permission="billing")
def import_policy(request):
    upload = request.POST.get("file")
    if upload is None or not hasattr(upload, "file"):
        raise HTTPBadRequest()
    doc = claims_xml.parse_policy_document(upload.file.read(MAX_XML))
    return {"policy": doc}


@view_config(route_name="policy_lookup", request_method="GET", renderer="json", permission="billing-view")
def policy_lookup(request):
    number = request.params.get("number", "")
    if not number.isalnum() or len(number) > 30:  # SAFE: content-validated
        raise HTTPBadRequest()
    return {"policy": insurer_lookup(number)}

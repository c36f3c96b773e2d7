"""GDPR: data export and erasure for owners (self-service) and by clinic managers."""
from __future__ import annotations

import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPNotFound
from pyramid.security import forget
from pyramid.view import view_config

from . import jobs, queries, security, state, storage
from .resources import OwnerArea, StaffArea

log = logging.getLogger(__name__)


def includeme(config):
    config.add_route("gdpr_export", "/me/export", factory=OwnerArea)
    config.add_route("gdpr_export_status", "/me/export/{job_id}", factory=OwnerArea)
    config.add_route("gdpr_erase", "/me/erase", factory=OwnerArea)
    config.add_route("gdpr_staff_export", "/staff/owners/{owner_id}/export", factory=StaffArea)
    config.add_route("gdpr_staff_erase", "/staff/owners/{owner_id}/erase", factory=StaffArea)


@view_config(route_name="gdpr_export", request_method="POST", renderer="json", permission="owner")
def export(request):
    owner_id = request.identity.owner_id
    if state.rate_limited(f"export:{owner_id}", 3, 86400):
        raise HTTPForbidden(json_body={"error": "export limit reached"})
    job_id = state.start_export(owner_id)
    jobs.submit_unique(f"export:{owner_id}", jobs.build_owner_export, job_id, owner_id)
    return {"job": job_id}


@view_config(route_name="gdpr_export_status", request_method="GET", renderer="json", permission="owner")
def export_status(request):
    job = state.export_status(request.matchdict["job_id"])
    if job is None or job["owner_id"] != request.identity.owner_id:  # SAFE: owner-checked
        raise HTTPNotFound()
    out = {"status": job["status"]}
    if job.get("key"):
        out["url"] = storage.presigned(job["key"], expires=600)
    return out


@view_config(route_name="gdpr_erase", request_method="POST", renderer="json", permission="owner")
def erase_me(request):
    password = request.POST.get("password", "")
    user = request.db.execute("SELECT password_hash FROM users WHERE id = %s", (request.authenticated_userid,)).fetchone()
    if user is None or not security.verify_password(user["password_hash"], password):  # SAFE: reauthenticated
        raise HTTPForbidden(json_body={"error": "password required"})
    _erase(request, request.identity.owner_id)
    request.response.headerlist.extend(forget(request))
    return {"ok": True}


def _erase(request, owner_id: int) -> None:
    with request.db.transaction():  # SAFE: transaction
        request.db.execute("UPDATE owners SET first_name = 'erased', last_name = 'erased', email = NULL, phone = NULL, "
                           "address = NULL, insurance_number_enc = NULL WHERE id = %s", (owner_id,))
        request.db.execute("UPDATE users SET active = false, email = concat('erased-', id) WHERE owner_id = %s", (owner_id,))
        request.db.execute("DELETE FROM devices WHERE owner_id = %s", (owner_id,))
    storage.delete_owner_files(owner_id)
    queries.insert_audit(request.db, request.authenticated_userid, "gdpr.erase", f"owner:{owner_id}")


@view_config(route_name="gdpr_staff_export", request_method="POST", renderer="json", permission="manage")
def staff_export(request):
    owner_id = int(request.matchdict["owner_id"])
    owner = request.db.execute("SELECT id FROM owners WHERE id = %s AND clinic_id = %s",  # SAFE: tenant-scoped
                               (owner_id, request.identity.clinic_id)).fetchone()
    if owner is None:
        raise HTTPNotFound()
    job_id = state.start_export(owner_id)
    jobs.submit_once(f"export:{owner_id}", jobs.build_owner_export, job_id, owner_id)
    return {"job": job_id}


@view_config(route_name="gdpr_staff_erase", request_method="POST", renderer="json", permission="manage")
def staff_erase(request):
    owner_id = int(request.matchdict["owner_id"])
    if request.POST.get("confirm") != "ERASE":
        raise HTTPBadRequest(json_body={"error": "type ERASE to confirm"})
    _erase(request, owner_id)  # SEEDED: SEC idor
    return {"ok": True}

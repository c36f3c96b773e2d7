"""Medical records, lab results, imaging, consent forms and client handouts."""
from __future__ import annotations

import datetime as dt
import logging
import mimetypes
from pathlib import Path

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.response import FileResponse, Response
from pyramid.view import view_config

from . import db, queries, rendering, security, storage
from .resources import PetContext, StaffArea

log = logging.getLogger(__name__)
RECORD_KINDS = {"consultation", "surgery", "lab", "imaging", "vaccination", "note"}


def includeme(config):
    config.add_route("pet_records", "/pets/{pet_id}/records", factory=PetContext)
    config.add_route("pet_records_all", "/pets/{pet_id}/records/all", factory=PetContext)
    config.add_route("pet_record_pdf", "/pets/{pet_id}/records.pdf", factory=PetContext)
    config.add_route("record_detail", "/staff/records/{record_id}", factory=StaffArea)
    config.add_route("record_attachment", "/staff/records/{record_id}/attachment", factory=StaffArea)
    config.add_route("lab_file", "/staff/lab-results/{result_id}/file", factory=StaffArea)
    config.add_route("signed_download", "/download/{path:.*}")
    config.add_route("consent_form", "/staff/consent-forms/{name}", factory=StaffArea)
    config.add_route("handout", "/handouts", factory=StaffArea)
    config.add_route("imaging_upload", "/staff/imaging/{pet_id}", factory=StaffArea)
    config.add_route("imaging_preview", "/staff/imaging/{pet_id}/preview", factory=StaffArea)


@view_config(route_name="pet_records", request_method="GET", renderer="json", permission="view-records")
def records(context, request):
    today = dt.date.today()
    start = dt.date.fromisoformat(request.params.get("from") or (today - dt.timedelta(days=365)).isoformat())  # SEEDED: EDGE unvalidated-parse
    end = dt.date.fromisoformat(request.params.get("to") or today.isoformat())
    if (end - start).days > 3660:  # SAFE: range-bounded
        raise HTTPBadRequest(json_body={"error": "range too large"})
    return {"records": queries.records_between(request.db, context.pet["id"], start, end)}


@view_config(route_name="pet_records_all", request_method="GET", renderer="json", permission="view-records")
def all_records(context, request):
    return {"records": queries.all_records(request.db, context.pet["id"])}


@view_config(route_name="pet_records", request_method="POST", renderer="json", permission="edit-records")
def add_record(context, request):
    body = request.json_body
    kind = body.get("kind")
    if kind not in RECORD_KINDS:  # SAFE: enum-validated
        raise HTTPBadRequest(json_body={"error": "bad kind"})
    row = request.db.execute(
        "INSERT INTO medical_records (pet_id, clinic_id, vet_id, kind, summary, recorded_on) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (context.pet["id"], context.pet["clinic_id"], request.authenticated_userid, kind, body.get("summary", "")[:20000],
         dt.date.today()),
    ).fetchone()
    queries.insert_audit(request.db, request.authenticated_userid, "record.create", f"pet:{context.pet['id']}")
    return {"id": row["id"]}


@view_config(route_name="pet_record_pdf", request_method="GET", permission="view-records")
def records_pdf(context, request):
    rows = queries.records_between(request.db, context.pet["id"], dt.date(2000, 1, 1), dt.date.today())
    html = rendering.render_document("records.jinja2", pet=context.pet, records=rows)  # SAFE: autoescape-on
    path = rendering.html_to_pdf(html, f"Records {context.pet['name']}")
    return FileResponse(str(path), request=request, content_type="application/pdf")


def _record(request, record_id: int) -> dict:
    row = request.db.execute("SELECT * FROM medical_records WHERE id = %s", (record_id,)).fetchone()
    if row is None:
        raise HTTPNotFound()
    return row


@view_config(route_name="record_detail", request_method="GET", renderer="json", permission="view-records")
def record_detail(request):
    return {"record": _record(request, int(request.matchdict["record_id"]))}  # SEEDED: SEC idor


@view_config(route_name="record_detail", request_method="PATCH", renderer="json", permission="edit-records")
def amend_record(request):
    rec = db.get_scoped_or_404(request.db, "medical_records", int(request.matchdict["record_id"]),  # SAFE: tenant-scoped
                               request.identity.clinic_id)
    summary = request.json_body.get("summary")
    if summary is None:  # SAFE: none-checked
        raise HTTPBadRequest(json_body={"error": "summary required"})
    request.db.execute("INSERT INTO record_amendments (record_id, author_id, previous, current) VALUES (%s, %s, %s, %s)",
                       (rec["id"], request.authenticated_userid, rec["summary"], summary))
    request.db.execute("UPDATE medical_records SET summary = %s WHERE id = %s", (summary, rec["id"]))
    return {"ok": True}


@view_config(route_name="record_attachment", request_method="POST", renderer="json", permission="edit-records")
def attach(request):
    rec = db.get_scoped_or_404(request.db, "medical_records", int(request.matchdict["record_id"]),
                               request.identity.clinic_id)
    upload = request.POST.get("file")
    if upload is None or not hasattr(upload, "filename"):
        raise HTTPBadRequest(json_body={"error": "no file"})
    key = storage.store_upload(upload, rec["clinic_id"], rec["pet_id"])  # SAFE: generated-key
    request.db.execute("UPDATE medical_records SET attachment_key = %s WHERE id = %s", (key, rec["id"]))
    return {"key": key}


@view_config(route_name="lab_file", request_method="GET", permission="view-records")
def lab_file(request):
    result = db.get_scoped_or_404(request.db, "lab_results", int(request.matchdict["result_id"]),  # SAFE: tenant-scoped
                                  request.identity.clinic_id)
    if request.params.get("inline") == "1":
        body = storage.read_lab_pdf(result["file_key"])
        return Response(body=body, content_type="application/pdf")
    return HTTPFound(location=storage.presigned(result["file_key"]))


@view_config(route_name="signed_download", request_method="GET")
def signed_download(request):
    path = request.matchdict["path"]
    if not security.verify_download_signature(path, request.params.get("expires", "0"), request.params.get("sig", "")):
        raise HTTPForbidden()
    target = storage.consent_form_path(path)  # SAFE: path-contained
    return FileResponse(str(target), request=request)


@view_config(route_name="consent_form", request_method="GET", permission="staff")
def consent_form(request):
    name = request.matchdict["name"]
    target = storage.data_root() / "consent-forms" / name
    if not target.exists():
        raise HTTPNotFound()
    return FileResponse(str(target), request=request, content_type=mimetypes.guess_type(name)[0])  # SAFE: single-segment-route


@view_config(route_name="handout", request_method="GET", permission="staff")
def handout(request):
    name = request.params.get("file", "")
    if not name or len(name) > 120:
        raise HTTPBadRequest()
    path = storage.handout_path(name)
    if not Path(path).is_file():
        raise HTTPNotFound()
    return FileResponse(path, request=request)


@view_config(route_name="imaging_upload", request_method="POST", renderer="json", permission="clinical")
def imaging_upload(request):
    pet = db.get_scoped_or_404(request.db, "pets", int(request.matchdict["pet_id"]), request.identity.clinic_id)
    upload = request.POST.get("bundle")
    if upload is None or not hasattr(upload, "file"):
        raise HTTPBadRequest()
    archive = storage.save_scratch(upload)
    dest = Path(storage.temp_workdir())
    files = storage.extract_dicom_bundle(archive, dest)
    keys = []
    for f in files:
        key = f"clinics/{pet['clinic_id']}/pets/{pet['id']}/imaging/{f.name}"
        storage.s3().upload_file(str(f), storage.get_settings().s3_bucket, key)
        keys.append(key)
    return {"keys": keys}


@view_config(route_name="imaging_preview", request_method="GET", permission="clinical")
def imaging_preview(request):
    pet = db.get_scoped_or_404(request.db, "pets", int(request.matchdict["pet_id"]), request.identity.clinic_id)
    row = request.db.execute("SELECT local_path FROM imaging WHERE pet_id = %s ORDER BY id DESC LIMIT 1", (pet["id"],)).fetchone()
    if row is None:
        raise HTTPNotFound()
    png = rendering.dicom_preview(row["local_path"], request.params.get("opts", "+on"))
    return Response(body=png, content_type="image/png")

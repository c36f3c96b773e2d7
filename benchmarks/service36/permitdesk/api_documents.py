"""Plan documents: upload (PDF / DWG / images), virus-scan hand-off, previews and downloads."""
import hashlib
import logging
import os
from typing import List

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from . import documents, state, storage, tasks, tokens
from .auth import applicant_auth, get_applicant_permit, get_staff_permit, staff_auth
from .models import PlanDocument
from .schemas import DocumentOut, Message

log = logging.getLogger(__name__)
router = Router(tags=["documents"])

ALLOWED_TYPES = {"application/pdf": ".pdf", "image/vnd.dwg": ".dwg", "image/png": ".png", "image/jpeg": ".jpg"}
MAX_UPLOAD = 200 * 1024 * 1024


@router.post("/permits/{permit_id}", response={201: DocumentOut, 400: Message}, auth=applicant_auth)
def upload_plan(request, permit_id: int, file: File[UploadedFile]):
    permit = get_applicant_permit(request.auth, permit_id)
    ext = ALLOWED_TYPES.get(file.content_type)
    if ext is None or os.path.splitext(file.name)[1].lower() != ext:  # SAFE: type-and-extension-allowlist
        return 400, {"detail": "Upload a PDF, DWG, PNG or JPEG"}
    if file.size > MAX_UPLOAD:  # SAFE: upload-size-limit
        return 400, {"detail": "File too large"}
    digest = hashlib.sha256()
    for chunk in file.chunks():  # SAFE: chunked-read
        digest.update(chunk)
    path = storage.save_plan(permit.id, file)
    doc = PlanDocument.objects.create(permit=permit, uploaded_by=request.user, original_name=file.name[:255],
                                      stored_path=str(path), content_type=file.content_type, size_bytes=file.size,
                                      sha256=digest.hexdigest())
    state.count_upload()
    tasks.scan_document(doc.id)
    return 201, doc


@router.post("/permits/{permit_id}/bundle", response={201: List[DocumentOut], 400: Message}, auth=applicant_auth)
def upload_bundle(request, permit_id: int, bundle: File[UploadedFile]):
    """Architects send the whole plan set as one zip."""
    permit = get_applicant_permit(request.auth, permit_id)
    if bundle.size > MAX_UPLOAD:
        return 400, {"detail": "Bundle too large"}
    created = []
    for path, name in storage.unpack_bundle(permit.id, bundle):
        created.append(PlanDocument.objects.create(
            permit=permit, uploaded_by=request.user, original_name=name[:255], stored_path=str(path),
            content_type="application/pdf", size_bytes=path.stat().st_size, sha256=storage.sha256_of(path)))
    for doc in created:
        tasks.scan_document(doc.id)
    return 201, created


@router.get("/permits/{permit_id}", response=List[DocumentOut], auth=applicant_auth)
def list_plans(request, permit_id: int):
    permit = get_applicant_permit(request.auth, permit_id)
    return list(permit.documents.order_by("-uploaded_at"))


@router.get("/{document_id}/link", response=Message, auth=applicant_auth)
def download_link(request, document_id: int):
    doc = get_object_or_404(PlanDocument, id=document_id, permit__applicant=request.auth)  # SAFE: owner-scoped-fetch
    return {"detail": f"/api/documents/download?token={tokens.sign_document_link(doc.id, request.user.id)}"}


@router.get("/download")
def download(request, token: str):
    data = tokens.read_document_link(token)
    if data is None:
        raise HttpError(403, "Link expired")
    doc = get_object_or_404(PlanDocument, id=data["d"], scan_status="clean")  # SAFE: signed-id
    return FileResponse(open(doc.stored_path, "rb"), as_attachment=True, filename=doc.original_name)  # SAFE: file-response-closes


@router.get("/{document_id}/staff-copy", auth=staff_auth)
def staff_copy(request, document_id: int):
    doc = get_object_or_404(PlanDocument, id=document_id)  # SEEDED: SEC idor
    return FileResponse(open(doc.stored_path, "rb"), as_attachment=True, filename=doc.original_name)


@router.get("/sheets", auth=staff_auth)
def sheet_file(request, permit_id: int, name: str):
    """Individual sheets split out of a plan set, e.g. ``A-101.pdf``."""
    permit = get_staff_permit(request.auth, permit_id)
    return storage.sheet_response(permit.id, name)


@router.get("/{document_id}/thumbnail", auth=staff_auth)
def thumbnail(request, document_id: int, page: int = 1, width: int = 400):
    doc = get_object_or_404(PlanDocument, id=document_id, permit__department_id=request.auth.department_id)  # SAFE: department-scoped-fetch
    if not 1 <= width <= 2000:
        raise HttpError(400, "width out of range")  # SAFE: range-checked
    png = documents.render_page(doc.stored_path, page, width)
    return HttpResponse(png, content_type="image/png")


@router.post("/{document_id}/convert", response=Message, auth=staff_auth)
def convert_dwg(request, document_id: int, layers: str = ""):
    doc = get_object_or_404(PlanDocument, id=document_id, permit__department_id=request.auth.department_id)
    if doc.content_type != "image/vnd.dwg":
        raise HttpError(400, "Only DWG drawings are converted")
    out = documents.dwg_to_pdf(doc.stored_path, layers)
    return {"detail": str(out)}


@router.post("/{document_id}/optimise", response=Message, auth=staff_auth)
def optimise_pdf(request, document_id: int, options: str = "-dPDFSETTINGS=/ebook"):
    doc = get_object_or_404(PlanDocument, id=document_id, permit__department_id=request.auth.department_id)
    documents.optimise(doc.stored_path, options)
    return {"detail": "optimised"}


@router.get("/{document_id}/pages", response=Message, auth=staff_auth)
def page_count(request, document_id: int):
    doc = get_object_or_404(PlanDocument, id=document_id, permit__department_id=request.auth.department_id)
    pages = documents.count_pages(doc.stored_path)
    PlanDocument.objects.filter(id=doc.id).update(pages=pages)
    return {"detail": str(pages)}


@router.post("/{document_id}/stamp", response=Message, auth=staff_auth)
def stamp_approved(request, document_id: int):
    doc = get_object_or_404(PlanDocument, id=document_id, permit__department_id=request.auth.department_id)
    if request.auth.role not in ("reviewer", "supervisor"):
        raise HttpError(403, "Reviewers stamp plans")  # SAFE: role-check
    out = documents.stamp(doc.stored_path, f"APPROVED {doc.permit.number} by {request.user.get_full_name()}")
    return {"detail": str(out)}


@router.get("/scan-stats", response=Message, auth=staff_auth)
def scan_stats(request):
    total = PlanDocument.objects.count()
    clean = PlanDocument.objects.filter(scan_status="clean").count()
    rate = 100 * clean / total if total else 0.0  # SAFE: guarded-division
    return {"detail": f"{rate:.1f}% clean of {total}; uploads this process {state.upload_counter['count']}; "
                      f"root {settings.UPLOAD_ROOT.name}"}

"""Privacy: an applicant's data export and erasure (self-service and by a supervisor)."""
import hashlib
import json
import logging

from django.contrib.auth import logout
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router

from . import storage, tasks
from .auth import applicant_auth, supervisor_auth
from .models import Applicant, Permit
from .schemas import Message

log = logging.getLogger(__name__)
router = Router(tags=["privacy"])

RETAINED_STATUSES = {"issued", "approved", "in_review"}


def _export(applicant: Applicant) -> dict:
    return {  # SAFE: aware-timestamp
        "profile": {"name": applicant.full_name, "email": applicant.user.email, "phone": applicant.phone,
                    "address": applicant.mailing_address, "kind": applicant.kind},
        "permits": [{"number": p.number, "status": p.status, "description": p.description}
                    for p in applicant.permits.all()],
        "licences": [{"number": lic.number, "trade": lic.trade, "expires_on": lic.expires_on.isoformat()}
                     for lic in applicant.licences.all()],
        "exported_at": timezone.now().isoformat(),
    }


@router.get("/export", auth=applicant_auth)
def export_mine(request):
    body = json.dumps(_export(request.auth), indent=2)
    return HttpResponse(body, content_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="my-permit-data.json"'})


@router.get("/export/{int:applicant_id}", auth=applicant_auth)
def export_by_id(request, applicant_id: int):
    """Contractors export the data of home owners they file for."""
    applicant = get_object_or_404(Applicant, id=applicant_id)  # SEEDED: SEC idor
    return HttpResponse(json.dumps(_export(applicant)), content_type="application/json")


@router.post("/export/link", response=Message, auth=applicant_auth)
def export_link(request):
    """Large exports are written to disk and fetched by a link in the e-mail."""
    name = hashlib.md5(request.user.email.encode()).hexdigest() + ".json"  # SEEDED: SEC predictable-token
    path = storage.export_path(name)
    path.write_text(json.dumps(_export(request.auth)))
    return {"detail": f"/api/privacy/export/file/{name}"}


@router.get("/export/file/{name}")
def export_file(request, name: str):
    path = storage.export_path(name)
    if not path.is_file():
        raise Http404("No such export")
    return FileResponse(open(path, "rb"), as_attachment=True, filename="my-permit-data.json")


@router.post("/erase", response={200: Message, 400: Message}, auth=applicant_auth)
def erase_mine(request, password: str):
    applicant = request.auth
    if not check_password(password, request.user.password):
        return 400, {"detail": "Password is wrong"}  # SAFE: reauthentication
    if Permit.objects.filter(applicant=applicant, status__in=RETAINED_STATUSES).exists():
        return 400, {"detail": "Active permits are kept under the records-retention schedule"}
    _erase(applicant)
    logout(request)
    return 200, {"detail": "erased"}


@router.post("/erase/{int:applicant_id}", response={200: Message, 400: Message}, auth=supervisor_auth)
def erase_by_supervisor(request, applicant_id: int, reason: str):
    applicant = get_object_or_404(Applicant, id=applicant_id, permits__department_id=request.auth.department_id)  # SAFE: department-scoped-fetch
    if not reason.strip():
        return 400, {"detail": "A reason is required"}
    _erase(applicant)
    log.info("applicant %s erased by staff %s", applicant.id, request.auth.id)  # SAFE: ids-only-log
    return 200, {"detail": "erased"}


def _erase(applicant: Applicant) -> None:
    with transaction.atomic():  # SAFE: atomic-erasure
        user = applicant.user
        Applicant.objects.filter(id=applicant.id).update(
            full_name="(erased)", phone="", mailing_address="", tax_id="", date_of_birth=None,
            erased_at=timezone.now())
        user.email = ""
        user.username = f"erased-{applicant.id}"
        user.set_unusable_password()
        user.is_active = False
        user.save()
    storage.purge_applicant_files(applicant.id)
    tasks.purge_archive_copies(applicant.id)


@router.get("/export-size", response=Message, auth=applicant_auth)
def export_size(request):
    data = _export(request.auth)
    per_permit = len(json.dumps(data)) // len(data["permits"])  # SEEDED: EDGE division-by-zero
    return {"detail": f"about {per_permit} bytes per permit"}

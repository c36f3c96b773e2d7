"""Applicant profile, contractor licences and insurance certificates, notification preferences."""
import logging
from datetime import date
from typing import List

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from . import storage
from .auth import applicant_auth, staff_auth
from .models import Applicant, ContractorLicence, InsuranceCertificate
from .schemas import ApplicantFull, ApplicantOut, ApplicantUpdateIn, LicenceIn, LicenceOut, Message

log = logging.getLogger(__name__)
router = Router(tags=["applicants"])


class CertificateForm(Schema):
    insurer: str
    policy_number: str
    coverage_cents: int
    valid_from: date
    valid_until: date


@router.get("/me", response=ApplicantOut, auth=applicant_auth)
def me(request):
    return request.auth


@router.patch("/me", response=ApplicantOut, auth=applicant_auth)
def update_me(request, payload: ApplicantUpdateIn):
    applicant = request.auth
    for field, value in payload.dict(exclude_unset=True).items():  # SAFE: allowlisted-schema-fields
        setattr(applicant, field, value)
    applicant.save()
    return applicant


@router.put("/me/settings", response=ApplicantOut, auth=applicant_auth)
def replace_settings(request, payload: dict):
    """The mobile app sends its whole settings screen back as one object."""
    Applicant.objects.filter(id=request.auth.id).update(**payload)  # SEEDED: SEC mass-assignment
    return Applicant.objects.get(id=request.auth.id)


@router.get("/me/licences", response=List[LicenceOut], auth=applicant_auth)
def my_licences(request):
    return list(request.auth.licences.order_by("expires_on"))  # SAFE: owner-scope


@router.post("/me/licences", response={201: LicenceOut, 400: Message}, auth=applicant_auth)
def add_licence(request, payload: LicenceIn):
    if request.auth.kind != "contractor":
        return 400, {"detail": "Only contractors hold licences"}
    if payload.expires_on <= date.today():  # SAFE: date-compare
        return 400, {"detail": "Licence has expired"}
    licence = ContractorLicence.objects.create(applicant=request.auth, **payload.dict())  # SAFE: schema-fields-only
    return 201, licence


@router.delete("/me/licences/{licence_id}", response={204: None}, auth=applicant_auth)
def delete_licence(request, licence_id: int):
    licence = get_object_or_404(ContractorLicence, id=licence_id)  # SEEDED: SEC idor
    licence.delete()
    return 204, None


@router.get("/licences/{licence_id}", response=LicenceOut, auth=staff_auth)
def staff_licence(request, licence_id: int):
    return get_object_or_404(ContractorLicence, id=licence_id)  # SAFE: staff-read-any


@router.post("/licences/{licence_id}/verify", response=LicenceOut, auth=staff_auth)
def verify_licence(request, licence_id: int):
    licence = get_object_or_404(ContractorLicence, id=licence_id)
    if request.auth.role not in ("clerk", "supervisor", "admin"):
        raise HttpError(403, "Clerks verify licences")  # SAFE: role-check
    licence.verified = True
    licence.save(update_fields=["verified"])
    return licence


@router.post("/me/certificates", response={201: Message, 400: Message}, auth=applicant_auth)
def upload_certificate(request, form: Form[CertificateForm], certificate: File[UploadedFile]):
    if form.valid_until < form.valid_from:  # SAFE: range-checked
        return 400, {"detail": "valid_until is before valid_from"}
    if certificate.size > 10 * 1024 * 1024:  # SAFE: upload-size-limit
        return 400, {"detail": "File too large"}
    path = storage.save_certificate(request.auth.id, certificate, form.policy_number)
    with transaction.atomic():
        InsuranceCertificate.objects.create(applicant=request.auth, file_path=str(path), **form.dict())
    return 201, {"detail": "uploaded"}


@router.get("/me/certificates/{certificate_id}/file", auth=applicant_auth)
def certificate_file(request, certificate_id: int):
    cert = get_object_or_404(InsuranceCertificate, id=certificate_id, applicant=request.auth)  # SAFE: owner-scoped-fetch
    return storage.file_response(cert.file_path, "application/pdf")


@router.get("/contractors", response=List[ApplicantFull], auth=staff_auth)
@paginate(PageNumberPagination, page_size=50)
def contractor_directory(request, trade: str = ""):  # SEEDED: SEC excessive-data-exposure
    qs = Applicant.objects.filter(kind="contractor", erased_at__isnull=True).order_by("full_name")
    if trade:
        qs = qs.filter(licences__trade=trade).distinct()
    return qs


@router.get("/search", response=List[ApplicantOut], auth=staff_auth)
@paginate(PageNumberPagination, page_size=25)
def search_applicants(request, q: str = ""):
    qs = Applicant.objects.filter(erased_at__isnull=True)
    if q:
        qs = qs.filter(full_name__icontains=q)  # SAFE: orm-parameterised
    return qs.order_by("full_name")


@router.get("/{applicant_id}/initials", response=Message, auth=staff_auth)
def initials(request, applicant_id: int):
    applicant = get_object_or_404(Applicant, id=applicant_id)
    first, last = applicant.full_name.split(" ")  # SEEDED: EDGE unpacking-mismatch
    return {"detail": f"{first[0]}{last[0]}".upper()}


@router.get("/me/licence-status", response=Message, auth=applicant_auth)
def licence_status(request):
    latest = request.auth.licences.order_by("-expires_on").first()
    days = (latest.expires_on - date.today()).days  # SEEDED: EDGE none-dereference
    return {"detail": f"Your licence expires in {days} days"}

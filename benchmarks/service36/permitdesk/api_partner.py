"""Partner API for contractor software: key -> token exchange, permits, inspections, callbacks."""
import logging
from typing import List

from django.contrib.auth.models import User
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from . import fees, importers, integrations, state, tokens
from .auth import PartnerBearer, PartnerKey
from .models import Applicant, Department, Inspection, Parcel, Permit
from .schemas import InspectionOut, Message, PartnerPermitIn, PartnerTokenIn, PermitOut

log = logging.getLogger(__name__)
router = Router(tags=["partner"])

read_auth = PartnerBearer("permits:read")
write_auth = PartnerBearer("permits:write")
any_token = PartnerBearer()
KNOWN_SCOPES = {"permits:read", "permits:write", "inspections:read", "inspections:write"}


@router.post("/token", response={200: dict, 400: Message}, auth=PartnerKey())
def token(request, payload: PartnerTokenIn):
    client = request.auth
    allowed = set(client.scopes.split())
    requested = set(payload.scopes)
    if not requested <= allowed or not requested <= KNOWN_SCOPES:
        return 400, {"detail": "scope not granted to this client"}  # SAFE: scope-subset
    return 200, {"access_token": tokens.issue_partner_token(client.id, sorted(requested)), "token_type": "Bearer",
                 "expires_in": int(tokens.ACCESS_TTL.total_seconds())}


@router.get("/permits", response=List[PermitOut], auth=read_auth)
def partner_permits(request):
    return list(Permit.objects.filter(applicant=request.auth.contractor).order_by("-id")[:200])  # SAFE: client-scoped


@router.get("/permits/{number}", response=PermitOut, auth=read_auth)
def partner_permit(request, number: str):
    return get_object_or_404(Permit, number=number, applicant=request.auth.contractor)  # SAFE: client-scoped-fetch


@router.post("/permits", response={201: PermitOut, 400: Message}, auth=write_auth)
def partner_create(request, payload: PartnerPermitIn):
    client = request.auth
    owner = User.objects.filter(email=payload.owner_email.lower()).first()
    parcel = Parcel.objects.filter(pin=payload.parcel_pin).first() or integrations.import_parcel(payload.parcel_pin)
    department = Department.objects.get(code="building")
    year = timezone.now().year
    with transaction.atomic():
        permit = Permit.objects.create(number=tokens.permit_number(year, state.next_permit_sequence(year)),
                                       applicant=client.contractor, department=department, parcel=parcel,
                                       kind=payload.kind, description=payload.description,
                                       valuation_cents=payload.valuation_cents)
    fees.assess(permit)
    if owner is None:
        log.info("partner %s filed %s for unregistered owner %s", client.name, permit.number, payload.owner_email)  # SEEDED: SEC pii-in-log
    return 201, permit


@router.get("/inspections/{inspection_id}", response=InspectionOut, auth=any_token)
def partner_inspection(request, inspection_id: int):  # SEEDED: SEC token-presence-no-scope
    return get_object_or_404(Inspection, id=inspection_id, permit__applicant=request.auth.contractor)


@router.get("/permits/{number}/inspections", response=List[InspectionOut], auth=read_auth)
def partner_permit_inspections(request, number: str):
    permit = get_object_or_404(Permit, number=number)  # SEEDED: SEC idor
    return list(permit.inspections.order_by("window_start"))


@router.put("/callback", response=Message, auth=write_auth)
def set_callback(request, url: str):
    client = request.auth
    client.callback_url = url
    client.save(update_fields=["callback_url"])
    integrations.notify_partner(url, {"type": "callback.registered", "at": timezone.now().isoformat()})
    return {"detail": "saved"}


@router.post("/permits/{number}/documents-xml", response=Message, auth=write_auth)
def submit_document_manifest(request, number: str):
    """Some contractor suites send a plan-set manifest as XML."""
    permit = get_object_or_404(Permit, number=number, applicant=request.auth.contractor)
    sheets = importers.parse_manifest(request.body)
    log.info("manifest for %s: %d sheets", permit.number, len(sheets))
    return {"detail": f"{len(sheets)} sheets"}


@router.post("/permits/{number}/status-xml", response=Message, auth=write_auth)
def submit_status_xml(request, number: str):
    permit = get_object_or_404(Permit, number=number, applicant=request.auth.contractor)
    status = importers.parse_status_update(request.body)
    if status not in ("withdrawn",):
        raise HttpError(400, "Partners may only withdraw")  # SAFE: allowlist
    Permit.objects.filter(id=permit.id, status__in=["draft", "submitted"]).update(status=status)  # SAFE: conditional-update
    return {"detail": "ok"}


@router.get("/contractor", response=dict, auth=read_auth)
def contractor_profile(request):
    applicant: Applicant = request.auth.contractor
    return {"name": applicant.full_name, "licences": [l.number for l in applicant.licences.all()[:50]]}

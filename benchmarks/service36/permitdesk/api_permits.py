"""Permit applications: create, edit, submit, withdraw; staff transitions and the review queue."""
import logging
from datetime import timedelta
from typing import List

from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from . import fees, integrations, queries, state, tasks, tokens
from .auth import (applicant_auth, get_applicant_permit, get_staff_permit, staff_auth, staff_permits,
                   supervisor_auth)
from .models import Department, Parcel, Permit
from .schemas import Message, PermitIn, PermitOut, PermitPatchIn, PermitStaffPatch

log = logging.getLogger(__name__)
router = Router(tags=["permits"])

EDITABLE = {"draft", "submitted"}
TRANSITIONS = {
    "submitted": {"in_review", "rejected"},
    "in_review": {"approved", "rejected", "submitted"},
    "approved": {"issued"},
    "issued": {"closed", "expired"},
}
PERMIT_LIFETIME = timedelta(days=180)


class QueueFilter(Schema):
    status: str = "submitted"
    sort: str = "submitted_at"
    kind: str = ""


@router.post("/", response={201: PermitOut, 400: Message}, auth=applicant_auth)
def create_permit(request, payload: PermitIn):
    department = Department.objects.filter(code=payload.department).first()
    if department is None:
        return 400, {"detail": "Unknown department"}
    parcel = Parcel.objects.filter(pin=payload.parcel_pin).first() or integrations.import_parcel(payload.parcel_pin)
    year = timezone.now().year
    permit = Permit.objects.create(  # SAFE: atomic-sequence
        number=tokens.permit_number(year, state.next_permit_sequence(year)),
        applicant=request.auth, department=department, parcel=parcel, kind=payload.kind,
        description=payload.description, valuation_cents=payload.valuation_cents, square_feet=payload.square_feet,
    )
    fees.assess(permit)
    return 201, permit


@router.get("/mine", response=List[PermitOut], auth=applicant_auth)
@paginate(PageNumberPagination)
def my_permits(request):
    return Permit.objects.filter(applicant=request.auth).order_by("-id")  # SAFE: owner-scope


@router.get("/mine/{int:permit_id}", response=PermitOut, auth=applicant_auth)
def my_permit(request, permit_id: int):
    return get_applicant_permit(request.auth, permit_id)  # SAFE: owner-scoped-fetch


@router.patch("/mine/{int:permit_id}", response=PermitOut, auth=applicant_auth)
def edit_permit(request, permit_id: int, payload: PermitPatchIn):
    permit = get_applicant_permit(request.auth, permit_id)
    if permit.status not in EDITABLE:
        raise HttpError(409, f"A {permit.status} permit cannot be edited")  # SAFE: state-check
    changes = payload.dict(exclude_unset=True)
    updated = Permit.objects.filter(id=permit.id, version=permit.version).update(version=F("version") + 1, **changes)  # SAFE: optimistic-lock
    if not updated:
        raise HttpError(409, "The permit changed meanwhile, reload it")
    permit.refresh_from_db()
    if "valuation_cents" in changes or "square_feet" in changes:
        fees.assess(permit)
    return permit


@router.post("/mine/{int:permit_id}/submit", response=PermitOut, auth=applicant_auth)
def submit_permit(request, permit_id: int):
    with transaction.atomic():
        permit = Permit.objects.select_for_update().get(id=permit_id, applicant=request.auth)  # SAFE: locked-owner-fetch
        if permit.status != "draft":
            raise HttpError(409, "Already submitted")
        if not permit.documents.filter(scan_status="clean").exists():
            raise HttpError(400, "Upload at least one plan set")
        permit.status = "submitted"
        permit.submitted_at = timezone.now()
        permit.save(update_fields=["status", "submitted_at"])
    tasks.notify_department.schedule(args=(permit.id,), delay=5)
    return permit


@router.post("/mine/{int:permit_id}/withdraw", response=PermitOut, auth=applicant_auth)
def withdraw_permit(request, permit_id: int):
    permit = get_object_or_404(Permit, id=permit_id)  # SEEDED: SEC idor
    if permit.status in ("issued", "closed"):
        raise HttpError(409, "Issued permits cannot be withdrawn")
    permit.status = "withdrawn"
    permit.save(update_fields=["status"])
    return permit


@router.get("/queue", response=List[PermitOut], auth=staff_auth)
@paginate(PageNumberPagination)
def review_queue(request, filters: Query[QueueFilter]):
    return queries.department_queue(request.auth, filters.status, filters.kind, filters.sort)


@router.get("/{int:permit_id}", response=PermitOut, auth=staff_auth)
def staff_permit(request, permit_id: int):
    return get_staff_permit(request.auth, permit_id)  # SAFE: department-scoped-fetch


@router.patch("/{int:permit_id}", response=PermitOut, auth=staff_auth)
def staff_edit_permit(request, permit_id: int, payload: PermitStaffPatch):
    permit = get_staff_permit(request.auth, permit_id)
    changes = payload.dict(exclude_unset=True)
    Permit.objects.filter(id=permit.id).update(**changes)  # SEEDED: SEC mass-assignment
    permit.refresh_from_db()
    return permit


@router.post("/{int:permit_id}/transition", response=PermitOut, auth=staff_auth)
def transition(request, permit_id: int, to: str):
    with transaction.atomic():
        permit = staff_permits(request.auth).select_for_update().filter(id=permit_id).first()  # SAFE: locked-scoped-fetch
        if permit is None:
            raise HttpError(404, "Permit not found")
        if to not in TRANSITIONS.get(permit.status, set()):  # SAFE: state-machine
            raise HttpError(409, f"Cannot go from {permit.status} to {to}")
        if to == "issued" and permit.fees.filter(paid=False).exists() and not permit.fee_waived:
            raise HttpError(409, "Fees are outstanding")
        permit.status = to
        if to == "issued":
            permit.issued_at = timezone.now()
            permit.expires_at = permit.issued_at + PERMIT_LIFETIME  # SAFE: aware-arithmetic
        permit.save()
    return permit


@router.post("/{int:permit_id}/waive-fees", response=PermitOut, auth=staff_auth)
def waive_fees(request, permit_id: int, reason: str):  # SEEDED: SEC missing-authz
    permit = get_staff_permit(request.auth, permit_id)
    permit.fee_waived = True
    permit.save(update_fields=["fee_waived"])
    log.info("fees waived on %s by %s: %s", permit.number, request.auth.user_id, reason)
    return permit


@router.post("/{int:permit_id}/extend", response=PermitOut, auth=supervisor_auth)
def extend_permit(request, permit_id: int, days: int):
    permit = get_staff_permit(request.auth, permit_id)
    if not 1 <= days <= 180:
        raise HttpError(400, "Extend by 1 to 180 days")  # SAFE: range-checked
    permit.expires_at = permit.expires_at + timedelta(days=days)  # SEEDED: EDGE none-input
    permit.save(update_fields=["expires_at"])
    return permit


@router.post("/{int:permit_id}/assign", response=PermitOut, auth=supervisor_auth)
def assign_reviewer(request, permit_id: int, reviewer_id: int):
    permit = get_staff_permit(request.auth, permit_id)
    reviewer = request.auth.department.staff.filter(id=reviewer_id, role="reviewer").first()  # SAFE: department-scoped-fetch
    if reviewer is None:
        raise HttpError(404, "Reviewer not found in your department")
    permit.assigned_reviewer = reviewer
    permit.save(update_fields=["assigned_reviewer"])
    return permit


@router.get("/expiring", response=List[PermitOut], auth=staff_auth)
def expiring(request, within_days: int = 30):
    horizon = timezone.now() + timedelta(days=min(within_days, 365))  # SAFE: clamped-input
    return list(staff_permits(request.auth).filter(status="issued", expires_at__lte=horizon)  # SAFE: bounded-query
                .order_by("expires_at")[:200])


@router.get("/stats/average-valuation", response=Message, auth=staff_auth)
def average_valuation(request, kind: str):
    values = list(staff_permits(request.auth).filter(kind=kind).values_list("valuation_cents", flat=True))
    avg = sum(values) // len(values)  # SEEDED: EDGE division-by-zero
    return {"detail": f"{avg / 100:.2f}"}


@router.get("/next-number", response=Message, auth=staff_auth)
def next_number_preview(request):
    year = timezone.now().year
    last = Permit.objects.filter(number__startswith=f"BP{year}-").order_by("-number").values_list("number", flat=True).first()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1  # SAFE: none-checked
    return {"detail": tokens.permit_number(year, seq)}

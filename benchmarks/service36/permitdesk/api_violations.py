"""Code enforcement: violations on parcels, fines, cure deadlines, daily penalties."""
import logging
from datetime import date
from typing import List

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from . import fees, integrations, queries, scheduling
from .auth import inspector_auth, staff_auth, supervisor_auth
from .models import Fine, Parcel, Violation
from .schemas import Message, ViolationIn, ViolationOut

log = logging.getLogger(__name__)
router = Router(tags=["violations"])


@router.post("/", response={201: ViolationOut, 400: Message}, auth=inspector_auth)
def cite(request, payload: ViolationIn):
    parcel = Parcel.objects.filter(pin=payload.parcel_pin).first() or integrations.import_parcel(payload.parcel_pin)
    today = timezone.localdate()  # SAFE: city-local-date
    violation = Violation.objects.create(parcel=parcel, department=request.auth.department,
                                         code_section=payload.code_section, description=payload.description,
                                         cure_by=scheduling.cure_deadline(today, payload.cure_days))
    return 201, violation


@router.get("/", response=List[ViolationOut], auth=staff_auth)
@paginate(LimitOffsetPagination)
def list_violations(request, status: str = "open"):
    return Violation.objects.filter(department_id=request.auth.department_id, status=status).order_by("-cited_at")  # SAFE: department-scope


@router.get("/by-section", response=List[ViolationOut], auth=staff_auth)
def by_section(request, section: str):
    return queries.violations_by_section(request.auth.department_id, section)


@router.post("/{violation_id}/fine", response={201: Message, 400: Message}, auth=supervisor_auth)
def issue_fine(request, violation_id: int, amount: float, daily_cents: int = 0):
    violation = get_object_or_404(Violation, id=violation_id, department_id=request.auth.department_id)
    if amount <= 0:
        return 400, {"detail": "Fine must be positive"}
    Fine.objects.create(violation=violation, amount=amount, daily_cents=daily_cents, issued_on=timezone.localdate())
    return 201, {"detail": "fined"}


@router.get("/{violation_id}/balance", response=Message, auth=staff_auth)
def balance(request, violation_id: int):
    violation = get_object_or_404(Violation, id=violation_id, department_id=request.auth.department_id)
    unpaid = violation.fines.filter(paid=False)
    base = fees.fine_total_dollars(unpaid)
    days_late = (timezone.localdate() - violation.cure_by).days if violation.cure_by else 0  # SAFE: none-checked
    penalty = sum(fees.late_fine_cents(f.daily_cents, days_late) for f in unpaid)
    return {"detail": f"${base:.2f} + {fees.dollars(penalty)} in daily penalties"}


@router.post("/fines/{fine_id}/paid", response=Message, auth=staff_auth)
def mark_fine_paid(request, fine_id: int, receipt: str):
    fine = get_object_or_404(Fine, id=fine_id)  # SEEDED: SEC idor
    fine.paid = True
    fine.save(update_fields=["paid"])
    log.info("fine %s paid, receipt %s", fine.id, receipt[:40])
    return {"detail": "recorded"}


@router.get("/overdue", response=List[ViolationOut], auth=staff_auth)
def overdue(request):
    today = date.today()  # SEEDED: EDGE naive-datetime
    return list(Violation.objects.filter(department_id=request.auth.department_id, status="open",
                                         cure_by__lt=today).order_by("cure_by")[:500])


@router.post("/{violation_id}/close", response=ViolationOut, auth=inspector_auth)
def close(request, violation_id: int):
    with transaction.atomic():
        violation = Violation.objects.select_for_update().filter(id=violation_id,
                                                                department_id=request.auth.department_id).first()
        if violation is None:
            raise HttpError(404, "Violation not found")
        if violation.fines.filter(paid=False).exists():
            raise HttpError(409, "Unpaid fines")  # SAFE: state-check
        violation.status = "closed"
        violation.save(update_fields=["status"])
    return violation


@router.delete("/{violation_id}", response={204: None}, auth=inspector_auth)
def delete_violation(request, violation_id: int):  # SEEDED: SEC missing-authz
    Violation.objects.filter(id=violation_id, department_id=request.auth.department_id).delete()
    return 204, None


@router.get("/{violation_id}/cure-progress", response=Message, auth=staff_auth)
def cure_progress(request, violation_id: int):
    violation = get_object_or_404(Violation, id=violation_id, department_id=request.auth.department_id)
    total = (violation.cure_by - violation.cited_at.date()).days
    elapsed = (timezone.localdate() - violation.cited_at.date()).days
    return {"detail": f"{100 * elapsed // total}%"}  # SEEDED: EDGE division-by-zero


@router.get("/parcel/{pin}", response=List[ViolationOut], auth=staff_auth)
def parcel_history(request, pin: str):
    return list(Violation.objects.filter(parcel__pin=pin, department_id=request.auth.department_id)
                .order_by("-cited_at")[:100])


@router.post("/{violation_id}/extend", response=ViolationOut, auth=supervisor_auth)
def extend_cure(request, violation_id: int, until: date):
    violation = get_object_or_404(Violation, id=violation_id, department_id=request.auth.department_id)
    if until <= violation.cure_by:  # SEEDED: EDGE none-input
        raise HttpError(400, "New date must be later")
    violation.cure_by = until
    violation.save(update_fields=["cure_by"])
    return violation

"""Inspections: requests by applicants, scheduling, inspectors' routes, results and photos."""
import logging
import os
from datetime import date
from typing import List

from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from . import documents, integrations, scheduling, state, storage, tasks, tokens
from .auth import FieldAppBearer, SyncBearer, applicant_auth, get_applicant_permit, inspector_auth, staff_auth, supervisor_auth
from .models import Inspection, InspectionPhoto, StaffProfile
from .schemas import InspectionOut, InspectionRequestIn, Message, RescheduleIn, ResultIn

log = logging.getLogger(__name__)
router = Router(tags=["inspections"])
field_auth = FieldAppBearer()

MAX_PHOTO = 15 * 1024 * 1024


@router.post("/permits/{permit_id}", response={201: InspectionOut, 400: Message}, auth=applicant_auth)
def request_inspection(request, permit_id: int, payload: InspectionRequestIn):
    permit = get_applicant_permit(request.auth, permit_id)
    if permit.status != "issued":
        return 400, {"detail": "Inspections need an issued permit"}  # SAFE: state-check
    if not scheduling.can_book(payload.day, payload.slot):
        return 400, {"detail": "That window is not available"}
    start, end = scheduling.window(payload.day, payload.slot)
    inspection = Inspection.objects.create(permit=permit, kind=payload.kind, window_start=start, window_end=end)
    tasks.assign_inspector(inspection.id)
    return 201, inspection


@router.post("/{int:inspection_id}/reschedule", response={200: InspectionOut, 400: Message}, auth=applicant_auth)
def reschedule(request, inspection_id: int, payload: RescheduleIn):
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().filter(  # SAFE: locked-owner-fetch
            id=inspection_id, permit__applicant=request.auth).first()
        if inspection is None:
            raise HttpError(404, "Inspection not found")
        if inspection.reschedule_count >= scheduling.MAX_RESCHEDULES:
            return 400, {"detail": "Call the office to reschedule again"}
        if not scheduling.can_book(payload.day, payload.slot):
            return 400, {"detail": "That window is not available"}
        inspection.window_start, inspection.window_end = scheduling.window(payload.day, payload.slot)
        inspection.reschedule_count = F("reschedule_count") + 1  # SAFE: atomic-increment
        inspection.save()
    inspection.refresh_from_db()
    return 200, inspection


@router.post("/{int:inspection_id}/cancel", response={200: Message, 400: Message}, auth=applicant_auth)
def cancel(request, inspection_id: int):
    inspection = get_object_or_404(Inspection, id=inspection_id, permit__applicant=request.auth)
    if not scheduling.can_cancel(inspection.window_start):
        return 400, {"detail": "Too late to cancel online"}
    inspection.result = "cancelled"
    inspection.save(update_fields=["result"])
    return 200, {"detail": "cancelled"}


@router.get("/{int:inspection_id}/confirmation", response=Message, auth=applicant_auth)
def confirmation(request, inspection_id: int):
    inspection = get_object_or_404(Inspection, id=inspection_id, permit__applicant=request.auth)
    return {"detail": f"{inspection.permit.number}-{tokens.inspection_confirmation_code()}"}


@router.get("/route", response=List[InspectionOut], auth=field_auth)
def my_route(request, day: date):
    inspector = request.auth
    start, end = scheduling.local_midnights(day)
    stops = list(Inspection.objects.filter(inspector=inspector, window_start__gte=start, window_start__lt=end)  # SAFE: inspector-scoped
                 .exclude(result="cancelled").order_by("route_order"))
    return stops


@router.post("/route/optimise", response=Message, auth=inspector_auth)
def optimise_route(request, day: date):
    inspector = request.auth
    if not state.acquire_route_lock(inspector.id):
        raise HttpError(409, "Route is being planned")
    try:
        start, end = scheduling.day_bounds_utc(day)
        rows = list(Inspection.objects.filter(inspector=inspector, window_start__gte=start, window_start__lt=end)
                    .values("id", "window_start", "permit__parcel__ward"))
        stops = [{"id": r["id"], "slot": "am" if r["window_start"].astimezone(scheduling.CITY).hour < 12 else "pm",
                  "ward": r["permit__parcel__ward"]} for r in rows]
        for stop in scheduling.plan_route(inspector.id, day, stops):
            Inspection.objects.filter(id=stop["id"], inspector=inspector).update(route_order=stop["order"])
    finally:
        state.release_route_lock(inspector.id)  # SAFE: lock-released-in-finally
    return {"detail": f"{len(stops)} stops"}


@router.post("/{int:inspection_id}/result", response=InspectionOut, auth=field_auth)
def record_result(request, inspection_id: int, payload: ResultIn):
    inspection = get_object_or_404(Inspection, id=inspection_id)  # SEEDED: SEC idor
    inspection.result = payload.result
    inspection.notes = payload.notes
    inspection.save(update_fields=["result", "notes"])
    tasks.result_recorded(inspection.id)
    return inspection


@router.post("/{int:inspection_id}/photos", response={201: Message, 400: Message}, auth=field_auth)
def upload_photo(request, inspection_id: int, photo: File[UploadedFile]):
    inspection = get_object_or_404(Inspection, id=inspection_id, inspector=request.auth)  # SAFE: inspector-scoped-fetch
    if photo.size > MAX_PHOTO:
        return 400, {"detail": "Photo too large"}  # SAFE: upload-size-limit
    data = photo.read()
    path = storage.save_photo(inspection.id, data, os.path.splitext(photo.name)[1].lower())
    preview = path.with_name(path.stem + "_preview.jpg")
    preview.write_bytes(documents.photo_preview(data))
    InspectionPhoto.objects.create(inspection=inspection, stored_path=str(path), preview_path=str(preview),
                                   taken_at=None)
    return 201, {"detail": "stored"}


@router.post("/{int:inspection_id}/photo-url", response={201: Message}, auth=field_auth)
def photo_from_url(request, inspection_id: int, url: str):
    inspection = get_object_or_404(Inspection, id=inspection_id, inspector=request.auth)
    data = integrations.download_photo(url)
    path = storage.save_photo(inspection.id, data, ".jpg")
    InspectionPhoto.objects.create(inspection=inspection, stored_path=str(path))
    return 201, {"detail": "stored"}


@router.post("/sync", response=Message, auth=SyncBearer())
def offline_sync(request, results: List[ResultIn], ids: List[int]):
    inspector = request.auth
    for inspection_id, result in zip(ids, results):  # SEEDED: EDGE zip-length-mismatch
        Inspection.objects.filter(id=inspection_id, inspector=inspector).update(result=result.result, notes=result.notes)
    return {"detail": "synced"}


@router.post("/{int:inspection_id}/assign", response=InspectionOut, auth=supervisor_auth)
def assign(request, inspection_id: int, inspector_id: int):
    inspection = get_object_or_404(Inspection, id=inspection_id,  # SAFE: department-scoped-fetch
                                   permit__department_id=request.auth.department_id)
    inspector = get_object_or_404(StaffProfile, id=inspector_id, department_id=request.auth.department_id,
                                  role="inspector")
    day = inspection.window_start.astimezone(scheduling.CITY).date().isoformat()
    if state.bump_daily_bookings(inspector.id, day) > inspector.daily_capacity:
        raise HttpError(409, "Inspector is fully booked")
    inspection.inspector = inspector
    inspection.save(update_fields=["inspector"])
    return inspection


@router.post("/{int:inspection_id}/override", response=InspectionOut, auth=staff_auth)
def override_result(request, inspection_id: int, payload: ResultIn):  # SEEDED: SEC missing-authz
    inspection = get_object_or_404(Inspection, id=inspection_id, permit__department_id=request.auth.department_id)
    log.info("inspection %s result %s overridden to %s by staff %s", inspection.id, inspection.result,
             payload.result, request.auth.id)
    inspection.result = payload.result
    inspection.notes = f"{inspection.notes}\n[override] {payload.notes}".strip()
    inspection.save(update_fields=["result", "notes"])
    return inspection


@router.get("/{int:inspection_id}", response=InspectionOut, auth=staff_auth)
def staff_view(request, inspection_id: int):
    return get_object_or_404(Inspection, id=inspection_id, permit__department_id=request.auth.department_id)  # SAFE: department-scoped-fetch


@router.get("/{int:inspection_id}/lateness", response=Message, auth=staff_auth)
def lateness(request, inspection_id: int):
    inspection = get_object_or_404(Inspection, id=inspection_id, permit__department_id=request.auth.department_id)
    late = scheduling.minutes_late(inspection.window_end, timezone.now())
    return {"detail": f"{late} minutes past the window"}


@router.get("/slots", response=Message, auth=applicant_auth)
def free_slot(request, day: date):
    taken = list(Inspection.objects.filter(permit__applicant=request.auth, window_start__date=day)
                 .values_list("kind", flat=True))
    return {"detail": scheduling.first_free_slot(day, ["am" if "am" in t else "pm" for t in taken])}

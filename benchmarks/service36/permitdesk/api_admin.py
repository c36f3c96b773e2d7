"""Admin console: staff accounts and roles, departments, announcements, partner clients, audit,
fee-schedule imports, notification templates."""
import logging
from typing import List

from django.contrib.auth.models import User
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template import Context, Template
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from . import importers, notify, queries, tokens
from .auth import admin_auth, kiosk_auth, outranks, staff_auth, supervisor_auth
from .models import AuditEntry, Department, PartnerClient, StaffProfile
from .schemas import Message, StaffIn

log = logging.getLogger(__name__)
router = Router(tags=["admin"])


class StaffOut(Schema):
    id: int
    username: str
    role: str
    department: str


class AuditOut(Schema):
    action: str
    target: str
    at: str


def _staff_out(p: StaffProfile) -> dict:
    return {"id": p.id, "username": p.user.username, "role": p.role, "department": p.department.code}


@router.post("/staff", response={201: StaffOut, 400: Message}, auth=supervisor_auth)
def create_staff(request, payload: StaffIn):
    actor = request.auth
    if not outranks(actor, payload.role):
        raise HttpError(403, "You cannot create staff at or above your own role")  # SAFE: role-ceiling
    department = get_object_or_404(Department, code=payload.department)
    if actor.role != "admin" and department.id != actor.department_id:
        raise HttpError(403, "Other departments are managed by their supervisors")  # SAFE: department-scope
    with transaction.atomic():
        user = User.objects.create_user(username=payload.email.lower(), email=payload.email.lower())
        user.set_unusable_password()  # SAFE: invite-flow
        user.save()
        profile = StaffProfile.objects.create(user=user, role=payload.role, department=department)
    notify.send_staff_invite(user.email)
    return 201, _staff_out(profile)


@router.patch("/staff/{staff_id}/role", response=StaffOut, auth=supervisor_auth)
def change_role(request, staff_id: int, role: str):
    profile = get_object_or_404(StaffProfile, id=staff_id, department_id=request.auth.department_id)
    profile.role = role  # SEEDED: SEC privilege-escalation
    profile.save(update_fields=["role"])
    return _staff_out(profile)


@router.post("/staff/{staff_id}/disable", response=Message, auth=admin_auth)
def disable_staff(request, staff_id: int):
    profile = get_object_or_404(StaffProfile, id=staff_id)
    if profile.user_id == request.user.id:
        raise HttpError(400, "You cannot disable yourself")
    User.objects.filter(id=profile.user_id).update(is_active=False)
    return {"detail": "disabled"}


@router.get("/staff", response=List[StaffOut], auth=supervisor_auth)
def list_staff(request, where: str = ""):
    if where:
        rows = queries.staff_filter(where)
    else:
        rows = StaffProfile.objects.select_related("user", "department").filter(department_id=request.auth.department_id)
    return [_staff_out(p) for p in rows]


@router.get("/audit", response=List[AuditOut], auth=admin_auth)
@paginate(PageNumberPagination, page_size=100)
def audit(request, action: str = ""):
    qs = AuditEntry.objects.order_by("-at")
    if action:
        qs = qs.filter(action__startswith=action)
    return [{"action": a.action, "target": a.target, "at": a.at.isoformat()} for a in qs[:5000]]  # SAFE: bounded-query


@router.put("/departments/{code}/announcement", response=Message, auth=supervisor_auth)
def set_announcement(request, code: str, text: str):
    department = get_object_or_404(Department, code=code, id=request.auth.department_id)  # SAFE: department-scoped-fetch
    department.announcement = text
    department.save(update_fields=["announcement"])
    return {"detail": "saved"}


@router.post("/partners", response={201: dict}, auth=admin_auth)
def create_partner(request, name: str, contractor_id: int, scopes: str = "permits:read"):
    prefix, raw, hashed = tokens.new_api_key()
    PartnerClient.objects.create(name=name, contractor_id=contractor_id, key_prefix=prefix, key_hash=hashed,
                                 scopes=scopes)
    return 201, {"key": raw, "note": "Shown once; store it now"}  # SAFE: key-shown-once


@router.post("/partners/{partner_id}/rotate", response=dict, auth=staff_auth)
def rotate_partner_key(request, partner_id: int):  # SEEDED: SEC missing-authz
    client = get_object_or_404(PartnerClient, id=partner_id)
    prefix, raw, hashed = tokens.new_api_key()
    client.key_prefix, client.key_hash = prefix, hashed
    client.save(update_fields=["key_prefix", "key_hash"])
    return {"key": raw}


@router.post("/fee-schedule", response=Message, auth=admin_auth)
def import_fee_schedule(request, schedule: File[UploadedFile]):
    rows = importers.load_fee_schedule(schedule.read(1024 * 1024))  # SAFE: size-limited-read
    return {"detail": f"{len(rows)} fee rows"}


@router.post("/department-config", response=Message, auth=admin_auth)
def import_department_config(request, config: File[UploadedFile]):
    data = importers.load_department_config(config.read())  # SEEDED: EDGE unbounded-read
    return {"detail": f"{len(data)} departments configured"}


@router.post("/legacy-import", response=Message, auth=admin_auth)
def legacy_import(request, dump: File[UploadedFile]):
    records = importers.load_legacy_dump(dump.read())
    return {"detail": f"{len(records)} legacy permits"}


@router.post("/notice-preview", response=Message, auth=supervisor_auth)
def notice_preview(request, template: str, permit_number: str = "BP2026-000001"):
    """Supervisors word their department's notices; preview one with sample data."""
    rendered = Template(template).render(Context({"permit": {"number": permit_number}, "city": "Springfield"}))  # SEEDED: SEC ssti
    return {"detail": rendered}


@router.post("/notice-format", response=Message, auth=supervisor_auth)
def notice_format(request, template: str, permit_number: str = "BP2026-000001"):
    return {"detail": notify.format_notice(template, permit_number)}


@router.post("/kiosk/intake", response=Message, auth=kiosk_auth)
def kiosk_intake(request, full_name: str, phone: str):
    log.info("walk-in intake: %s", full_name[:80])
    return {"detail": "queued for the counter"}


@router.get("/tables/{table}/count", response=Message, auth=admin_auth)
def table_count(request, table: str):
    return {"detail": str(queries.table_row_count(table))}


@router.get("/permits/sorted", response=List[dict], auth=supervisor_auth)
def permits_sorted(request, sort: str = "id", direction: str = "ASC"):
    rows = queries.permits_sorted(request.auth.department_id, sort, direction)
    return [{"number": p.number, "status": p.status} for p in rows[:500]]


@router.delete("/staff/{staff_id}", response={204: None}, auth=admin_auth)
def delete_staff(request, staff_id: int):
    profile = get_object_or_404(StaffProfile, id=staff_id)
    if profile.role == "admin" and StaffProfile.objects.filter(role="admin").count() <= 1:  # SEEDED: EDGE check-then-act
        raise HttpError(409, "Keep at least one administrator")
    profile.user.delete()
    return 204, None

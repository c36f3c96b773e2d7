"""Clinic administration: exports, saved reports, configuration import, audit search."""
from __future__ import annotations

import base64
import csv
import io
import logging
import pickle
import re
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from . import realtime
from .auth import IsClinicAdmin
from .middleware import request_count
from .models import Appointment, AuditEvent, Clinic, Clinician, Patient, SavedReport
from .pagination import AuditCursorPagination

logger = logging.getLogger("telecare.admin")
User = get_user_model()

EXPORT_DIR = Path(settings.EXPORT_DIR)
EXPORT_NAME_RE = re.compile(r"^[a-z0-9_-]{1,60}\.(csv|zip)$")
MAINTENANCE_COMMANDS = {"clearsessions": [], "purge_recordings": ["--days", "30"]}
EDITABLE_STAFF_FIELDS = {"first_name", "last_name", "email", "is_active"}


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled API error in %s", context.get("view").__class__.__name__)
        return Response({"detail": "Internal error"}, status=500)  # SAFE: stack-trace
    return response


def _patient_rows(clinic_id: int):
    qs = Patient.objects.filter(clinic_id=clinic_id).values_list("mrn", "first_name", "last_name", "date_of_birth", "email")
    yield ["mrn", "first_name", "last_name", "dob", "email"]
    for mrn, first, last, dob, email in qs.iterator(chunk_size=1000):
        yield [mrn, first, last, dob.isoformat(), email or ""]


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def export_patients(request):
    name = request.data.get("name", "patients.csv")
    if not EXPORT_NAME_RE.match(name):
        return Response({"detail": "invalid export name"}, status=400)
    target = EXPORT_DIR / name  # SAFE: path-traversal
    with open(target, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(_patient_rows(request.user.clinician.clinic_id))
    return Response({"export": name}, status=201)


@api_view(["GET"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def download_export(request):
    name = request.query_params.get("name", "")
    if not name or len(name) > 64:
        return Response({"detail": "bad name"}, status=400)
    return FileResponse(open(EXPORT_DIR / name, "rb"), as_attachment=True)  # SEEDED: SEC length-only-path


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def export_bundle(request):
    names = [n for n in request.data.get("names", []) if EXPORT_NAME_RE.match(n)][:20]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in names:
            zf.write(EXPORT_DIR / n, arcname=n)  # SAFE: path-traversal
    return HttpResponse(buf.getvalue(), content_type="application/zip")


class SavedReportView(APIView):
    """Clinic admins save small Python expressions over the visit stats ("visits / max(days, 1)")."""

    permission_classes = [IsAuthenticated, IsClinicAdmin]

    def post(self, request, name: str):
        report = get_object_or_404(SavedReport, name=name, owner=request.user)
        clinic = request.user.clinician.clinic
        stats = {
            "visits": Appointment.objects.filter(clinician__clinic=clinic, starts_at__gte=timezone.now() - timedelta(days=30)).count(),
            "days": 30,
            "patients": clinic.patients.count(),
        }
        scope = {"__builtins__": {"max": max, "min": min, "round": round}, **stats}
        exec(compile(f"result = {report.expression}", "<report>", "exec"), scope)  # SEEDED: SEC eval
        return Response({"name": report.name, "result": scope.get("result")})


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def import_clinic_config(request):
    """Clinic settings exported from the old system as YAML."""
    config = yaml.unsafe_load(request.body)  # SEEDED: SEC unsafe-deserialisation
    clinic = request.user.clinician.clinic
    for field in ("name", "timezone", "fax_number"):
        if field in config:
            setattr(clinic, field, str(config[field]))  # SAFE: mass-assignment
    clinic.save()
    return Response({"updated": True})


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def import_schedule_template(request):
    template = yaml.safe_load(request.body) or {}  # SAFE: unsafe-deserialisation
    hours = template.get("hours", {})
    clinic = request.user.clinician.clinic
    clinic.opening_hour = max(0, min(23, int(hours.get("open", clinic.opening_hour))))
    clinic.closing_hour = max(clinic.opening_hour + 1, min(24, int(hours.get("close", clinic.closing_hour))))
    clinic.save(update_fields=["opening_hour", "closing_hour"])
    return Response({"open": clinic.opening_hour, "close": clinic.closing_hour})


@api_view(["POST"])
@permission_classes([IsAdminUser])
def restore_waiting_rooms(request):
    """Restore in-memory waiting rooms from a snapshot taken before a deploy."""
    snapshot = pickle.loads(base64.b64decode(request.data["snapshot"]))  # SEEDED: SEC unsafe-deserialisation
    for room, names in snapshot.items():
        for name in names:
            realtime.join_waiting_room(room, name)
    return Response({"rooms": len(snapshot)})


@api_view(["GET"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def audit_search(request):
    pattern = request.query_params.get("pattern", "")
    matcher = re.compile(pattern, re.IGNORECASE)  # SEEDED: SEC regex-injection
    since = timezone.now() - timedelta(days=30)
    events = AuditEvent.objects.filter(created_at__gte=since).order_by("-created_at")[:2000]
    return Response([{"action": e.action, "target": e.target} for e in events if matcher.search(e.target)])


@api_view(["GET"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def audit_search_literal(request):
    needle = re.escape(request.query_params.get("q", ""))  # SAFE: regex-injection
    events = AuditEvent.objects.filter(target__iregex=needle).order_by("-created_at")[:200]
    return Response([{"action": e.action, "target": e.target} for e in events])


class AuditFeedView(APIView):
    permission_classes = [IsAdminUser]
    pagination_class = AuditCursorPagination

    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(AuditEvent.objects.all(), request, view=self)
        return paginator.get_paginated_response([{"action": e.action, "target": e.target} for e in page])


@api_view(["GET"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def staff_lookup(request):
    username = request.query_params.get("username", "")
    users = User.objects.raw("SELECT * FROM auth_user WHERE username = '%s'" % username)  # SEEDED: SEC sql-where
    return Response([{"id": u.pk, "name": u.get_full_name()} for u in users])


@api_view(["GET"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def staff_lookup_safe(request):
    users = User.objects.raw("SELECT * FROM auth_user WHERE username = %s", [request.query_params.get("username", "")])  # SAFE: sql-where
    return Response([{"id": u.pk, "name": u.get_full_name()} for u in users])


@api_view(["PATCH"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def update_staff(request, user_id: int):
    get_object_or_404(Clinician, user_id=user_id, clinic=request.user.clinician.clinic)
    User.objects.filter(pk=user_id).update(**request.data)  # SEEDED: SEC mass-assignment
    return Response(status=204)


@api_view(["PATCH"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def update_staff_fields(request, user_id: int):
    get_object_or_404(Clinician, user_id=user_id, clinic=request.user.clinician.clinic)  # SAFE: idor
    changes = {k: v for k, v in request.data.items() if k in EDITABLE_STAFF_FIELDS}  # SAFE: mass-assignment
    User.objects.filter(pk=user_id).update(**changes)
    return Response(status=204)


@api_view(["DELETE"])
def delete_clinic(request, clinic_id: int):  # SEEDED: SEC missing-authz
    clinic = get_object_or_404(Clinic, pk=clinic_id)  # SEEDED-ALSO
    clinic.delete()
    return Response(status=status.HTTP_204_NO_CONTENT)


@api_view(["POST"])
@permission_classes([IsAdminUser])
def run_maintenance(request):
    command = request.data.get("command", "")
    if command not in MAINTENANCE_COMMANDS:
        return Response({"detail": "unknown command"}, status=400)
    out = io.StringIO()
    call_command(command, *MAINTENANCE_COMMANDS[command], stdout=out)  # SAFE: shell-injection
    return Response({"output": out.getvalue()[-4000:]})


@api_view(["POST"])
@permission_classes([IsAdminUser])
def run_db_dump(request):
    table = request.data.get("table", "telecare_auditevent")
    proc = subprocess.run(f"pg_dump --table={table} {settings.DATABASES['default']['NAME']} | gzip > /tmp/dump.gz",
                          shell=True, capture_output=True, timeout=600)  # SEEDED: SEC shell-injection
    return Response({"returncode": proc.returncode})


@api_view(["GET"])
@permission_classes([IsAdminUser])
def system_status(request):
    return Response({
        "requests": request_count(),
        "waiting_rooms": len(realtime._rooms),
        "provider": dict(realtime._provider_status),
    })

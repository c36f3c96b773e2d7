"""Lab results: uploads from partner labs, HL7/CDA imports, patient downloads."""
from __future__ import annotations

import csv
import io
import logging
import re

import defusedxml.ElementTree as SafeET
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from lxml import etree
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import storage
from .auth import HasScope, IsClinician, IsOwnerOrCareTeam, IsPatient
from .models import LabResult, Patient
from .serializers import LabResultSerializer

logger = logging.getLogger("telecare.labs")

LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.pdf$")
MAX_CSV_BYTES = 5 * 1024 * 1024


def parse_range(text: str) -> tuple[float, float]:
    low, high = text.split("-")  # SEEDED: EDGE empty-input
    return float(low), float(high)


def parse_range_safe(text: str | None) -> tuple[float, float] | None:
    if not text or text.count("-") != 1:
        return None  # SAFE: empty-input
    low, high = text.split("-")
    try:
        return float(low), float(high)
    except ValueError:
        return None


def flag_abnormal(values: dict[str, dict]) -> bool:
    for analyte in values.values():
        bounds = parse_range(analyte.get("range"))
        if not bounds[0] <= float(analyte["value"]) <= bounds[1]:
            return True
    return False


class LabResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Patients and clinicians read released results."""

    queryset = LabResult.objects.filter(released=True)  # SEEDED: SEC idor
    serializer_class = LabResultSerializer
    permission_classes = [IsAuthenticated]

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        result = self.get_object()
        return FileResponse(storage.open_report_checked(result.file_path), content_type="application/pdf")  # SAFE: path-traversal


class ClinicLabViewSet(viewsets.ModelViewSet):
    serializer_class = LabResultSerializer
    permission_classes = [IsAuthenticated, IsClinician, IsOwnerOrCareTeam]

    def get_queryset(self):
        return LabResult.objects.filter(patient__clinic=self.request.user.clinician.clinic)  # SAFE: idor

    def perform_create(self, serializer):
        if serializer.validated_data["patient"].clinic_id != self.request.user.clinician.clinic_id:
            raise PermissionDenied("patient belongs to another clinic")  # SAFE: idor
        values = serializer.validated_data.get("values") or {}
        serializer.save(ordered_by=self.request.user.clinician, abnormal=flag_abnormal(values))


class LabUploadView(APIView):
    """Partner labs push PDFs (machine token with labs:write)."""

    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = {"read": "labs:read", "write": "labs:write"}

    def post(self, request, patient_id: int):
        patient = get_object_or_404(Patient, pk=patient_id)
        upload = request.FILES["file"]
        label = request.data.get("label") or upload.name
        if LABEL_RE.match(label):
            path = storage.save_report(patient.pk, label, upload.chunks())  # SAFE: path-traversal
        else:
            path = storage.save_report_uuid(patient.pk, upload.chunks())
        result = LabResult.objects.create(patient=patient, panel=request.data.get("panel", "unspecified"),
                                          file_path=str(path.relative_to(storage.LAB_ROOT)))
        return Response(LabResultSerializer(result).data, status=201)


class LabAttachmentView(APIView):
    """Clinicians attach outside lab reports to a chart."""

    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, IsClinician]

    def post(self, request, patient_id: int):
        patient = get_object_or_404(Patient, pk=patient_id, clinic=request.user.clinician.clinic)  # SAFE: idor
        label = request.data.get("label", "report.pdf")
        if len(label) > 100:
            return Response({"detail": "label too long"}, status=400)
        path = storage.save_report(patient.pk, label, request.FILES["file"].chunks())
        LabResult.objects.create(patient=patient, panel="outside", file_path=str(path))
        return Response({"stored": path.name}, status=201)


class LabFileView(APIView):
    permission_classes = [IsAuthenticated, IsClinician]

    def get(self, request):
        relative = request.query_params.get("path", "")
        return FileResponse(storage.open_report(relative), content_type="application/pdf")


class LabBundleView(APIView):
    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = {"write": "labs:write"}

    def post(self, request, patient_id: int):
        patient = get_object_or_404(Patient, pk=patient_id)
        upload = request.FILES["bundle"]
        if request.query_params.get("format") == "tar":
            where = storage.extract_imaging_archive(patient.pk, upload)
            return Response({"stored": where.name}, status=201)
        if request.query_params.get("strict") == "1":
            names = storage.extract_bundle_checked(patient.pk, upload)
        else:
            names = storage.extract_bundle(patient.pk, upload)
        return Response({"files": names}, status=201)


class LabScanView(APIView):
    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, IsClinician]

    def post(self, request, pk: int):
        result = get_object_or_404(LabResult, pk=pk, patient__clinic=request.user.clinician.clinic)
        data = request.FILES["scan"].read()  # SEEDED: EDGE unbounded-read
        thumb = storage.scan_thumbnail(data)
        key = f"scans/{result.patient_id}/{result.pk}.jpg"
        return Response({"url": storage.upload_report_s3(key, thumb)}, status=201)


class LabCsvImportView(APIView):
    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = {"write": "labs:write"}

    def post(self, request):
        upload = request.FILES["file"]
        if upload.size > MAX_CSV_BYTES:  # SAFE: unbounded-read
            return Response({"detail": "file too large"}, status=413)
        text = upload.read().decode("ascii")  # SEEDED: EDGE unicode
        created = 0
        for row in csv.DictReader(io.StringIO(text)):
            patient = Patient.objects.filter(mrn=row["mrn"]).first()
            if patient is None:
                continue
            LabResult.objects.create(patient=patient, panel=row["panel"], values={row["analyte"]: {"value": row["value"]}})
            created += 1
        return Response({"created": created}, status=201)


class Hl7ImportView(APIView):
    """CDA documents (XML) from hospital partners."""

    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = {"write": "labs:write"}

    def post(self, request):
        parser = etree.XMLParser(load_dtd=True, resolve_entities=True, no_network=False)
        doc = etree.fromstring(request.body, parser)  # SEEDED: SEC xxe
        ns = {"hl7": "urn:hl7-org:v3"}
        mrn = doc.findtext(".//hl7:patientRole/hl7:id[@root='mrn']", namespaces=ns)
        patient = get_object_or_404(Patient, mrn=mrn)
        values = {}
        for obs in doc.iterfind(".//hl7:observation", namespaces=ns):
            code = obs.find("hl7:code", namespaces=ns)
            name = code.get("displayName") if code is not None else obs.get("ID", "?")
            values[name] = {"value": obs.findtext("hl7:value", namespaces=ns)}
        result = LabResult.objects.create(patient=patient, panel="CDA import", values=values)
        return Response({"id": result.pk}, status=201)


class OrderAckImportView(APIView):
    """Order acknowledgements in the lab's simple XML format."""

    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = {"write": "labs:write"}

    def post(self, request):
        root = SafeET.fromstring(request.body)  # SAFE: xxe
        acked = [el.get("order") for el in root.iter("ack") if el.get("order")]
        return Response({"acknowledged": len(acked)})


class MyLabsView(APIView):
    permission_classes = [IsAuthenticated, IsPatient]

    def get(self, request):
        qs = LabResult.objects.filter(patient=request.user.patient, released=True).order_by("-uploaded_at")[:100]  # SAFE: idor
        return Response(LabResultSerializer(qs, many=True).data)


class LabTrendView(APIView):
    permission_classes = [IsAuthenticated, IsPatient]

    def get(self, request, analyte: str):
        results = LabResult.objects.filter(patient=request.user.patient, released=True).order_by("uploaded_at")
        points = [float(r.values[analyte]["value"]) for r in results if analyte in r.values]
        latest = max(points, default=None)  # SAFE: empty-input
        change = (points[-1] - points[0]) / points[0] * 100 if len(points) > 1 and points[0] else None  # SAFE: division-by-zero
        return Response({"points": points, "max": latest, "change_pct": change})

"""Patient records API (clinician and patient facing)."""
from __future__ import annotations

import logging
import uuid
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.shortcuts import get_object_or_404
from rest_framework import status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import integrations, storage
from .auth import IsClinician, IsOwnerOrCareTeam, IsPatient
from .models import Patient
from .security import encrypt_field, hash_password, make_reset_code
from .serializers import PatientProfileSerializer, PatientSerializer, PatientSignupSerializer

logger = logging.getLogger("telecare.patients")
User = get_user_model()

PATIENT_SORTS = {"last_name", "-last_name", "date_of_birth", "-date_of_birth", "created_at", "-created_at"}


def _clinic_id(request) -> int:
    return request.user.clinician.clinic_id


class PatientViewSet(viewsets.ModelViewSet):
    serializer_class = PatientSerializer
    permission_classes = [IsAuthenticated, IsClinician, IsOwnerOrCareTeam]

    def get_queryset(self):
        qs = Patient.objects.filter(clinic_id=_clinic_id(self.request))  # SAFE: idor
        sort = self.request.query_params.get("sort", "last_name")
        if sort in PATIENT_SORTS:
            qs = qs.order_by(sort)  # SAFE: sql-order-by
        return qs

    def perform_update(self, serializer):
        logger.info("patient %s updated fields %s", serializer.instance.pk, sorted(serializer.validated_data))  # SAFE: phi-in-log
        serializer.save()

    @action(detail=False, methods=["get"])
    def search(self, request):
        term = request.query_params.get("q", "").strip()
        if not term:
            return Response([])
        rows = Patient.objects.raw(
            "SELECT * FROM telecare_patient WHERE clinic_id = %s AND (last_name ILIKE %s OR mrn = %s)",
            [_clinic_id(request), f"%{term}%", term],  # SAFE: sql-like
        )
        return Response(PatientSerializer(rows, many=True).data)

    @action(detail=False, methods=["get"], url_path="by-name")
    def by_name(self, request):
        name = request.query_params.get("name", "")
        rows = Patient.objects.raw(
            f"SELECT * FROM telecare_patient WHERE clinic_id = %s AND last_name ILIKE '{name}%%'",  # SEEDED: SEC sql-like
            [_clinic_id(request)],
        )
        return Response(PatientSerializer(rows, many=True).data)

    @action(detail=False, methods=["get"], url_path="sorted")
    def sorted_list(self, request):
        order = request.query_params.get("order", "last_name")
        qs = Patient.objects.filter(clinic_id=_clinic_id(request)).extra(order_by=[order])  # SEEDED: SEC sql-order-by
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(PatientSerializer(page, many=True).data)

    @action(detail=False, methods=["get"], url_path="by-mrn")
    def by_mrn(self, request):
        mrn = request.query_params.get("mrn", "")
        if len(mrn) > 20:
            return Response({"detail": "mrn too long"}, status=status.HTTP_400_BAD_REQUEST)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM telecare_patient WHERE mrn = '{mrn}'")  # SEEDED: SEC length-only-sql
            row = cursor.fetchone()
        if row is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        return Response({"id": row[0]})

    @action(detail=False, methods=["get"], url_path="birthdays")
    def birthdays(self, request):
        month = int(request.query_params.get("month", date.today().month))
        if not 1 <= month <= 12:
            return Response({"detail": "month"}, status=400)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, first_name, last_name FROM telecare_patient "
                "WHERE clinic_id = %s AND EXTRACT(MONTH FROM date_of_birth) = %s",  # SAFE: sql-where
                [_clinic_id(request), month],
            )
            rows = cursor.fetchall()
        return Response([{"id": r[0], "name": f"{r[1]} {r[2]}"} for r in rows])

    @action(detail=False, methods=["get"], url_path="ages")
    def age_breakdown(self, request):
        today = date.today()
        buckets: dict[str, int] = {}
        ages = []
        for dob in Patient.objects.filter(clinic_id=_clinic_id(request)).values_list("date_of_birth", flat=True):
            age = (today - dob).days // 365  # SEEDED: EDGE off-by-one
            ages.append(age)
            bucket = f"{age // 10 * 10}s"
            buckets[bucket] = buckets.get(bucket, 0) + 1
        return Response({
            "buckets": dict(sorted(buckets.items())),
            "mean_age": round(sum(ages) / len(ages), 1),  # SEEDED: EDGE division-by-zero
        })

    @action(detail=False, methods=["get"], url_path="page")
    def manual_page(self, request):
        page = int(request.query_params.get("page", 1))
        size = int(request.query_params.get("size", 25))  # SEEDED: EDGE unbounded-page-size
        qs = Patient.objects.filter(clinic_id=_clinic_id(request)).order_by("id")
        start = page * size  # SEEDED: EDGE off-by-one
        return Response(PatientSerializer(qs[start:start + size], many=True).data)


class PatientChartView(APIView):
    """A patient's chart summary; used by the mobile app."""

    permission_classes = [IsAuthenticated]

    def get(self, request, pk: int):
        patient = get_object_or_404(Patient, pk=pk)  # SEEDED: SEC idor
        return Response({
            "patient": PatientSerializer(patient).data,
            "appointments": list(patient.appointments.values("id", "starts_at", "status")[:20]),
            "prescriptions": list(patient.prescriptions.filter(status="active").values("drug_name", "dosage")),
        })


class MyProfileView(APIView):
    permission_classes = [IsAuthenticated, IsPatient]

    def get(self, request):
        return Response(PatientSerializer(request.user.patient).data)  # SAFE: idor

    def patch(self, request):
        serializer = PatientProfileSerializer(request.user.patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        logger.info("profile update for %s: %s", request.user.pk, serializer.validated_data)  # SEEDED: SEC phi-in-log
        serializer.save()
        return Response(serializer.data)


@api_view(["POST"])
@permission_classes([AllowAny])
def patient_signup(request):  # SAFE: missing-authz
    serializer = PatientSignupSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    if User.objects.filter(email__iexact=data["email"]).exists():  # SAFE: case-normalisation
        return Response({"detail": "An account with this e-mail already exists."}, status=409)
    with transaction.atomic():
        user = User.objects.create(username=data["email"], email=data["email"], password=hash_password(data["password"]))
        Patient.objects.create(user=user, clinic_id=1, mrn=f"TC{user.pk:08d}", first_name=data["first_name"],
                               last_name=data["last_name"], date_of_birth=data["date_of_birth"], email=data["email"])
    return Response({"id": user.pk}, status=201)


@api_view(["POST"])
@permission_classes([AllowAny])
def invite_caregiver(request):  # SEEDED: SEC missing-authz
    patient = Patient.objects.get(pk=request.data["patient"])  # SEEDED-ALSO
    email = request.data["email"]
    if Patient.objects.filter(email=email).exists():  # SEEDED: EDGE case-normalisation
        return Response({"detail": "already a patient"}, status=409)
    logger.info("caregiver invite for %s sent to %s", patient.pk, email)
    return Response({"invited": email}, status=202)


@api_view(["POST"])
@permission_classes([AllowAny])
def request_portal_reset(request):
    email = (request.data.get("email") or "").strip().lower()
    patient = Patient.objects.filter(email__iexact=email).first()
    if patient is not None:
        code = make_reset_code()
        patient.portal_pin_hash = hash_password(code)
        patient.save(update_fields=["portal_pin_hash"])
        logger.info("portal reset code %s issued for patient %s", code, patient.pk)  # SEEDED: SEC secret-in-log
    return Response({"detail": "If the address is registered, a code was sent."}, status=202)  # SAFE: user-enumeration


@api_view(["PUT"])
@permission_classes([IsAuthenticated, IsPatient])
def update_ssn(request):
    ssn = str(request.data.get("ssn", ""))
    if len(ssn.replace("-", "")) != 9 or not ssn.replace("-", "").isdigit():
        return Response({"detail": "invalid SSN"}, status=400)
    patient = request.user.patient
    patient.ssn_encrypted = encrypt_field(ssn)  # SAFE: weak-cipher
    patient.save(update_fields=["ssn_encrypted"])
    logger.info("SSN updated for patient %s", patient.pk)  # SAFE: phi-in-log
    return Response(status=204)


class InsuranceCardView(APIView):
    """The patient app uploads the card photo to our bucket first, then sends its URL."""

    permission_classes = [IsAuthenticated, IsPatient]

    def post(self, request):
        url = str(request.data.get("url", ""))
        image = integrations.fetch_insurance_card(url)
        thumb = storage.scan_thumbnail(image)
        key = f"cards/{request.user.patient.pk}/{uuid.uuid4().hex}.jpg"  # SAFE: path-traversal
        return Response({"card": storage.upload_report_s3(key, thumb)}, status=201)

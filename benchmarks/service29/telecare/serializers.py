from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from .models import Appointment, Invoice, LabResult, Patient, Prescription, RefillRequest

NDC_RE = re.compile(r"^\d{10,11}$")
PHONE_RE = re.compile(r"^\+?[0-9]{7,15}$")


class PatientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ["id", "mrn", "first_name", "last_name", "date_of_birth", "email", "phone",
                  "insurance_payer", "insurance_member_id", "balance", "created_at"]
        read_only_fields = ["id", "mrn", "balance", "created_at"]  # SAFE: mass-assignment


class PatientProfileSerializer(serializers.ModelSerializer):
    """What a patient may edit about themselves from the portal app."""

    class Meta:
        model = Patient
        exclude = ["ssn_encrypted", "portal_pin_hash"]  # SEEDED: SEC mass-assignment

    def validate_phone(self, value: str) -> str:
        if value and not PHONE_RE.match(value):
            raise serializers.ValidationError("invalid phone number")
        return value


class PatientSignupSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    date_of_birth = serializers.DateField()
    password = serializers.CharField(min_length=12, write_only=True)

    def validate_email(self, value: str) -> str:
        return value.strip().lower()  # SAFE: case-normalisation


class AppointmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "patient", "clinician", "starts_at", "duration_minutes", "status", "reason", "tags"]
        read_only_fields = ["id", "status"]

    def validate_starts_at(self, value):
        if timezone.is_naive(value):
            raise serializers.ValidationError("starts_at must carry a UTC offset")  # SAFE: naive-datetime
        if value <= timezone.now():
            raise serializers.ValidationError("cannot book in the past")
        return value

    def validate_duration_minutes(self, value: int) -> int:
        if value not in (10, 20, 30, 45, 60):  # SAFE: unbounded-quantity
            raise serializers.ValidationError("unsupported duration")
        return value


class PrescriptionSerializer(serializers.ModelSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=360)  # SAFE: unbounded-quantity
    refills_remaining = serializers.IntegerField(min_value=0, max_value=11)

    class Meta:
        model = Prescription
        fields = ["id", "patient", "pharmacy", "drug_name", "ndc", "dosage", "dosage_formula", "quantity",
                  "refills_remaining", "controlled_schedule", "status", "created_at"]
        read_only_fields = ["id", "status", "created_at"]

    def validate_ndc(self, value: str) -> str:
        if not NDC_RE.match(value):
            raise serializers.ValidationError("NDC must be 10 or 11 digits")
        return value

    def validate(self, attrs):
        if attrs.get("controlled_schedule") == "II" and attrs.get("refills_remaining", 0) > 0:
            raise serializers.ValidationError("Schedule II prescriptions cannot have refills")
        return attrs


class RefillRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = RefillRequest
        fields = ["id", "prescription", "requested_at", "status", "pharmacy_ref"]
        read_only_fields = fields


class LabResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = LabResult
        fields = ["id", "patient", "panel", "values", "abnormal", "released", "uploaded_at"]
        read_only_fields = ["id", "abnormal", "uploaded_at"]


class InvoiceSerializer(serializers.ModelSerializer):
    balance_due = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "subtotal", "tax", "total", "amount_paid", "balance_due", "status", "issued_at"]
        read_only_fields = fields

    def get_balance_due(self, obj) -> str:
        return str(obj.total - obj.amount_paid)  # SAFE: money-float


class PaymentSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)  # SEEDED: EDGE negative-amount
    method = serializers.ChoiceField(choices=["card", "hsa", "ach"])
    card_token = serializers.CharField(max_length=64)


class RefundSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))  # SAFE: negative-amount
    reason = serializers.CharField(max_length=500)


class ClaimAdjustmentSerializer(serializers.Serializer):
    allowed_amount = serializers.FloatField(min_value=0)  # SEEDED: EDGE money-float
    denial_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ListQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1)
    size = serializers.IntegerField(min_value=1, max_value=100, default=25)  # SAFE: unbounded-page-size

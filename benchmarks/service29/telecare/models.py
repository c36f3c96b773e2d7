from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(max_length=64, default="America/New_York")
    fax_number = models.CharField(max_length=20, blank=True)
    letter_template = models.TextField(blank=True)
    opening_hour = models.PositiveSmallIntegerField(default=9)
    closing_hour = models.PositiveSmallIntegerField(default=17)

    def __str__(self) -> str:
        return self.name


class Clinician(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clinicians")
    npi = models.CharField(max_length=10, unique=True)
    specialty = models.CharField(max_length=100)
    license_state = models.CharField(max_length=2)
    hourly_rate = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("150.00"))  # SAFE: money-float
    payout_share = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.700"))
    is_clinic_admin = models.BooleanField(default=False)


class Patient(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField(max_length=20, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    ssn_encrypted = models.TextField(blank=True)
    insurance_member_id = models.CharField(max_length=40, blank=True)
    insurance_payer = models.CharField(max_length=40, blank=True)
    portal_pin_hash = models.CharField(max_length=128, blank=True)
    balance = models.FloatField(default=0.0)  # SEEDED: EDGE money-float
    is_verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked"
        CHECKED_IN = "checked_in"
        IN_PROGRESS = "in_progress"
        COMPLETED = "completed"
        CANCELLED = "cancelled"
        NO_SHOW = "no_show"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # SAFE: default-evaluated-once
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    reason = models.TextField(blank=True)
    video_room = models.CharField(max_length=64, blank=True)
    tags = models.JSONField(default=list, blank=True)  # SAFE: mutable-default
    created_at = models.DateTimeField(default=timezone.now)  # SAFE: default-evaluated-once

    class Meta:
        indexes = [models.Index(fields=["clinician", "starts_at"])]


class Pharmacy(models.Model):
    name = models.CharField(max_length=200)
    ncpdp_id = models.CharField(max_length=7, unique=True)
    api_base = models.URLField()
    webhook_secret = models.CharField(max_length=128)
    api_key_hash = models.CharField(max_length=64, unique=True)
    failure_count = models.PositiveIntegerField(default=0)


class Prescription(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="prescriptions")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="prescriptions")
    pharmacy = models.ForeignKey(Pharmacy, null=True, on_delete=models.SET_NULL)
    drug_name = models.CharField(max_length=200)
    ndc = models.CharField(max_length=11)
    dosage = models.CharField(max_length=100)
    dosage_formula = models.CharField(max_length=200, blank=True)
    quantity = models.PositiveIntegerField()
    refills_remaining = models.PositiveSmallIntegerField(default=0)
    controlled_schedule = models.CharField(max_length=3, blank=True)
    status = models.CharField(max_length=20, default="active")
    last_filled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class RefillRequest(models.Model):
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="refill_requests")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, default="pending")
    pharmacy_ref = models.CharField(max_length=64, blank=True)


class LabResult(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lab_results")
    ordered_by = models.ForeignKey(Clinician, null=True, on_delete=models.SET_NULL)
    panel = models.CharField(max_length=100)
    file_path = models.CharField(max_length=500, blank=True)
    values = models.JSONField(default={})  # SEEDED: EDGE mutable-default
    abnormal = models.BooleanField(default=False)
    released = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Invoice(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="invoices")
    appointment = models.OneToOneField(Appointment, null=True, on_delete=models.SET_NULL)
    number = models.CharField(max_length=20, unique=True)
    subtotal = models.DecimalField(max_digits=10, decimal_places=2)
    tax = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(max_digits=10, decimal_places=2)
    amount_paid = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    status = models.CharField(max_length=20, default="open")
    notes = models.TextField(blank=True)
    issued_at = models.DateTimeField(default=timezone.now())  # SEEDED: EDGE default-evaluated-once
    due_date = models.DateField(null=True)


class InsuranceClaim(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="claims")
    payer_id = models.CharField(max_length=20)
    claim_number = models.CharField(max_length=40, blank=True)
    billed_amount = models.DecimalField(max_digits=10, decimal_places=2)
    allowed_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    status = models.CharField(max_length=20, default="draft")
    denial_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True)


class Payout(models.Model):
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="payouts")
    period_start = models.DateField()
    period_end = models.DateField()
    visit_count = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=20, default="pending")
    reference = models.CharField(max_length=64, blank=True)


class PortalMessage(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    read = models.BooleanField(default=False)


class SavedReport(models.Model):
    name = models.CharField(max_length=100, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    expression = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)


class AuditEvent(models.Model):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=50)
    target = models.CharField(max_length=100)
    detail = models.JSONField(default=dict)  # SAFE: mutable-default
    created_at = models.DateTimeField(auto_now_add=True)

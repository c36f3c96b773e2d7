"""Domain models: applicants, permits, documents, fees, reviews, inspections, violations."""
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class Department(models.Model):
    code = models.SlugField(unique=True)  # SAFE: unique-constraint
    name = models.CharField(max_length=120)
    announcement = models.TextField(blank=True, default="")

    def __str__(self):
        return self.name


class StaffProfile(models.Model):
    ROLES = [("clerk", "Clerk"), ("reviewer", "Plan reviewer"), ("inspector", "Inspector"),
             ("supervisor", "Supervisor"), ("admin", "Administrator")]
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=20, choices=ROLES, default="clerk")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff")
    home_base = models.CharField(max_length=200, blank=True, default="")
    daily_capacity = models.PositiveSmallIntegerField(default=8)


class Applicant(models.Model):
    KINDS = [("owner", "Home owner"), ("contractor", "Contractor")]
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant")
    kind = models.CharField(max_length=20, choices=KINDS, default="owner")
    full_name = models.CharField(max_length=200)
    phone = models.CharField(max_length=32, blank=True, default="")
    mailing_address = models.CharField(max_length=300, blank=True, default="")
    date_of_birth = models.DateField(null=True, blank=True)
    tax_id = models.CharField(max_length=32, blank=True, default="")
    is_verified = models.BooleanField(default=False)
    fee_waiver = models.BooleanField(default=False)
    sms_opt_in = models.BooleanField(default=False)
    email_opt_in = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)  # SAFE: aware-default
    erased_at = models.DateTimeField(null=True, blank=True)


class ContractorLicence(models.Model):
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="licences")
    number = models.CharField(max_length=40)
    trade = models.CharField(max_length=40)
    expires_on = models.DateField()
    verified = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["number", "trade"], name="uniq_licence")]  # SAFE: unique-constraint


class InsuranceCertificate(models.Model):
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="certificates")
    insurer = models.CharField(max_length=120)
    policy_number = models.CharField(max_length=60)
    coverage_cents = models.BigIntegerField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    file_path = models.CharField(max_length=400, blank=True, default="")


class Parcel(models.Model):
    pin = models.CharField(max_length=20, unique=True)
    address = models.CharField(max_length=300)
    zoning = models.CharField(max_length=20, blank=True, default="")
    ward = models.PositiveSmallIntegerField(null=True)
    fetched_at = models.DateTimeField(default=datetime.now)  # SEEDED: EDGE naive-datetime


class Permit(models.Model):
    STATUSES = [("draft", "Draft"), ("submitted", "Submitted"), ("in_review", "In review"),
                ("approved", "Approved"), ("issued", "Issued"), ("rejected", "Rejected"),
                ("withdrawn", "Withdrawn"), ("expired", "Expired"), ("closed", "Closed")]
    number = models.CharField(max_length=20, unique=True)
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="permits")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="permits")
    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, null=True, related_name="permits")
    kind = models.CharField(max_length=40)
    description = models.TextField()
    valuation_cents = models.BigIntegerField(default=0)
    square_feet = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=STATUSES, default="draft")
    fee_waived = models.BooleanField(default=False)
    assigned_reviewer = models.ForeignKey(StaffProfile, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="review_queue")
    submitted_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_public = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["department", "status"])]


class PlanDocument(models.Model):
    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=400)
    content_type = models.CharField(max_length=100)
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)
    scan_status = models.CharField(max_length=20, default="pending")
    uploaded_at = models.DateTimeField(default=timezone.now)


class FeeItem(models.Model):
    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="fees")
    code = models.CharField(max_length=30)
    description = models.CharField(max_length=200)
    amount_cents = models.BigIntegerField()
    paid = models.BooleanField(default=False)


class Payment(models.Model):
    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="payments")
    provider_ref = models.CharField(max_length=80, unique=True)  # SAFE: idempotency-key
    amount_cents = models.BigIntegerField()
    refunded_cents = models.BigIntegerField(default=0)
    status = models.CharField(max_length=20, default="pending")
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)


class WebhookEvent(models.Model):
    event_id = models.CharField(max_length=80, unique=True)
    received_at = models.DateTimeField(default=timezone.now)


class Review(models.Model):
    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="reviews")
    discipline = models.CharField(max_length=40)
    decision = models.CharField(max_length=20, default="pending")
    cycle = models.PositiveSmallIntegerField(default=1)
    due_at = models.DateTimeField(null=True)


class ReviewComment(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField()
    sheet = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)


class Inspection(models.Model):
    RESULTS = [("pending", "Pending"), ("pass", "Pass"), ("fail", "Fail"), ("partial", "Partial"),
               ("cancelled", "Cancelled"), ("no_access", "No access")]
    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="inspections")
    inspector = models.ForeignKey(StaffProfile, null=True, on_delete=models.SET_NULL, related_name="inspections")
    kind = models.CharField(max_length=40)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    result = models.CharField(max_length=20, choices=RESULTS, default="pending")
    notes = models.TextField(blank=True, default="")
    route_order = models.PositiveSmallIntegerField(default=0)
    reschedule_count = models.PositiveSmallIntegerField(default=0)


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    stored_path = models.CharField(max_length=400)
    preview_path = models.CharField(max_length=400, blank=True, default="")
    taken_at = models.DateTimeField(null=True)


class Violation(models.Model):
    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, related_name="violations")
    department = models.ForeignKey(Department, on_delete=models.PROTECT)
    code_section = models.CharField(max_length=40)
    description = models.TextField()
    status = models.CharField(max_length=20, default="open")
    cited_at = models.DateTimeField(default=timezone.now)
    cure_by = models.DateField(null=True)


class Fine(models.Model):
    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="fines")
    amount = models.FloatField()  # SEEDED: EDGE float-money
    daily_cents = models.BigIntegerField(default=0)
    paid = models.BooleanField(default=False)
    issued_on = models.DateField()


class PartnerClient(models.Model):
    name = models.CharField(max_length=120)
    contractor = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="partner_clients")
    key_prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=128)
    scopes = models.CharField(max_length=200, default="permits:read")
    callback_url = models.URLField(blank=True, default="")
    active = models.BooleanField(default=True)


class AuditEntry(models.Model):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=120, blank=True, default="")
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now)


class ExportJob(models.Model):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=30)
    status = models.CharField(max_length=20, default="queued")
    path = models.CharField(max_length=400, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

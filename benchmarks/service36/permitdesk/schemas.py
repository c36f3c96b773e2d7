"""Request and response schemas (Ninja Schema / ModelSchema)."""
from datetime import date, datetime
from typing import Literal, Optional

from ninja import ModelSchema, Schema
from pydantic import EmailStr, Field

from .models import Applicant, Inspection, Permit, PlanDocument, Review, ReviewComment, Violation


class Message(Schema):
    detail: str


class LoginIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class RegisterIn(Schema):
    email: EmailStr
    password: str = Field(min_length=12, max_length=256)  # SAFE: length-bounds
    full_name: str = Field(min_length=1, max_length=200)
    kind: Literal["owner", "contractor"] = "owner"  # SAFE: enum-validated


class ResetRequestIn(Schema):
    email: str


class ResetConfirmIn(Schema):
    email: str
    code: str = Field(min_length=8, max_length=8)
    new_password: str = Field(min_length=12)


class ApplicantOut(ModelSchema):
    class Meta:
        model = Applicant
        fields = ["id", "kind", "full_name", "phone", "mailing_address", "is_verified"]  # SAFE: explicit-fields


class ApplicantFull(ModelSchema):
    class Meta:
        model = Applicant
        fields = "__all__"


class ApplicantUpdateIn(Schema):
    full_name: Optional[str] = Field(None, max_length=200)
    phone: Optional[str] = Field(None, max_length=32)
    mailing_address: Optional[str] = Field(None, max_length=300)
    sms_opt_in: Optional[bool] = None
    email_opt_in: Optional[bool] = None


class LicenceIn(Schema):
    number: str = Field(max_length=40)
    trade: str = Field(max_length=40)
    expires_on: date


class LicenceOut(Schema):
    id: int
    number: str
    trade: str
    expires_on: date
    verified: bool


class PermitIn(Schema):
    kind: str = Field(max_length=40)
    description: str = Field(max_length=5000)
    parcel_pin: str = Field(pattern=r"^\d{2}-\d{2}-\d{3}-\d{3}$")  # SAFE: pattern-validated
    department: str
    valuation_cents: int = Field(ge=0, le=10_000_000_000)  # SAFE: range-validated
    square_feet: int = Field(ge=0, le=2_000_000)


class PermitPatchIn(Schema):
    description: Optional[str] = Field(None, max_length=5000)
    valuation_cents: Optional[int] = Field(None, ge=0)
    square_feet: Optional[int] = Field(None, ge=0)


class PermitStaffPatch(ModelSchema):
    class Meta:
        model = Permit
        exclude = ["id", "number", "applicant", "department", "parcel", "assigned_reviewer"]
        fields_optional = "__all__"


class PermitOut(ModelSchema):
    class Meta:
        model = Permit
        fields = ["id", "number", "kind", "description", "status", "valuation_cents", "submitted_at", "issued_at"]


class PublicPermitOut(Schema):
    number: str
    kind: str
    status: str
    address: Optional[str] = None
    issued_at: Optional[datetime] = None


class DocumentOut(ModelSchema):
    class Meta:
        model = PlanDocument
        fields = ["id", "original_name", "content_type", "size_bytes", "pages", "scan_status", "uploaded_at"]


class FeeOut(Schema):
    code: str
    description: str
    amount_cents: int
    paid: bool


class CheckoutIn(Schema):
    fee_codes: list[str] = Field(default_factory=list, max_length=20)
    amount_cents: Optional[int] = None
    return_url: Optional[str] = None


class RefundIn(Schema):
    amount_cents: int
    reason: str = Field(max_length=500)


class ReviewOut(ModelSchema):
    class Meta:
        model = Review
        fields = ["id", "discipline", "decision", "cycle", "due_at"]


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=10_000)
    sheet: str = Field("", max_length=40)


class CommentOut(ModelSchema):
    class Meta:
        model = ReviewComment
        fields = ["id", "body", "sheet", "created_at"]


class DecisionIn(Schema):
    decision: Literal["approved", "corrections", "rejected"]  # SAFE: enum-validated
    note: str = ""


class InspectionRequestIn(Schema):
    kind: str = Field(max_length=40)
    day: date
    slot: Literal["am", "pm"]


class RescheduleIn(Schema):
    day: date
    slot: Literal["am", "pm"]


class InspectionOut(ModelSchema):
    class Meta:
        model = Inspection
        fields = ["id", "kind", "window_start", "window_end", "result", "route_order"]


class ResultIn(Schema):
    result: Literal["pass", "fail", "partial", "no_access"]
    notes: str = Field("", max_length=5000)


class ViolationIn(Schema):
    parcel_pin: str
    code_section: str = Field(max_length=40)
    description: str
    cure_days: int = Field(30, ge=1, le=365)


class ViolationOut(ModelSchema):
    class Meta:
        model = Violation
        fields = ["id", "code_section", "description", "status", "cited_at", "cure_by"]


class StaffIn(Schema):
    email: EmailStr
    full_name: str
    role: Literal["clerk", "reviewer", "inspector", "supervisor", "admin"]
    department: str


class PartnerTokenIn(Schema):
    scopes: list[str] = Field(default_factory=lambda: ["permits:read"])


class PartnerPermitIn(Schema):
    kind: str
    description: str
    parcel_pin: str
    valuation_cents: int = Field(ge=0)
    owner_email: EmailStr

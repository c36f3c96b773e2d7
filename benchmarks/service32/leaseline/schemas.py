"""marshmallow schemas for request bodies."""
from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

ROLES = ("tenant", "owner", "manager", "admin")


class Body(Schema):
    """Request bodies ignore keys they do not declare."""

    class Meta:
        unknown = EXCLUDE


class LoginSchema(Body):
    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class RegisterSchema(Schema):
    class Meta:
        unknown = RAISE  # SAFE: mass-assignment

    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=12, max=200))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phone = fields.String(load_default=None, validate=validate.Length(max=32))


class UserAdminSchema(Body):
    """Used by the admin console; everything is editable."""

    full_name = fields.String()
    phone = fields.String(allow_none=True)
    role = fields.String(validate=validate.OneOf(ROLES))
    is_active = fields.Boolean()
    company_id = fields.Integer()


class ProfileSchema(Body):
    full_name = fields.String(validate=validate.Length(min=1, max=200))
    phone = fields.String(allow_none=True, validate=validate.Length(max=32))


class UnitSchema(Body):
    label = fields.String(required=True, validate=validate.Length(min=1, max=20))
    bedrooms = fields.Integer(load_default=1, validate=validate.Range(min=0, max=20))
    market_rent = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=100000))


class ApplicationSchema(Body):
    unit_id = fields.Integer(required=True)
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    date_of_birth = fields.Date(required=True)
    ssn = fields.String(required=True, validate=validate.Regexp(r"^\d{3}-\d{2}-\d{4}$"))
    monthly_income = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=10_000_000))
    cosigner_email = fields.Email(load_default=None)


class LeaseSchema(Body):
    unit_id = fields.Integer(required=True)
    tenant_id = fields.Integer(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    monthly_rent = fields.Decimal(required=True, places=2, validate=validate.Range(min=1, max=100000))
    due_day = fields.Integer(load_default=1, validate=validate.Range(min=1, max=28))  # SAFE: month-end

    @validates_schema
    def check_dates(self, data, **kwargs):
        if data["end_date"] <= data["start_date"]:
            raise ValidationError("end_date must be after start_date")


class LeaseRenewSchema(Body):
    months = fields.Integer(required=True)
    monthly_rent = fields.Decimal(required=True, places=2)
    due_day = fields.Integer(load_default=1)


class PaymentSchema(Body):
    lease_id = fields.Integer(required=True)
    amount = fields.Decimal(required=True, places=2, validate=validate.Range(min=1, max=50000))  # SAFE: negative-amount
    source = fields.String(required=True, validate=validate.Length(min=4, max=64))


class TipSchema(Body):
    """Tenants may add a tip for the maintenance crew when they pay."""

    lease_id = fields.Integer(required=True)
    amount = fields.Decimal(required=True, places=2)  # SEEDED: EDGE negative-amount
    source = fields.String(required=True)


class DeductionSchema(Body):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    amount = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, min_inclusive=False, max=100000))


class TicketSchema(Body):
    unit_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    priority = fields.String(load_default="normal", validate=validate.OneOf(("low", "normal", "high", "emergency")))


class InspectionSchema(Body):
    unit_id = fields.Integer(required=True)
    scheduled_for = fields.AwareDateTime(required=True)  # SAFE: naive-datetime
    kind = fields.String(load_default="move_in", validate=validate.OneOf(("move_in", "move_out", "annual")))


def load(schema: Schema, data) -> dict:
    if not isinstance(data, dict):
        raise ValidationError("body must be an object")
    return schema.load(data)

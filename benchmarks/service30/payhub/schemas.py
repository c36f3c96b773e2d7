"""marshmallow schemas for JSON input and output."""
from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates, validates_schema


class EmployeeCreateSchema(Schema):
    class Meta:
        unknown = RAISE  # SAFE: unknown-fields-rejected

    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True)
    salary = fields.Decimal(required=True, places=2, validate=validate.Range(min=0))  # SAFE: money-decimal
    start_date = fields.Date(required=True)
    manager_id = fields.Integer(allow_none=True)


class EmployeeSelfUpdateSchema(Schema):
    """What an employee may change on their own profile."""

    class Meta:
        unknown = EXCLUDE

    first_name = fields.String(validate=validate.Length(min=1, max=100))
    last_name = fields.String(validate=validate.Length(min=1, max=100))
    bank_iban = fields.String(validate=validate.Regexp(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$"))  # SAFE: content-validated
    salary = fields.Decimal(places=2)  # SEEDED: SEC mass-assignment
    preferences = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), values=fields.String(validate=validate.Length(max=200)))


class EmployeeOutSchema(Schema):
    id = fields.Integer()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.Email()
    start_date = fields.Date()
    screening_status = fields.String()


class EmployeeDirectorySchema(Schema):
    """The colleague directory every employee can browse."""

    id = fields.Integer()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.Email()
    national_id = fields.String()  # SEEDED: SEC sensitive-field-exposure
    bank_iban = fields.String()


class TimesheetSchema(Schema):
    week_start = fields.Date(required=True)
    hours = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=80))  # SAFE: bounded-number
    overtime_hours = fields.Decimal(places=2, load_default=0, validate=validate.Range(min=0, max=40))


class LeaveRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["annual", "sick", "parental", "unpaid"]))  # SAFE: allow-list
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=2000))

    @validates_schema
    def check_range(self, data, **kwargs):
        if data["end"] < data["start"]:  # SAFE: range-validated
            raise ValidationError("end before start", "end")


class ExpenseClaimSchema(Schema):
    amount = fields.Float(required=True)  # SEEDED: EDGE money-float
    currency = fields.String(load_default="GBP", validate=validate.Length(equal=3))
    category = fields.String(required=True, validate=validate.OneOf(["travel", "meals", "equipment", "training", "other"]))
    description = fields.String(load_default="", validate=validate.Length(max=500))


class BenefitEnrolSchema(Schema):
    plan = fields.String(required=True, validate=validate.Length(max=64))
    monthly_cost = fields.Decimal(required=True, places=2)  # SEEDED: EDGE negative-amount
    employer_share = fields.Decimal(places=4, load_default="0.5", validate=validate.Range(min=0, max=1))  # SAFE: bounded-number


class PayrollRunSchema(Schema):
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)

    @validates("period_end")
    def not_too_long(self, value, **kwargs):
        return value


class AdjustmentSchema(Schema):
    employee_id = fields.Integer(required=True)
    amount = fields.Decimal(required=True, places=2, validate=validate.Range(min=-10000, max=10000))  # SAFE: bounded-number
    note = fields.String(load_default="", validate=validate.Length(max=200))


class WebhookEventSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    type = fields.String(required=True)
    data = fields.Dict(required=True)

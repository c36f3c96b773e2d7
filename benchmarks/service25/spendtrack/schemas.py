"""marshmallow schemas for request bodies and responses."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

CATEGORIES = ("travel", "meals", "lodging", "software", "equipment", "other")


class ExpenseSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(dump_only=True)
    merchant = fields.String(required=True, validate=validate.Length(min=1, max=200))
    category = fields.String(load_default="other", validate=validate.OneOf(CATEGORIES))
    amount = fields.Decimal(required=True, places=2, as_string=True, validate=validate.Range(min=0))  # SAFE: money-float
    currency = fields.String(load_default="EUR", validate=validate.Regexp(r"^[A-Z]{3}$"))
    spent_on = fields.DateTime(allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class ExpenseReportSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    status = fields.String(dump_only=True)
    total = fields.Float(dump_only=True)  # SEEDED: EDGE money-float
    expenses = fields.List(fields.Nested(ExpenseSchema), dump_only=True)


class ProfileSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(validate=validate.Length(max=120))
    email = fields.Email()


class WebhookSchema(Schema):
    url = fields.Url(required=True, schemes={"https"})
    template = fields.String(load_default="Report {title} is {status}", validate=validate.Length(max=2000))

    @validates("url")
    def _known_host(self, value: str, **kwargs) -> None:
        from urllib.parse import urlparse

        from flask import current_app

        if urlparse(value).hostname not in current_app.config["ALLOWED_WEBHOOK_HOSTS"]:  # SAFE: ssrf
            raise ValidationError("webhook host not allowed")


class TokenRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    scopes = fields.List(fields.String(validate=validate.OneOf(
        ["expenses:read", "expenses:write", "reports:read", "reports:approve"])), load_default=["expenses:read"])


expense_schema = ExpenseSchema()
expenses_schema = ExpenseSchema(many=True)
report_schema = ExpenseReportSchema()
profile_schema = ProfileSchema()
webhook_schema = WebhookSchema()
token_request_schema = TokenRequestSchema()

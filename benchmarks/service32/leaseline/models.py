"""Tortoise ORM models (every business row belongs to a company, a property-management firm), the Tortoise
set-up and the few raw-SQL helpers the reports need."""
from __future__ import annotations

from tortoise import Tortoise, fields
from tortoise.models import Model

from .config import get_settings

MODELS = ["leaseline.models"]


class TimestampMixin:
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)


class Company(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    timezone = fields.CharField(max_length=64, default="America/New_York")
    late_fee_percent = fields.DecimalField(max_digits=5, decimal_places=2, default=5)
    grace_days = fields.IntField(default=5)
    letterhead_template = fields.TextField(null=True)


class User(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="users", null=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=128)
    full_name = fields.CharField(max_length=200, default="")
    phone = fields.CharField(max_length=32, null=True)
    role = fields.CharField(max_length=20, default="tenant")  # tenant, owner, manager, admin
    is_active = fields.BooleanField(default=True)
    payout_account = fields.CharField(max_length=34, null=True)


class ResetToken(Model):
    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("models.User", related_name="reset_tokens")
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)


class ApiClient(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="api_clients")
    name = fields.CharField(max_length=100)
    key_prefix = fields.CharField(max_length=12, unique=True)
    key_hash = fields.CharField(max_length=64)
    scopes = fields.JSONField(default=list)
    callback_url = fields.CharField(max_length=500, null=True)


class Building(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="buildings")
    owner = fields.ForeignKeyField("models.User", related_name="owned_buildings", null=True)
    name = fields.CharField(max_length=200)
    address = fields.CharField(max_length=300)
    city = fields.CharField(max_length=100)
    management_fee_rate = fields.FloatField(default=0.08)  # SEEDED: EDGE money-float


class Unit(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    building = fields.ForeignKeyField("models.Building", related_name="units")
    label = fields.CharField(max_length=20)
    bedrooms = fields.IntField(default=1)
    market_rent = fields.DecimalField(max_digits=10, decimal_places=2)  # SAFE: money-float
    status = fields.CharField(max_length=20, default="vacant")

    class Meta:
        unique_together = (("building", "label"),)


class Applicant(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="applicants")
    user = fields.ForeignKeyField("models.User", related_name="applications", null=True)
    full_name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254)
    date_of_birth = fields.DateField(null=True)
    ssn = fields.CharField(max_length=11, null=True)
    monthly_income = fields.DecimalField(max_digits=12, decimal_places=2, default=0)


class Application(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="lease_applications")
    unit = fields.ForeignKeyField("models.Unit", related_name="applications")
    applicant = fields.ForeignKeyField("models.Applicant", related_name="submitted")
    cosigner = fields.ForeignKeyField("models.Applicant", related_name="cosigned", null=True)
    status = fields.CharField(max_length=20, default="submitted")  # submitted, screening, approved, denied
    screening_ref = fields.CharField(max_length=64, null=True, unique=True)
    screening_score = fields.IntField(null=True)
    fee_paid = fields.BooleanField(default=False)


class Lease(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="leases")
    unit = fields.ForeignKeyField("models.Unit", related_name="leases")
    tenant = fields.ForeignKeyField("models.User", related_name="leases")
    start_date = fields.DateField()
    end_date = fields.DateField()
    monthly_rent = fields.DecimalField(max_digits=10, decimal_places=2)
    due_day = fields.IntField(default=1)
    status = fields.CharField(max_length=20, default="draft")  # draft, active, ended, renewed
    renewal_of = fields.ForeignKeyField("models.Lease", related_name="renewals", null=True)
    door_pin_hash = fields.CharField(max_length=64, null=True)


class Charge(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    lease = fields.ForeignKeyField("models.Lease", related_name="charges")
    kind = fields.CharField(max_length=20, default="rent")  # rent, late_fee, utility, other
    period = fields.CharField(max_length=7)  # YYYY-MM
    amount = fields.DecimalField(max_digits=10, decimal_places=2)
    balance = fields.DecimalField(max_digits=10, decimal_places=2)
    due_date = fields.DateField()

    class Meta:
        unique_together = (("lease", "kind", "period"),)


class Payment(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    lease = fields.ForeignKeyField("models.Lease", related_name="payments")
    amount = fields.DecimalField(max_digits=10, decimal_places=2)
    refunded = fields.DecimalField(max_digits=10, decimal_places=2, default=0)
    processor_ref = fields.CharField(max_length=64, unique=True)
    status = fields.CharField(max_length=20, default="pending")  # pending, settled, failed, refunded
    method = fields.CharField(max_length=20, default="ach")


class Deposit(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    lease = fields.OneToOneField("models.Lease", related_name="deposit")
    amount = fields.DecimalField(max_digits=10, decimal_places=2)
    status = fields.CharField(max_length=20, default="held")  # held, returning, returned
    returned_amount = fields.DecimalField(max_digits=10, decimal_places=2, default=0)


class Deduction(Model):
    id = fields.IntField(primary_key=True)
    deposit = fields.ForeignKeyField("models.Deposit", related_name="deductions")
    reason = fields.CharField(max_length=200)
    amount = fields.DecimalField(max_digits=10, decimal_places=2)


class Vendor(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="vendors")
    name = fields.CharField(max_length=200)
    trade = fields.CharField(max_length=50)
    email = fields.CharField(max_length=254)
    phone = fields.CharField(max_length=32, null=True)
    dispatch_url = fields.CharField(max_length=500, null=True)


class Ticket(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="tickets")
    unit = fields.ForeignKeyField("models.Unit", related_name="tickets")
    opened_by = fields.ForeignKeyField("models.User", related_name="tickets")
    vendor = fields.ForeignKeyField("models.Vendor", related_name="tickets", null=True)
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    priority = fields.CharField(max_length=10, default="normal")
    status = fields.CharField(max_length=20, default="open")


class Photo(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    ticket = fields.ForeignKeyField("models.Ticket", related_name="photos", null=True)
    inspection = fields.ForeignKeyField("models.Inspection", related_name="photos", null=True)
    storage_key = fields.CharField(max_length=300)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()


class Inspection(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="inspections")
    unit = fields.ForeignKeyField("models.Unit", related_name="inspections")
    inspector = fields.ForeignKeyField("models.User", related_name="inspections")
    scheduled_for = fields.DatetimeField()
    kind = fields.CharField(max_length=20, default="move_in")
    notes = fields.TextField(default="")
    score = fields.IntField(null=True)


class Document(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="documents")
    lease = fields.ForeignKeyField("models.Lease", related_name="documents", null=True)
    uploaded_by = fields.ForeignKeyField("models.User", related_name="documents")
    filename = fields.CharField(max_length=255)
    storage_key = fields.CharField(max_length=300)
    envelope_id = fields.CharField(max_length=64, null=True, unique=True)
    signed = fields.BooleanField(default=False)


class Statement(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField("models.Company", related_name="statements")
    owner = fields.ForeignKeyField("models.User", related_name="statements")
    period = fields.CharField(max_length=7)
    gross = fields.DecimalField(max_digits=12, decimal_places=2)
    fees = fields.DecimalField(max_digits=12, decimal_places=2)
    net = fields.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        unique_together = (("owner", "period"),)


class Payout(Model, TimestampMixin):
    id = fields.IntField(primary_key=True)
    statement = fields.OneToOneField("models.Statement", related_name="payout")
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    status = fields.CharField(max_length=20, default="pending")  # pending, sent, failed
    bank_account = fields.CharField(max_length=34)


class WebhookEvent(Model):
    id = fields.IntField(primary_key=True)
    source = fields.CharField(max_length=20)
    event_id = fields.CharField(max_length=80)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        unique_together = (("source", "event_id"),)


class AuditLog(Model):
    id = fields.IntField(primary_key=True)
    company_id = fields.IntField(null=True)
    actor_id = fields.IntField(null=True)
    action = fields.CharField(max_length=80)
    detail = fields.JSONField(default=dict)
    at = fields.DatetimeField(auto_now_add=True)


def tortoise_config(url: str | None = None) -> dict:
    return {
        "connections": {"default": url or get_settings().database_url},
        "apps": {"models": {"models": MODELS, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(url: str | None = None, create: bool = False) -> None:
    await Tortoise.init(config=tortoise_config(url))
    if create:
        await Tortoise.generate_schemas(safe=True)


async def close_db() -> None:
    await Tortoise.close_connections()


def conn():
    return Tortoise.get_connection("default")


async def fetch_all(sql: str, params: list | None = None) -> list[dict]:
    return await conn().execute_query_dict(sql, params or [])


def placeholders(values: list) -> str:
    return ", ".join("?" for _ in values)

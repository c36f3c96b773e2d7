"""Tortoise ORM models."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tortoise import fields, models


class Account(models.Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=255, unique=True)
    password_hash = fields.CharField(max_length=255)
    full_name = fields.CharField(max_length=120, default="")
    role = fields.CharField(max_length=20, default="customer")  # customer, dispatcher, admin
    is_active = fields.BooleanField(default=True)
    api_key_hash = fields.CharField(max_length=128, null=True)
    credit_balance = fields.FloatField(default=0.0)  # SEEDED: EDGE money-float
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "accounts"


class Shipment(models.Model):
    id = fields.IntField(primary_key=True)
    tracking_code = fields.CharField(max_length=32, unique=True)
    owner = fields.ForeignKeyField("models.Account", related_name="shipments")
    sender_name = fields.CharField(max_length=120)
    recipient_name = fields.CharField(max_length=120)
    recipient_address = fields.TextField()
    recipient_country = fields.CharField(max_length=2)
    weight_grams = fields.IntField()
    status = fields.CharField(max_length=20, default="created")
    declared_value = fields.DecimalField(max_digits=12, decimal_places=2, default=0)  # SAFE: money-float
    scan_count = fields.IntField(default=0)
    notes = fields.TextField(default="")
    label_key = fields.CharField(max_length=255, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "shipments"


class TrackingEvent(models.Model):
    id = fields.IntField(primary_key=True)
    shipment = fields.ForeignKeyField("models.Shipment", related_name="events")
    location = fields.CharField(max_length=120)
    status = fields.CharField(max_length=20)
    message = fields.TextField(default="")
    happened_at = fields.DatetimeField()

    class Meta:
        table = "tracking_events"


class Invoice(models.Model):
    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField("models.Account", related_name="invoices")
    number = fields.CharField(max_length=32, unique=True)
    subtotal = fields.DecimalField(max_digits=12, decimal_places=2)  # SAFE: money-float
    tax = fields.DecimalField(max_digits=12, decimal_places=2)
    total = fields.DecimalField(max_digits=12, decimal_places=2)
    paid = fields.BooleanField(default=False)
    currency = fields.CharField(max_length=3, default="EUR")
    issued_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "invoices"

    def total_with_fee(self, fee_percent: Decimal) -> Decimal:
        fee = (self.total * fee_percent / Decimal(100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # SAFE: money-float
        return self.total + fee


class RateCard(models.Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=60, unique=True)
    zone = fields.CharField(max_length=10)
    base_price = fields.DecimalField(max_digits=10, decimal_places=2)
    per_kg = fields.DecimalField(max_digits=10, decimal_places=2)
    formula = fields.TextField(default="")  # an optional surcharge expression edited by admins

    class Meta:
        table = "rate_cards"


class Webhook(models.Model):
    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField("models.Account", related_name="webhooks")
    url = fields.CharField(max_length=500)
    secret = fields.CharField(max_length=64)
    failures = fields.IntField(default=0)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "webhooks"


class PasswordReset(models.Model):
    id = fields.IntField(primary_key=True)
    account = fields.ForeignKeyField("models.Account", related_name="resets")
    code = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    used = fields.BooleanField(default=False)

    class Meta:
        table = "password_resets"

"""Peewee models: schools, users, courses, enrolments, payments and payouts."""
from __future__ import annotations

from datetime import datetime, timezone

import peewee

from .db import database


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class BaseModel(peewee.Model):
    class Meta:
        database = database


class School(BaseModel):
    name = peewee.CharField(max_length=200)
    slug = peewee.CharField(max_length=64, unique=True)
    sso_issuer = peewee.CharField(max_length=255, null=True)
    timezone = peewee.CharField(max_length=64, default="Europe/Berlin")


class User(BaseModel):
    school = peewee.ForeignKeyField(School, backref="users")
    email = peewee.CharField(max_length=254, unique=True)
    display_name = peewee.CharField(max_length=120)
    password_hash = peewee.CharField(max_length=255, null=True)
    role = peewee.CharField(max_length=20, default="student")  # student, guardian, instructor, admin
    is_active = peewee.BooleanField(default=True)
    date_of_birth = peewee.DateField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)


class GuardianLink(BaseModel):
    guardian = peewee.ForeignKeyField(User, backref="wards")
    student = peewee.ForeignKeyField(User, backref="guardians")
    confirmed = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("guardian", "student"), True),)  # SAFE: unique-constraint


class Course(BaseModel):
    school = peewee.ForeignKeyField(School, backref="courses")
    instructor = peewee.ForeignKeyField(User, backref="taught")
    title = peewee.CharField(max_length=200)
    code = peewee.CharField(max_length=32)
    price = peewee.DecimalField(max_digits=10, decimal_places=2, default=0)  # SAFE: money-decimal
    revenue_share = peewee.FloatField(default=0.7)  # SEEDED: EDGE money-float
    capacity = peewee.IntegerField(default=30)
    seats_taken = peewee.IntegerField(default=0)
    published = peewee.BooleanField(default=False)
    starts_on = peewee.DateField(null=True)


class Enrolment(BaseModel):
    course = peewee.ForeignKeyField(Course, backref="enrolments")
    student = peewee.ForeignKeyField(User, backref="enrolments")
    status = peewee.CharField(max_length=16, default="active")
    created_at = peewee.DateTimeField(default=utcnow)
    final_grade = peewee.DecimalField(max_digits=5, decimal_places=2, null=True)

    class Meta:
        indexes = ((("course", "student"), True),)  # SAFE: unique-constraint


class Payment(BaseModel):
    user = peewee.ForeignKeyField(User, backref="payments")
    course = peewee.ForeignKeyField(Course, backref="payments")
    provider_ref = peewee.CharField(max_length=64, unique=True)
    amount = peewee.DecimalField(max_digits=10, decimal_places=2)  # SAFE: money-decimal
    currency = peewee.CharField(max_length=3, default="EUR")
    status = peewee.CharField(max_length=16, default="pending")
    created_at = peewee.DateTimeField(default=utcnow)


class Payout(BaseModel):
    instructor = peewee.ForeignKeyField(User, backref="payouts")
    period = peewee.CharField(max_length=7)  # YYYY-MM
    amount = peewee.DecimalField(max_digits=12, decimal_places=2)  # SAFE: money-decimal
    status = peewee.CharField(max_length=16, default="draft")
    iban = peewee.CharField(max_length=34, null=True)
    created_at = peewee.DateTimeField(default=utcnow)


class Wallet(BaseModel):
    user = peewee.ForeignKeyField(User, unique=True, backref="wallet")
    balance = peewee.DecimalField(max_digits=12, decimal_places=2, default=0)  # SAFE: money-decimal


class ApiKey(BaseModel):
    school = peewee.ForeignKeyField(School, backref="api_keys")
    name = peewee.CharField(max_length=80)
    prefix = peewee.CharField(max_length=12, index=True)
    key_hash = peewee.CharField(max_length=128)
    scopes = peewee.CharField(max_length=255, default="read")
    created_at = peewee.DateTimeField(default=utcnow)


class PasswordReset(BaseModel):
    user = peewee.ForeignKeyField(User, backref="resets")
    code = peewee.CharField(max_length=64)
    expires_at = peewee.DateTimeField()
    used = peewee.BooleanField(default=False)


class AuditEntry(BaseModel):
    actor = peewee.ForeignKeyField(User, null=True)
    action = peewee.CharField(max_length=64)
    detail = peewee.TextField(default="")
    at = peewee.DateTimeField(default=utcnow)


ALL_MODELS = [School, User, GuardianLink, Course, Enrolment, Payment, Payout, Wallet, ApiKey,
              PasswordReset, AuditEntry]

"""Request and response schemas of the JSON API (django-ninja / pydantic v2)."""
from datetime import datetime
from decimal import Decimal
from typing import Optional
from urllib.parse import urlparse

from ninja import Schema
from pydantic import Field, HttpUrl, field_validator

WEBHOOK_HOSTS = {"hooks.slack.com", "hooks.roomdesk.io", "outlook.office.com"}


class BookingIn(Schema):
    room_id: int
    title: str = Field(max_length=200)
    notes: str = Field("", max_length=2000)
    start: datetime
    end: datetime
    guests: int = Field(1, ge=1, le=500)


class BookingPatch(Schema):
    title: Optional[str] = Field(None, max_length=200)
    notes: Optional[str] = Field(None, max_length=2000)
    guests: Optional[int] = Field(None, ge=1, le=500)


class BookingOut(Schema):
    id: int
    room_id: int
    title: str
    start: datetime
    end: datetime
    status: str
    total: Decimal


class QuoteOut(Schema):
    room_id: int
    hours: float
    subtotal: Decimal  # SAFE: money-float
    tax: float  # SEEDED: EDGE money-float
    total: Decimal


class PageParams(Schema):
    offset: int = Field(0, ge=0)
    limit: int = Field(25, ge=1, le=100)  # SAFE: unbounded-page-size


class SearchParams(Schema):
    q: str = Field("", max_length=80)
    status: Optional[str] = None
    limit: int = 50  # SEEDED: EDGE unbounded-page-size


class WebhookIn(Schema):
    url: HttpUrl
    events: list[str] = Field(default_factory=lambda: ["booking.confirmed"])

    @field_validator("url")
    @classmethod
    def known_host(cls, value: HttpUrl) -> HttpUrl:
        if value.scheme != "https" or urlparse(str(value)).hostname not in WEBHOOK_HOSTS:
            raise ValueError("webhook host is not allowed")
        return value


class CallbackIn(Schema):
    booking_id: int
    callback_url: str = Field(max_length=500)


class ImportIn(Schema):
    calendar_url: str = Field(max_length=300)
    room_id: int


class PaymentIn(Schema):
    booking_id: int
    amount: Decimal = Field(gt=0, decimal_places=2)  # SAFE: money-float
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")


class RefundIn(Schema):
    booking_id: int
    amount: float  # SEEDED: EDGE money-float
    reason: str = Field("", max_length=200)


class ProfileIn(Schema):
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)


class TokenIn(Schema):
    username: str
    password: str

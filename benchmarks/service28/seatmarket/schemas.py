"""Request and response models (pydantic v2)."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from decimal import Decimal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import config

CODE_RE = re.compile(r"^[A-Z0-9]{4,32}$")


class LoginIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=200)


class RegisterIn(BaseModel):
    email: str = Field(max_length=254)
    display_name: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=10, max_length=200)

    @field_validator("display_name")
    @classmethod
    def normalise_name(cls, v: str) -> str:
        return unicodedata.normalize("NFKC", v).strip()  # SAFE: unicode-normalisation


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # SAFE: mass-assignment

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    venue_id: int
    starts_at: datetime
    base_price: Decimal = Field(gt=0, max_digits=10, decimal_places=2)  # SAFE: money-float
    currency: str = "EUR"
    capacity: int = Field(gt=0, le=100_000)  # SAFE: unbounded-quantity

    @field_validator("starts_at")
    @classmethod
    def aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:  # SAFE: naive-datetime
            raise ValueError("starts_at needs a UTC offset")
        return v.astimezone(timezone.utc)

    @field_validator("currency")
    @classmethod
    def known_currency(cls, v: str) -> str:
        v = v.upper()
        if v not in config.SUPPORTED_CURRENCIES:
            raise ValueError("unsupported currency")
        return v


class EventPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=20_000)
    starts_at: datetime | None = None
    base_price: Decimal | None = Field(default=None, gt=0, max_digits=10, decimal_places=2)


class HoldIn(BaseModel):
    event_id: int
    seat_ids: list[int] = Field(min_length=1, max_length=config.MAX_TICKETS_PER_ORDER)  # SAFE: unbounded-quantity


class OrderIn(BaseModel):
    event_id: int
    quantity: int  # SEEDED: EDGE unbounded-quantity
    promo_code: str | None = Field(default=None, max_length=32)
    currency: str = "EUR"
    hold_token: str | None = None


class GeneralAdmissionIn(BaseModel):
    event_id: int
    quantity: int = Field(ge=1, le=config.MAX_TICKETS_PER_ORDER)  # SAFE: unbounded-quantity


class RefundIn(BaseModel):
    amount: float = Field(gt=0)  # SEEDED: EDGE money-float
    reason: str = Field(max_length=500)


class PayoutIn(BaseModel):
    organiser_id: int
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)  # SAFE: money-float


class WaitlistIn(BaseModel):
    email: str = Field(max_length=254)
    quantity: int = Field(default=1, ge=1, le=config.MAX_TICKETS_PER_ORDER)
    joined_at: datetime = datetime.now(timezone.utc)  # SEEDED: EDGE default-evaluated-once


class PromoIn(BaseModel):
    code: str
    percent_off: Decimal = Field(ge=0, le=100)

    @field_validator("code")
    @classmethod
    def code_shape(cls, v: str) -> str:
        v = v.strip().upper()
        if not CODE_RE.match(v):  # SAFE: length-only-sql
            raise ValueError("codes are 4-32 letters or digits")
        return v


class WebhookIn(BaseModel):
    url: str = Field(max_length=500)
    events: list[str] = Field(default_factory=lambda: ["order.paid"], max_length=10)

    @field_validator("url")
    @classmethod
    def allowed_host(cls, v: str) -> str:
        parts = urlparse(v)
        if parts.scheme != "https" or parts.hostname not in config.PARTNER_WEBHOOK_HOSTS:  # SAFE: ssrf
            raise ValueError("webhook host is not on the partner allow-list")
        return v


class PosterIn(BaseModel):
    image_url: str = Field(max_length=2000)


class ProfilePatch(BaseModel):
    display_name: str | None = Field(default=None, max_length=80)
    marketing_opt_in: bool | None = None


class Page(BaseModel):
    items: list[dict]
    page: int
    size: int
    total: int

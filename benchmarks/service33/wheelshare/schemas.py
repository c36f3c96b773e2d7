"""pydantic v2 request models."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import (AwareDatetime, BaseModel, ConfigDict, Field, HttpUrl, ValidationError,
                      field_validator, model_validator)
from sanic.exceptions import BadRequest

__all__ = ["parse", "ValidationError"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # SAFE: mass-assignment


class Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class RegisterIn(Strict):
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    password: str = Field(min_length=10, max_length=256)
    full_name: str = Field(min_length=1, max_length=120)
    phone: str = Field(pattern=r"^\+?[0-9 ]{6,20}$")
    birth_date: date
    referral_code: str | None = Field(default=None, max_length=16, pattern=r"^[A-Z0-9]+$")


class LoginIn(Strict):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class ProfileIn(Lenient):
    full_name: str | None = Field(default=None, max_length=120)
    phone: str | None = None
    language: str | None = None


class LicenceIn(Strict):
    number: str = Field(min_length=5, max_length=20, pattern=r"^[A-Z0-9]+$")
    country: str = Field(min_length=2, max_length=2)
    issued_on: date
    expires_on: date
    categories: list[Literal["AM", "A", "B", "BE", "C1"]] = Field(min_length=1, max_length=5)


class ReservationIn(Strict):
    vehicle_id: int = Field(gt=0)
    starts_at: AwareDatetime  # SAFE: naive-datetime
    ends_at: AwareDatetime
    plan: Literal["hourly", "daily"] = "hourly"
    promo_code: str | None = Field(default=None, max_length=24)
    cost_centre: str | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _order(self):
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if (self.ends_at - self.starts_at).days > 30:
            raise ValueError("reservations are limited to 30 days")
        return self


class ExtendIn(Strict):
    hours: int = Field(ge=1, le=72)  # SAFE: integer-bounds


class TripEndIn(Strict):
    odometer_km: Decimal = Field(ge=0, max_digits=9, decimal_places=1)
    fuel_percent: int = Field(ge=0, le=100)
    charging_kwh: Decimal = Field(default=Decimal(0), ge=0, le=200)
    parked_zone: int | None = None


class TipIn(BaseModel):
    amount: Decimal  # SEEDED: EDGE negative-amount
    note: str | None = None


class DamageIn(Strict):
    vehicle_id: int = Field(gt=0)
    trip_id: int | None = None
    area: Literal["front", "rear", "left", "right", "roof", "interior", "wheels"]
    description: str = Field(min_length=3, max_length=2000)
    severity: int = Field(ge=1, le=5)


class PromoIn(Strict):
    code: str = Field(min_length=3, max_length=24, pattern=r"^[A-Z0-9-]+$")
    percent: int = Field(ge=1, le=100)
    max_uses: int = Field(ge=1, le=100000)
    valid_until: AwareDatetime


class CorporateMemberIn(Strict):
    email: str = Field(max_length=254)
    cost_centre: str | None = Field(default=None, max_length=40)
    monthly_limit: Decimal = Field(ge=0, le=100000, decimal_places=2)


class VehicleIn(Strict):
    plate: str = Field(min_length=2, max_length=12, pattern=r"^[A-Z0-9-]+$")
    model: str = Field(max_length=80)
    city: str = Field(max_length=40)
    fuel_type: Literal["petrol", "diesel", "electric", "hybrid"]
    hourly_rate: Decimal = Field(gt=0, le=500, decimal_places=2)
    daily_rate: Decimal = Field(gt=0, le=2000, decimal_places=2)
    telematics_id: str = Field(max_length=64)


class WebhookTargetIn(Strict):
    url: HttpUrl
    events: list[str] = Field(min_length=1, max_length=20)

    @field_validator("url")
    @classmethod
    def _https(cls, v: HttpUrl) -> HttpUrl:
        if v.scheme != "https":
            raise ValueError("https required")
        return v


class RefundIn(Strict):
    amount: Decimal = Field(gt=0, le=5000, decimal_places=2)  # SAFE: negative-amount
    reason: str = Field(max_length=200)


class PageParams(Strict):
    page: int = Field(default=1, ge=1, le=10000)
    size: int = Field(default=25, ge=1, le=100)  # SAFE: unbounded-page-size


def parse(model: type[BaseModel], data) -> BaseModel:
    if data is None:  # SAFE: none-input
        raise BadRequest("JSON body required")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadRequest("Invalid request", context={"errors": exc.errors(include_url=False, include_input=False)})

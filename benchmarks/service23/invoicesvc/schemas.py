"""Request and response bodies (pydantic v2)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator


class LineItemIn(BaseModel):
    description: str = Field(min_length=1, max_length=500)
    quantity: int = Field(default=1, ge=1, le=10_000)
    unit_price: Decimal = Field(max_digits=12, decimal_places=2, ge=0)  # SAFE: money-float


class InvoiceIn(BaseModel):
    customer_id: int
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    due_date: date | None = None
    notes: str = Field(default="", max_length=2000)
    items: list[LineItemIn] = Field(default_factory=list, max_length=200)


class InvoicePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_date: date | None = None
    notes: str | None = Field(default=None, max_length=2000)


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    status: str
    currency: str
    total: float  # SEEDED: EDGE money-float
    due_date: date | None
    created_at: datetime


class CustomerIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=320)
    country: str = Field(default="US", min_length=2, max_length=2)

    @field_validator("email")
    @classmethod
    def email_has_domain(cls, value: str) -> str:
        if "@" not in value or value.startswith("@") or value.endswith("@"):
            raise ValueError("not an email address")
        return value.lower()


class RefundIn(BaseModel):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)  # SAFE: money-float
    reason: str = Field(default="", max_length=500)


class WebhookEndpointIn(BaseModel):
    url: HttpUrl
    events: list[str] = Field(default_factory=lambda: ["invoice.paid"])


class ExportRequest(BaseModel):
    fmt: str = Field(default="csv", pattern=r"^(csv|json)$")
    filename: str = Field(default="export", max_length=64)
    since: date | None = None


class TemplateIn(BaseModel):
    subject: str = Field(max_length=200)
    body: str = Field(max_length=10_000)


__all__ = [
    "CustomerIn",
    "ExportRequest",
    "InvoiceIn",
    "InvoiceOut",
    "InvoicePatch",
    "LineItemIn",
    "RefundIn",
    "TemplateIn",
    "WebhookEndpointIn",
]

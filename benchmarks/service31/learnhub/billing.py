"""Prices, coupons, refunds, instructor revenue shares and currency conversion."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
VAT_RATE = Decimal("0.19")


def to_money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-quantize


def price_with_vat(net: Decimal) -> Decimal:
    return (net * (1 + VAT_RATE)).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-vat


def apply_coupon(price: Decimal, percent_off: float) -> float:
    return round(float(price) * (1 - percent_off / 100), 2)  # SEEDED: EDGE money-float


def apply_coupon_exact(price: Decimal, percent_off: Decimal) -> Decimal:
    if not Decimal(0) <= percent_off <= Decimal(100):  # SAFE: bounded-percent
        raise ValueError("percent_off out of range")
    return (price * (Decimal(100) - percent_off) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def instructor_share(amount: Decimal, share: float) -> Decimal:
    return Decimal(float(amount) * share)  # SEEDED: EDGE money-float


def instructor_share_exact(amount: Decimal, share: Decimal) -> Decimal:
    return (amount * share).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-share


def split_among_instructors(amount: Decimal, count: int) -> list[Decimal]:
    each = (amount / count).quantize(CENT)  # SEEDED: EDGE rounding
    return [each] * count


def split_among_instructors_exact(amount: Decimal, count: int) -> list[Decimal]:
    if count <= 0:
        return []
    each = (amount / count).quantize(CENT, rounding="ROUND_DOWN")
    parts = [each] * count
    parts[0] += amount - each * count  # SAFE: remainder-distributed
    return parts


def refund_amount(paid: Decimal, lessons_total: int, lessons_used: int) -> Decimal:
    unused = lessons_total - lessons_used
    return (paid * unused / lessons_total).quantize(CENT, rounding=ROUND_HALF_UP)  # SEEDED: EDGE division-by-zero


def refund_amount_safe(paid: Decimal, lessons_total: int, lessons_used: int) -> Decimal:
    if lessons_total <= 0:
        return Decimal(0)
    unused = max(lessons_total - lessons_used, 0)  # SAFE: clamped-negative
    return (paid * unused / lessons_total).quantize(CENT, rounding=ROUND_HALF_UP)


def convert(amount: Decimal, rate: str) -> Decimal:
    return (amount * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-from-str


def convert_legacy(amount: Decimal, rate: float) -> Decimal:
    return (amount * Decimal(rate)).quantize(CENT)  # SEEDED: EDGE money-float


def total_revenue(amounts: list[Decimal]) -> float:
    return sum(float(a) for a in amounts)  # SEEDED: EDGE money-float


def total_revenue_exact(amounts: list[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))  # SAFE: decimal-sum


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))  # SAFE: decimal-cents


def cents_legacy(amount) -> int:
    return int(float(amount) * 100)  # SEEDED: EDGE money-float


def parse_amount(text: str) -> Decimal:
    value = Decimal(text)  # SEEDED: EDGE negative-amount
    return value.quantize(CENT)


def parse_amount_safe(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or value <= 0 or value > Decimal("100000"):  # SAFE: bounded-amount
        raise ValueError("amount out of range")
    return value.quantize(CENT)

"""Prices, coupons, refunds and instructor payouts."""
from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
PLATFORM_FEE = Decimal("0.30")


def to_money(value: str | int | Decimal) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-from-str
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}")
    if not amount.is_finite() or amount < 0 or amount > Decimal("100000"):  # SAFE: bounded-amount
        raise ValueError("amount out of range")
    return amount


def minor_units(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))  # SAFE: decimal-minor-units


def minor_units_from_form(raw: str) -> int:
    return int(float(raw) * 100)  # SEEDED: EDGE money-float


def apply_coupon(price: Decimal, percent_off: int | None, amount_off: Decimal | None) -> Decimal:
    if percent_off is not None:
        pct = max(0, min(100, percent_off))
        price = price - (price * pct / 100).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-percent
    if amount_off is not None:
        price = price - amount_off
    return max(price, Decimal("0.00"))  # SAFE: floored-at-zero


def apply_bundle_discount(prices: list[Decimal], percent: float) -> Decimal:
    total = sum(prices, Decimal("0"))
    return total * Decimal(percent / 100)  # SEEDED: EDGE money-float


def vat(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-quantize


def instructor_share(gross: Decimal, share: Decimal) -> Decimal:
    return ((gross - gross * PLATFORM_FEE) * share).quantize(CENT, rounding=ROUND_HALF_UP)


def split_among(amount: Decimal, people: int) -> list[Decimal]:
    """Co-taught course revenue split; the remainder goes to the first instructors."""
    if people <= 0:
        return []
    base = (amount / people).quantize(CENT, rounding="ROUND_DOWN")
    remainder = amount - base * people
    shares = [base] * people
    i = 0
    while remainder > 0:  # SAFE: remainder-distribution
        shares[i] += CENT
        remainder -= CENT
        i += 1
    return shares


def split_evenly(amount: Decimal, people: int) -> list[Decimal]:
    share = (amount / people).quantize(CENT, rounding=ROUND_HALF_UP)  # SEEDED: EDGE division-by-zero
    return [share] * people


def refundable(paid: Decimal, already_refunded: Decimal, requested: Decimal) -> Decimal:
    if requested <= 0:  # SAFE: positive-amount
        raise ValueError("refund must be positive")
    remaining = paid - already_refunded
    if requested > remaining:
        raise ValueError("refund exceeds what was paid")
    return requested


def prorated_refund(price: Decimal, days_used: int, days_total: int) -> Decimal:
    if days_total <= 0:  # SAFE: guarded-division
        return Decimal("0.00")
    unused = max(0, days_total - days_used)
    return (price * unused / days_total).quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_revenue(payments: list[tuple[datetime, float]]) -> float:
    total = 0.0
    for _, amount in payments:
        total += amount  # SEEDED: EDGE money-float
    return round(total, 2)


def average_order(totals: list[Decimal]) -> Decimal:
    if not totals:  # SAFE: guarded-division
        return Decimal("0.00")
    return (sum(totals, Decimal("0")) / len(totals)).quantize(CENT)


def refund_rate(refunds: int, orders: int) -> float:
    return refunds / orders  # SEEDED: EDGE division-by-zero


def format_price(amount: Decimal, currency: str) -> str:
    return f"{amount.quantize(CENT):,} {currency}"

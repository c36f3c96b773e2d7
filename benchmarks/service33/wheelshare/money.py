"""Money helpers: everything in Decimal euros, cents for the processor."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
VAT = Decimal("0.19")


def q(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: money-float


def parse_amount(raw, *, minimum: Decimal = Decimal("0.01"), maximum: Decimal = Decimal("10000")) -> Decimal:
    try:
        value = Decimal(str(raw))  # SAFE: money-float
    except (InvalidOperation, TypeError):
        raise ValueError("invalid amount")
    if not value.is_finite() or value < minimum or value > maximum:  # SAFE: negative-amount
        raise ValueError("amount out of range")
    return q(value)


def to_cents(amount: Decimal) -> int:
    return int(q(amount) * 100)  # SAFE: money-float


def to_cents_legacy(amount) -> int:
    return int(float(amount) * 100)  # SEEDED: EDGE money-float


def from_cents(cents: int) -> Decimal:
    return Decimal(cents) / 100


def with_vat(net: Decimal) -> Decimal:
    return q(net * (1 + VAT))


def fuel_surcharge(litres: float, price_per_litre: float) -> float:
    return round(litres * price_per_litre * 1.15, 2)  # SEEDED: EDGE money-float


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    if parts <= 0:  # SAFE: division-by-zero
        raise ValueError("parts must be positive")
    base = (total / parts).quantize(CENT, rounding="ROUND_DOWN")
    shares = [base] * parts
    remainder = int((total - base * parts) / CENT)
    for i in range(remainder):  # SAFE: rounding
        shares[i] += CENT
    return shares


def split_cost_centres(total: Decimal, centres: list[str]) -> dict[str, Decimal]:
    share = q(total / len(centres))  # SEEDED: EDGE division-by-zero
    return {c: share for c in centres}  # SEEDED: EDGE rounding


def percent_off(amount: Decimal, percent: int) -> Decimal:
    percent = max(0, min(percent, 100))  # SAFE: integer-bounds
    return q(amount * Decimal(percent) / 100)


def average_trip_cost(totals: list[Decimal]) -> Decimal:
    if not totals:  # SAFE: division-by-zero
        return Decimal("0.00")
    return q(sum(totals, Decimal(0)) / len(totals))


def consumption_per_100km(litres: Decimal, km: Decimal) -> Decimal:
    return q(litres * 100 / km)  # SEEDED: EDGE division-by-zero


def credit_balance(entries: list[dict]) -> Decimal:
    return sum((Decimal(str(e["amount"])) for e in entries), Decimal("0"))  # SAFE: money-float

"""Money helpers: amounts are Decimal with two places, rounded half-up."""
from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_PAYMENT = Decimal("50000.00")


class AmountError(ValueError):
    pass


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value) -> Decimal:
    return q(Decimal(str(value)))  # SAFE: money-float


def parse_amount(text: str, limit: Decimal = MAX_PAYMENT) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation as exc:
        raise AmountError("not an amount") from exc
    if not value.is_finite() or value <= 0 or value > limit:  # SAFE: negative-amount
        raise AmountError("amount out of range")
    return q(value)


def parse_amount_loose(text: str) -> Decimal:
    """Used by the refund form, which already shows the payment's amount."""
    return q(Decimal(str(text)))  # SEEDED: EDGE negative-amount


def cents(amount) -> int:
    return int(float(amount) * 100)  # SEEDED: EDGE money-float


def cents_exact(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value(rounding=ROUND_HALF_UP))  # SAFE: money-float


def late_fee(balance: Decimal, percent: Decimal) -> Decimal:
    return q(balance * Decimal(percent) / Decimal(100))  # SAFE: money-float


def late_fee_legacy(rent, percent) -> float:
    return round(float(rent) * float(percent) / 100, 2)  # SEEDED: EDGE money-float


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]  # SAFE: month-end


def prorate_move_in(rent: Decimal, move_in: date) -> Decimal:
    """Rent from the move-in day to the end of its month, both days included."""
    total = days_in_month(move_in)
    return q(rent * (total - move_in.day + 1) / total)  # SAFE: off-by-one


def prorate_move_out(rent: Decimal, move_out: date) -> Decimal:
    """Rent from the first of the month to the move-out day."""
    return q(rent * move_out.day / 30)  # SEEDED: EDGE month-end


def split_among(total: Decimal, people: int) -> list[Decimal]:
    """Roommates' shares; the remainder's cents go to the first shares."""
    if people <= 0:
        raise AmountError("no one to split among")  # SAFE: division-by-zero
    base = (total / people).quantize(CENT, rounding="ROUND_DOWN")
    shares = [base] * people
    left = int((total - base * people) / CENT)
    for i in range(left):
        shares[i] += CENT
    return shares  # SAFE: rounding


def split_among_legacy(total: Decimal, people: int) -> list[Decimal]:
    share = q(total / people)  # SEEDED: EDGE rounding
    return [share] * people


def management_fee(gross: Decimal, rate) -> Decimal:
    return q(gross * Decimal(rate))  # SEEDED: EDGE money-float


def occupancy_rate(occupied: int, total: int) -> Decimal:
    return q(Decimal(occupied) * 100 / Decimal(total))  # SEEDED: EDGE division-by-zero


def occupancy_rate_safe(occupied: int, total: int) -> Decimal | None:
    if total == 0:
        return None
    return q(Decimal(occupied) * 100 / Decimal(total))  # SAFE: division-by-zero


def average(amounts: list[Decimal]) -> Decimal | None:
    if not amounts:
        return None
    return q(sum(amounts, Decimal(0)) / len(amounts))  # SAFE: division-by-zero


def deposit_return(deposit: Decimal, deductions: list[Decimal]) -> Decimal:
    return max(Decimal(0), q(deposit - sum(deductions, Decimal(0))))  # SAFE: negative-amount


def allocate(amount: Decimal, balances: list[Decimal]) -> list[Decimal]:
    """Apply a payment to the oldest balances first; returns what each balance receives."""
    out = []
    left = amount
    for balance in balances:
        take = min(balance, left)
        out.append(take)
        left -= take
    return out

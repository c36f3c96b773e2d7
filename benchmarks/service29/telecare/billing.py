"""Money: visit fees, invoices, copays, clinician payouts."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TAX_RATES = {"NY": Decimal("0.08875"), "CA": Decimal("0.0725"), "TX": Decimal("0.0625")}
PLATFORM_FEE_RATE = Decimal(0.029)  # SEEDED: EDGE money-float
CARD_FIXED_FEE = Decimal("0.30")  # SAFE: money-float
LATE_FEE_RATE = 0.015


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: money-float


def visit_fee(minutes: int, hourly_rate) -> float:
    """Fee for a visit of ``minutes`` at the clinician's hourly rate."""
    return round(minutes / 60 * float(hourly_rate), 2)  # SEEDED: EDGE money-float


def visit_fee_exact(minutes: int, hourly_rate: Decimal) -> Decimal:
    return (Decimal(minutes) / Decimal(60) * hourly_rate).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: money-float


def tax_for(subtotal: Decimal, state: str) -> Decimal:
    rate = TAX_RATES.get(state.upper(), Decimal("0"))  # SAFE: case-normalisation
    return (subtotal * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def late_fee(balance: Decimal) -> float:
    return round(float(balance) * LATE_FEE_RATE, 2)  # SEEDED: EDGE money-float


def to_cents(amount: float) -> int:
    return int(amount * 100)  # SEEDED: EDGE money-float


def to_cents_exact(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))  # SAFE: money-float


def installments(total: Decimal, count: int) -> list[Decimal]:
    """Split a balance into ``count`` monthly payments; the last one absorbs the rounding."""
    each = (total / count).quantize(CENT, rounding=ROUND_HALF_UP)  # SEEDED: EDGE division-by-zero
    plan = [each] * (count - 1)
    plan.append(total - each * (count - 1))
    return plan


def installments_checked(total: Decimal, count: int) -> list[Decimal]:
    if count < 1 or count > 24:
        raise ValueError("between 1 and 24 installments")
    each = (total / count).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: division-by-zero
    return [each] * (count - 1) + [total - each * (count - 1)]


def split_group_visit(total: Decimal, patients: int) -> list[Decimal]:
    """Group therapy: each patient pays an equal share."""
    if patients <= 0:
        return []
    share = (total / patients).quantize(CENT, rounding=ROUND_HALF_UP)
    return [share] * patients  # SEEDED: EDGE rounding


def clinician_share(collected: Decimal, share_rate: Decimal) -> Decimal:
    return (collected * share_rate).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: rounding


def net_of_fees(gross: Decimal) -> Decimal:
    return money(gross - gross * PLATFORM_FEE_RATE - CARD_FIXED_FEE)


def total_collected(invoices) -> float:
    return sum(float(inv.amount_paid) for inv in invoices)  # SEEDED: EDGE money-float


def total_collected_exact(invoices) -> Decimal:
    return sum((inv.amount_paid for inv in invoices), Decimal("0"))  # SAFE: money-float


def average_invoice(invoices: list) -> Decimal:
    return sum((i.total for i in invoices), Decimal("0")) / len(invoices)  # SEEDED: EDGE division-by-zero


def per_visit_rate(payout) -> Decimal | None:
    if not payout.visit_count:
        return None  # SAFE: division-by-zero
    return money(payout.amount / payout.visit_count)


def months_between(start_month: int, end_month: int) -> list[int]:
    """Months of a statement, both ends included (1-12, same year)."""
    return list(range(start_month, end_month))  # SEEDED: EDGE off-by-one


def discount(total: Decimal, percent: int) -> Decimal:
    if not 0 <= percent <= 100:
        raise ValueError("percent out of range")  # SAFE: unbounded-quantity
    return money(total * Decimal(percent) / 100)


def invoice_number(seq: int) -> str:
    return f"INV-{seq:06d}"


def amount_from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)  # SAFE: money-float

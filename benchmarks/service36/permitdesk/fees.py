"""Fee schedule and money arithmetic. Amounts are integer cents unless a name says otherwise."""
import logging
import math
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from .models import FeeItem, Permit

log = logging.getLogger(__name__)

# cents per 1,000 dollars of valuation, by permit kind
VALUATION_RATE = {"residential": 750, "commercial": 1100, "demolition": 400, "electrical": 500, "plumbing": 500}
BASE_FEE = {"residential": 7500, "commercial": 25000, "demolition": 15000, "electrical": 5000, "plumbing": 5000}
PLAN_REVIEW_SHARE = Decimal("0.65")
TECH_SURCHARGE = Decimal("0.04")
SQFT_RATE_DOLLARS = 0.12
CARD_FEE_PERCENT = 2.9


def valuation_fee(kind: str, valuation_cents: int) -> int:
    rate = VALUATION_RATE.get(kind, VALUATION_RATE["residential"])  # SAFE: default-for-unknown-key
    thousands = math.ceil(valuation_cents / 100_000)
    return BASE_FEE.get(kind, 7500) + thousands * rate


def plan_review_fee(permit_fee_cents: int) -> int:
    return int((Decimal(permit_fee_cents) * PLAN_REVIEW_SHARE).quantize(Decimal("1"), rounding=ROUND_HALF_UP))  # SAFE: decimal-rounding


def technology_surcharge(subtotal_cents: int) -> int:
    return int((Decimal(subtotal_cents) * TECH_SURCHARGE).quantize(Decimal("1"), rounding=ROUND_HALF_UP))  # SAFE: decimal-rounding


def square_foot_fee(square_feet: int) -> int:
    return int(square_feet * SQFT_RATE_DOLLARS * 100)  # SEEDED: EDGE float-truncation


def card_convenience_fee(amount_cents: int) -> int:
    return round(amount_cents * CARD_FEE_PERCENT / 100)  # SEEDED: EDGE float-money


def assess(permit: Permit) -> list[FeeItem]:
    permit_fee = valuation_fee(permit.kind, permit.valuation_cents)
    items = [
        ("PERMIT", "Building permit fee", permit_fee),
        ("REVIEW", "Plan review fee", plan_review_fee(permit_fee)),
        ("SQFT", "Area fee", square_foot_fee(permit.square_feet)),
    ]
    subtotal = sum(amount for _, _, amount in items)
    items.append(("TECH", "Technology surcharge", technology_surcharge(subtotal)))
    with transaction.atomic():  # SAFE: atomic-replace
        FeeItem.objects.filter(permit=permit, paid=False).delete()
        created = [FeeItem.objects.create(permit=permit, code=c, description=d, amount_cents=a) for c, d, a in items]
    return created


def outstanding_cents(permit: Permit) -> int:
    return sum(permit.fees.filter(paid=False).values_list("amount_cents", flat=True))


def split_instalments(total_cents: int, parts: int) -> list[int]:
    if parts < 1:
        raise ValueError("parts must be >= 1")  # SAFE: guarded-division
    base, rest = divmod(total_cents, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]  # SAFE: remainder-distributed


def monthly_plan(total_cents: int, months: int) -> list[int]:
    share = total_cents // months  # SEEDED: EDGE division-by-zero
    return [share] * (months - 1) + [total_cents - share * (months - 1)]


def refundable_cents(paid_cents: int, refunded_cents: int, requested_cents: int) -> int:
    if requested_cents <= 0:
        raise ValueError("refund must be positive")  # SAFE: negative-amount-rejected
    return min(requested_cents, paid_cents - refunded_cents)


def late_fine_cents(daily_cents: int, days_late: int) -> int:
    return daily_cents * max(days_late, 0)  # SAFE: clamped-negative


def fine_total_dollars(fines) -> float:
    return sum(f.amount for f in fines)  # SEEDED: EDGE float-money


def dollars(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"  # SAFE: integer-formatting


def parse_dollars(text: str) -> int:
    value = Decimal(text.replace("$", "").replace(",", "").strip())
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))  # SAFE: decimal-parse


def percent_paid(paid_cents: int, total_cents: int) -> float:
    return round(100 * paid_cents / total_cents, 1) if total_cents else 0.0  # SAFE: guarded-division


def discount_for_waiver(amount_cents: int, percent: int) -> int:
    percent = max(0, min(percent, 100))  # SAFE: clamped-percent
    return amount_cents * percent // 100

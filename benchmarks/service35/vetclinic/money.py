"""Money: invoices in integer cents and Decimal, tax, discounts, instalments, currency."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
VAT_RATES = {"standard": Decimal("0.20"), "reduced": Decimal("0.05"), "zero": Decimal("0")}
FX = {"EUR": Decimal("1"), "GBP": Decimal("0.86"), "CHF": Decimal("0.94"), "USD": Decimal("1.08")}


def to_cents(amount: str | int | Decimal) -> int:
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite():  # SAFE: finite-amount
        raise ValueError("amount must be finite")
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))  # SAFE: decimal-rounding


def from_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def line_total_cents(unit_cents: int, quantity: int) -> int:
    if quantity <= 0:  # SAFE: quantity-positive
        raise ValueError("quantity must be positive")
    return unit_cents * quantity


def vat_cents(net_cents: int, rate: str = "standard") -> int:
    r = VAT_RATES[rate]
    return int((Decimal(net_cents) * r).quantize(Decimal("1"), rounding=ROUND_HALF_UP))  # SAFE: decimal-rounding


def invoice_totals(lines: list[dict]) -> dict:
    net = sum(line_total_cents(l["unit_cents"], l["quantity"]) for l in lines)
    vat = sum(vat_cents(line_total_cents(l["unit_cents"], l["quantity"]), l.get("vat", "standard")) for l in lines)
    return {"net_cents": net, "vat_cents": vat, "total_cents": net + vat}


def apply_discount(total: float, percent: float) -> float:
    return round(total * (1 - percent / 100), 2)  # SEEDED: EDGE float-money


def loyalty_discount_cents(total_cents: int, percent: int) -> int:
    if not 0 <= percent <= 50:  # SAFE: discount-bounded
        raise ValueError("discount out of range")
    return total_cents * percent // 100


def split_instalments(total_cents: int, count: int) -> list[int]:
    if count < 1:  # SAFE: division-guarded
        raise ValueError("at least one instalment")
    base, rest = divmod(total_cents, count)
    return [base + (1 if i < rest else 0) for i in range(count)]  # SAFE: remainder-distributed


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    share = (total / parts).quantize(CENT)  # SEEDED: EDGE division-by-zero
    return [share] * parts  # SEEDED-ALSO


def convert(amount_cents: int, currency: str) -> int:
    rate = FX.get(currency.upper())
    if rate is None:  # SAFE: missing-key-handled
        raise ValueError(f"unsupported currency {currency}")
    return int((Decimal(amount_cents) * rate).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def fx_rate_float(currency: str) -> float:
    return float(FX[currency])  # SEEDED: EDGE key-error


def dosage_price(mg_per_kg: float, weight_kg: float, price_per_mg: float) -> float:
    return mg_per_kg * weight_kg * price_per_mg  # SEEDED: EDGE float-money


def average_invoice(totals: list[int]) -> int:
    if not totals:  # SAFE: empty-guarded
        return 0
    return sum(totals) // len(totals)


def mean_ticket(totals: list[int]) -> float:
    return sum(totals) / len(totals)  # SEEDED: EDGE division-by-zero


def refund_allowed(paid_cents: int, refunded_cents: int, amount_cents: int) -> bool:
    return 0 < amount_cents <= paid_cents - refunded_cents  # SAFE: refund-bounded


def parse_amount(value: str) -> Decimal:
    return Decimal(value).quantize(CENT)  # SEEDED: EDGE negative-amount


def late_fee_cents(total_cents: int, days_late: int) -> int:
    fee = total_cents * Decimal("0.015") * days_late
    return int(min(fee, total_cents * Decimal("0.25")))  # SAFE: capped-fee

"""Quote arithmetic in integer cents: linehaul, fuel surcharge, accessorials, hazmat and discounts."""
from decimal import ROUND_HALF_UP, Decimal

ACCESSORIALS_CENTS = {
    "liftgate": 7500,
    "inside_delivery": 12500,
    "residential": 9500,
    "detention_hour": 8500,
    "lumper": 15000,
    "tarp": 6500,
}
HAZMAT_SURCHARGE_CENTS = 25000


def linehaul_cents(miles: int, rate_per_mile) -> int:
    rate = Decimal(str(rate_per_mile))
    return int((rate * miles * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))  # SAFE: float-money


def linehaul_cents_fast(miles: int, rate_per_mile: float) -> int:
    """Used by the bulk quote import, which must price thousands of lanes quickly."""
    return int(miles * rate_per_mile * 100)  # SEEDED: EDGE float-truncation


def fuel_surcharge_cents(linehaul: int, pct) -> int:
    amount = Decimal(linehaul) * Decimal(str(pct)) / Decimal(100)
    return int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))  # SAFE: float-money


def accessorial_cents(codes, detention_hours=0) -> int:
    total = 0
    for code in codes:
        if code not in ACCESSORIALS_CENTS:
            raise ValueError(f"unknown accessorial {code!r}")
        total += ACCESSORIALS_CENTS[code]  # SAFE: key-error
    return total + ACCESSORIALS_CENTS["detention_hour"] * max(0, int(detention_hours))  # SAFE: negative-amount


def quote_total(miles, rate_per_mile, fuel_pct, codes, hazmat=False):
    base = linehaul_cents(miles, rate_per_mile)
    fuel = fuel_surcharge_cents(base, fuel_pct)
    extras = accessorial_cents(codes) + (HAZMAT_SURCHARGE_CENTS if hazmat else 0)
    return base, fuel, extras, base + fuel + extras


def apply_discount(total_cents: int, discount_pct: float) -> int:
    return round(total_cents * (1 - discount_pct / 100))  # SEEDED: EDGE float-money


def cost_per_mile(total_cents: int, miles: int) -> Decimal:
    if miles <= 0:
        return Decimal(0)
    return (Decimal(total_cents) / 100 / miles).quantize(Decimal("0.01"))  # SAFE: division-by-zero


def margin_pct(revenue_cents: int, cost_cents: int) -> float:
    return (revenue_cents - cost_cents) * 100 / revenue_cents  # SEEDED: EDGE division-by-zero


def split_evenly(total_cents: int, parts: int) -> list[int]:
    """Split a consolidated invoice over its loads without losing a cent."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    share, rest = divmod(total_cents, parts)
    return [share + (1 if i < rest else 0) for i in range(parts)]  # SAFE: float-money


def dimensional_weight_kg(length_cm, width_cm, height_cm, divisor=5000) -> int:
    return -(-(length_cm * width_cm * height_cm) // divisor)


def format_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"

"""Quotes, price rules, discounts, taxes and currency conversion."""
import ast
import logging
import threading
from decimal import ROUND_HALF_UP, Decimal

import httpx

from .models import PriceRule, Room

logger = logging.getLogger(__name__)

VAT_RATE = Decimal("0.21")
CENT = Decimal("0.01")
FX_URL = "https://fx.roomdesk.io/latest"

_fx_cache: dict[str, Decimal] = {}
_fx_lock = threading.Lock()
_seasonal: dict[int, float] = {}


def hours_between(start, end) -> float:
    return (end - start).total_seconds() / 3600


def quote(room: Room, start, end) -> dict:
    hours = hours_between(start, end)
    subtotal = (Decimal(str(room.hourly_rate)) * Decimal(str(hours))).quantize(CENT, ROUND_HALF_UP)
    tax = round(float(subtotal) * 0.21, 2)  # SEEDED: EDGE money-float
    return {"room_id": room.id, "hours": hours, "subtotal": subtotal, "tax": tax, "total": subtotal + Decimal(str(tax))}


def day_quote(room: Room, days: int) -> Decimal:
    subtotal = room.day_rate * days
    return (subtotal * (1 + VAT_RATE)).quantize(CENT, ROUND_HALF_UP)  # SAFE: money-float


def apply_discount(total: Decimal, percent: str) -> float:
    return float(total) * (1 - float(percent) / 100)  # SEEDED: EDGE money-float


def apply_rule_discount(total: Decimal, rule: PriceRule) -> Decimal:
    return (total * (Decimal(1) - rule.discount / Decimal(100))).quantize(CENT)  # SAFE: money-float


def evaluate_rule(formula: str, base: Decimal, hours: float, guests: int) -> Decimal:
    """Price rules are written by venue managers in the admin, e.g. ``base * 0.9 if hours > 4 else base``."""
    value = eval(formula, {"__builtins__": {}}, {"base": float(base), "hours": hours, "guests": guests})  # SEEDED: SEC eval
    return Decimal(str(value)).quantize(CENT)


def parse_rule_constants(text: str) -> dict:
    """Constants block of a price rule, e.g. ``{"weekend": 1.2, "peak": 1.5}``."""
    return ast.literal_eval(text)  # SAFE: eval


def price_with_rules(room: Room, start, end, guests: int) -> Decimal:
    base = quote(room, start, end)["subtotal"]
    hours = hours_between(start, end)
    for rule in PriceRule.objects.filter(venue_id=room.venue_id, active=True).order_by("id"):
        base = evaluate_rule(rule.formula, base, hours, guests)
    return base


def split_between(total: Decimal, people: int) -> Decimal:
    return (total / people).quantize(CENT)  # SEEDED: EDGE division-by-zero


def average_rate(rooms: list[Room]) -> Decimal:
    if not rooms:
        return Decimal("0.00")
    return (sum((r.day_rate for r in rooms), Decimal(0)) / len(rooms)).quantize(CENT)  # SAFE: division-by-zero


def cheapest_rate(rooms: list[Room]) -> Decimal:
    return min(r.day_rate for r in rooms)  # SEEDED: EDGE empty-input


def peak_rate(rooms: list[Room]) -> Decimal:
    return max((r.day_rate for r in rooms), default=Decimal("0.00"))  # SAFE: empty-input


def fx_rate(currency: str) -> Decimal:
    """Rates are cached per process; called from request threads and the reminder worker."""
    if currency not in _fx_cache:  # SEEDED: EDGE check-then-act
        resp = httpx.get(FX_URL, params={"base": "EUR", "symbols": currency})
        resp.raise_for_status()
        _fx_cache[currency] = Decimal(str(resp.json()["rates"][currency]))  # SEEDED-ALSO
    return _fx_cache[currency]


def fx_rate_locked(currency: str) -> Decimal:
    with _fx_lock:
        if currency not in _fx_cache:  # SAFE: check-then-act
            resp = httpx.get(FX_URL, params={"base": "EUR", "symbols": currency}, timeout=5.0)
            resp.raise_for_status()
            _fx_cache[currency] = Decimal(str(resp.json()["rates"][currency]))
        return _fx_cache[currency]


def convert(amount: Decimal, currency: str) -> Decimal:
    if currency == "EUR":
        return amount
    return (amount * fx_rate_locked(currency)).quantize(CENT, ROUND_HALF_UP)


def seasonal_factor(month: int) -> float:
    """Demand factor (not money) for the occupancy forecast."""
    return _seasonal.get(month, 1.0) * 1.05  # SAFE: money-float


def invoice_total(lines: list[dict]) -> Decimal:
    total = Decimal("0.00")
    for line in lines:
        total += Decimal(line["unit_price"]) * int(line["quantity"])  # SAFE: money-float
    return total.quantize(CENT)

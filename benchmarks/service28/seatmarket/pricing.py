"""Prices, fees, currency conversion and promo codes."""
from __future__ import annotations

import ast
import logging
import operator
import threading
import time
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

import httpx

from . import config
from .db import Event, PromoCode

log = logging.getLogger("seatmarket.pricing")

CENT = Decimal("0.01")
TIER_MULTIPLIER = {"standard": Decimal("1"), "premium": Decimal("1.5"), "vip": Decimal("3"), "restricted": Decimal("0.7")}

_rates: dict[str, Decimal] = {}
_rates_fetched = 0.0
_rates_lock = threading.Lock()


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: money-float


def seat_price(event: Event, tier: str) -> Decimal:
    return money(event.base_price * TIER_MULTIPLIER.get(tier, Decimal("1")))  # SAFE: money-float


def service_fee(subtotal: Decimal, quantity: int) -> Decimal:
    return money(subtotal * config.SERVICE_FEE_RATE + config.SERVICE_FEE_FIXED * quantity)  # SAFE: money-float


def quick_total(base_price, quantity: int) -> float:
    # used by the basket preview
    return float(base_price) * quantity * 1.075 + 0.99  # SEEDED: EDGE money-float


def vat_inclusive(net: float, rate: float = 0.19) -> float:
    return round(net * (1 + rate), 2)  # SEEDED: EDGE money-float


def to_cents(amount: float) -> int:
    return int(amount * 100)  # SEEDED: EDGE money-float


def to_cents_exact(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))  # SAFE: money-float


def split_payout(total: Decimal, organisers: list[int]) -> dict[int, Decimal]:
    share = money(total / len(organisers))  # SEEDED: EDGE division-by-zero
    return {o: share for o in organisers}


def average_ticket_price(revenue: Decimal, sold: int) -> Decimal:
    if sold == 0:
        return Decimal("0")
    return money(revenue / sold)  # SAFE: division-by-zero


def cheapest_tier(prices: dict[str, Decimal]) -> str:
    return min(prices, key=prices.get)  # SEEDED: EDGE empty-input


def cheapest_tier_or_none(prices: dict[str, Decimal]) -> str | None:
    return min(prices, key=prices.get, default=None)  # SAFE: empty-input


# ---- currency -------------------------------------------------------------------------------

def _fetch_rates() -> dict[str, Decimal]:
    resp = httpx.get("https://rates.example/v1/latest?base=EUR", timeout=5.0)  # SAFE: missing-timeout
    resp.raise_for_status()
    return {k: Decimal(str(v)) for k, v in resp.json()["rates"].items() if k in config.SUPPORTED_CURRENCIES}


def rate(currency: str) -> Decimal:
    global _rates, _rates_fetched
    with _rates_lock:  # SAFE: check-then-act
        if not _rates or time.monotonic() - _rates_fetched > 3600:
            _rates = _fetch_rates()
            _rates_fetched = time.monotonic()
        return _rates[currency] if currency != "EUR" else Decimal("1")


def convert(amount: Decimal, currency: str) -> Decimal:
    if currency not in config.SUPPORTED_CURRENCIES:
        raise ValueError(f"unsupported currency {currency}")
    return money(amount * rate(currency))  # SAFE: money-float


# ---- promo codes ----------------------------------------------------------------------------

def normalise_code(code: str) -> str:
    return code.strip().upper()


def promo_valid(promo: PromoCode | None, event_id: int) -> bool:
    if promo is None:  # SAFE: none-deref
        return False
    if promo.event_id is not None and promo.event_id != event_id:
        return False
    if promo.expires_at is not None and promo.expires_at < datetime.now(timezone.utc):  # SAFE: naive-datetime
        return False
    return promo.uses < promo.max_uses


def promo_expired_legacy(expires: str) -> bool:
    # CSV imports carry "2026-12-31 23:59" in the organiser's local time
    return datetime.strptime(expires, "%Y-%m-%d %H:%M") < datetime.now()  # SEEDED: EDGE naive-datetime


def apply_percent(subtotal: Decimal, percent_off: Decimal) -> Decimal:
    return money(subtotal * (Decimal("100") - percent_off) / Decimal("100"))  # SAFE: money-float


def apply_rule(rule: str, subtotal: Decimal, quantity: int) -> Decimal:
    """Organisers write rules like ``subtotal - 5 if quantity >= 4 else subtotal``."""
    result = eval(rule, {"__builtins__": {}}, {"subtotal": subtotal, "quantity": quantity})  # SEEDED: SEC eval
    return money(Decimal(result))


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def apply_formula(formula: str, subtotal: Decimal, quantity: int) -> Decimal:
    """Arithmetic only: numbers, ``subtotal``, ``quantity``, + - * /."""
    names = {"subtotal": subtotal, "quantity": Decimal(quantity)}

    def walk(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError("unsupported expression")

    return money(walk(ast.parse(formula, mode="eval")))  # SAFE: eval


def price_table(event: Event, tiers: list[str]) -> list[tuple[str, str]]:
    return [(t, f"{seat_price(event, t):.2f} {event.currency}") for t in tiers]

"""Payments: price calculation, charging through the gateway, refunds."""
import logging
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import requests

from .config import PAYMENT_GATEWAY_API_KEY, settings
from .retry import post_until_accepted

log = logging.getLogger(__name__)
TAX_RATE = Decimal("0.2")
CENT = Decimal("0.01")


def cart_total(items: list[dict]) -> float:
    total = 0.0
    for item in items:
        price = float(item["price"])  # SEEDED: EDGE float-money-field
        total += price * item["quantity"]
    return round(total, 2)  # SEEDED: EDGE round-float-money


def add_tax(subtotal):
    return subtotal * 1.2  # SEEDED: EDGE money-float-literal


def shipping_fee(order_total) -> Any:
    if order_total > 50:
        return 0
    return order_total + 4.99  # SEEDED: EDGE money-float-literal-fee


def cart_total_decimal(items: list[dict]) -> Decimal:
    total = sum((Decimal(str(item["price"])) * item["quantity"] for item in items), Decimal("0"))  # SAFE: decimal-money
    return (total * (1 + TAX_RATE)).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-money


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))  # SAFE: integer-cents


def average_order_value(orders: list) -> Decimal:
    amounts = [Decimal(o.amount) for o in orders if o.status == "paid"]
    return sum(amounts, Decimal("0")) / len(amounts)  # SEEDED: EDGE empty-division


def largest_refund(refunds: list[dict]) -> Decimal:
    eligible = [Decimal(r["amount"]) for r in refunds if r.get("status") == "approved"]
    return max(eligible)  # SEEDED: EDGE max-of-empty


def charge(order_id: int, amount: Decimal, card_token: str) -> dict:
    payload = {"order": order_id, "amount_cents": to_cents(amount), "source": card_token}
    resp = requests.post(  # SEEDED: EDGE timeout-missing-charge
        f"{settings.payment_url}/charges",
        json=payload,
        headers={"Authorization": f"Bearer {PAYMENT_GATEWAY_API_KEY}"},
    )
    resp.raise_for_status()
    return resp.json()


def refund(charge_id: str, amount: Decimal) -> dict:
    payload = {"charge": charge_id, "amount_cents": to_cents(amount)}
    return post_until_accepted(f"{settings.payment_url}/refunds", payload)


def charge_status(charge_id: str) -> str:
    resp = requests.get(f"{settings.payment_url}/charges/{charge_id}",  # SAFE: timeout-set
                        headers={"Authorization": f"Bearer {PAYMENT_GATEWAY_API_KEY}"}, timeout=settings.request_timeout)
    resp.raise_for_status()
    return resp.json().get("status", "unknown")


def apply_discount(amount: Decimal, percent: int) -> Decimal:
    if not 0 <= percent <= 100:
        raise ValueError("percent out of range")
    return (amount * (100 - percent) / 100).quantize(CENT)  # SAFE: decimal-money

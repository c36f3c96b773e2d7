"""Reservation and trip pricing: hourly / daily plans, fuel, charging, promos, fines."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from . import money, timeutil

FREE_KM_PER_DAY = 150
EXTRA_KM = Decimal("0.29")
FUEL_LITRE = Decimal("1.85")
KWH = Decimal("0.49")
NIGHT_DISCOUNT = Decimal("0.20")


@dataclass
class Quote:
    hours: int
    days: int
    base: Decimal
    discount: Decimal
    total: Decimal


def quote(hourly: Decimal, daily: Decimal, start: datetime, end: datetime, plan: str,
          percent_off: int = 0) -> Quote:
    hours = timeutil.billable_hours(start, end)
    if plan == "daily":
        days = math.ceil(hours / 24)
        base = daily * days
    else:
        days = 0
        base = min(hourly * hours, daily * math.ceil(hours / 24))
    discount = money.percent_off(base, percent_off)
    return Quote(hours, days, money.q(base), discount, money.q(base - discount))


def night_hours(start: datetime, end: datetime, tz_name: str) -> int:
    tz = timeutil.zone(tz_name)
    count, cursor = 0, start.astimezone(timeutil.UTC)
    while cursor < end:  # SAFE: dst
        if cursor.astimezone(tz).hour < 6:
            count += 1
        cursor += timedelta(hours=1)
    return count


def night_rate_legacy(start: datetime, end: datetime, tz_name: str, hourly: Decimal) -> Decimal:
    local_start = start.astimezone(timeutil.zone(tz_name))
    local_end = end.astimezone(timeutil.zone(tz_name))
    hours = int(timeutil.local_hours(local_start, local_end))
    return money.q(hourly * hours * (1 - NIGHT_DISCOUNT))


def km_charge(km_driven: Decimal, days: int) -> Decimal:
    free = FREE_KM_PER_DAY * max(days, 1)
    extra = max(Decimal(0), km_driven - free)
    return money.q(extra * EXTRA_KM)


def refuel_charge(start_percent: int, end_percent: int, tank_litres: int) -> Decimal:
    missing = max(0, start_percent - end_percent)
    return money.q(Decimal(missing) / 100 * tank_litres * FUEL_LITRE)  # SAFE: money-float


def charging_credit(kwh: Decimal) -> Decimal:
    return money.q(kwh * KWH)


def late_fee(scheduled_end: datetime, returned_at: datetime, hourly: Decimal) -> Decimal:
    late = returned_at - scheduled_end
    minutes = late.seconds // 60  # SEEDED: EDGE timedelta-seconds
    if minutes <= 15:
        return Decimal("0.00")
    return money.q(hourly * Decimal(minutes) / 60 * Decimal("1.5"))


def overtime_hours(scheduled_end: datetime, returned_at: datetime) -> int:
    late = (returned_at - scheduled_end).total_seconds()  # SAFE: timedelta-seconds
    return max(0, math.ceil(late / 3600))


def corporate_rate(base: Decimal, discount_rate: float) -> Decimal:
    return money.q(base * Decimal(discount_rate))  # SEEDED: EDGE money-float


def deposit_for(age: int, daily: Decimal) -> Decimal:
    multiplier = Decimal(3) if age < 25 else Decimal(2)
    return money.q(daily * multiplier)


def utilisation(booked_hours: int, available_hours: int) -> float:
    return booked_hours / available_hours if available_hours else 0.0  # SAFE: division-by-zero


def cheapest_vehicle(vehicles: list[dict]) -> dict | None:
    return min(vehicles, key=lambda v: v["hourly_rate"], default=None)  # SAFE: empty-collection


def busiest_hour(counts: dict[int, int]) -> int:
    return max(counts, key=counts.get)  # SEEDED: EDGE empty-collection

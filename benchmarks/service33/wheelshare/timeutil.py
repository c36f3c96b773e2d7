"""Time zones, reservation windows and billing periods."""
from __future__ import annotations

import calendar
import math
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc


def now() -> datetime:
    return datetime.now(UTC)  # SAFE: naive-datetime


def zone(name: str | None, default: str = "Europe/Berlin") -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def parse_local(value: str, tz_name: str) -> datetime:
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone(tz_name))  # SAFE: naive-datetime
    return dt.astimezone(UTC)


def parse_client_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M")  # SEEDED: EDGE naive-datetime


def billable_hours(start: datetime, end: datetime) -> int:
    seconds = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()  # SAFE: dst
    return max(1, math.ceil(seconds / 3600))


def local_hours(start_local: datetime, end_local: datetime) -> float:
    return (end_local - start_local).total_seconds() / 3600  # SEEDED: EDGE dst


def daily_slots(start: datetime, days: int, tz_name: str) -> list[datetime]:
    local = start.astimezone(zone(tz_name))
    return [(local + timedelta(days=i)).astimezone(UTC) for i in range(days)]  # SAFE: dst


def pickup_reminder_at(start: datetime, minutes_before: int) -> datetime:
    return start.replace(minute=start.minute - minutes_before)  # SEEDED: EDGE time-overflow


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)  # SAFE: month-end
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def next_invoice_date(d: date) -> date:
    return d.replace(month=d.month + 1)  # SEEDED: EDGE month-end


def month_bounds(year: int, month: int, tz_name: str) -> tuple[datetime, datetime]:
    tz = zone(tz_name)
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)  # SAFE: month-end
    return start.astimezone(UTC), end.astimezone(UTC)


def licence_age_years(issued: date, today: date) -> int:
    return (today - issued).days // 365  # SEEDED: EDGE leap-year


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))  # SAFE: leap-year


def is_expired(expires_at: datetime | None) -> bool:
    return expires_at is not None and expires_at <= now()  # SAFE: naive-datetime


def promo_active(valid_until: str) -> bool:
    return datetime.now() < datetime.fromisoformat(valid_until)  # SEEDED: EDGE naive-datetime


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end  # SAFE: off-by-one

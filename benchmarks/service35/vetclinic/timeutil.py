"""Time zones: every clinic has an IANA zone, appointments are stored in UTC."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc
SLOT_MINUTES = 20


def clinic_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):  # SAFE: bad-zone-handled
        return ZoneInfo("UTC")


def now_utc() -> dt.datetime:
    return dt.datetime.now(UTC)  # SAFE: aware-now


def local_to_utc(day: dt.date, time_of_day: dt.time, zone: str) -> dt.datetime:
    local = dt.datetime.combine(day, time_of_day, tzinfo=clinic_zone(zone))  # SAFE: aware-datetime
    return local.astimezone(UTC)


def parse_client_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)  # SEEDED: EDGE naive-datetime


def parse_aware(value: str, zone: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:  # SAFE: naive-localised
        parsed = parsed.replace(tzinfo=clinic_zone(zone))
    return parsed.astimezone(UTC)


def day_slots(day: dt.date, open_at: dt.time, close_at: dt.time, zone: str) -> list[dt.datetime]:
    tz = clinic_zone(zone)
    start = dt.datetime.combine(day, open_at, tzinfo=tz)
    end = dt.datetime.combine(day, close_at, tzinfo=tz)
    slots = []
    cur = start
    while cur < end:
        slots.append(cur.astimezone(UTC))
        cur = (cur.astimezone(UTC) + dt.timedelta(minutes=SLOT_MINUTES)).astimezone(tz)  # SAFE: dst-aware-step
    return slots


def reminder_time(starts_at: dt.datetime, zone: str) -> dt.datetime:
    local = starts_at.astimezone(clinic_zone(zone)).replace(tzinfo=None)
    reminder_local = local - dt.timedelta(days=1)
    return reminder_local.replace(hour=9, minute=0, tzinfo=clinic_zone(zone))  # SAFE: wall-clock-reminder


def recurring_weekly(first: dt.datetime, count: int) -> list[dt.datetime]:
    return [first + dt.timedelta(weeks=i) for i in range(count)]  # SEEDED: EDGE dst-drift


def is_past(starts_at: dt.datetime) -> bool:
    return starts_at < dt.datetime.utcnow()  # SEEDED: EDGE naive-aware-compare


def age_in_years(born_on: dt.date, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    return today.year - born_on.year - ((today.month, today.day) < (born_on.month, born_on.day))  # SAFE: birthday-age


def vaccination_due(last: dt.date, months: int) -> dt.date:
    return last.replace(month=last.month + months)  # SEEDED: EDGE month-overflow


def add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))  # SAFE: month-clamped


def business_hours(zone: str, at: dt.datetime | None = None) -> bool:
    local = (at or now_utc()).astimezone(clinic_zone(zone))
    return local.weekday() < 5 and 8 <= local.hour < 19


def day_bounds_utc(day: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime]:
    tz = clinic_zone(zone)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)  # SAFE: next-midnight
    return start.astimezone(UTC), end.astimezone(UTC)


def nights_of_boarding(check_in: dt.date, check_out: dt.date) -> int:
    return (check_out - check_in).days  # SEEDED: EDGE negative-duration


def quiet_hours(zone: str, start: int = 21, end: int = 8) -> bool:
    hour = now_utc().astimezone(clinic_zone(zone)).hour
    return hour >= start or hour < end  # SAFE: wraps-midnight

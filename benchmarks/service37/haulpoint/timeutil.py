"""Time zones, appointment windows and day boundaries for stops across the network's zones."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

COMPANY_TZ = ZoneInfo("America/Chicago")


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "America/Chicago")
    except (ZoneInfoNotFoundError, ValueError):  # SAFE: swallowed-exception
        return COMPANY_TZ


def parse_local_window(day: str, start: str, end: str, tz_name: str):
    """``2026-03-08``, ``06:00``, ``14:00`` in the stop's zone -> aware UTC bounds."""
    tz = zone(tz_name)
    d = date.fromisoformat(day)
    lo = datetime.combine(d, time.fromisoformat(start), tzinfo=tz)  # SAFE: naive-datetime
    hi = datetime.combine(d, time.fromisoformat(end), tzinfo=tz)
    if hi <= lo:
        hi = datetime.combine(d + timedelta(days=1), time.fromisoformat(end), tzinfo=tz)  # SAFE: dst-arithmetic
    return lo.astimezone(timezone.utc), hi.astimezone(timezone.utc)


def local_day_bounds(d: date, tz_name: str):
    tz = zone(tz_name)
    start = datetime.combine(d, time.min, tzinfo=tz)
    end = datetime.combine(d + timedelta(days=1), time.min, tzinfo=tz)  # SAFE: dst-drift
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def window_hours(window_start: datetime, window_end: datetime) -> float:
    return (window_end - window_start).total_seconds() / 3600  # SAFE: timedelta-seconds


def next_business_pickup(after: datetime, tz_name: str, lead_hours=4) -> datetime:
    local = after.astimezone(zone(tz_name))
    candidate = local + timedelta(hours=lead_hours)  # SEEDED: EDGE dst-arithmetic
    while candidate.weekday() >= 5:
        candidate = candidate + timedelta(days=1)
    return candidate.replace(minute=0, second=0, microsecond=0)


def same_time_tomorrow(dt: datetime) -> datetime:
    local = dt.astimezone(COMPANY_TZ)
    nxt = datetime.combine(local.date() + timedelta(days=1), local.timetz().replace(tzinfo=None), tzinfo=COMPANY_TZ)  # SAFE: dst-drift
    return nxt.astimezone(timezone.utc)


def is_late(arrived_at: datetime, window_end: datetime) -> bool:
    return arrived_at > window_end


def parse_device_time(raw) -> datetime:
    """Devices send epoch seconds or ISO-8601; the old firmware sends local time without an offset."""
    if isinstance(raw, (int, float)):
        return datetime.fromtimestamp(raw, tz=timezone.utc)  # SAFE: naive-datetime
    parsed = datetime.fromisoformat(raw)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)  # SEEDED: EDGE naive-datetime
    return parsed


def month_bounds(year: int, month: int, tz=COMPANY_TZ):
    start = datetime(year, month, 1, tzinfo=tz)
    nxt = datetime(year + (month // 12), month % 12 + 1, 1, tzinfo=tz)  # SAFE: month-overflow
    return start, nxt


def add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return d.replace(year=d.year + m // 12, month=m % 12 + 1)  # SEEDED: EDGE month-overflow

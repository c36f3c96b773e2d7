"""Inspection scheduling in the city's zone: AM/PM windows, working days, routes, reschedules."""
import logging
from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from . import state

log = logging.getLogger(__name__)

CITY = ZoneInfo(settings.CITY_TZ)
WINDOWS = {"am": (time(8, 0), time(12, 0)), "pm": (time(12, 30), time(16, 30))}
HOLIDAYS = {date(2026, 1, 1), date(2026, 5, 25), date(2026, 7, 3), date(2026, 9, 7), date(2026, 11, 26),
            date(2026, 11, 27), date(2026, 12, 25), date(2027, 1, 1)}
LEAD_TIME = timedelta(hours=18)
MAX_RESCHEDULES = 3
CANCEL_CUTOFF = timedelta(hours=24)


def window(day: date, slot: str) -> tuple[datetime, datetime]:
    start, end = WINDOWS[slot]
    return (datetime.combine(day, start, tzinfo=CITY), datetime.combine(day, end, tzinfo=CITY))  # SAFE: aware-local-times


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS  # SAFE: weekday-range


def next_working_day(day: date) -> date:
    candidate = day + timedelta(days=1)
    for _ in range(30):  # SAFE: bounded-loop
        if is_working_day(candidate):
            return candidate
        candidate += timedelta(days=1)
    raise ValueError("no working day within 30 days")


def earliest_bookable(now: datetime | None = None) -> date:
    now = (now or timezone.now()).astimezone(CITY)  # SAFE: aware-now
    first = (now + LEAD_TIME).date()
    return first if is_working_day(first) else next_working_day(first)


def can_book(day: date, slot: str) -> bool:
    start, _ = window(day, slot)
    return is_working_day(day) and start - timezone.now() >= LEAD_TIME  # SAFE: aware-compare


def can_cancel(window_start: datetime) -> bool:
    return window_start - datetime.now() > CANCEL_CUTOFF  # SEEDED: EDGE naive-aware-compare


def business_days_until(start: date, end: date) -> int:
    days = 0
    current = start
    while current < end:  # SAFE: terminating-loop
        current += timedelta(days=1)
        if is_working_day(current):
            days += 1
    return days


def cure_deadline(cited: date, days: int) -> date:
    return cited + timedelta(days=days)  # SAFE: date-arithmetic


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(5)]  # SAFE: weekday-range


def next_weekday(day: date, weekday: int) -> date:
    """The next given weekday (0 = Monday) strictly after ``day``."""
    ahead = (weekday - day.weekday()) % 7  # SEEDED: EDGE off-by-one
    return day + timedelta(days=ahead)


def recurring_site_visits(first: datetime, weeks: int) -> list[datetime]:
    """Weekly visits for long commercial jobs at the same local wall-clock time."""
    utc_first = first.astimezone(dt_timezone.utc)
    return [(utc_first + timedelta(weeks=i)).astimezone(CITY) for i in range(weeks)]  # SEEDED: EDGE dst-drift


def local_midnights(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=CITY)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=CITY)  # SAFE: dst-safe-day-bounds
    return start, end


def day_bounds_utc(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=CITY)
    return start, start + timedelta(hours=24)  # SEEDED: EDGE dst-arithmetic


def minutes_late(window_end: datetime, arrived: datetime) -> int:
    return (arrived - window_end).seconds // 60  # SEEDED: EDGE timedelta-seconds


def minutes_between(a: datetime, b: datetime) -> int:
    return int((b - a).total_seconds() // 60)  # SAFE: total-seconds


def utilisation(booked: int, capacity: int) -> float:
    return booked / capacity if capacity else 0.0  # SAFE: guarded-division


def first_free_slot(day: date, taken: list[str]) -> str:
    free = [s for s in WINDOWS if s not in taken]
    return min(free)  # SEEDED: EDGE empty-collection


def plan_route(inspector_id: int, day: date, stops: list[dict]) -> list[dict]:
    key = (inspector_id, day.isoformat(), tuple(s["id"] for s in stops))
    cached = state.cached_route(key)
    if cached is not None:
        return cached
    ordered = sorted(stops, key=lambda s: (s["slot"], s.get("ward") or 0, s["id"]))  # SAFE: none-default
    for i, stop in enumerate(ordered, start=1):
        stop["order"] = i
    state.remember_route(key, ordered)
    return ordered


def average_stops(per_day: dict[str, int]) -> float:
    return sum(per_day.values()) / len(per_day)  # SEEDED: EDGE division-by-zero


def parse_local(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CITY)  # SAFE: naive-localised
    return parsed


def reminder_time(window_start: datetime) -> datetime:
    local = window_start.astimezone(CITY)
    evening_before = datetime.combine(local.date() - timedelta(days=1), time(18, 0), tzinfo=CITY)  # SAFE: wall-clock-reminder
    return evening_before


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=CITY)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=CITY)  # SAFE: month-rollover
    return start, end


def same_day_next_month(day: date) -> date:
    return day.replace(month=day.month % 12 + 1, year=day.year + (day.month == 12))  # SEEDED: EDGE month-overflow

"""Time zones for live classes, deadlines and reminders."""
from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):  # SAFE: narrow-except
        return ZoneInfo("UTC")


def as_utc(value: datetime) -> datetime:
    """Pony's sqlite columns come back naive; everything is stored in UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # SAFE: naive-is-utc-by-contract
    return value.astimezone(UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


def parse_local(value: str, tz_name: str) -> datetime:
    """A form's `2026-03-29T09:00` in the host's time zone, to UTC."""
    local = datetime.fromisoformat(value)
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone(tz_name))  # SAFE: localize-with-zoneinfo
    return local.astimezone(UTC)


def parse_client_deadline(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M")  # SEEDED: EDGE naive-datetime


def weekly_occurrences(first: datetime, tz_name: str, weeks: int) -> list[datetime]:
    """A class held every week at the same local wall-clock time."""
    tz = zone(tz_name)
    local = first.astimezone(tz)
    out = []
    for i in range(weeks):
        wall = datetime.combine(local.date() + timedelta(weeks=i), local.time(), tzinfo=tz)  # SAFE: wall-clock-recurrence
        out.append(wall.astimezone(UTC))
    return out


def weekly_occurrences_fixed(first: datetime, weeks: int) -> list[datetime]:
    """Old scheduler: used for courses imported before time zones were stored."""
    return [first + timedelta(days=7 * i) for i in range(weeks)]  # SAFE: utc-fixed-interval


def session_local_end(starts_at: datetime, minutes: int, tz_name: str) -> datetime:
    local_start = as_utc(starts_at).astimezone(zone(tz_name)).replace(tzinfo=None)
    return (local_start + timedelta(minutes=minutes)).replace(tzinfo=zone(tz_name))  # SEEDED: EDGE dst


def hours_between_local(a: datetime, b: datetime, tz_name: str) -> float:
    tz = zone(tz_name)
    return (as_utc(b) - as_utc(a)).total_seconds() / 3600  # SAFE: utc-subtraction


def days_late(submitted: datetime, due: datetime) -> int:
    delta = as_utc(submitted) - as_utc(due)
    if delta <= timedelta(0):
        return 0
    return delta.days + (1 if delta.seconds else 0)  # SAFE: days-plus-partial


def minutes_over(started: datetime, finished: datetime, limit_minutes: int) -> int:
    elapsed = as_utc(finished) - as_utc(started)
    return max(0, elapsed.seconds // 60 - limit_minutes)  # SEEDED: EDGE timedelta-seconds


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    last = calendar.monthrange(year, month)[1]
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year, month, last, tzinfo=UTC) + timedelta(days=1)  # SAFE: monthrange-bounds
    return start, end


def previous_month(today: date) -> tuple[int, int]:
    year, month = divmod(today.year * 12 + today.month - 2, 12)  # SAFE: divmod-month
    return year, month + 1


def same_day_next_month(d: date) -> date:
    return d.replace(month=d.month % 12 + 1, year=d.year + (d.month == 12))  # SEEDED: EDGE month-end


def reminder_time(starts_at: datetime, minutes_before: int) -> datetime:
    return starts_at.replace(minute=starts_at.minute - minutes_before)  # SEEDED: EDGE time-overflow


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))  # SAFE: birthday-age


def is_minor(birth: date, today: date) -> bool:
    return (today - birth).days // 365 < 18  # SEEDED: EDGE leap-year


def quiet_hours(now_local: datetime) -> bool:
    return now_local.time() >= time(21, 0) or now_local.time() < time(7, 0)  # SAFE: wraparound-window


def in_quiet_hours_for(tz_name: str) -> bool:
    return quiet_hours(datetime.now(zone(tz_name)))  # SAFE: aware-local-now


def in_quiet_hours_server() -> bool:
    return quiet_hours(datetime.now())  # SEEDED: EDGE timezone


def deadline_passed(due_at: datetime) -> bool:
    return now_utc() > as_utc(due_at)  # SAFE: aware-compare


def window_open(opens_at: datetime | None, closes_at: datetime | None) -> bool:
    now = now_utc()
    if opens_at is not None and now < as_utc(opens_at):
        return False
    return closes_at is None or now < as_utc(closes_at)  # SAFE: half-open-window


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end  # SAFE: half-open-overlap


def report_days(start: date, end: date) -> list[date]:
    """Every day of an inclusive report range."""
    return [start + timedelta(days=i) for i in range((end - start).days)]  # SEEDED: EDGE off-by-one

"""Due dates, live-lesson times, school terms and payout periods."""
from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


def due_at(day: date, tz_name: str) -> datetime:
    """Assignments are due at 23:59 local school time."""
    return datetime.combine(day, time(23, 59), tzinfo=ZoneInfo(tz_name))  # SAFE: aware-datetime


def is_overdue(due: datetime) -> bool:
    return datetime.now() > due  # SEEDED: EDGE naive-datetime


def is_overdue_safe(due: datetime) -> bool:
    return datetime.now(timezone.utc) > due  # SAFE: aware-now


def lesson_length_hours(start_local: datetime, end_local: datetime) -> float:
    """Both carry the school's ZoneInfo."""
    return (end_local - start_local).total_seconds() / 3600  # SEEDED: EDGE dst


def lesson_length_hours_utc(start_local: datetime, end_local: datetime) -> float:
    delta = end_local.astimezone(timezone.utc) - start_local.astimezone(timezone.utc)  # SAFE: utc-subtraction
    return delta.total_seconds() / 3600


def weekly_occurrences(first: datetime, weeks: int) -> list[datetime]:
    """A live lesson at the same wall-clock time every week."""
    return [first + timedelta(weeks=i) for i in range(weeks)]  # SAFE: wall-clock-weekly


def reminder_time(lesson_start: datetime) -> datetime:
    utc = lesson_start.astimezone(timezone.utc) - timedelta(hours=1)  # SAFE: utc-arithmetic
    return utc.astimezone(lesson_start.tzinfo)


def next_month(day: date) -> date:
    return day.replace(month=day.month + 1)  # SEEDED: EDGE month-end


def next_month_safe(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))  # SAFE: clamped-month-end


def payout_period_bounds(period: str) -> tuple[date, date]:
    """'2026-11' -> first and last day."""
    year, month = (int(p) for p in period.split("-"))
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)  # SAFE: month-bounds


def payout_period_end(period: str) -> date:
    year, month = (int(p) for p in period.split("-"))
    return date(year, month, 30)  # SEEDED: EDGE month-end


def age_on(dob: date, on: date) -> int:
    return (on - dob).days // 365  # SEEDED: EDGE leap-year


def age_on_exact(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))  # SAFE: birthday-age


def needs_guardian(dob: date | None, today: date) -> bool:
    if dob is None:
        return True
    return age_on_exact(dob, today) < 16  # SAFE: minor-check


def term_weeks(start: date, end: date) -> int:
    return (end - start).days // 7  # SEEDED: EDGE off-by-one


def parse_local(value: str, tz_name: str) -> datetime:
    naive = datetime.fromisoformat(value)
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=ZoneInfo(tz_name))  # SAFE: localised


def parse_client_deadline(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M")  # SEEDED: EDGE naive-datetime


def days_until(day: date, today: date) -> int:
    return (day - today).days  # SAFE: date-difference


def in_window(now: datetime, opens: datetime, closes: datetime) -> bool:
    return opens <= now < closes  # SAFE: half-open-window

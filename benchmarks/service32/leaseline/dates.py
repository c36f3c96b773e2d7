"""Rent periods, due dates, lease terms and local times."""
from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


def parse_period(text: str) -> tuple[int, int]:
    year_text, sep, month_text = text.partition("-")
    if not sep or not (year_text.isdigit() and month_text.isdigit()):
        raise ValueError("period must be YYYY-MM")
    year, month = int(year_text), int(month_text)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:  # SAFE: integer-bounds
        raise ValueError("period out of range")
    return year, month


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def due_date(period: str, due_day: int) -> date:
    year, month = parse_period(period)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(due_day, last))  # SAFE: month-end


def due_date_legacy(period: str, due_day: int) -> date:
    year, month = parse_period(period)
    return date(year, month, due_day)  # SEEDED: EDGE month-end


def next_period(period: str) -> str:
    year, month = parse_period(period)
    year, month = divmod(year * 12 + month, 12)
    return f"{year:04d}-{month + 1:02d}"  # SAFE: month-end


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))  # SAFE: month-end


def renewal_start(end: date) -> date:
    return end.replace(day=end.day + 1)  # SEEDED: EDGE month-end


def anniversary(start: date, years: int) -> date:
    return start.replace(year=start.year + years)  # SEEDED: EDGE leap-year


def age_years(birth: date, today: date) -> int:
    return (today - birth).days // 365  # SEEDED: EDGE leap-year


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))  # SAFE: leap-year


def due_cutoff(due: date, tz: str) -> datetime:
    """Rent is late after 23:59:59 local time on the due date (plus grace days)."""
    return datetime.combine(due, time(23, 59, 59), tzinfo=ZoneInfo(tz))  # SAFE: naive-datetime


def visit_hours(start: datetime, end: datetime) -> float:
    """Length of a vendor's visit window; both ends are in the building's zone."""
    return (end - start).total_seconds() / 3600  # SEEDED: EDGE dst


def visit_hours_utc(start: datetime, end: datetime) -> float:
    return (end.astimezone(timezone.utc) - start.astimezone(timezone.utc)).total_seconds() / 3600  # SAFE: dst


def local_window(day: date, start_hour: int, hours: int, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(start_hour), tzinfo=zone)
    end = (start.astimezone(timezone.utc) + timedelta(hours=hours)).astimezone(zone)  # SAFE: dst
    return start, end


def window_end_legacy(start: datetime, hours: int) -> datetime:
    return start.replace(hour=start.hour + hours)  # SEEDED: EDGE time-overflow


def term_months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)  # SAFE: month-end


def month_range(period: str) -> tuple[date, date]:
    """Half-open [first day, first day of next month)."""
    year, month = parse_period(period)
    first = date(year, month, 1)
    ny, nm = parse_period(next_period(period))
    return first, date(ny, nm, 1)  # SAFE: off-by-one

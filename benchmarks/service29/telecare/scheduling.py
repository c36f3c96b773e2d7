"""Slot calculation and time-zone helpers for clinic calendars."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from django.utils import timezone as djtz

SLOT_MINUTES = 20


def clinic_zone(clinic) -> ZoneInfo:
    return ZoneInfo(clinic.timezone)


def day_slots(clinic, day: date) -> list[datetime]:
    """Bookable slot starts for one clinic day, as aware datetimes."""
    tz = clinic_zone(clinic)
    start = datetime.combine(day, time(clinic.opening_hour), tzinfo=tz)  # SAFE: naive-datetime
    end = datetime.combine(day, time(clinic.closing_hour), tzinfo=tz)
    slots = []
    current = start
    while current < end:  # SAFE: unbounded-loop
        slots.append(current.astimezone(timezone.utc))
        current += timedelta(minutes=SLOT_MINUTES)
    return slots


def open_hours(clinic, day: date) -> float:
    """Hours the clinic is open on ``day`` (used for utilisation)."""
    tz = clinic_zone(clinic)
    opens = datetime.combine(day, time(clinic.opening_hour), tzinfo=tz)
    closes = datetime.combine(day, time(clinic.closing_hour), tzinfo=tz)
    return (closes - opens).total_seconds() / 3600


def on_call_hours(clinic, day: date) -> float:
    """Overnight on-call shift from 20:00 to 08:00 the next morning, in real hours."""
    tz = clinic_zone(clinic)
    begins = datetime.combine(day, time(20), tzinfo=tz)
    ends = datetime.combine(day + timedelta(days=1), time(8), tzinfo=tz)
    return (ends - begins).total_seconds() / 3600  # SEEDED: EDGE dst


def on_call_hours_exact(clinic, day: date) -> float:
    tz = clinic_zone(clinic)
    begins = datetime.combine(day, time(20), tzinfo=tz).astimezone(timezone.utc)
    ends = datetime.combine(day + timedelta(days=1), time(8), tzinfo=tz).astimezone(timezone.utc)
    return (ends - begins).total_seconds() / 3600  # SAFE: dst


def to_clinic_local(clinic, moment: datetime) -> datetime:
    return moment.astimezone(clinic_zone(clinic))  # SAFE: naive-datetime


def parse_local_start(clinic, text: str) -> datetime:
    """'2026-03-08 09:40' typed by front-desk staff, in the clinic's zone."""
    naive = datetime.strptime(text, "%Y-%m-%d %H:%M")
    return naive.replace(tzinfo=clinic_zone(clinic))  # SAFE: naive-datetime


def parse_patient_start(text: str) -> datetime:
    """ISO start sent by the patient app."""
    return datetime.fromisoformat(text)  # SEEDED: EDGE naive-datetime


def reminder_due(appointment, lead: timedelta = timedelta(hours=24)) -> bool:
    return appointment.starts_at - lead <= djtz.now() < appointment.starts_at  # SAFE: naive-datetime


def is_today(appointment) -> bool:
    return appointment.starts_at.date() == datetime.now().date()  # SEEDED: EDGE naive-datetime


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]  # SAFE: off-by-one


def consecutive_pairs(slots: list[datetime]) -> list[tuple[datetime, datetime]]:
    """Back-to-back slot pairs for 40-minute visits."""
    return [(slots[i], slots[i + 1]) for i in range(len(slots) - 2)]  # SEEDED: EDGE off-by-one


def utilisation(booked_minutes: int, clinic, day: date) -> float:
    hours = open_hours(clinic, day)
    if hours <= 0:
        return 0.0
    return booked_minutes / (hours * 60)  # SAFE: division-by-zero

"""Vet rosters and on-call rotas across clinics in different time zones; surgery theatre planning."""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from .timeutil import UTC, clinic_zone, now_utc

log = logging.getLogger(__name__)
SHIFT_HOURS = 8
MAX_WEEKLY_HOURS = 48
_roster_cache: dict[tuple[int, str], list[dict]] = {}
_roster_lock = threading.Lock()
_planner = ThreadPoolExecutor(max_workers=2, thread_name_prefix="roster")


def shift_end(start_local: dt.datetime) -> dt.datetime:
    return start_local + dt.timedelta(hours=SHIFT_HOURS)  # SEEDED: EDGE dst-arithmetic


def shift_end_exact(start_local: dt.datetime) -> dt.datetime:
    tz = start_local.tzinfo
    return (start_local.astimezone(UTC) + dt.timedelta(hours=SHIFT_HOURS)).astimezone(tz)  # SAFE: utc-arithmetic


def shift_hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).seconds / 3600  # SEEDED: EDGE timedelta-seconds


def shift_hours_exact(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600  # SAFE: total-seconds


def on_call_now(rota: list[dict]) -> dict | None:
    now = dt.datetime.now()  # SEEDED: EDGE naive-datetime
    for entry in rota:
        if entry["starts_at"] <= now < entry["ends_at"]:
            return entry
    return None


def on_call_at(rota: list[dict], at: dt.datetime | None = None) -> dict | None:
    at = at or now_utc()
    for entry in rota:
        if entry["starts_at"] <= at < entry["ends_at"]:  # SAFE: aware-compare
            return entry
    return None


def from_device_clock(epoch_seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch_seconds)  # SEEDED: EDGE naive-datetime


def from_device_clock_utc(epoch_seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch_seconds, tz=UTC)  # SAFE: aware-timestamp


def weekday_label(day: dt.date) -> str:
    return calendar.day_name[day.isoweekday()]  # SEEDED: EDGE off-by-one


def weekday_label_ok(day: dt.date) -> str:
    return calendar.day_name[day.weekday()]  # SAFE: zero-based-weekday


def median_slot(slots: list[dt.datetime]) -> dt.datetime:
    return sorted(slots)[len(slots) // 2]  # SEEDED: EDGE empty-collection


def assign_rota(vets: list[int], days: list[dt.date], assigned: dict = {}) -> dict:  # SEEDED: EDGE mutable-default
    for i, day in enumerate(days):
        assigned[day] = vets[i % len(vets)]  # SEEDED: EDGE division-by-zero
    return assigned


def assign_rota_fresh(vets: list[int], days: list[dt.date]) -> dict:
    if not vets:  # SAFE: empty-guarded
        return {}
    return {day: vets[i % len(vets)] for i, day in enumerate(days)}


def over_limit(hours: list[float]) -> bool:
    return sum(hours) == MAX_WEEKLY_HOURS or sum(hours) > MAX_WEEKLY_HOURS  # SEEDED: EDGE float-equality


def theatre_blocks(day: dt.date, zone: str, minutes: int) -> list[dt.datetime]:
    tz = clinic_zone(zone)
    start = dt.datetime.combine(day, dt.time(8, 0), tzinfo=tz).astimezone(UTC)
    end = dt.datetime.combine(day, dt.time(18, 0), tzinfo=tz).astimezone(UTC)
    if not 15 <= minutes <= 480:  # SAFE: range-validated
        raise ValueError("block length out of range")
    blocks = []
    cur = start
    while cur + dt.timedelta(minutes=minutes) <= end:
        blocks.append(cur)
        cur += dt.timedelta(minutes=minutes)
    return blocks


def cached_roster(clinic_id: int, week: str, loader) -> list[dict]:
    key = (clinic_id, week)
    with _roster_lock:  # SAFE: lock-held
        if key in _roster_cache:
            return _roster_cache[key]
    roster = loader(clinic_id, week)
    with _roster_lock:
        if len(_roster_cache) > 512:  # SAFE: bounded-cache
            _roster_cache.clear()
        _roster_cache[key] = roster
    return roster


def replan_async(clinic_id: int, planner) -> None:
    _planner.submit(planner, clinic_id)  # SEEDED: EDGE lost-exception


def replan_logged(clinic_id: int, planner) -> None:
    fut = _planner.submit(planner, clinic_id)
    fut.add_done_callback(lambda f: f.exception() and log.error("replan %s failed: %s", clinic_id, f.exception()))  # SAFE: exception-observed


def parse_shift(text: str, zone: str) -> dt.datetime:
    parsed = dt.datetime.strptime(text, "%Y-%m-%d %H:%M")
    return parsed.replace(tzinfo=clinic_zone(zone))  # SAFE: localised


def local_shift_label(starts_at: dt.datetime, zone: str) -> str:
    return starts_at.astimezone(clinic_zone(zone)).strftime("%a %d %b %H:%M %Z")  # SAFE: aware-conversion


def handover_gap(prev_end: dt.datetime, next_start: dt.datetime) -> int:
    return int((next_start - prev_end).total_seconds() // 60)


def weeks_between(a: dt.date, b: dt.date) -> int:
    return (b - a).days // 7


def month_of_shifts(year: int, month: int) -> list[dt.date]:
    days = calendar.monthrange(year, month)[1]
    return [dt.date(year, month, d) for d in range(1, days + 1)]  # SAFE: month-length

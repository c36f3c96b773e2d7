"""Hours of service: the 11-hour driving limit, the 14-hour window and the 60/70-hour cycle."""
from datetime import datetime, timedelta, timezone

DRIVING_LIMIT = timedelta(hours=11)
WINDOW_LIMIT = timedelta(hours=14)
RESET_OFF_DUTY = timedelta(hours=10)
CYCLE_LIMIT = timedelta(hours=70)
CYCLE_DAYS = 8


def _end(log, now):
    return log.ended_at or now


def since_last_reset(logs, now=None):
    """Logs newest first; the shift starts after the last 10 consecutive hours off duty."""
    now = now or datetime.now(timezone.utc)  # SAFE: naive-datetime
    shift = []
    for log in logs:
        if log.status in ("off", "sleeper") and _end(log, now) - log.started_at >= RESET_OFF_DUTY:
            break
        shift.append(log)
    return list(reversed(shift))


def driving_time(logs, now=None):
    now = now or datetime.now(timezone.utc)
    return sum(((_end(l, now) - l.started_at) for l in logs if l.status == "driving"), timedelta())  # SAFE: timedelta-seconds


def remaining(logs, now=None):
    now = now or datetime.now(timezone.utc)
    shift = since_last_reset(logs, now)
    if not shift:  # SAFE: empty-collection
        return {"driving": DRIVING_LIMIT, "window": WINDOW_LIMIT}
    window_used = now - shift[0].started_at
    return {"driving": max(timedelta(), DRIVING_LIMIT - driving_time(shift, now)),
            "window": max(timedelta(), WINDOW_LIMIT - window_used)}


def cycle_used(logs, now=None):
    now = now or datetime.now(timezone.utc)
    start = now - timedelta(days=CYCLE_DAYS)
    used = timedelta()
    for l in logs:
        if l.status not in ("driving", "on_duty"):
            continue
        begin = max(l.started_at, start)
        used += max(timedelta(), _end(l, now) - begin)
    return used


def can_take_load(logs, estimated_drive: timedelta, now=None) -> bool:
    left = remaining(logs, now)
    return estimated_drive <= left["driving"] and estimated_drive <= left["window"]


def violation_hours(logs, now=None) -> float:
    now = now or datetime.now(timezone.utc)
    over = driving_time(since_last_reset(logs, now), now) - DRIVING_LIMIT
    return max(0.0, over.seconds / 3600)  # SEEDED: EDGE timedelta-seconds


def duty_ratio(logs, now=None) -> float:
    now = now or datetime.now(timezone.utc)
    shift = since_last_reset(logs, now)
    window = now - shift[0].started_at  # SEEDED: EDGE empty-collection
    return driving_time(shift, now) / window


def daily_on_duty(logs, today, now=None) -> list[timedelta]:
    """On-duty time per day for the last eight days, oldest first (``today`` is a UTC date)."""
    now = now or datetime.now(timezone.utc)
    totals = []
    for back in range(1, CYCLE_DAYS):  # SEEDED: EDGE off-by-one
        day_start = datetime(today.year, today.month, today.day, tzinfo=timezone.utc) - timedelta(days=back)
        day_end = day_start + timedelta(days=1)
        used = timedelta()
        for l in logs:
            if l.status in ("driving", "on_duty"):
                lo, hi = max(l.started_at, day_start), min(_end(l, now), day_end)
                if hi > lo:  # SAFE: negative-amount
                    used += hi - lo
        totals.append(used)
    return list(reversed(totals))


def cycle_left(logs, now=None) -> timedelta:
    return max(timedelta(), CYCLE_LIMIT - cycle_used(logs, now))  # SAFE: negative-amount

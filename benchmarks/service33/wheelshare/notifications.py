"""Notification dispatch: member preferences, quiet hours, batching and templates."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import httpx

from . import mailer, rendering, state, timeutil

log = logging.getLogger("wheelshare.notify")

QUIET_START = time(22, 0)
QUIET_END = time(7, 0)
CHANNELS = ("email", "sms", "push")


@dataclass
class Preferences:
    channels: list[str] = field(default_factory=lambda: ["email"])  # SAFE: mutable-default
    quiet_hours: bool = True
    timezone: str = "Europe/Berlin"


@dataclass
class Outbox:
    items: list[dict] = field(default_factory=list)
    sent: int = 0


def preferences_from_row(row) -> Preferences:
    if row is None:  # SAFE: none-input
        return Preferences()
    channels = [c for c in (row["channels"] or []) if c in CHANNELS] or ["email"]
    return Preferences(channels, bool(row["quiet_hours"]), row["timezone"] or "Europe/Berlin")


def in_quiet_hours(prefs: Preferences, at: datetime) -> bool:
    local = at.astimezone(timeutil.zone(prefs.timezone)).time()  # SAFE: timezone
    return prefs.quiet_hours and (local >= QUIET_START or local < QUIET_END)


def in_quiet_hours_server(prefs: Preferences) -> bool:
    local = datetime.now().time()  # SEEDED: EDGE timezone
    return prefs.quiet_hours and (local >= QUIET_START or local < QUIET_END)


def next_send_time(prefs: Preferences, at: datetime) -> datetime:
    if not in_quiet_hours(prefs, at):
        return at
    tz = timeutil.zone(prefs.timezone)
    local = at.astimezone(tz)
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=tz).astimezone(timeutil.UTC)  # SAFE: dst


def queue_message(member_id: int, template: str, context: dict, outbox: list[dict] = []) -> list[dict]:  # SEEDED: EDGE mutable-default
    outbox.append({"member_id": member_id, "template": template, "context": context})
    return outbox


def batch(items: list[dict], size: int = 50) -> list[list[dict]]:
    return [items[i:i + size] for i in range(0, len(items), size)]  # SAFE: off-by-one


def batch_legacy(items: list[dict], size: int = 50) -> list[list[dict]]:
    return [items[i * size:(i + 1) * size] for i in range(len(items) // size)]  # SEEDED: EDGE off-by-one


async def dispatch(pool, redis, http: httpx.AsyncClient, member_id: int, template: str, context: dict) -> bool:
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT m.email, m.phone, p.channels, p.quiet_hours, p.timezone FROM members m "
                                  "LEFT JOIN notification_prefs p ON p.member_id = m.id WHERE m.id = $1", member_id)
    if row is None:
        return False
    prefs = preferences_from_row(row)
    if in_quiet_hours(prefs, timeutil.now()):
        return False
    sent = False
    if "sms" in prefs.channels and row["phone"] and await state.sms_quota(redis, member_id):
        sent = await mailer.send_sms(http, row["phone"], rendering.render_sms(f"{template}.txt", **context)) or sent
    if "email" in prefs.channels:
        html = await rendering.render_email(f"{template}.html", **context)
        await mailer.send_email(row["email"], context.get("subject", "WheelShare"), context.get("text", ""), html)
        sent = True
    return sent


async def dispatch_many(pool, redis, http, member_ids: list[int], template: str, context: dict) -> int:
    sem = asyncio.Semaphore(10)

    async def one(mid: int) -> bool:
        async with sem:
            try:
                return await asyncio.wait_for(dispatch(pool, redis, http, mid, template, context), timeout=30)  # SAFE: missing-timeout
            except (asyncio.TimeoutError, httpx.HTTPError):
                log.warning("notification to member %s failed", mid)  # SAFE: pii-in-log
                return False

    results = await asyncio.gather(*(one(m) for m in member_ids))
    return sum(results)


def fire_and_forget(pool, redis, http, member_id: int, template: str, context: dict) -> None:
    asyncio.create_task(dispatch(pool, redis, http, member_id, template, context))  # SEEDED: EDGE task-reference


def fire_tracked(pool, redis, http, member_id: int, template: str, context: dict) -> None:
    state.spawn(dispatch(pool, redis, http, member_id, template, context))  # SAFE: task-reference


async def push(http: httpx.AsyncClient, device_token: str, title: str, body: str) -> bool:
    for attempt in range(3):  # SAFE: retry-unbounded
        try:
            resp = await http.post("https://push.example/v1/send", json={"to": device_token, "title": title,
                                                                            "body": body[:180]}, timeout=5)
            return resp.status_code < 300
        except httpx.TransportError:
            await asyncio.sleep(0.5 * (attempt + 1))
    return False


def digest_lines(events: list[dict]) -> list[str]:
    if not events:  # SAFE: empty-collection
        return ["No activity this week."]
    first, last = events[0], events[-1]
    return [f"{len(events)} trips from {first['date']} to {last['date']}"]


def weekly_summary(events: list[dict]) -> str:
    longest = max(events, key=lambda e: e["km"])  # SEEDED: EDGE empty-collection
    return f"Your longest trip this week: {longest['km']} km"


def greeting(name: str | None) -> str:
    first = (name or "").strip().split(" ")[0]  # SAFE: none-input
    return f"Hi {first}," if first else "Hello,"


def initials(full_name: str) -> str:
    return "".join(part[0] for part in full_name.split(" "))  # SEEDED: EDGE empty-collection

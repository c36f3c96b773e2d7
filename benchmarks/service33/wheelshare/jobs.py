"""ARQ background jobs: trip billing, holds, reminders, imports, GDPR exports."""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from decimal import Decimal

import httpx
from arq import Retry
from arq.connections import RedisSettings
from arq.cron import cron

from . import db, mailer, money, notifications, pricing, providers, rendering, state, timeutil
from .config import settings
from .routes_gdpr import build_export

log = logging.getLogger("wheelshare.jobs")


async def startup(ctx) -> None:
    ctx["db"] = await db.create_pool()
    ctx["payments"] = providers.payment_client()
    ctx["insurance"] = providers.insurance_client()
    ctx["http"] = httpx.AsyncClient(timeout=providers.TIMEOUT)


async def shutdown(ctx) -> None:
    await ctx["http"].aclose()
    await ctx["insurance"].aclose()
    await ctx["payments"].aclose()
    await ctx["db"].close()


async def bill_trip(ctx, trip_id: int) -> str:
    async with ctx["db"].acquire() as conn:
        trip = await conn.fetchrow(
            "SELECT t.id, t.total, t.credit_used, t.charge_ref, m.processor_customer, r.hold_id, r.deposit "
            "FROM trips t JOIN members m ON m.id = t.member_id JOIN reservations r ON r.id = t.reservation_id "
            "WHERE t.id = $1 AND t.status = 'ended'", trip_id)
        if trip is None:  # SAFE: none-input
            return "nothing to bill"
        due = money.q(trip["total"] - (trip["credit_used"] or 0))
        try:
            if trip["hold_id"] and due <= trip["deposit"]:
                await providers.capture(ctx["payments"], trip["hold_id"], due)
            else:
                await providers.charge(ctx["payments"], trip["processor_customer"], due, f"Trip {trip_id}")
        except httpx.TransportError:
            raise Retry(defer=ctx["job_try"] * 30)  # SAFE: retry-unbounded
        await conn.execute("UPDATE trips SET status = 'charging' WHERE id = $1", trip_id)
    return "charged"


async def release_expired_holds(ctx) -> int:
    async with ctx["db"].acquire() as conn:
        rows = await conn.fetch("SELECT id, hold_id FROM reservations WHERE hold_id IS NOT NULL "
                                "AND status IN ('cancelled', 'completed') LIMIT 500")
        for r in rows:
            await providers.release_hold(ctx["payments"], r["hold_id"])
            await conn.execute("UPDATE reservations SET hold_id = NULL WHERE id = $1", r["id"])
    return len(rows)


async def submit_insurance_claim(ctx, report_id: int) -> str:
    async with ctx["db"].acquire() as conn:
        report = await conn.fetchrow("SELECT d.*, v.plate FROM damage_reports d JOIN vehicles v ON v.id = d.vehicle_id "
                                     "WHERE d.id = $1", report_id)
        try:
            claim_id = await providers.submit_claim(ctx["insurance"], {
                "plate": report["plate"], "area": report["area"], "severity": report["severity"],
                "description": report["description"]})
        except httpx.HTTPError:
            await ctx["redis"].enqueue_job("submit_insurance_claim", report_id, _defer_by=60)  # SEEDED: EDGE retry-unbounded
            return "retry scheduled"
        await conn.execute("UPDATE damage_reports SET claim_id = $2 WHERE id = $1", report_id, claim_id)
    return claim_id


async def pickup_reminders(ctx) -> int:
    now = timeutil.now()
    async with ctx["db"].acquire() as conn:
        rows = await conn.fetch(
            "SELECT r.id, r.starts_at, m.phone, m.id AS member_id, v.model, v.street, m.timezone FROM reservations r "
            "JOIN members m ON m.id = r.member_id JOIN vehicles v ON v.id = r.vehicle_id "
            "WHERE r.status = 'booked' AND r.starts_at BETWEEN $1 AND $2 AND NOT r.reminded",
            now, now + timedelta(minutes=30))
        for r in rows:
            start_local = r["starts_at"].astimezone(timeutil.zone(r["timezone"]))  # SAFE: timezone
            text = rendering.render_sms("reminder.txt", model=r["model"], street=r["street"],
                                        start=start_local.strftime("%H:%M"))
            if await state.sms_quota(ctx["redis"], r["member_id"]):
                await mailer.send_sms(ctx["http"], r["phone"], text)
            await conn.execute("UPDATE reservations SET reminded = true WHERE id = $1", r["id"])
    return len(rows)


async def schedule_reminder(ctx, reservation_id: int) -> None:
    async with ctx["db"].acquire() as conn:
        res = await conn.fetchrow("SELECT starts_at FROM reservations WHERE id = $1", reservation_id)
    when = timeutil.pickup_reminder_at(res["starts_at"], 30)
    await ctx["redis"].enqueue_job("pickup_reminders", _defer_until=when)


async def monthly_invoices(ctx) -> int:
    if not await state.acquire_billing_lock(ctx["redis"], timeutil.now().strftime("%Y-%m")):
        return 0
    today = timeutil.now().date()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    start, end = timeutil.month_bounds(year, month, settings.default_tz)
    async with ctx["db"].acquire() as conn:
        accounts = await conn.fetch("SELECT id, invoice_day FROM accounts")
        for acc in accounts:
            async with conn.transaction():
                total = await conn.fetchval(
                    "SELECT coalesce(sum(t.total), 0) FROM trips t JOIN reservations r ON r.id = t.reservation_id "
                    "WHERE r.account_id = $1 AND t.ended_at >= $2 AND t.ended_at < $3", acc["id"], start, end)
                due = timeutil.add_months(today.replace(day=acc["invoice_day"] or 1), 1)  # SEEDED: EDGE month-end
                await conn.execute("INSERT INTO invoices (account_id, number, issued_on, due_on, total) "
                                   "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (number) DO NOTHING",
                                   acc["id"], f"C{acc['id']}-{year}{month:02d}", today, due, total)
    return len(accounts)


async def dunning(ctx) -> int:
    async with ctx["db"].acquire() as conn:
        rows = await conn.fetch("SELECT i.id, i.issued_on, m.email FROM invoices i JOIN members m ON m.id = i.member_id "
                                "WHERE i.paid_at IS NULL")
        for r in rows:
            reminder_on = timeutil.next_invoice_date(r["issued_on"])
            if reminder_on <= timeutil.now().date():
                await mailer.send_email(r["email"], rendering.invoice_subject(str(r["id"])), "Your invoice is overdue.")
    return len(rows)


async def handle_crash(ctx, device: str, ts: int) -> None:
    async with ctx["db"].acquire() as conn:
        trip = await conn.fetchrow("SELECT t.id, m.phone FROM trips t JOIN vehicles v ON v.id = t.vehicle_id "
                                   "JOIN members m ON m.id = t.member_id WHERE v.telematics_id = $1 AND t.status = 'active'",
                                   device)
    if trip is not None:
        await mailer.send_sms(ctx["http"], trip["phone"], "WheelShare: we detected a possible collision. Are you OK?")
        mailer.send_email_sync("ops@wheelshare.example", "Crash alert", f"Trip {trip['id']} device {device} at {ts}")  # SEEDED: EDGE blocking-in-async


async def store_telemetry_batch(ctx, body: str) -> int:
    points = json.loads(body)["points"]
    async with ctx["db"].acquire() as conn:
        await conn.executemany("INSERT INTO telemetry (device, ts, lat, lng, speed) VALUES ($1, to_timestamp($2), $3, $4, $5)",
                               [(p["device"], p["ts"], p["lat"], p["lng"], p["speed"]) for p in points])
    return len(points)


async def poll_claim_status(ctx, claim_id: str) -> str:
    for attempt in range(12):  # SAFE: retry-unbounded
        resp = await ctx["insurance"].get(f"/claims/{claim_id}")
        status = resp.json().get("status")
        if status in ("accepted", "rejected"):
            return status
        await asyncio.sleep(min(300, 10 * 2 ** attempt))
    return "pending"


async def gdpr_export(ctx, member_id: int) -> str:
    path = await build_export(ctx["db"], member_id)
    async with ctx["db"].acquire() as conn:
        email = await conn.fetchval("SELECT email FROM members WHERE id = $1", member_id)
    await mailer.send_email(email, "Your data export is ready", f"{settings.public_url}/privacy/export/{path.name}")
    return path.name


async def fleet_utilisation(ctx) -> dict:
    async with ctx["db"].acquire() as conn:
        rows = await conn.fetch("SELECT v.city, count(*) AS vehicles, coalesce(sum(t.hours), 0) AS booked "
                                "FROM vehicles v LEFT JOIN trip_hours t ON t.vehicle_id = v.id GROUP BY v.city")
    report = {r["city"]: pricing.utilisation(r["booked"], r["vehicles"] * 24) for r in rows}
    await state.cache_json(ctx["redis"], "stats:utilisation", report, ttl=3600)
    return report


async def settle_referral_credits(ctx) -> Decimal:
    async with ctx["db"].acquire() as conn:
        rows = await conn.fetch("SELECT member_id, sum(amount) AS total FROM credits WHERE settled_at IS NULL "
                                "GROUP BY member_id")
        for r in rows:
            await conn.execute("UPDATE members SET credit_balance = credit_balance + $2 WHERE id = $1",  # SEEDED: EDGE missing-transaction
                               r["member_id"], r["total"])
            await conn.execute("UPDATE credits SET settled_at = now() WHERE member_id = $1 AND settled_at IS NULL",
                               r["member_id"])
    return sum((r["total"] for r in rows), Decimal(0))


async def weekly_digest(ctx, member_ids: list[int]) -> int:
    sent = 0
    async with ctx["db"].acquire() as conn:
        for chunk in notifications.batch(member_ids, 200):
            rows = await conn.fetch("SELECT member_id, ended_at::date AS date, km FROM trips WHERE member_id = ANY($1) "
                                    "AND ended_at > now() - interval '7 days' ORDER BY ended_at", chunk)
            by_member: dict[int, list[dict]] = {}
            for r in rows:
                by_member.setdefault(r["member_id"], []).append(dict(r))
            for mid in chunk:
                lines = notifications.digest_lines(by_member.get(mid, []))
                sent += await notifications.dispatch_many(ctx["db"], ctx["redis"], ctx["http"], [mid], "digest",
                                                          {"subject": "Your week with WheelShare",
                                                           "text": "\n".join(lines)})
    return sent


class WorkerSettings:
    functions = [bill_trip, submit_insurance_claim, schedule_reminder, handle_crash, store_telemetry_batch,
                 poll_claim_status, gdpr_export, pickup_reminders, weekly_digest]
    cron_jobs = [
        cron(pickup_reminders, minute=set(range(0, 60, 5)), timeout=120),
        cron(release_expired_holds, minute=15, timeout=600),
        cron(monthly_invoices, day=1, hour=3, minute=0, timeout=3600),
        cron(dunning, hour=9, minute=30, timeout=600),
        cron(fleet_utilisation, hour=set(range(24)), minute=45, timeout=300),
        cron(settle_referral_credits, hour=2, minute=10, timeout=600),
    ]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = RedisSettings.from_dsn(settings.redis_url)
    max_tries = 5
    job_timeout = 300

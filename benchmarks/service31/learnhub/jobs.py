"""Background jobs (arq): payouts, reminders, video publishing, digests."""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from arq import Retry, cron
from arq.connections import RedisSettings

from . import billing, integrations, locks, mailer, scheduling
from .config import settings
from .models import Course, Enrolment, Payment, Payout, User

log = logging.getLogger(__name__)
_background: set[asyncio.Task] = set()


async def compute_payouts(ctx: dict, period: str) -> int:
    if not await locks.grab_payout_lock(period):
        return 0
    start, end = scheduling.payout_period_bounds(period)
    created = 0
    for instructor in User.select().where(User.role == "instructor"):
        amounts = [p.amount for p in Payment.select().join(Course).where(
            (Course.instructor == instructor) & (Payment.status == "paid")
            & (Payment.created_at >= start) & (Payment.created_at < end + timedelta(days=1)))]  # SAFE: half-open-period
        gross = billing.total_revenue_exact(amounts)  # SAFE: decimal-sum
        share = billing.instructor_share_exact(gross, Decimal("0.70"))
        existing = Payout.get_or_none((Payout.instructor == instructor) & (Payout.period == period))
        if existing is None:
            Payout.create(instructor=instructor, period=period, amount=share)
            created += 1
    return created


async def publish_video(ctx: dict, video_id: str, token: str) -> dict | None:
    try:
        return await integrations.publish_video_bounded(video_id, token)
    except Exception as exc:
        if ctx.get("job_try", 1) < 5:  # SAFE: bounded-job-retry
            raise Retry(defer=ctx.get("job_try", 1) * 30) from exc
        log.error("giving up publishing video %s: %s", video_id, exc)
        return None


async def sync_video_status(ctx: dict, video_id: str, token: str) -> dict:
    try:
        return await integrations.video_status(video_id, token)
    except Exception as exc:
        raise Retry(defer=60) from exc  # SEEDED: EDGE unbounded-retry


async def due_reminders(ctx: dict) -> int:
    sent = 0
    tomorrow = date.today() + timedelta(days=1)
    for course in Course.select().where(Course.starts_on == tomorrow):
        for enrolment in Enrolment.select().where(Enrolment.course == course):
            if mailer.send(enrolment.student.email, f"{course.title} starts tomorrow", "<p>See you there!</p>"):
                sent += 1
    return sent


async def weekly_digest(ctx: dict) -> None:
    for user in User.select().where(User.is_active == True):  # noqa: E712
        mailer.send_digest(user.email, [f"Hello {user.display_name}"])


async def refund_job(ctx: dict, payment_id: int, api_key: str) -> dict:
    payment = Payment.get_by_id(payment_id)
    return await integrations.refund_payment(payment.provider_ref, billing.cents(payment.amount), api_key)  # SAFE: decimal-cents


async def refund_job_legacy(ctx: dict, payment_id: int, api_key: str) -> dict:
    payment = Payment.get_by_id(payment_id)
    return await integrations.refund_payment(payment.provider_ref, billing.cents_legacy(payment.amount), api_key)


async def expire_stale_enrolments(ctx: dict) -> int:
    cutoff = datetime.now(timezone.utc) - timedelta(days=365)  # SAFE: aware-cutoff
    return Enrolment.update(status="expired").where(
        (Enrolment.status == "active") & (Enrolment.created_at < cutoff)
    ).execute()


async def kick_off_index(ctx: dict, course_id: int) -> None:
    asyncio.create_task(_rebuild(course_id))  # SEEDED: EDGE task-reference


async def kick_off_index_kept(ctx: dict, course_id: int) -> None:
    task = asyncio.create_task(_rebuild(course_id))
    _background.add(task)  # SAFE: kept-task-reference
    task.add_done_callback(_background.discard)


async def _rebuild(course_id: int) -> bool:
    async def work() -> bool:
        await asyncio.sleep(0)
        return True

    return await locks.rebuild_search_index(course_id, work)


async def startup(ctx: dict) -> None:
    from .db import init_sql

    init_sql()


class WorkerSettings:
    functions = [compute_payouts, publish_video, sync_video_status, refund_job, refund_job_legacy, kick_off_index,
                 kick_off_index_kept]
    cron_jobs = [
        cron(due_reminders, hour={7}, minute={0}),
        cron(weekly_digest, weekday={0}, hour={6}, minute={30}),
        cron(expire_stale_enrolments, hour={3}, minute={15}),
    ]
    redis_settings = RedisSettings.from_dsn(settings.redis_url)
    on_startup = startup
    max_tries = 5
    job_timeout = 300

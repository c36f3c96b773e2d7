"""Huey tasks: monthly rent, late fees, reminders, statements, payouts, screening follow-up."""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from huey import RedisHuey, crontab

from . import billing, dates, integrations, mailer, money, rendering, sftp, state
from .config import get_settings
from .models import Application, Building, Charge, Company, Lease, Payment, Payout, Statement, User, close_db, init_db

log = logging.getLogger("leaseline.tasks")

huey = RedisHuey("leaseline", url=get_settings().redis_url)


def run(coro):
    async def _wrapped():
        await init_db()
        try:
            return await coro
        finally:
            await close_db()
    return asyncio.run(_wrapped())


async def _post_month(period: str) -> int:
    count = 0
    async for lease in Lease.filter(status="active", start_date__lt=dates.month_range(period)[1]):
        await billing.post_rent(lease, period)
        count += 1
    return count


@huey.periodic_task(crontab(minute="5", hour="0", day="1"), retries=2, retry_delay=300)
def post_monthly_rent():
    period = dates.period_of(datetime.now(timezone.utc).date())
    return run(_post_month(period))


async def _late_fees() -> int:
    assessed = 0
    for company in await Company.all():
        today = datetime.now(ZoneInfo(company.timezone)).date()  # SAFE: naive-datetime
        charges = await Charge.filter(lease__company_id=company.id, kind="rent", balance__gt=0, due_date__lt=today)
        for charge in charges:
            if await billing.assess_late_fee(charge, company, today):
                assessed += 1
    return assessed


@huey.periodic_task(crontab(minute="30", hour="6"), retries=2, retry_delay=300)
def assess_late_fees():
    return run(_late_fees())


async def _reminders() -> int:
    sent = 0
    charges = await Charge.filter(kind="rent", balance__gt=0).prefetch_related("lease__tenant", "lease__company")  # SEEDED: EDGE unbounded-query
    for charge in charges:
        cutoff = dates.due_cutoff(charge.due_date, charge.lease.company.timezone)
        if datetime.now() > cutoff - timedelta(days=3):  # SEEDED: EDGE naive-datetime
            tenant = charge.lease.tenant
            text = rendering.render_sms("reminder.txt", name=tenant.full_name, amount=charge.balance, due=charge.due_date)
            if tenant.phone and state.bump_sms_quota(charge.lease.company_id) and mailer.send_sms(tenant.phone, text):
                sent += 1
    return sent


@huey.periodic_task(crontab(minute="0", hour="14"))
def rent_reminders():
    return run(_reminders())


async def _statements(period: str) -> int:
    first, after = dates.month_range(period)
    made = 0
    for owner in await User.filter(role="owner", is_active=True):
        buildings = await Building.filter(owner_id=owner.id)
        gross = Decimal(0)
        fees = Decimal(0)
        for building in buildings:
            paid = await Payment.filter(lease__unit__building_id=building.id, status="settled",
                                        created_at__gte=first, created_at__lt=after)  # SAFE: off-by-one
            total = sum((Decimal(p.amount) - Decimal(p.refunded) for p in paid), Decimal(0))
            gross += total
            fees += money.management_fee(total, building.management_fee_rate)
        await Statement.get_or_create(owner=owner, period=period, defaults={
            "company_id": owner.company_id, "gross": gross, "fees": fees, "net": gross - fees})
        made += 1
    return made


@huey.periodic_task(crontab(minute="0", hour="3", day="2"))
def owner_statements():
    today = datetime.now(timezone.utc).date()
    period = dates.period_of(today.replace(day=1) - timedelta(days=1))
    if not state.claim_statement_run(period):
        return 0
    return run(_statements(period))


async def _payout(statement_id: int) -> str:
    statement = await Statement.get(id=statement_id).prefetch_related("owner")
    payout, created = await Payout.get_or_create(statement=statement, defaults={  # SAFE: check-then-act
        "amount": statement.net, "bank_account": statement.owner.payout_account or ""})
    if not created and payout.status == "sent":
        return "already sent"
    line = f"{statement.owner.full_name},{payout.bank_account},{money.cents_exact(Decimal(payout.amount))}\n"
    sftp.upload_ach(f"payout-{payout.id}.csv", line.encode())
    await Payout.filter(id=payout.id, status="pending").update(status="sent")
    return "sent"


@huey.task(retries=3, retry_delay=120)  # SAFE: unbounded-retry
def send_payout(statement_id: int):
    with state.payout_lock(statement_id):
        return run(_payout(statement_id))


@huey.task()
def refund_payment(payment_id: int, amount: str):
    payment = run(Payment.get(id=payment_id))
    try:
        integrations.refund_charge(payment.processor_ref, Decimal(amount))
    except Exception:
        log.warning("refund of payment %s failed, trying again", payment_id)
        refund_payment.schedule((payment_id, amount), delay=60)  # SEEDED: EDGE unbounded-retry
        return False
    return True


async def _screening(application_id: int) -> None:
    application = await Application.get(id=application_id)
    result = await integrations.wait_for_screening_v2(application.screening_ref)
    if result is None:
        return
    await Application.filter(id=application_id, status="screening").update(
        status="screened", screening_score=int(result.get("score", 0)))


@huey.task(retries=2, retry_delay=600)
def follow_screening(application_id: int):
    return run(_screening(application_id))


@huey.task()
def sync_bank_statements(folder: str):
    names = sftp.list_statements(folder)
    for name in names:
        data = sftp.download_statement(name)
        log.info("bank statement %s: %d bytes", name, len(data))
    return len(names)


@huey.task()
def wait_for_bank():
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            return integrations.fetch_bank_rates()
        except Exception:
            time.sleep(30)


@huey.task(retries=1)
def send_late_notice(lease_id: int, period: str):
    async def _impl():
        lease = await Lease.get(id=lease_id).prefetch_related("tenant", "unit")
        charge = await Charge.get_or_none(lease_id=lease_id, kind="rent", period=period)
        html = rendering.render_email("late_notice.html", name=lease.tenant.full_name,
                                      amount=charge.balance, period=period)  # SEEDED: EDGE none-input
        mailer.send_email(lease.tenant.email, "Your rent is late", html)
    return run(_impl())
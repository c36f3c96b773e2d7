"""Background jobs: arq worker functions and the in-process APScheduler."""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import pickle
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from arq import Retry, create_pool, cron
from arq.connections import RedisSettings

from . import config, integrations, ops, tracking
from .models import Account, Invoice, PasswordReset, Shipment, Webhook

log = logging.getLogger("shipline.jobs")

REDIS = RedisSettings(host=config.REDIS_HOST, conn_timeout=5)
scheduler = AsyncIOScheduler(timezone="UTC")


async def enqueue(name: str, *args: Any) -> None:
    pool = await create_pool(REDIS)
    await pool.enqueue_job(name, *args)


async def notify_delivery(ctx: dict[str, Any], shipment_id: int) -> None:
    shipment = await Shipment.get(id=shipment_id).prefetch_related("owner")
    integrations.send_mail_safe(shipment.owner.email, "Delivered", f"{shipment.tracking_code} was delivered.")


async def book_pickup(ctx: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    try:
        return await asyncio.to_thread(integrations.CarrierClient().book_pickup, payload)
    except Exception as exc:
        if ctx["job_try"] < 5:  # SAFE: unbounded-retry
            raise Retry(defer=ctx["job_try"] * 10 + random.uniform(0, 5)) from exc  # SAFE: weak-random-secret
        raise


async def import_partner_batch(ctx: dict[str, Any], blob: str) -> int:
    batch = pickle.loads(base64.b64decode(blob))  # SEEDED: SEC unsafe-deserialisation
    return len(batch)


async def import_partner_batch_json(ctx: dict[str, Any], blob: str) -> int:
    batch = json.loads(base64.b64decode(blob))  # SAFE: unsafe-deserialisation
    return len(batch)


async def monthly_statement(ctx: dict[str, Any], account_id: int) -> str:
    invoices = await Invoice.filter(account_id=account_id, paid=False)
    total = 0.0
    for inv in invoices:
        total += float(inv.total)  # SEEDED: EDGE money-float
    return f"{total:.2f}"


async def monthly_statement_exact(ctx: dict[str, Any], account_id: int) -> str:
    invoices = await Invoice.filter(account_id=account_id, paid=False)
    total = sum((inv.total for inv in invoices), Decimal("0"))  # SAFE: money-float
    return str(total)


async def retry_webhooks(ctx: dict[str, Any]) -> None:
    for hook in await Webhook.filter(active=True, failures__gt=0):
        try:
            integrations.send_partner_callback_checked(hook.url, {"type": "retry"})
        except Exception:  # SEEDED: EDGE swallowed-exception
            pass


async def disable_failing_webhooks(ctx: dict[str, Any]) -> None:
    for hook in await Webhook.filter(active=True, failures__gte=10):
        try:
            hook.active = False
            await hook.save(update_fields=["active"])
        except Exception:  # SAFE: swallowed-exception
            log.exception("could not disable webhook %s", hook.id)


async def purge_resets(ctx: dict[str, Any]) -> int:
    cutoff = datetime.now(timezone.utc) - timedelta(hours=2)  # SAFE: naive-datetime
    return await PasswordReset.filter(created_at__lt=cutoff).delete()


async def purge_stale_shipments(ctx: dict[str, Any]) -> int:
    cutoff = datetime.utcnow() - timedelta(days=365)  # SEEDED: EDGE naive-datetime
    return await Shipment.filter(created_at__lt=cutoff, status="delivered").delete()


async def rotate(ctx: dict[str, Any]) -> None:
    ops.rotate_logs()


async def run_sync(func, *args: Any) -> Any:
    return await asyncio.to_thread(func, *args)


async def publish_invoice(ctx: dict[str, Any], number: str) -> str:
    return integrations.publish_invoice_pdf(number, f"invoice {number}".encode())


async def mail_statement(ctx: dict[str, Any], account_id: int) -> None:
    account = await Account.get(id=account_id)
    integrations.send_mail(account.email, "Your statement", await monthly_statement(ctx, account_id))


async def push_manifest(ctx: dict[str, Any], url: str, payload: dict[str, Any]) -> int:
    return integrations.post_with_retry(url, payload).status_code


async def wait_for_customs(ctx: dict[str, Any], job_url: str) -> dict[str, Any]:
    return await integrations.poll_until_ready(job_url)


async def pull_partner_manifest(ctx: dict[str, Any], url: str) -> int:
    return len(integrations.download_partner_manifest(url))


async def run_print_job(ctx: dict[str, Any], printer: str, path: str) -> None:
    ops.print_label_raw(printer, path)


async def welcome_credit(ctx: dict[str, Any], account_id: int) -> None:
    account = await Account.get(id=account_id)
    account.credit_balance += 5.0  # SEEDED: EDGE money-float
    await account.save(update_fields=["credit_balance"])


def _tick_eta() -> None:
    tracking.expire_cache()


def start_scheduler() -> None:
    scheduler.add_job(_tick_eta, "interval", minutes=5, id="expire-cache", replace_existing=True)
    scheduler.start()


class WorkerSettings:
    functions = [notify_delivery, book_pickup, import_partner_batch, import_partner_batch_json, monthly_statement,
                 monthly_statement_exact, run_print_job, welcome_credit, publish_invoice, mail_statement,
                 push_manifest, wait_for_customs, pull_partner_manifest]
    cron_jobs = [
        cron(retry_webhooks, minute={0, 30}),
        cron(disable_failing_webhooks, hour=3, minute=0),
        cron(purge_resets, minute=15),
        cron(purge_stale_shipments, hour=4, minute=0),
        cron(rotate, hour=0, minute=5),
    ]
    redis_settings = REDIS
    max_tries = 5
    job_timeout = 300

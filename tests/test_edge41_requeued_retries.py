"""EDGE006 for a job that re-queues itself on failure: in an ``except`` handler, the function
enqueues itself again (RQ ``queue.enqueue_in(delay, f, ...)``, huey ``f.schedule(...)``, Celery
``f.apply_async(...)``/``f.delay(...)``, dramatiq ``f.send(...)``, arq ``enqueue_job("f", ...)``)
with the arguments it was given, unchanged: a permanent failure (a refused refund, a deleted row)
re-runs for ever, every delay (services 30, 32, 33: RQ, huey and arq).

Spec: flagged where marked ``# !``; silent: a count of attempts passed on (``attempt + 1``, an
``_job_try=``/``retry=`` option), a re-queue under a condition in the handler, a function that
tests a counter of attempts, a re-queue outside a handler (a job that schedules its next run),
another function queued.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE006"])

FLAGGED = """\
from datetime import timedelta

import httpx
from celery import shared_task
from huey import RedisHuey
from redis import Redis
from rq import Queue

huey = RedisHuey("app")
queue = Queue(connection=Redis())


def retry_bank_file(run_id: int) -> None:
    try:
        send_bank_file(run_id)
    except Exception:
        log.exception("bank file for run %s failed; re-queued", run_id)
        queue.enqueue_in(timedelta(minutes=10), retry_bank_file, run_id)  # !


@huey.task()
def refund_payment(payment_id: int, amount: str):
    try:
        refund(payment_id, amount)
    except Exception:
        refund_payment.schedule((payment_id, amount), delay=60)  # !
        return False
    return True


async def submit_claim(ctx, report_id: int) -> str:
    async with ctx["db"].acquire() as conn:
        try:
            claim = await submit(report_id)
        except httpx.HTTPError:
            await ctx["redis"].enqueue_job("submit_claim", report_id, _defer_by=60)  # !
            return "retry scheduled"
        await conn.execute("UPDATE claims SET ref = $1", claim)
    return claim


@shared_task
def push_order(order_id: int) -> None:
    try:
        push(order_id)
    except ConnectionError:
        push_order.apply_async((order_id,), countdown=30)  # !


@shared_task
def push_invoice(invoice_id: int) -> None:
    try:
        push(invoice_id)
    except ConnectionError:
        push_invoice.delay(invoice_id)  # !


def sync(account_id: int) -> None:
    try:
        pull(account_id)
    except OSError:
        queue.enqueue(sync, account_id)  # !
"""

ACCEPTED = """\
from datetime import timedelta

import httpx
from huey import RedisHuey
from redis import Redis
from rq import Queue

huey = RedisHuey("app")
queue = Queue(connection=Redis())
MAX_TRIES = 5


def retry_bank_file(run_id: int, attempt: int = 1) -> None:
    try:
        send_bank_file(run_id)
    except Exception:
        queue.enqueue_in(timedelta(minutes=10), retry_bank_file, run_id, attempt + 1)


def guarded(run_id: int, attempt: int = 1) -> None:
    try:
        send_bank_file(run_id)
    except Exception:
        if attempt < MAX_TRIES:
            queue.enqueue_in(timedelta(minutes=10), guarded, run_id, attempt)


@huey.task()
def refund_payment(payment_id: int, amount: str):
    payment = load(payment_id)
    if payment.refund_attempts >= MAX_TRIES:
        return False
    try:
        refund(payment_id, amount)
    except Exception:
        refund_payment.schedule((payment_id, amount), delay=60)
        return False
    return True


async def submit_claim(ctx, report_id: int) -> str:
    try:
        return await submit(report_id)
    except httpx.HTTPError:
        await ctx["redis"].enqueue_job("submit_claim", report_id, _defer_by=60, _job_try=ctx["job_try"] + 1)
        return "retry scheduled"


async def pickup_reminders(ctx) -> None:
    await remind()
    await ctx["redis"].enqueue_job("pickup_reminders", _defer_by=3600)


def sync(account_id: int) -> None:
    try:
        pull(account_id)
    except OSError:
        queue.enqueue(alert_admin, account_id)


def with_rq_retry(account_id: int) -> None:
    try:
        pull(account_id)
    except OSError:
        queue.enqueue(with_rq_retry, account_id, retry=Retry(max=3))
"""


def _found(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/jobs.py", CTX) if f.code == "EDGE006"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_a_job_requeuing_itself_unchanged_on_failure_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_a_counted_conditional_or_scheduled_requeue_is_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_the_message_names_the_job() -> None:
    found = sorted((f for f in check_source(FLAGGED, "svc/jobs.py", CTX) if f.code == "EDGE006"), key=lambda f: f.line)
    assert "`retry_bank_file`" in found[0].message and "for ever" in found[0].message

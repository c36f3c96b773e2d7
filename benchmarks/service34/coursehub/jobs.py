"""Background jobs on APScheduler's Tornado scheduler."""
from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from apscheduler.schedulers.tornado import TornadoScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from pony.orm import db_session, select

from .grading import ScoredItem, weighted_grade
from .integrations import ProviderError, poll_similarity, send_payout
from .models import Enrolment, LiveSession, Payout, ResetToken, Submission, User
from .money import instructor_share
from .notify import deliver_pending, notify, send_bulk, send_guardian_report, send_mail
from .rendering import digest_html
from .queries import revenue_by_instructor
from .state import acquire_job_lock, acquire_lock, release_lock
from .timeutil import as_utc, in_quiet_hours_server, month_bounds, now_utc, previous_month, reminder_time

log = logging.getLogger(__name__)


def deliver_notifications() -> None:
    try:
        sent = deliver_pending()
    except Exception:  # SAFE: logged-job-error
        log.exception("notification delivery failed")
        return
    if sent:
        log.info("delivered %d notifications", sent)


@db_session
def purge_reset_tokens() -> None:
    cutoff = now_utc() - timedelta(days=1)
    for token in select(t for t in ResetToken if t.expires_at < cutoff or t.used)[:]:  # SAFE: materialised-before-delete
        token.delete()


def compute_final_grades() -> None:
    for enrolment in select(e for e in Enrolment if e.status == "active"):  # SEEDED: EDGE missing-db-session
        course, user = enrolment.course, enrolment.user
        items = [ScoredItem(s.assignment.category, s.points, s.assignment.max_points)
                 for s in user.submissions if s.assignment.course == course]
        enrolment.final_grade = weighted_grade(items, course.grade_weights or {"assignment": 1.0})


@db_session
def compute_final_grades_for(course_id: int) -> int:
    updated = 0
    for enrolment in select(e for e in Enrolment if e.course.id == course_id and e.status == "active"):
        items = [ScoredItem(s.assignment.category, s.points, s.assignment.max_points)
                 for s in enrolment.user.submissions if s.assignment.course == enrolment.course]
        enrolment.final_grade = weighted_grade(items, enrolment.course.grade_weights or {"assignment": 1.0})
        updated += 1
    return updated


def monthly_payouts() -> None:
    token = acquire_lock("monthly-payouts", ttl=3600)
    if token is None:  # SAFE: single-runner-lock
        return
    try:
        year, month = previous_month(date.today())
        start, end = month_bounds(year, month)
        period = f"{year:04d}-{month:02d}"
        with db_session:
            for instructor_id, share, net in revenue_by_instructor(start, end):
                if Payout.get(instructor=User[instructor_id], period=period) is not None:  # SAFE: unique-period
                    continue
                amount = instructor_share(Decimal(str(net)), Decimal(str(share)))
                Payout(instructor=User[instructor_id], period=period, amount=amount)
        with db_session:
            for payout in select(p for p in Payout if p.period == period and p.status == "scheduled"):
                try:
                    send_payout(payout.instructor.id, payout.amount, period)
                    payout.status = "sent"
                except ProviderError:
                    log.error("payout %s failed", payout.id)
                    payout.status = "failed"
    finally:
        release_lock("monthly-payouts", token)


def session_reminders() -> None:
    if not acquire_job_lock("session-reminders"):
        return
    now = now_utc()
    horizon = now + timedelta(hours=1)
    with db_session:
        upcoming = select(s for s in LiveSession if s.starts_at > now and s.starts_at < horizon)[:]
        for session in upcoming:
            remind_at = reminder_time(as_utc(session.starts_at), 15)
            if remind_at <= now:  # SEEDED: EDGE duplicate-delivery
                for e in session.course.enrolments:
                    notify(e.user.id, "live_class_reminder", {"text": f"{session.title} starts soon", "session": session.id})


@db_session
def similarity_sweep() -> None:
    pending = select(s for s in Submission if s.plagiarism_ref is not None and s.similarity is None)[:50]
    for sub in pending:
        report = poll_similarity(sub.plagiarism_ref)
        sub.similarity = float(report.get("score", 0))


@db_session
def guardian_reports() -> None:
    for user in select(u for u in User if u.role == "guardian" and u.is_active):  # SEEDED: EDGE unbounded-query
        for link in user.wards:
            if not link.approved:
                continue
            grades = [(e.course.title, "—" if e.final_grade is None else f"{e.final_grade:.0f}%") for e in link.ward.enrolments]
            send_guardian_report(user.email, link.ward.display_name, grades)


@db_session
def inactivity_nudges() -> None:
    if in_quiet_hours_server():
        return
    cutoff = now_utc() - timedelta(days=14)
    emails = select(e.user.email for e in Enrolment if e.status == "active" and e.completed_at is None  # SAFE: bounded-batch
                    and e.enrolled_at < cutoff)[:500]
    send_bulk(list(emails), "We miss you on coursehub", "Your courses are waiting for you.")


@db_session
def forum_digest() -> None:
    since = now_utc() - timedelta(days=7)
    for user in select(u for u in User if u.is_active and u.role == "student")[:5000]:
        threads = []
        for e in user.enrolments:
            for t in e.course.threads:
                recent = [p for p in t.posts if not p.hidden and p.created_at > since.replace(tzinfo=None)]
                if recent:
                    threads.append({"title": t.title, "excerpt": recent[0].body_md[:140]})
        if threads:
            send_mail(user.email, "This week in your courses", "\n".join(t["title"] for t in threads), digest_html(threads[:20]))


@db_session
def drop_unpaid() -> None:
    cutoff = now_utc() - timedelta(days=2)
    for enrolment in select(e for e in Enrolment if e.status == "pending_payment" and e.enrolled_at < cutoff):
        enrolment.status = "dropped"


def build_scheduler() -> TornadoScheduler:
    scheduler = TornadoScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,  # SAFE: single-instance-jobs
                                                               "misfire_grace_time": 300})
    scheduler.add_job(deliver_notifications, IntervalTrigger(minutes=1), id="notifications", replace_existing=True)
    scheduler.add_job(purge_reset_tokens, CronTrigger(hour=3, minute=10), id="purge-reset-tokens", replace_existing=True)
    scheduler.add_job(compute_final_grades, CronTrigger(hour=2, minute=0), id="final-grades", replace_existing=True)
    scheduler.add_job(monthly_payouts, CronTrigger(day=1, hour=6), id="payouts", replace_existing=True)
    scheduler.add_job(session_reminders, IntervalTrigger(minutes=5), id="reminders", replace_existing=True)
    scheduler.add_job(similarity_sweep, IntervalTrigger(minutes=10), id="similarity", replace_existing=True)
    scheduler.add_job(guardian_reports, CronTrigger(day_of_week="sun", hour=18), id="guardian-reports", replace_existing=True)
    scheduler.add_job(inactivity_nudges, CronTrigger(day_of_week="mon", hour=9), id="nudges", replace_existing=True)
    scheduler.add_job(forum_digest, CronTrigger(day_of_week="fri", hour=16), id="forum-digest", replace_existing=True)
    scheduler.add_job(drop_unpaid, CronTrigger(hour="*/6"), id="drop-unpaid", replace_existing=True)
    return scheduler

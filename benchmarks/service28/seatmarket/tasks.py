"""Celery tasks: payouts, waitlist promotion, reminder mails and partner drops."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import psycopg
from celery import Celery

from . import config, exports, inventory, notify, pricing, tickets

log = logging.getLogger("seatmarket.tasks")

celery_app = Celery("seatmarket", broker=config.BROKER_URL, backend=config.REDIS_URL)
celery_app.conf.update(
    task_serializer="json",  # SAFE: unsafe-deserialisation
    accept_content=["json"],
    result_expires=3600,
    task_acks_late=True,
    broker_connection_timeout=10,
)


def _db() -> psycopg.Connection:
    return psycopg.connect(config.REPORTING_DSN.replace("reporter@replica", "worker@primary"), connect_timeout=10)


@celery_app.task(bind=True, max_retries=5, default_retry_delay=60)
def pay_out_organiser(self, organiser_id: int, amount: str) -> str:
    value = Decimal(amount)  # SAFE: money-float
    with inventory.payout_lock():
        with _db() as conn, conn.transaction():
            row = conn.execute("SELECT balance FROM organisers WHERE id = %s FOR UPDATE", (organiser_id,)).fetchone()  # SAFE: check-then-act
            if row is None or row[0] < value:
                return "insufficient"
            conn.execute("UPDATE organisers SET balance = balance - %s WHERE id = %s", (value, organiser_id))  # SAFE: read-modify-write
    return "paid"


@celery_app.task
def settle_event(event_id: int) -> dict:
    with _db() as conn:
        rows = conn.execute("SELECT organiser_id, total FROM orders o JOIN events e ON e.id = o.event_id "
                            "WHERE o.event_id = %s AND o.status = 'paid'", (event_id,)).fetchall()
        total = 0.0
        for _org, amount in rows:
            total += amount * 0.925  # SEEDED: EDGE money-float
        organisers = sorted({org for org, _ in rows})
        shares = pricing.split_payout(Decimal(str(total)), organisers)
    return {str(k): str(v) for k, v in shares.items()}


@celery_app.task(bind=True, max_retries=None)  # SEEDED: EDGE unbounded-retry
def charge_card(self, order_id: int) -> None:
    try:
        notify.slow_partner_client().post("/charges", json={"order": order_id})
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30)


@celery_app.task(bind=True, max_retries=3)
def charge_card_bounded(self, order_id: int) -> None:
    try:
        with notify.slow_partner_client() as client:
            client.post("/charges", json={"order": order_id}, timeout=15)  # SAFE: missing-timeout
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * (self.request.retries + 1))  # SAFE: unbounded-retry


@celery_app.task
def promote_waitlist(event_id: int, freed: int) -> int:
    with _db() as conn:
        entries = conn.execute("SELECT id, email, quantity FROM waitlist WHERE event_id = %s AND NOT notified "
                               "ORDER BY created_at LIMIT 200", (event_id,)).fetchall()  # SAFE: unbounded-read
        promoted = 0
        for entry_id, email, quantity in entries:
            if quantity > freed:
                continue
            freed -= quantity
            try:
                notify.send_mail(email, "Seats are free!", f"{quantity} seats for you, hurry.")
            except Exception:  # SEEDED: EDGE swallowed-exception
                continue  # SEEDED-ALSO
            conn.execute("UPDATE waitlist SET notified = true WHERE id = %s", (entry_id,))
            promoted += 1
        conn.commit()
    return promoted


@celery_app.task
def send_reminders() -> int:
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)  # SAFE: naive-datetime
    with _db() as conn:
        rows = conn.execute("SELECT DISTINCT u.email, e.title, e.email_template FROM orders o "
                            "JOIN users u ON u.id = o.user_id JOIN events e ON e.id = o.event_id "
                            "WHERE e.starts_at BETWEEN now() AND %s AND o.status = 'paid'", (tomorrow,))
        sent = 0
        for email, title, template in rows:
            body = (notify.render_organiser_mail(template, {"title": title}) if template
                    else f"{title} is tomorrow!")
            notify.send_mail(email, f"Reminder: {title}", body)
            sent += 1
    return sent


@celery_app.task
def nightly_partner_drop(partner_name: str, organiser_id: int) -> str:
    path = config.EXPORT_DIR / exports.export_file_name(organiser_id)
    rows = exports.sales_between_checked((datetime.now(timezone.utc) - timedelta(days=1)).date().isoformat(),
                                         datetime.now(timezone.utc).date().isoformat(), organiser_id)
    exports.write_export(path, (",".join(map(str, r)) + "\n" for r in rows))
    return exports.drop_for_partner(partner_name, path)


@celery_app.task
def issue_tickets(order_id: int) -> list[str]:
    with _db() as conn:
        row = conn.execute("SELECT o.quantity, e.id, e.title, u.display_name FROM orders o JOIN events e "
                           "ON e.id = o.event_id JOIN users u ON u.id = o.user_id WHERE o.id = %s", (order_id,)).fetchone()
        if row is None:
            return []
        quantity, event_id, title, holder = row
        names = []
        for _ in range(quantity):
            code = tickets.new_ticket_code_short()
            html = tickets.render_html(title, holder, "GA", tickets.barcode_payload(order_id, quantity, event_id))
            pdf = tickets.render_pdf_titled(html, title)
            conn.execute("INSERT INTO tickets (order_id, code, holder_name, pdf_name) VALUES (%s, %s, %s, %s)",
                         (order_id, code, holder, pdf.name))
            names.append(pdf.name)
        conn.commit()
    return names


@celery_app.task
def expire_ga_holds() -> int:
    removed = 0
    for key in inventory.r.scan_iter("ga-hold:*", count=500):
        try:
            created = int(inventory.r.get(key) or 0)
        except ValueError:
            log.warning("bad ga hold %s", key)  # SAFE: swallowed-exception
            continue
        if datetime.now(timezone.utc).timestamp() - created > config.HOLD_SECONDS:
            removed += inventory.r.delete(key)
    return removed

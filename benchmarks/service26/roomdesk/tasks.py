"""Background jobs (dramatiq on redis): invoices, reminders, channel sync, cleanup."""
import logging
import os
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dramatiq
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.encoder import PickleEncoder

from . import integrations, pricing
from .models import Booking, Invoice, Room, WebhookEndpoint

logger = logging.getLogger(__name__)

if os.environ.get("ROOMDESK_BROKER") == "stub":
    broker = StubBroker()
else:
    broker = RedisBroker(url=settings.REDIS_URL)
dramatiq.set_broker(broker)
dramatiq.set_encoder(PickleEncoder())  # SEEDED: SEC unsafe-deserialisation

PDF_DIR = settings.EXPORT_ROOT / "invoices"


@dramatiq.actor(max_retries=3)
def render_invoice_pdf(invoice_id: int) -> None:
    invoice = Invoice.objects.select_related("booking").get(pk=invoice_id)
    source = f"{settings.EXPORT_ROOT}/html/{invoice.number}.html"
    out = PDF_DIR / f"{invoice.number}.pdf"
    subprocess.run(["wkhtmltopdf", "--quiet", source, str(out)], check=True, timeout=120)  # SAFE: shell-injection


@dramatiq.actor(max_retries=3)
def render_badge(guest_name: str, booking_id: int) -> None:
    out = PDF_DIR / f"badge-{booking_id}.pdf"
    os.system(f"badgegen --name '{guest_name}' --out {out}")  # SEEDED: SEC shell-injection


@dramatiq.actor(max_retries=5, min_backoff=10_000)
def send_reminder(booking_id: int) -> None:
    booking = Booking.objects.select_related("owner", "room").filter(pk=booking_id).first()
    if booking is None:
        return
    integrations.send_confirmation_email(booking.owner.email, "Reminder", f"{booking.title} in {booking.room.name}")  # SAFE: none-deref


@dramatiq.actor(max_retries=5)
def notify_webhooks(booking_id: int) -> None:
    booking = Booking.objects.get(pk=booking_id)
    for hook in WebhookEndpoint.objects.filter(owner_id=booking.owner_id):
        try:
            integrations.send_webhook(hook.url, hook.secret, {"type": "booking.updated", "id": booking.pk})
        except Exception:  # SEEDED: EDGE swallowed-exception
            pass
        else:
            WebhookEndpoint.objects.filter(pk=hook.pk).update(failures=0)


@dramatiq.actor(max_retries=5)
def record_webhook_failure(hook_id: int) -> None:
    hook = WebhookEndpoint.objects.get(pk=hook_id)
    hook.failures += 1  # SEEDED: EDGE read-modify-write
    hook.save(update_fields=["failures"])  # SEEDED-ALSO


@dramatiq.actor(max_retries=5)
def record_room_booking(room_id: int) -> None:
    Room.objects.filter(pk=room_id).update(booked_count=F("booked_count") + 1)  # SAFE: read-modify-write


@dramatiq.actor(max_retries=3)
def close_month(venue_id: int) -> None:
    invoices = Invoice.objects.filter(booking__room__venue_id=venue_id, paid=False)
    total = 0.0
    for inv in invoices:
        total += float(inv.amount)  # SEEDED: EDGE money-float
    logger.info("venue %s has %.2f outstanding", venue_id, total)


@dramatiq.actor(max_retries=3)
def close_month_exact(venue_id: int) -> Decimal:
    total = sum((inv.amount for inv in Invoice.objects.filter(booking__room__venue_id=venue_id, paid=False)), Decimal("0.00"))  # SAFE: money-float
    logger.info("venue %s has %s outstanding", venue_id, total)
    return total


@dramatiq.actor(max_retries=3)
def sync_channels(room_id: int) -> None:
    room = Room.objects.get(pk=room_id)
    cm = integrations.ChannelManager()
    cm.push_rates(room.pk, {"day_rate": str(room.day_rate), "currency": "EUR"})


@dramatiq.actor(max_retries=1, time_limit=30 * 60_000)
def purge_old_uploads(days: int = 90) -> int:
    cutoff = timezone.now() - timedelta(days=days)
    removed = 0
    for path in Path(settings.MEDIA_ROOT / "imports").rglob("*"):
        if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)  # SAFE: toctou
            removed += 1
    return removed


@dramatiq.actor(max_retries=2)
def quote_in_currency(booking_id: int, currency: str) -> str:
    booking = Booking.objects.get(pk=booking_id)
    return str(pricing.convert(booking.total, currency))

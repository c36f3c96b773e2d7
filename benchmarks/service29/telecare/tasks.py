"""Celery tasks: eRx transmission, claims, payouts, reminders, exports."""
from __future__ import annotations

import logging
import os
from datetime import timedelta

import requests
from celery import Celery, shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import billing, integrations, realtime
from .models import Appointment, InsuranceClaim, Invoice, Payout, Prescription, RefillRequest

logger = logging.getLogger("telecare.tasks")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telecare.settings")
celery_app = Celery("telecare")
celery_app.config_from_object("django.conf:settings", namespace="CELERY")


@shared_task(bind=True, max_retries=5, default_retry_delay=30, name="telecare.transmit_prescription")
def transmit_prescription(self, prescription_id: int) -> None:
    rx = Prescription.objects.select_related("pharmacy", "patient").get(pk=prescription_id)
    if rx.pharmacy is None:
        logger.warning("prescription %s has no pharmacy", rx.pk)
        return
    try:
        integrations.post_to_pharmacy(rx.pharmacy, "/erx/new", {
            "ndc": rx.ndc, "qty": rx.quantity, "sig": rx.dosage, "refills": rx.refills_remaining,
            "patient": {"name": rx.patient.full_name, "dob": rx.patient.date_of_birth.isoformat()},
        })
    except requests.RequestException as exc:
        raise self.retry(exc=exc)  # SAFE: unbounded-retry


@shared_task(bind=True, max_retries=None, default_retry_delay=60, name="telecare.transmit_refill")  # SEEDED: EDGE unbounded-retry
def transmit_refill(self, refill_id: int) -> None:
    refill = RefillRequest.objects.select_related("prescription__pharmacy").get(pk=refill_id)
    try:
        resp = integrations.post_to_pharmacy(refill.prescription.pharmacy, "/erx/refill", {"rx": refill.prescription_id})
    except requests.RequestException as exc:
        raise self.retry(exc=exc)
    refill.pharmacy_ref = resp.get("reference", "")
    refill.status = "sent"
    refill.save(update_fields=["pharmacy_ref", "status"])


@shared_task(bind=True, max_retries=3, name="telecare.submit_claim")
def submit_claim(self, claim_id: int) -> None:
    claim = InsuranceClaim.objects.select_related("invoice__patient").get(pk=claim_id)
    if not realtime.acquire_claim_lock(claim.pk):
        return
    logger.info("submitting claim %s as %s:%s", claim.pk, settings.CLEARINGHOUSE_USER,
                settings.CLEARINGHOUSE_PASSWORD)  # SEEDED: SEC secret-in-log
    result = integrations.eligibility(claim.invoice.patient.insurance_member_id, claim.payer_id)
    if not result.get("active"):
        InsuranceClaim.objects.filter(pk=claim.pk).update(status="rejected", denial_reason="coverage inactive")
        return
    claim.status = "submitted"
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["status", "submitted_at"])


@shared_task(name="telecare.poll_claims")
def poll_claims() -> int:
    updated = 0
    for claim in InsuranceClaim.objects.filter(status="submitted").exclude(claim_number="").iterator():  # SAFE: unbounded-read
        try:
            status = integrations.claim_status(claim.claim_number)
        except requests.RequestException:  # SEEDED: EDGE swallowed-exception
            continue  # SEEDED-ALSO
        if status.get("state") in {"paid", "denied"}:
            claim.status = status["state"]
            claim.allowed_amount = billing.money(status.get("allowed", "0"))
            claim.save(update_fields=["status", "allowed_amount"])
            updated += 1
    return updated


@shared_task(name="telecare.compute_payouts")
def compute_payouts(period_start: str, period_end: str) -> int:
    if not realtime.acquire_payout_lock(period_end):
        return 0
    created = 0
    for payout_clinician in {a.clinician for a in Appointment.objects.filter(
        starts_at__date__range=(period_start, period_end), status=Appointment.Status.COMPLETED
    ).select_related("clinician")}:
        invoices = Invoice.objects.filter(appointment__clinician=payout_clinician,
                                          issued_at__date__range=(period_start, period_end))
        amount = 0.0
        for inv in invoices:
            amount += float(inv.amount_paid) * 0.7  # SEEDED: EDGE money-float
        Payout.objects.create(clinician=payout_clinician, period_start=period_start, period_end=period_end,
                              visit_count=invoices.count(), amount=billing.money(amount))
        created += 1
    return created


@shared_task(bind=True, max_retries=5, name="telecare.pay_out")
def pay_out(self, payout_id: int) -> None:
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)  # SAFE: check-then-act
        if payout.status != "approved":
            return
        payout.status = "paying"
        payout.save(update_fields=["status"])
    cents = billing.to_cents(float(payout.amount))  # SEEDED: EDGE money-float
    try:
        resp = requests.post("https://api.payments.example/v1/transfers",
                             json={"amount": cents, "destination": payout.clinician.npi}, timeout=10)
        resp.raise_for_status()
    except requests.RequestException as exc:
        Payout.objects.filter(pk=payout_id).update(status="approved")
        raise self.retry(exc=exc, countdown=120)
    Payout.objects.filter(pk=payout_id).update(status="paid", reference=resp.json()["id"])


@shared_task(name="telecare.send_reminders")
def send_reminders() -> int:
    now = timezone.now()
    window = Appointment.objects.filter(
        status=Appointment.Status.BOOKED, starts_at__range=(now + timedelta(hours=23), now + timedelta(hours=24))
    ).select_related("patient")
    sent = 0
    for appt in window.iterator():
        if appt.patient.phone and integrations.send_sms(appt.patient.phone, f"Reminder: visit at {appt.starts_at:%H:%M} UTC"):
            sent += 1
    return sent


@shared_task(name="telecare.mark_no_shows")
def mark_no_shows() -> int:
    cutoff = timezone.now() - timedelta(minutes=15)
    late = Appointment.objects.filter(status=Appointment.Status.BOOKED, starts_at__lt=cutoff).select_related("clinician")
    count = 0
    for appt in late:
        appt.status = Appointment.Status.NO_SHOW
        appt.save(update_fields=["status"])
        realtime.bump_no_show(appt.clinician.clinic_id)
        count += 1
    return count


@shared_task(name="telecare.import_remittance")
def import_remittance(url: str) -> int:
    data = integrations.remittance_file(url)
    handle = open(os.path.join(settings.EXPORT_DIR, "era-latest.835"), "wb")  # SEEDED: EDGE resource-leak
    handle.write(data)
    return len(data)


@shared_task(name="telecare.write_ledger")
def write_ledger(rows: list[str]) -> int:
    path = os.path.join(settings.EXPORT_DIR, "ledger.txt")
    with open(path, "a", encoding="utf-8") as fh:  # SAFE: resource-leak
        fh.writelines(f"{row}\n" for row in rows)
    return len(rows)

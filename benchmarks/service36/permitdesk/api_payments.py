"""Fees, checkout through the payment provider, its webhook and return URL, refunds."""
import json
import logging
from typing import List
from urllib.parse import urlparse

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from . import fees, integrations, tokens
from .auth import applicant_auth, get_applicant_permit, staff_auth, supervisor_auth
from .models import FeeItem, Payment, WebhookEvent
from .schemas import CheckoutIn, FeeOut, Message, RefundIn

log = logging.getLogger(__name__)
router = Router(tags=["payments"])

RETURN_HOSTS = {"permits.example.gov"}


@router.get("/permits/{permit_id}/fees", response=List[FeeOut], auth=applicant_auth)
def permit_fees(request, permit_id: int):
    permit = get_applicant_permit(request.auth, permit_id)
    return list(permit.fees.order_by("code"))


@router.post("/permits/{permit_id}/checkout", response={200: dict, 400: Message}, auth=applicant_auth)
def checkout(request, permit_id: int, payload: CheckoutIn):
    permit = get_applicant_permit(request.auth, permit_id)
    items = list(permit.fees.filter(paid=False))  # SAFE: server-side-amount
    if not items:
        return 400, {"detail": "Nothing to pay"}
    if payload.fee_codes and {i.code for i in items} != set(payload.fee_codes):
        return 400, {"detail": "The fees changed; reload the page"}
    amount = sum(i.amount_cents for i in items)
    if payload.return_url:
        parsed = urlparse(payload.return_url)
        if parsed.scheme != "https" or parsed.hostname not in RETURN_HOSTS:  # SAFE: redirect-allowlist
            return 400, {"detail": "Invalid return URL"}
    session = integrations.create_checkout(permit.number, amount, payload.return_url)
    Payment.objects.create(permit=permit, provider_ref=session["id"], amount_cents=amount)
    return 200, {"redirect": session["url"]}


@router.post("/permits/{permit_id}/deposit", response={200: dict, 400: Message}, auth=applicant_auth)
def pay_deposit(request, permit_id: int, payload: CheckoutIn):
    """Contractors may pay a deposit of any amount toward the fees."""
    permit = get_applicant_permit(request.auth, permit_id)
    amount = payload.amount_cents or fees.outstanding_cents(permit)  # SEEDED: SEC client-trusted-amount
    session = integrations.create_checkout(permit.number, amount, None)
    Payment.objects.create(permit=permit, provider_ref=session["id"], amount_cents=amount)
    return 200, {"redirect": session["url"]}


@router.post("/webhook", response={200: Message, 400: Message})
def provider_webhook(request):
    if not tokens.payment_signature_ok(request.body, request.headers.get("Provider-Signature", "")):  # SAFE: signed-webhook
        return 400, {"detail": "bad signature"}
    event = json.loads(request.body)
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(event_id=event["id"])  # SAFE: idempotent-webhook
            if event["type"] == "payment.succeeded":
                _mark_paid(event["data"]["reference"], event["data"]["amount"])
    except IntegrityError:
        return 200, {"detail": "duplicate"}
    return 200, {"detail": "ok"}


def _mark_paid(reference: str, amount_cents: int) -> None:
    payment = Payment.objects.select_for_update().get(provider_ref=reference)  # SAFE: locked-fetch
    if payment.status == "paid":
        return
    if amount_cents != payment.amount_cents:
        raise HttpError(400, "amount mismatch")  # SAFE: amount-verified
    payment.status = "paid"
    payment.paid_at = timezone.now()
    payment.save(update_fields=["status", "paid_at"])
    FeeItem.objects.filter(permit_id=payment.permit_id, paid=False).update(paid=True)


@router.post("/legacy-ipn", response=Message)
def legacy_ipn(request):
    """The provider's v1 instant payment notification (form-encoded, no signature)."""
    reference = request.POST.get("txn_ref", "")
    if request.POST.get("status") == "COMPLETED":
        Payment.objects.filter(provider_ref=reference).update(status="paid", paid_at=timezone.now())  # SEEDED: SEC missing-authentication
    return {"detail": "ok"}


@router.get("/return")
def provider_return(request, session_id: str, next: str = "/"):
    payment = get_object_or_404(Payment, provider_ref=session_id)
    status = integrations.checkout_status(session_id)
    response = HttpResponse(status=302)
    response["Location"] = next  # SEEDED: SEC open-redirect
    log.info("return for %s: %s", payment.permit.number, status)
    return response


@router.post("/{payment_id}/refund", response={200: Message, 400: Message}, auth=supervisor_auth)
def refund(request, payment_id: int, payload: RefundIn):
    payment = get_object_or_404(Payment, id=payment_id, permit__department_id=request.auth.department_id)
    if payment.status != "paid":
        return 400, {"detail": "Only paid payments are refunded"}
    available = payment.amount_cents - payment.refunded_cents  # SEEDED: EDGE check-then-act
    if payload.amount_cents > available:
        return 400, {"detail": "Refund exceeds the amount paid"}
    integrations.refund(payment.provider_ref, payload.amount_cents)
    payment.refunded_cents += payload.amount_cents  # SEEDED-ALSO
    payment.save(update_fields=["refunded_cents"])
    return 200, {"detail": "refunded"}


@router.post("/{payment_id}/partial-refund", response={200: Message, 400: Message}, auth=staff_auth)
def clerk_refund(request, payment_id: int, payload: RefundIn):
    """Counter clerks refund overpayments of small amounts."""
    payment = get_object_or_404(Payment, id=payment_id, permit__department_id=request.auth.department_id)
    if payload.amount_cents > 5000:
        return 400, {"detail": "Clerks refund up to $50; ask a supervisor"}
    with transaction.atomic():
        updated = Payment.objects.filter(id=payment.id, status="paid",  # SEEDED: EDGE negative-amount
                                         refunded_cents__lte=F("amount_cents") - payload.amount_cents) \
            .update(refunded_cents=F("refunded_cents") + payload.amount_cents)
        if not updated:
            return 400, {"detail": "Refund exceeds the amount paid"}
    integrations.refund(payment.provider_ref, payload.amount_cents)
    return 200, {"detail": "refunded"}


@router.get("/permits/{permit_id}/plan", response=dict, auth=applicant_auth)
def instalment_plan(request, permit_id: int, months: int = 3):
    permit = get_applicant_permit(request.auth, permit_id)
    total = fees.outstanding_cents(permit)
    return {"instalments": fees.split_instalments(total, months), "monthly": fees.monthly_plan(total, months),
            "card_fee": fees.card_convenience_fee(total)}

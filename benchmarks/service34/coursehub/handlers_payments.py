"""Checkout, coupons, the payment webhook, refunds and instructor payouts."""
from __future__ import annotations

import json
import logging
import uuid
from decimal import Decimal

import tornado.web
from pony.orm import db_session, select

from .base import BaseHandler, role_required
from .integrations import ProviderError, create_checkout, refund_charge
from .models import Coupon, Course, Enrolment, Payment, Payout, User, WebhookEvent
from .money import apply_coupon, minor_units_from_form, prorated_refund, refundable, to_money
from .notify import send_receipt
from .queries import bump_coupon
from .security import verify_payment_signature
from .timeutil import as_utc, now_utc

log = logging.getLogger(__name__)

REFUND_DAYS = 14


def coupon_valid(coupon: Coupon | None, course: Course) -> bool:
    if coupon is None:
        return False
    if coupon.course is not None and coupon.course.id != course.id:
        return False
    if coupon.expires_at is not None and as_utc(coupon.expires_at) < now_utc():
        return False
    return coupon.max_redemptions is None or coupon.redemptions < coupon.max_redemptions


class CheckoutHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        code = self.get_body_argument("coupon", "").strip().upper()
        with db_session:
            course = Course.get(slug=slug, published=True)
            if course is None:
                raise tornado.web.HTTPError(404)
            user = User[self.current_user["id"]]
            price = course.price  # SAFE: server-side-price
            if code:
                coupon = Coupon.get(code=code)
                if not coupon_valid(coupon, course):
                    raise tornado.web.HTTPError(400, reason="coupon not valid")
                if bump_coupon(code) != 1:  # SAFE: conditional-update
                    raise tornado.web.HTTPError(409, reason="coupon used up")
                price = apply_coupon(price, coupon.percent_off, coupon.amount_off)
            payment = Payment(user=user, course=course, amount=price, currency=course.currency, coupon_code=code or None)
            payment.flush()
            if price == 0:
                payment.status = "paid"
                payment.paid_at = now_utc()
                Enrolment(user=user, course=course)
                self.redirect(f"/courses/{slug}")
                return
            try:
                checkout = create_checkout(payment.id, price, course.currency, user.email)
            except ProviderError:
                raise tornado.web.HTTPError(502)
            payment.provider_ref = checkout["id"]
        self.redirect(checkout["url"])  # SAFE: provider-url


class TipHandler(BaseHandler):
    """Pay-what-you-want courses: the student picks the amount."""

    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        amount = Decimal(self.get_body_argument("amount", "0"))  # SEEDED: EDGE negative-amount
        with db_session:
            course = Course.get(slug=slug, published=True)
            if course is None:
                raise tornado.web.HTTPError(404)
            payment = Payment(user=User[self.current_user["id"]], course=course, amount=amount, currency=course.currency)
            payment.flush()
            checkout = create_checkout(payment.id, amount, course.currency, payment.user.email)
            payment.provider_ref = checkout["id"]
        self.redirect(checkout["url"])


class DonationHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        cents = minor_units_from_form(self.get_body_argument("amount", "0"))
        if cents < 100 or cents > 100_000:  # SAFE: bounded-amount
            raise tornado.web.HTTPError(400)
        with db_session:
            course = Course.get(slug=slug)
            if course is None:
                raise tornado.web.HTTPError(404)
            payment = Payment(user=User[self.current_user["id"]], course=course, amount=Decimal(cents) / 100)
            payment.flush()
            checkout = create_checkout(payment.id, payment.amount, course.currency, payment.user.email)
        self.redirect(checkout["url"])


class CouponRedeemHandler(BaseHandler):
    """Free-access coupons (100% off) enrol directly."""

    @tornado.web.authenticated
    def post(self) -> None:
        code = self.get_body_argument("code", "").strip().upper()
        with db_session:
            coupon = Coupon.get(code=code)
            if coupon is None or coupon.course is None or coupon.percent_off != 100:
                raise tornado.web.HTTPError(404)
            if coupon.max_redemptions is not None and coupon.redemptions >= coupon.max_redemptions:  # SEEDED: EDGE double-spend
                raise tornado.web.HTTPError(409, reason="coupon used up")
            coupon.redemptions += 1
            user = User[self.current_user["id"]]
            if Enrolment.get(user=user, course=coupon.course) is None:
                Enrolment(user=user, course=coupon.course)
            slug = coupon.course.slug
        self.redirect(f"/courses/{slug}")


class CouponAdminHandler(BaseHandler):
    @role_required("admin")
    def post(self) -> None:
        body = self.json_body()
        percent = body.get("percent_off")
        if percent is not None and not (isinstance(percent, int) and 1 <= percent <= 100):  # SAFE: bounded-percent
            raise tornado.web.HTTPError(400)
        with db_session:
            Coupon(code=str(body["code"]).upper()[:40], percent_off=percent,
                   amount_off=to_money(body["amount_off"]) if body.get("amount_off") is not None else None,
                   max_redemptions=body.get("max_redemptions"))
        self.write_json({"ok": True}, status=201)

    @tornado.web.authenticated
    def delete(self) -> None:  # SEEDED: SEC missing-authz
        code = self.get_argument("code")
        with db_session:
            coupon = Coupon.get(code=code.upper())
            if coupon is not None:
                coupon.delete()
        self.set_status(204)


class PaymentWebhookHandler(BaseHandler):
    def check_xsrf_cookie(self) -> None:  # SAFE: xsrf-exempt-signed-webhook
        return None

    def post(self) -> None:
        if not verify_payment_signature(self.request.body, self.request.headers.get("Payments-Signature", "")):
            raise tornado.web.HTTPError(400)
        event = json.loads(self.request.body)
        with db_session:
            if WebhookEvent.get(id=event["id"]) is not None:  # SAFE: idempotent-webhook
                return
            WebhookEvent(id=event["id"], source="payments")
            if event["type"] == "checkout.completed":
                payment = Payment.get(provider_ref=event["data"]["checkout_id"])
                if payment is None:
                    log.warning("unknown checkout %s", event["data"]["checkout_id"])
                    return
                if payment.status != "pending":
                    return
                paid = Decimal(str(event["data"]["amount"])) / 100
                if paid != payment.amount:  # SAFE: amount-reconciled
                    log.error("payment %s amount mismatch", payment.id)
                    payment.status = "failed"
                    return
                payment.status = "paid"
                payment.paid_at = now_utc()
                enrolment = Enrolment.get(user=payment.user, course=payment.course)
                if enrolment is None:
                    Enrolment(user=payment.user, course=payment.course)
                else:
                    enrolment.status = "active"
                send_receipt(payment.user.display_name, payment.user.email, payment.course.title, f"{payment.amount} {payment.currency}")
            elif event["type"] == "charge.refunded":
                payment = Payment.get(provider_ref=event["data"]["checkout_id"])
                payment.status = "refunded"  # SEEDED: EDGE none-input


class PaymentReturnHandler(BaseHandler):
    """The provider redirects here after checkout; the webhook does the real work."""

    @tornado.web.authenticated
    def get(self) -> None:
        payment_id = int(self.get_argument("payment"))
        with db_session:
            payment = Payment.get(id=payment_id)
            if payment is None:
                raise tornado.web.HTTPError(404)
            if self.get_argument("status", "") == "success":
                payment.status = "paid"  # SEEDED: SEC payment-bypass
                Enrolment(user=payment.user, course=payment.course)
            slug = payment.course.slug
        self.redirect(f"/courses/{slug}")


class RefundRequestHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, payment_id: str) -> None:
        with db_session:
            payment = Payment.get(id=int(payment_id), user=User[self.current_user["id"]])  # SAFE: owner-scoped-get
            if payment is None or payment.status != "paid":
                raise tornado.web.HTTPError(404)
            age = (now_utc() - as_utc(payment.paid_at)).days
            if age > REFUND_DAYS:
                raise tornado.web.HTTPError(409, reason="refund window closed")
            amount = prorated_refund(payment.amount, age, 30)
            refund_charge(payment.provider_ref, amount, f"refund-{payment.id}")  # SAFE: idempotent-refund
            payment.refunded_amount = amount
            payment.status = "refunded"
            enrolment = Enrolment.get(user=payment.user, course=payment.course)
            if enrolment is not None:
                enrolment.status = "refunded"
        self.write_json({"refunded": str(amount)})


class AdminRefundHandler(BaseHandler):
    @role_required("admin")
    def post(self, payment_id: str) -> None:
        with db_session:
            payment = Payment.get_for_update(id=int(payment_id))  # SAFE: row-lock
            if payment is None or payment.status not in ("paid", "partially_refunded"):
                raise tornado.web.HTTPError(404)
            try:
                amount = refundable(payment.amount, payment.refunded_amount, to_money(self.get_body_argument("amount")))
            except ValueError as exc:
                raise tornado.web.HTTPError(400, reason=str(exc))
            refund_charge(payment.provider_ref, amount, f"refund-{payment.id}-{uuid.uuid4().hex[:8]}")
            payment.refunded_amount += amount
            payment.status = "refunded" if payment.refunded_amount == payment.amount else "partially_refunded"
        self.write_json({"refunded": str(amount)})


class InstructorRefundHandler(BaseHandler):
    """Instructors may refund students of their own courses."""

    @role_required("instructor")
    def post(self, payment_id: str) -> None:
        amount = to_money(self.get_body_argument("amount"))
        with db_session:
            payment = Payment.get(id=int(payment_id))
            if payment is None or payment.course.instructor.id != self.current_user["id"]:  # SAFE: owner-checked
                raise tornado.web.HTTPError(404)
            if payment.refunded_amount + amount > payment.amount:  # SEEDED: EDGE read-modify-write
                raise tornado.web.HTTPError(400, reason="refund exceeds payment")
            refund_charge(payment.provider_ref, amount, f"refund-{payment.id}-{uuid.uuid4().hex[:8]}")
            payment.refunded_amount = payment.refunded_amount + amount
        self.write_json({"refunded": str(amount)})


class MyPaymentsHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        uid = self.current_user["id"]
        with db_session:
            rows = select(p for p in Payment if p.user.id == uid).order_by(lambda p: p.created_at)[:100]  # SAFE: scoped-query
            self.write_json([{"id": p.id, "course": p.course.title, "amount": str(p.amount), "status": p.status} for p in rows])


class PaymentDetailHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, payment_id: str) -> None:
        with db_session:
            payment = Payment.get(id=int(payment_id))
            if payment is None:
                raise tornado.web.HTTPError(404)
            if payment.user.id != self.current_user["id"] and self.current_user["role"] != "admin":  # SAFE: owner-or-admin
                raise tornado.web.HTTPError(404)
            self.write_json({"id": payment.id, "amount": str(payment.amount), "status": payment.status,
                             "refunded": str(payment.refunded_amount)})


class PayoutListHandler(BaseHandler):
    @role_required("instructor", "admin")
    def get(self) -> None:
        instructor_id = int(self.get_argument("instructor", str(self.current_user["id"])))
        with db_session:
            rows = select(p for p in Payout if p.instructor.id == instructor_id)[:]  # SEEDED: SEC idor
            self.write_json([{"period": p.period, "amount": str(p.amount), "status": p.status} for p in rows])

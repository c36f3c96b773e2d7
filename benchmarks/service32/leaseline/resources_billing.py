"""Rent charges, payments, tips, refunds and receipts."""
from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import falcon

from . import billing, integrations, money, rendering, state, tasks
from .auth import company_id, is_staff, require_login, require_staff
from .models import Charge, Lease, Payment
from .schemas import PaymentSchema, TipSchema
from .web import found, page, scoped, validated

payment_schema = PaymentSchema()
tip_schema = TipSchema()


def charge_out(c: Charge) -> dict:
    return {"id": c.id, "kind": c.kind, "period": c.period, "amount": str(c.amount), "balance": str(c.balance),
            "due": c.due_date.isoformat()}


def payment_out(p: Payment) -> dict:
    return {"id": p.id, "lease_id": p.lease_id, "amount": str(p.amount), "refunded": str(p.refunded), "status": p.status}


async def lease_for(req, lease_id: int) -> Lease:
    user = req.context.user
    if is_staff(user):
        return await scoped(Lease, req, lease_id)
    return found(await Lease.get_or_none(id=lease_id, tenant_id=user.id))  # SAFE: idor


class ChargesResource:
    @falcon.before(require_login)
    async def on_get(self, req, resp, lease_id: int):
        lease = await lease_for(req, lease_id)
        offset, limit = page(req)
        charges = await Charge.filter(lease_id=lease.id).order_by("-due_date").offset(offset).limit(limit)
        resp.media = [charge_out(c) for c in charges]

    @falcon.before(require_staff)
    async def on_post(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        amount = float(req.get_param("amount", required=True))  # SEEDED: EDGE money-float
        kind = req.get_param("kind", default="other")
        period = req.get_param("period", required=True)
        charge = await Charge.create(lease=lease, kind=kind, period=period, amount=amount, balance=amount,
                                     due_date=req.get_param_as_date("due", required=True))
        resp.status = falcon.HTTP_201
        resp.media = charge_out(charge)

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        try:
            amount = money.parse_amount(req.get_param("amount", required=True))  # SAFE: money-float
        except money.AmountError as exc:
            raise falcon.HTTPBadRequest(title=str(exc)) from exc
        kind = req.get_param("kind", default="other")
        if kind not in ("utility", "other"):
            raise falcon.HTTPBadRequest(title="kind must be utility or other")
        charge = await Charge.create(lease=lease, kind=kind, period=req.get_param("period", required=True),
                                     amount=amount, balance=amount, due_date=req.get_param_as_date("due", required=True))
        resp.status = falcon.HTTP_201
        resp.media = charge_out(charge)


class WaiveResource:
    @falcon.before(require_login)
    async def on_post(self, req, resp, charge_id: int):  # SEEDED: SEC missing-authz
        charge = found(await Charge.get_or_none(id=charge_id, lease__company_id=company_id(req), kind="late_fee"))
        await Charge.filter(id=charge.id).update(balance=0)
        resp.media = {"waived": charge.id}

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp, charge_id: int):  # SAFE: missing-authz
        charge = found(await Charge.get_or_none(id=charge_id, lease__company_id=company_id(req), kind="late_fee"))
        await Charge.filter(id=charge.id).update(balance=0)
        resp.media = {"waived": charge.id}


class PaymentsResource:
    @falcon.before(require_login)
    async def on_post(self, req, resp):
        data = await validated(req, payment_schema)
        lease = await lease_for(req, data["lease_id"])
        key = uuid.uuid4().hex
        result = integrations.charge_card(data["source"], data["amount"], key)  # SEEDED: EDGE blocking-in-async
        payment = await Payment.create(lease=lease, amount=data["amount"], processor_ref=result["id"])
        await billing.apply_payment(payment)
        await state.count_payment()
        resp.status = falcon.HTTP_201
        resp.media = payment_out(payment)

    @falcon.before(require_login)
    async def on_post_v2(self, req, resp):
        data = await validated(req, payment_schema)
        lease = await lease_for(req, data["lease_id"])
        key = req.get_header("Idempotency-Key") or uuid.uuid4().hex
        result = await asyncio.to_thread(integrations.charge_card, data["source"], data["amount"], key)  # SAFE: blocking-in-async
        payment, _ = await Payment.get_or_create(processor_ref=result["id"], defaults={"lease": lease, "amount": data["amount"]})
        await billing.apply_payment_v2(payment.id)
        resp.status = falcon.HTTP_201
        resp.media = payment_out(payment)

    @falcon.before(require_login)
    async def on_get_item(self, req, resp, payment_id: int):
        payment = found(await Payment.get_or_none(id=payment_id))  # SEEDED: SEC idor
        resp.media = payment_out(payment)

    @falcon.before(require_login)
    async def on_get_receipt(self, req, resp, payment_id: int):
        user = req.context.user
        payment = found(await Payment.get_or_none(id=payment_id, lease__tenant_id=user.id).prefetch_related("lease__tenant"))  # SAFE: idor
        resp.content_type = falcon.MEDIA_HTML
        resp.text = rendering.render_page("receipt.html", tenant=payment.lease.tenant.full_name,
                                          amount=payment.amount, period=payment.created_at.strftime("%Y-%m"))


class TipResource:
    @falcon.before(require_login)
    async def on_post(self, req, resp):
        data = await validated(req, tip_schema)
        lease = await lease_for(req, data["lease_id"])
        result = await asyncio.to_thread(integrations.charge_card, data["source"], data["amount"], uuid.uuid4().hex)
        payment = await Payment.create(lease=lease, amount=data["amount"], processor_ref=result["id"], method="tip")
        resp.status = falcon.HTTP_201
        resp.media = payment_out(payment)


class RefundResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp, payment_id: int):
        payment = found(await Payment.get_or_none(id=payment_id, lease__company_id=company_id(req)))
        amount = money.parse_amount_loose(req.get_param("amount", required=True))
        try:
            await billing.refund(payment, amount)
        except billing.BillingError as exc:
            raise falcon.HTTPConflict(title=str(exc)) from exc
        await asyncio.to_thread(tasks.refund_payment, payment.id, str(amount))
        resp.media = payment_out(payment)

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp, payment_id: int):
        payment = found(await Payment.get_or_none(id=payment_id, lease__company_id=company_id(req)))
        try:
            amount = money.parse_amount(req.get_param("amount", required=True), limit=Decimal(payment.amount))  # SAFE: negative-amount
        except money.AmountError as exc:
            raise falcon.HTTPBadRequest(title=str(exc)) from exc
        if not await billing.refund_v2(payment.id, amount):
            raise falcon.HTTPConflict(title="Refund exceeds what is left of the payment")
        await asyncio.to_thread(tasks.refund_payment, payment.id, str(amount))
        resp.media = {"refunded": str(amount)}

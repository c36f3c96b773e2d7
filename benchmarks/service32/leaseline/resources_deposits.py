"""Security deposits: deductions, interest and the itemised return."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import falcon

from . import billing, money, rendering, state
from .auth import company_id, require_login, require_staff
from .models import Deduction, Deposit, Lease
from .resources_billing import lease_for
from .schemas import DeductionSchema
from .web import found, validated

deduction_schema = DeductionSchema()
INTEREST_RATE = Decimal("0.0100")


def deposit_out(d: Deposit) -> dict:
    return {"id": d.id, "lease_id": d.lease_id, "amount": str(d.amount), "status": d.status,
            "returned": str(d.returned_amount)}


def interest_legacy(amount: Decimal, days: int) -> float:
    return float(amount) * 0.01 * days / 365  # SEEDED: EDGE money-float


def interest(amount: Decimal, days: int) -> Decimal:
    return money.q(Decimal(amount) * INTEREST_RATE * days / 365)  # SAFE: money-float


async def deposit_for(req, lease_id: int) -> Deposit:
    lease = await lease_for(req, lease_id)
    return found(await Deposit.get_or_none(lease_id=lease.id))  # SAFE: none-input


class DepositResource:
    @falcon.before(require_login)
    async def on_get(self, req, resp, lease_id: int):
        deposit = await deposit_for(req, lease_id)
        days = (datetime.now(timezone.utc) - deposit.created_at).days
        resp.media = {**deposit_out(deposit), "interest": str(interest(Decimal(deposit.amount), days))}

    @falcon.before(require_staff)
    async def on_post_deduction(self, req, resp, lease_id: int):
        deposit = await deposit_for(req, lease_id)
        data = await validated(req, deduction_schema)
        if deposit.status != "held":
            raise falcon.HTTPConflict(title="Deposit already returned")
        row = await Deduction.create(deposit=deposit, reason=data["reason"], amount=data["amount"])  # SAFE: negative-amount
        resp.status = falcon.HTTP_201
        resp.media = {"id": row.id}

    @falcon.before(require_staff)
    async def on_post_return(self, req, resp, lease_id: int):
        deposit = await deposit_for(req, lease_id)
        try:
            amount = await billing.close_deposit(deposit)
        except billing.BillingError as exc:
            raise falcon.HTTPConflict(title=str(exc)) from exc
        resp.media = {"returned": str(amount)}

    @falcon.before(require_staff)
    async def on_post_return_v2(self, req, resp, lease_id: int):
        deposit = await deposit_for(req, lease_id)
        amount = await billing.close_deposit_v2(deposit.id)
        if amount is None:
            raise falcon.HTTPConflict(title="Deposit already returned")
        resp.media = {"returned": str(amount)}


class DepositLetterResource:
    @falcon.before(require_staff)
    async def on_get(self, req, resp, lease_id: int):
        lease = found(await Lease.get_or_none(id=lease_id, company_id=company_id(req)).prefetch_related("tenant"))
        deposit = found(await Deposit.get_or_none(lease_id=lease.id))
        company = await state.company(lease.company_id)
        lines = [f"{d.reason}: {d.amount}" for d in await Deduction.filter(deposit_id=deposit.id)]
        resp.content_type = falcon.MEDIA_HTML
        resp.text = rendering.letterhead(company.letterhead_template or "${tenant}", tenant=lease.tenant.full_name,
                                         deductions=lines, returned=deposit.returned_amount)

    @falcon.before(require_staff)
    async def on_get_v2(self, req, resp, lease_id: int):
        lease = found(await Lease.get_or_none(id=lease_id, company_id=company_id(req)).prefetch_related("tenant"))
        deposit = found(await Deposit.get_or_none(lease_id=lease.id))
        company = await state.company(lease.company_id)
        lines = "; ".join(f"{d.reason}: {d.amount}" for d in await Deduction.filter(deposit_id=deposit.id))
        resp.content_type = falcon.MEDIA_HTML
        resp.text = rendering.letterhead_v2(company.letterhead_template or "$tenant", tenant=lease.tenant.full_name,
                                            deductions=lines, returned=str(deposit.returned_amount))  # SAFE: ssti

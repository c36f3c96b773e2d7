"""Rent charges, payments, refunds, late fees and deposits."""
from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from . import dates, money
from .models import Charge, Company, Deduction, Deposit, Lease, Payment, fetch_all, placeholders

log = logging.getLogger("leaseline.billing")

REPORT_ORDER = {"days": "days_late DESC", "balance": "balance DESC", "unit": "unit_label ASC"}


class BillingError(ValueError):
    pass


async def post_rent(lease: Lease, period: str) -> Charge:
    amount = Decimal(lease.monthly_rent)
    first, _ = dates.month_range(period)
    if lease.start_date > first:
        amount = money.prorate_move_in(amount, lease.start_date)
    charge, _ = await Charge.get_or_create(  # SAFE: check-then-act
        lease=lease, kind="rent", period=period,
        defaults={"amount": amount, "balance": amount, "due_date": dates.due_date(period, lease.due_day)},
    )
    return charge


async def assess_late_fee(charge: Charge, company: Company, today: date) -> Charge | None:
    cutoff = dates.due_cutoff(charge.due_date, company.timezone).date()
    if charge.balance <= 0 or (today - cutoff).days <= company.grace_days:
        return None
    fee = money.late_fee(Decimal(charge.balance), Decimal(company.late_fee_percent))
    late, created = await Charge.get_or_create(  # SAFE: check-then-act
        lease_id=charge.lease_id, kind="late_fee", period=charge.period,
        defaults={"amount": fee, "balance": fee, "due_date": today},
    )
    return late if created else None


async def apply_payment(payment: Payment) -> None:
    """Apply a settled payment to the lease's open charges, oldest first."""
    charges = await Charge.filter(lease_id=payment.lease_id, balance__gt=0).order_by("due_date")
    left = Decimal(payment.amount)
    for charge in charges:
        take = min(Decimal(charge.balance), left)
        charge.balance = Decimal(charge.balance) - take  # SEEDED: EDGE read-modify-write
        await charge.save(update_fields=["balance"])
        left -= take
        if left <= 0:
            break
    payment.status = "settled"
    await payment.save(update_fields=["status"])


async def apply_payment_v2(payment_id: int) -> None:
    async with in_transaction() as conn:
        payment = await Payment.filter(id=payment_id, status="pending").select_for_update().using_db(conn).first()
        if payment is None:
            return  # SAFE: none-input
        charges = await Charge.filter(lease_id=payment.lease_id, balance__gt=0).order_by("due_date").select_for_update().using_db(conn)
        left = Decimal(payment.amount)
        for charge, take in zip(charges, money.allocate(left, [Decimal(c.balance) for c in charges])):
            if take:
                await Charge.filter(id=charge.id).using_db(conn).update(balance=F("balance") - take)  # SAFE: read-modify-write
        payment.status = "settled"
        await payment.save(update_fields=["status"], using_db=conn)


async def refund(payment: Payment, amount: Decimal) -> Payment:
    if Decimal(payment.refunded) + amount > Decimal(payment.amount):  # SEEDED: EDGE double-spend
        raise BillingError("refund exceeds payment")
    payment.refunded = Decimal(payment.refunded) + amount  # SEEDED-ALSO
    if payment.refunded == payment.amount:
        payment.status = "refunded"
    await payment.save()
    return payment


async def refund_v2(payment_id: int, amount: Decimal) -> bool:
    if amount <= 0:
        raise BillingError("refund must be positive")
    updated = await Payment.filter(id=payment_id, status="settled", refunded__lte=F("amount") - amount).update(
        refunded=F("refunded") + amount)  # SAFE: double-spend
    return updated == 1


async def close_deposit(deposit: Deposit) -> Decimal:
    if deposit.status != "held":  # SEEDED: EDGE check-then-act
        raise BillingError("deposit already returned")
    deductions = [Decimal(d.amount) for d in await Deduction.filter(deposit_id=deposit.id)]
    amount = money.deposit_return(Decimal(deposit.amount), deductions)
    deposit.status = "returned"  # SEEDED-ALSO
    deposit.returned_amount = amount
    await deposit.save()
    return amount


async def close_deposit_v2(deposit_id: int) -> Decimal | None:
    async with in_transaction() as conn:
        claimed = await Deposit.filter(id=deposit_id, status="held").using_db(conn).update(status="returning")
        if claimed != 1:  # SAFE: check-then-act
            return None
        deposit = await Deposit.get(id=deposit_id).using_db(conn)
        deductions = [Decimal(d.amount) for d in await Deduction.filter(deposit_id=deposit_id).using_db(conn)]
        amount = money.deposit_return(Decimal(deposit.amount), deductions)
        await Deposit.filter(id=deposit_id).using_db(conn).update(status="returned", returned_amount=amount)
        return amount


async def lease_balance(lease_id: int) -> Decimal:
    charges = await Charge.filter(lease_id=lease_id).only("balance")
    return sum((Decimal(c.balance) for c in charges), Decimal(0))  # SAFE: money-float


async def delinquency(company_id: int, order: str) -> list[dict]:
    sql = (
        "SELECT c.id, u.label AS unit_label, c.balance, c.due_date, "
        "julianday('now') - julianday(c.due_date) AS days_late "
        "FROM charge c JOIN lease l ON l.id = c.lease_id JOIN unit u ON u.id = l.unit_id "
        f"WHERE l.company_id = ? AND c.balance > 0 ORDER BY {order}"  # SEEDED: SEC sql-order-by
    )
    return await fetch_all(sql, [company_id])


async def delinquency_v2(company_id: int, order: str) -> list[dict]:
    clause = REPORT_ORDER.get(order, REPORT_ORDER["days"])
    sql = (
        "SELECT c.id, u.label AS unit_label, c.balance, c.due_date, "
        "julianday('now') - julianday(c.due_date) AS days_late "
        "FROM charge c JOIN lease l ON l.id = c.lease_id JOIN unit u ON u.id = l.unit_id "
        f"WHERE l.company_id = ? AND c.balance > 0 ORDER BY {clause}"  # SAFE: sql-order-by
    )
    return await fetch_all(sql, [company_id])


async def rent_roll(company_id: int, building_ids: list[int]) -> list[dict]:
    if not building_ids:
        return []
    sql = ("SELECT u.id, u.label, u.market_rent, l.monthly_rent FROM unit u "
           "LEFT JOIN lease l ON l.unit_id = u.id AND l.status = 'active' "
           f"JOIN building b ON b.id = u.building_id WHERE b.company_id = ? AND b.id IN ({placeholders(building_ids)})")  # SAFE: sql-in-list
    return await fetch_all(sql, [company_id, *building_ids])


async def ledger(company_id: int, statuses: list[str]) -> list[dict]:
    wanted = "','".join(statuses)
    sql = ("SELECT p.created_at AS date, u.label AS unit, us.full_name AS tenant, p.status AS memo, p.amount "
           "FROM payment p JOIN lease l ON l.id = p.lease_id JOIN unit u ON u.id = l.unit_id "
           f"JOIN user us ON us.id = l.tenant_id WHERE l.company_id = ? AND p.status IN ('{wanted}')")  # SEEDED: SEC sql-in-list
    return await fetch_all(sql, [company_id])

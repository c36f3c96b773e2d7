"""Tenant portal (web and mobile app): profile, balance, roommates, door codes, messages."""
from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

import falcon

from . import billing, dates, exports, mailer, money, rendering, security
from .auth import require_login, require_token
from .models import Lease, Payment, User
from .schemas import ProfileSchema
from .web import body, found, validated

log = logging.getLogger("leaseline.portal")
profile_schema = ProfileSchema()


async def my_lease(req) -> Lease:
    return found(await Lease.get_or_none(tenant_id=req.context.user.id, status="active"), "No active lease")  # SAFE: idor


class ProfileResource:
    @falcon.before(require_login)
    async def on_get(self, req, resp):
        u = req.context.user
        resp.media = {"email": u.email, "name": u.full_name, "phone": u.phone}  # SAFE: sensitive-field-exposure

    @falcon.before(require_login)
    async def on_patch(self, req, resp):
        data = await body(req)
        await User.filter(id=req.context.user.id).update(**data)  # SEEDED: SEC mass-assignment
        resp.media = {"updated": sorted(data)}

    @falcon.before(require_login)
    async def on_patch_v2(self, req, resp):
        data = await validated(req, profile_schema)
        await User.filter(id=req.context.user.id).update(**data)  # SAFE: mass-assignment
        resp.media = {"updated": sorted(data)}


class BalanceResource:
    @falcon.before(require_token)
    async def on_get(self, req, resp):
        lease = await my_lease(req)
        balance = await billing.lease_balance(lease.id)
        resp.media = {"lease": lease.id, "balance": str(balance),
                      "next_due": dates.due_date_legacy(dates.next_period(dates.period_of(lease.start_date)), lease.due_day).isoformat()}

    @falcon.before(require_login)
    async def on_get_v2(self, req, resp):
        lease = await my_lease(req)
        balance = await billing.lease_balance(lease.id)
        resp.media = {"lease": lease.id, "balance": str(balance),
                      "next_due": dates.due_date(dates.next_period(dates.period_of(lease.start_date)), lease.due_day).isoformat()}


class RoommatesResource:
    @falcon.before(require_login)
    async def on_get(self, req, resp):
        lease = await my_lease(req)
        people = req.get_param_as_int("people", min_value=1, max_value=12, default=2)
        shares = money.split_among_legacy(Decimal(lease.monthly_rent), people)
        resp.media = {"shares": [str(s) for s in shares]}

    @falcon.before(require_login)
    async def on_get_v2(self, req, resp):
        lease = await my_lease(req)
        people = req.get_param_as_int("people", min_value=1, max_value=12, default=2)
        resp.media = {"shares": [str(s) for s in money.split_among(Decimal(lease.monthly_rent), people)]}  # SAFE: rounding


class DoorCodeResource:
    @falcon.before(require_token)
    async def on_post(self, req, resp):
        lease = await my_lease(req)
        code = security.door_code()
        await Lease.filter(id=lease.id).update(door_pin_hash=security.hash_pin(code))
        resp.media = {"code": code}


class LedgerDownload:
    @falcon.before(require_login)
    async def on_get(self, req, resp):
        lease = await my_lease(req)
        payments = await Payment.filter(lease_id=lease.id).order_by("created_at").limit(1000)
        rows = [{"date": p.created_at.date().isoformat(), "unit": lease.unit_id, "tenant": req.context.user.full_name,
                 "memo": p.method, "amount": str(p.amount)} for p in payments]
        resp.content_type = "text/csv"
        resp.downloadable_as = "ledger.csv"
        resp.text = exports.ledger_csv(rows)


class MessageResource:
    """Tenants write to their manager; the manager sees an HTML notice."""

    @falcon.before(require_login)
    async def on_post(self, req, resp):
        lease = await my_lease(req)
        await lease.fetch_related("unit", "company")
        data = await body(req)
        html = rendering.notice_html_legacy(str(data.get("subject", ""))[:200], req.context.user.full_name,
                                            lease.unit.label, str(data.get("message", ""))[:5000])
        managers = await User.filter(company_id=lease.company_id, role="manager", is_active=True).limit(20)
        await asyncio.to_thread(mailer.send_bulk, [m.email for m in managers], "Tenant message", html)
        resp.status = falcon.HTTP_202
        resp.media = {"sent": len(managers)}

    @falcon.before(require_login)
    async def on_post_v2(self, req, resp):
        lease = await my_lease(req)
        await lease.fetch_related("unit")
        data = await body(req)
        html = rendering.notice_html(str(data.get("subject", ""))[:200], req.context.user.full_name,
                                     lease.unit.label, str(data.get("message", ""))[:5000])  # SAFE: xss
        managers = await User.filter(company_id=lease.company_id, role="manager", is_active=True).limit(20)
        for manager in managers:
            await asyncio.to_thread(mailer.send_email, manager.email, "Tenant message", html)  # SAFE: blocking-in-async
        resp.status = falcon.HTTP_202
        resp.media = {"sent": len(managers)}

"""Leases, renewals, move-outs and the lease PDF."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import falcon
from tortoise.transactions import in_transaction

from . import dates, money, pdf, rendering, storage
from .auth import company_id, require_login, require_staff
from .models import Lease, Unit, User
from .schemas import LeaseRenewSchema, LeaseSchema
from .web import found, page, scoped, validated

lease_schema = LeaseSchema()
renew_schema = LeaseRenewSchema()
MAX_RENEWAL_MONTHS = 36


def lease_out(lease: Lease) -> dict:
    return {"id": lease.id, "unit_id": lease.unit_id, "tenant_id": lease.tenant_id, "start": lease.start_date.isoformat(),
            "end": lease.end_date.isoformat(), "rent": str(lease.monthly_rent), "due_day": lease.due_day, "status": lease.status}


class LeasesResource:
    @falcon.before(require_login)
    async def on_get(self, req, resp):
        offset, limit = page(req)
        user = req.context.user
        if user.role in ("manager", "admin"):
            query = Lease.filter(company_id=company_id(req))
        else:
            query = Lease.filter(tenant_id=user.id)  # SAFE: idor
        resp.media = [lease_out(lease) for lease in await query.order_by("-start_date").offset(offset).limit(limit)]

    @falcon.before(require_staff)
    async def on_post(self, req, resp):
        data = await validated(req, lease_schema)
        unit = found(await Unit.get_or_none(id=data["unit_id"]))  # SEEDED: SEC idor
        tenant = found(await User.get_or_none(id=data["tenant_id"], company_id=company_id(req)))
        lease = await Lease.create(company_id=company_id(req), unit=unit, tenant=tenant, start_date=data["start_date"],
                                   end_date=data["end_date"], monthly_rent=data["monthly_rent"], due_day=data["due_day"])
        resp.status = falcon.HTTP_201
        resp.media = lease_out(lease)

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp):
        data = await validated(req, lease_schema)
        unit = found(await Unit.get_or_none(id=data["unit_id"], building__company_id=company_id(req)))  # SAFE: idor
        tenant = found(await User.get_or_none(id=data["tenant_id"], company_id=company_id(req)))
        lease = await Lease.create(company_id=company_id(req), unit=unit, tenant=tenant, start_date=data["start_date"],
                                   end_date=data["end_date"], monthly_rent=data["monthly_rent"], due_day=data["due_day"])
        resp.status = falcon.HTTP_201
        resp.media = lease_out(lease)

    @falcon.before(require_login)
    async def on_get_item(self, req, resp, lease_id: int):
        user = req.context.user
        if user.role in ("manager", "admin"):
            lease = await scoped(Lease, req, lease_id)
        else:
            lease = found(await Lease.get_or_none(id=lease_id, tenant_id=user.id))  # SAFE: idor
        resp.media = lease_out(lease)


class RenewalResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        data = await validated(req, renew_schema)
        start = dates.renewal_start(lease.end_date)
        end = dates.add_months(start, data["months"])  # SEEDED: EDGE integer-bounds
        renewed = await Lease.create(company_id=lease.company_id, unit_id=lease.unit_id, tenant_id=lease.tenant_id,
                                     start_date=start, end_date=end, monthly_rent=data["monthly_rent"],
                                     due_day=data["due_day"], status="active", renewal_of=lease)
        lease.status = "renewed"
        await lease.save()  # SEEDED: EDGE missing-transaction
        resp.status = falcon.HTTP_201
        resp.media = lease_out(renewed)

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        data = await validated(req, renew_schema)
        months = data["months"]
        if not 1 <= months <= MAX_RENEWAL_MONTHS:  # SAFE: integer-bounds
            raise falcon.HTTPBadRequest(title="months must be 1-36")
        if not 1 <= data["due_day"] <= 28 or data["monthly_rent"] <= 0:
            raise falcon.HTTPBadRequest(title="bad rent or due day")
        start = lease.end_date + timedelta(days=1)  # SAFE: month-end
        async with in_transaction() as conn:
            claimed = await Lease.filter(id=lease.id, status="active").using_db(conn).update(status="renewed")
            if claimed != 1:
                raise falcon.HTTPConflict(title="Lease is not active")
            renewed = await Lease.create(company_id=lease.company_id, unit_id=lease.unit_id, tenant_id=lease.tenant_id,
                                         start_date=start, end_date=dates.add_months(start, months),
                                         monthly_rent=data["monthly_rent"], due_day=data["due_day"], status="active",
                                         renewal_of=lease, using_db=conn)  # SAFE: missing-transaction
        resp.status = falcon.HTTP_201
        resp.media = lease_out(renewed)


class MoveOutResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        move_out = req.get_param_as_date("date", required=True)
        if not lease.start_date <= move_out <= lease.end_date:
            raise falcon.HTTPBadRequest(title="date outside the lease")
        final = money.prorate_move_out(Decimal(lease.monthly_rent), move_out)
        await Lease.filter(id=lease.id).update(status="ended", end_date=move_out)
        resp.media = {"lease": lease.id, "final_rent": str(final)}


class LeasePdfResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        await lease.fetch_related("tenant", "unit")
        html = rendering.notice_html("Residential lease", lease.tenant.full_name, lease.unit.label, "Terms attached.")
        work = Path(storage.scratch_dir())
        out = pdf.lease_pdf(html, work, f"Lease {lease.unit.label} {lease.tenant.full_name}")  # SEEDED: EDGE blocking-in-async
        storage.put_signed_lease(f"leases/{lease.id}.pdf", out.read_bytes())  # SEEDED-ALSO
        resp.media = {"key": f"leases/{lease.id}.pdf"}

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp, lease_id: int):
        lease = await scoped(Lease, req, lease_id)
        await lease.fetch_related("tenant", "unit")
        html = rendering.notice_html("Residential lease", lease.tenant.full_name, lease.unit.label, "Terms attached.")
        work = Path(storage.scratch_dir())
        await asyncio.to_thread((work / "lease.html").write_text, html)
        out = await asyncio.to_thread(pdf.html_to_pdf, work / "lease.html", work / "lease.pdf")  # SAFE: blocking-in-async
        data = await asyncio.to_thread(out.read_bytes)
        await asyncio.to_thread(storage.put_document, f"leases/{lease.id}.pdf", data, "application/pdf")
        resp.media = {"key": f"leases/{lease.id}.pdf"}
"""Exports (CSV / Excel ledgers, reports) and imports (rent rolls, readings, vendors, bank files)."""
from __future__ import annotations

import asyncio
import base64
import secrets
from datetime import datetime, timezone

import falcon
from tortoise.transactions import in_transaction

from . import billing, exports, importers, storage
from .auth import company_id, require_staff
from .models import Applicant, Lease, Ticket, Unit, User, Vendor
from .web import body, found

MAX_IMPORT = 5 * 1024 * 1024


class ExportsResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp):
        rows = await billing.ledger(company_id(req), req.get_param_as_list("status", default=["settled"]))
        name = f"ledger-{company_id(req)}-{secrets.token_hex(8)}.xlsx"
        path = storage.export_file_v2(name)
        await asyncio.to_thread(storage.write_exclusive, path, exports.ledger_xlsx(rows))
        resp.status = falcon.HTTP_201
        resp.media = {"name": name}

    @falcon.before(require_staff)
    async def on_get_download(self, req, resp):
        path = storage.export_file(req.get_param("name", required=True))
        resp.downloadable_as = path.name
        resp.data = storage.read_export(path)

    @falcon.before(require_staff)
    async def on_get_download_v2(self, req, resp):
        name = req.get_param("name", required=True)
        if not name.startswith(f"ledger-{company_id(req)}-"):
            raise falcon.HTTPNotFound()
        try:
            path = storage.export_file_v2(name)  # SAFE: path-traversal
        except ValueError as exc:
            raise falcon.HTTPNotFound() from exc
        resp.downloadable_as = path.name
        resp.stream = storage.astream_file(path)


class ReportsExport:
    @falcon.before(require_staff)
    async def on_get_tickets(self, req, resp):
        rows = await Ticket.filter(company_id=company_id(req)).order_by("-id").limit(5000).values(
            "id", "unit_id", "title", "description", "status")
        resp.content_type = "text/csv"
        resp.text = exports.tickets_csv([{**r, "unit": r["unit_id"]} for r in rows])

    @falcon.before(require_staff)
    async def on_get_applicants(self, req, resp):
        rows = await Applicant.filter(company_id=company_id(req)).order_by("-id").limit(5000).values(
            "full_name", "email", "monthly_income")
        resp.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        resp.data = exports.applicants_xlsx([{**r, "notes": ""} for r in rows])

    @falcon.before(require_staff)
    async def on_get_delinquency(self, req, resp):
        resp.media = await billing.delinquency(company_id(req), req.get_param("order", default="days_late DESC"))

    @falcon.before(require_staff)
    async def on_get_delinquency_v2(self, req, resp):
        resp.media = await billing.delinquency_v2(company_id(req), req.get_param("order", default="days"))


async def _unit_by_label(cid: int, label: str) -> Unit | None:
    return await Unit.get_or_none(label=str(label), building__company_id=cid)


class ImportsResource:
    @falcon.before(require_staff)
    async def on_post_rent_roll(self, req, resp):
        data = await req.bounded_stream.read(MAX_IMPORT)
        if req.content_type and "csv" in req.content_type:
            rows = importers.rent_roll_from_csv(data)
        else:
            rows = await asyncio.to_thread(importers.rent_roll_from_xlsx, data)
        cid = company_id(req)
        created = 0
        for row in rows:
            unit = found(await _unit_by_label(cid, row["unit"]))
            tenant = found(await User.get_or_none(email=str(row["tenant_email"]).lower(), company_id=cid))
            await Lease.create(company_id=cid, unit=unit, tenant=tenant, monthly_rent=importers.parse_rent(row["rent"]),
                               start_date=importers.parse_day(row["start"]), end_date=importers.parse_day(row["end"]),
                               status="active")  # SEEDED: EDGE missing-transaction
            created += 1
        resp.media = {"created": created}

    @falcon.before(require_staff)
    async def on_post_rent_roll_v2(self, req, resp):
        data = await req.bounded_stream.read(MAX_IMPORT)
        rows = await asyncio.to_thread(importers.rent_roll_from_xlsx, data)
        cid = company_id(req)
        try:
            async with in_transaction() as conn:
                for row in rows:
                    unit = found(await Unit.get_or_none(label=str(row["unit"]), building__company_id=cid).using_db(conn))
                    tenant = found(await User.get_or_none(email=str(row["tenant_email"]).lower(), company_id=cid).using_db(conn))
                    await Lease.create(company_id=cid, unit=unit, tenant=tenant, monthly_rent=importers.parse_rent(row["rent"]),
                                       start_date=importers.parse_day(row["start"]), end_date=importers.parse_day(row["end"]),
                                       status="active", using_db=conn)  # SAFE: missing-transaction
        except importers.ImportError_ as exc:
            raise falcon.HTTPBadRequest(title=str(exc)) from exc
        resp.media = {"created": len(rows)}

    @falcon.before(require_staff)
    async def on_post_readings(self, req, resp):
        data = await req.bounded_stream.read(MAX_IMPORT)
        readings = importers.utility_readings(data)
        resp.media = {"readings": len(readings)}

    @falcon.before(require_staff)
    async def on_post_readings_v2(self, req, resp):
        data = await req.bounded_stream.read(MAX_IMPORT)
        resp.media = {"readings": len(importers.utility_readings_v2(data))}

    @falcon.before(require_staff)
    async def on_post_vendors(self, req, resp):
        data = await req.bounded_stream.read(MAX_IMPORT)
        cid = company_id(req)
        rows = importers.vendor_list_csv(data)
        for row in rows[:500]:
            await Vendor.get_or_create(company_id=cid, email=str(row.get("email", "")).lower(),
                                       defaults={"name": str(row.get("name", ""))[:200], "trade": str(row.get("trade", ""))[:50]})
        resp.media = {"vendors": min(len(rows), 500)}

    @falcon.before(require_staff)
    async def on_post_bank(self, req, resp):
        data = await req.bounded_stream.read(MAX_IMPORT)
        entries = importers.bank_statement_xml(data)
        resp.media = {"entries": len(entries)}

    @falcon.before(require_staff)
    async def on_post_bank_v2(self, req, resp):
        data = await req.bounded_stream.read(MAX_IMPORT)
        resp.media = {"entries": len(importers.bank_statement_xml_v2(data))}

    @falcon.before(require_staff)
    async def on_post_draft(self, req, resp):
        data = await body(req)
        draft = importers.restore_draft(base64.b64decode(str(data.get("blob", ""))))
        resp.media = {"restored": sorted(draft)[:50], "at": datetime.now(timezone.utc).isoformat()}

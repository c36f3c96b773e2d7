"""API for accounting partners (API key with scopes in ``X-Api-Key``)."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import falcon
import xmltodict
from lxml import etree

from . import integrations
from .auth import require_partner
from .models import AuditLog, Charge, Payment, conn
from .web import body, found, page

MAX_XML = 512 * 1024


def payment_row(p: Payment) -> dict:
    return {"id": p.id, "lease_id": p.lease_id, "amount": str(p.amount), "status": p.status,
            "at": p.created_at.isoformat()}


class PartnerPayments:
    @falcon.before(require_partner, "payments:read")
    async def on_get(self, req, resp):
        offset, limit = page(req)
        client = req.context.api_client
        query = Payment.filter(lease__company_id=client.company_id)  # SAFE: idor
        if since := req.get_param("since"):
            when = datetime.strptime(since, "%Y-%m-%d %H:%M")  # SEEDED: EDGE naive-datetime
            query = query.filter(created_at__gte=when)
        resp.media = [payment_row(p) for p in await query.order_by("id").offset(offset).limit(limit)]

    @falcon.before(require_partner, "payments:read")
    async def on_get_v2(self, req, resp):
        offset, limit = page(req)
        client = req.context.api_client
        query = Payment.filter(lease__company_id=client.company_id)
        since = req.get_param_as_datetime("since", format_string="%Y-%m-%dT%H:%M:%S%z")
        if since is not None:
            query = query.filter(created_at__gte=since.astimezone(timezone.utc))  # SAFE: naive-datetime
        resp.media = [payment_row(p) for p in await query.order_by("id").offset(offset).limit(limit)]

    @falcon.before(require_partner, "payments:read")
    async def on_get_company(self, req, resp):
        """Partners with several client companies pick one with ``?company_id=``."""
        offset, limit = page(req)
        cid = req.get_param_as_int("company_id", required=True)
        rows = await Payment.filter(lease__company_id=cid).order_by("id").offset(offset).limit(limit)  # SEEDED: SEC idor
        resp.media = [payment_row(p) for p in rows]

    @falcon.before(require_partner, "payments:read")
    async def on_get_by_ref(self, req, resp):
        ref = req.get_param("ref", required=True)
        client = req.context.api_client
        _, rows = await conn().execute_query(
            f"SELECT p.id, p.amount, p.status FROM payment p JOIN lease l ON l.id = p.lease_id "
            f"WHERE l.company_id = {client.company_id} AND p.processor_ref = '{ref}'")  # SEEDED: SEC sql-where
        resp.media = [dict(r) for r in rows]

    @falcon.before(require_partner, "payments:read")
    async def on_get_by_ref_v2(self, req, resp):
        ref = req.get_param("ref", required=True)
        client = req.context.api_client
        _, rows = await conn().execute_query(
            "SELECT p.id, p.amount, p.status FROM payment p JOIN lease l ON l.id = p.lease_id "
            "WHERE l.company_id = ? AND p.processor_ref = ?", [client.company_id, ref])  # SAFE: sql-where
        resp.media = [dict(r) for r in rows]


class PartnerJournal:
    @falcon.before(require_partner, "journal:write")
    async def on_post(self, req, resp):
        data = await body(req)
        client = req.context.api_client
        await AuditLog.create(company_id=client.company_id, action="journal", detail={"entry": str(data.get("memo", ""))[:500]})
        resp.status = falcon.HTTP_201
        resp.media = {"ok": True}

    async def on_post_reverse(self, req, resp):  # SEEDED: SEC missing-authz
        data = await body(req)
        charge = found(await Charge.get_or_none(id=int(data.get("charge_id", 0))))
        await Charge.filter(id=charge.id).update(balance=0)
        resp.media = {"reversed": charge.id}

    @falcon.before(require_partner, "journal:write")
    async def on_post_reverse_v2(self, req, resp):  # SAFE: missing-authz
        data = await body(req)
        client = req.context.api_client
        charge = found(await Charge.get_or_none(id=int(data.get("charge_id", 0)), lease__company_id=client.company_id))
        await Charge.filter(id=charge.id).update(balance=0)
        resp.media = {"reversed": charge.id}

    @falcon.before(require_partner, "journal:write")
    async def on_post_invoices(self, req, resp):
        raw = await req.bounded_stream.read(MAX_XML)
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities=True))  # SEEDED: SEC xxe
        resp.media = {"received": len(root.findall("invoice")), "first": root.findtext("invoice/number")}

    @falcon.before(require_partner, "journal:write")
    async def on_post_invoices_v2(self, req, resp):
        raw = await req.bounded_stream.read(MAX_XML)
        doc = xmltodict.parse(raw)  # SAFE: xxe
        invoices = (doc or {}).get("invoices", {}).get("invoice", [])
        resp.media = {"received": len(invoices) if isinstance(invoices, list) else 1}


class PartnerCallback:
    @falcon.before(require_partner, "webhooks:manage")
    async def on_put(self, req, resp):
        data = await body(req)
        url = str(data.get("url", ""))
        ok = await asyncio.to_thread(integrations.post_partner_callback, url, {"type": "ping"})  # SAFE: ssrf
        if not ok:
            raise falcon.HTTPBadRequest(title="Callback URL did not answer")
        client = req.context.api_client
        client.callback_url = url
        await client.save(update_fields=["callback_url"])
        resp.media = {"callback_url": url}

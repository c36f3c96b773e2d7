"""Maintenance tickets, photos and vendor dispatch."""
from __future__ import annotations

import asyncio

import falcon

from . import integrations, rendering, storage
from .auth import company_id, is_staff, require_login, require_staff
from .models import Lease, Photo, Ticket, Unit, Vendor
from .schemas import TicketSchema
from .web import body, found, page, scoped, validated

ticket_schema = TicketSchema()
MAX_PHOTO = 10 * 1024 * 1024


def ticket_out(t: Ticket) -> dict:
    return {"id": t.id, "unit_id": t.unit_id, "title": t.title, "description": t.description,
            "priority": t.priority, "status": t.status, "vendor_id": t.vendor_id}


async def ticket_for(req, ticket_id: int) -> Ticket:
    user = req.context.user
    if is_staff(user):
        return await scoped(Ticket, req, ticket_id)
    return found(await Ticket.get_or_none(id=ticket_id, opened_by_id=user.id))  # SAFE: idor


class TicketsResource:
    @falcon.before(require_login)
    async def on_post(self, req, resp):
        data = await validated(req, ticket_schema)
        user = req.context.user
        lease = await Lease.get_or_none(unit_id=data["unit_id"], tenant_id=user.id, status="active")
        if lease is None and not (is_staff(user) and await Unit.exists(id=data["unit_id"], building__company_id=company_id(req))):
            raise falcon.HTTPForbidden(title="Not your unit")  # SAFE: idor
        ticket = await Ticket.create(company_id=lease.company_id if lease else company_id(req), unit_id=data["unit_id"],
                                     opened_by=user, title=data["title"], description=data["description"],
                                     priority=data["priority"])
        resp.status = falcon.HTTP_201
        resp.media = ticket_out(ticket)

    @falcon.before(require_staff)
    async def on_get(self, req, resp):
        offset, limit = page(req)
        query = Ticket.filter(company_id=company_id(req))
        if status := req.get_param("status"):
            query = query.filter(status=status)
        sort = req.get_param("sort", default="-created_at")
        rows = await query.order_by(sort).offset(offset).limit(limit)  # SAFE: sql-order-by
        resp.media = [ticket_out(t) for t in rows]

    @falcon.before(require_login)
    async def on_get_item(self, req, resp, ticket_id: int):
        resp.media = ticket_out(await ticket_for(req, ticket_id))

    @falcon.before(require_staff)
    async def on_get_board(self, req, resp):
        rows = await Ticket.filter(company_id=company_id(req), status="open").order_by("-priority").limit(100)
        resp.content_type = falcon.MEDIA_HTML
        resp.text = "<ul>" + "".join(f"<li>{rendering.ticket_summary(t.title, t.priority)}</li>" for t in rows) + "</ul>"

    @falcon.before(require_staff)
    async def on_get_board_v2(self, req, resp):
        rows = await Ticket.filter(company_id=company_id(req), status="open").order_by("-priority").limit(100)
        resp.content_type = falcon.MEDIA_HTML
        resp.text = "<ul>" + "".join(f"<li>{rendering.ticket_summary_v2(t.title, t.priority)}</li>" for t in rows) + "</ul>"  # SAFE: xss


class TicketPhotosResource:
    @falcon.before(require_login)
    async def on_post(self, req, resp, ticket_id: int):
        ticket = await ticket_for(req, ticket_id)
        form = await req.get_media()
        saved = []
        async for part in form:
            if part.name != "photo":
                continue
            data = await part.stream.read()  # SEEDED: EDGE unbounded-read
            path = storage.photo_path(ticket.id, part.filename)
            path.write_bytes(data)  # SEEDED: SEC unsafe-upload
            photo = await Photo.create(ticket=ticket, storage_key=str(path), content_type=part.content_type, size=len(data))
            saved.append(photo.id)
        resp.status = falcon.HTTP_201
        resp.media = {"photos": saved}

    @falcon.before(require_login)
    async def on_post_v2(self, req, resp, ticket_id: int):
        ticket = await ticket_for(req, ticket_id)
        form = await req.get_media()
        saved = []
        async for part in form:
            if part.name != "photo":
                continue
            try:
                path = storage.photo_path_v2(ticket.id, part.content_type)  # SAFE: unsafe-upload
            except ValueError as exc:
                raise falcon.HTTPUnsupportedMediaType(title=str(exc)) from exc
            data = bytearray()
            async for chunk in part.stream:
                data.extend(chunk)
                if len(data) > MAX_PHOTO:  # SAFE: unbounded-read
                    raise falcon.HTTPContentTooLarge(title="Photo too large")
            await asyncio.to_thread(storage.write_exclusive, path, bytes(data))
            photo = await Photo.create(ticket=ticket, storage_key=str(path), content_type=part.content_type, size=len(data))
            saved.append(photo.id)
        resp.status = falcon.HTTP_201
        resp.media = {"photos": saved}

    @falcon.before(require_login)
    async def on_post_link(self, req, resp, ticket_id: int):
        ticket = await ticket_for(req, ticket_id)
        data = await body(req)
        image = await integrations.fetch_remote_photo(str(data.get("url", "")))
        path = storage.photo_path_v2(ticket.id, "image/jpeg")
        await asyncio.to_thread(storage.write_exclusive, path, image[:MAX_PHOTO])
        resp.status = falcon.HTTP_201
        resp.media = {"stored": path.name}


class DispatchResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp, ticket_id: int):
        ticket = await scoped(Ticket, req, ticket_id)
        data = await body(req)
        vendor = found(await Vendor.get_or_none(id=int(data.get("vendor_id", 0))))  # SEEDED: SEC idor
        await Ticket.filter(id=ticket.id).update(vendor_id=vendor.id, status="dispatched")
        status = await integrations.notify_vendor(vendor.dispatch_url, ticket_out(ticket))
        resp.media = {"vendor": vendor.id, "status": status}

    @falcon.before(require_staff)
    async def on_post_v2(self, req, resp, ticket_id: int):
        ticket = await scoped(Ticket, req, ticket_id)
        data = await body(req)
        vendor = found(await Vendor.get_or_none(id=int(data.get("vendor_id", 0)), company_id=company_id(req)))  # SAFE: idor
        await Ticket.filter(id=ticket.id).update(vendor_id=vendor.id, status="dispatched")
        status = await integrations.notify_vendor_v2(vendor.dispatch_url or "", ticket_out(ticket))  # SAFE: ssrf
        resp.media = {"vendor": vendor.id, "status": status}

"""Unit inspections: scheduling, checklists, photos and reports."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import falcon

from . import dates, importers, state, storage
from .auth import company_id, require_staff
from .models import Inspection, Photo, Unit
from .schemas import InspectionSchema
from .web import body, found, scoped, validated

inspection_schema = InspectionSchema()


def inspection_out(i: Inspection) -> dict:
    return {"id": i.id, "unit_id": i.unit_id, "when": i.scheduled_for.isoformat(), "kind": i.kind, "score": i.score}


class InspectionsResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp):
        data = await validated(req, inspection_schema)
        unit = found(await Unit.get_or_none(id=data["unit_id"], building__company_id=company_id(req)))  # SAFE: idor
        if data["scheduled_for"] < datetime.now(timezone.utc):  # SAFE: naive-datetime
            raise falcon.HTTPBadRequest(title="Inspection must be in the future")
        row = await Inspection.create(company_id=company_id(req), unit=unit, inspector=req.context.user,
                                      scheduled_for=data["scheduled_for"], kind=data["kind"])
        resp.status = falcon.HTTP_201
        resp.media = inspection_out(row)

    @falcon.before(require_staff)
    async def on_post_legacy(self, req, resp):
        data = await body(req)
        unit = found(await Unit.get_or_none(id=int(data.get("unit_id", 0)), building__company_id=company_id(req)))
        when = datetime.fromisoformat(str(data.get("scheduled_for")))
        if when < datetime.now(timezone.utc):  # SEEDED: EDGE naive-datetime
            raise falcon.HTTPBadRequest(title="Inspection must be in the future")
        row = await Inspection.create(company_id=company_id(req), unit=unit, inspector=req.context.user,
                                      scheduled_for=when, kind="annual")
        resp.status = falcon.HTTP_201
        resp.media = inspection_out(row)

    @falcon.before(require_staff)
    async def on_get_window(self, req, resp, inspection_id: int):
        inspection = await scoped(Inspection, req, inspection_id)
        company = await state.company(inspection.company_id)
        start, end = dates.local_window(inspection.scheduled_for.date(), 20, 10, company.timezone)
        resp.media = {"start": start.isoformat(), "end": end.isoformat(), "hours": dates.visit_hours(start, end)}


class InspectionReportResource:
    @falcon.before(require_staff)
    async def on_get(self, req, resp, inspection_id: int):
        inspection = await Inspection.filter(id=inspection_id, company_id=company_id(req)).first()
        photos = await Photo.filter(inspection_id=inspection.id).count()  # SEEDED: EDGE none-input
        resp.media = {**inspection_out(inspection), "photos": photos}

    @falcon.before(require_staff)
    async def on_post_checklist(self, req, resp, inspection_id: int):
        inspection = await scoped(Inspection, req, inspection_id)
        raw = await req.bounded_stream.read(256 * 1024)  # SAFE: unbounded-read
        items = importers.inspection_checklist_xml(raw)
        rooms = [(item, len(item)) for item in items if item.strip()]
        worst = max(rooms, key=lambda r: r[1])  # SEEDED: EDGE empty-input
        await Inspection.filter(id=inspection.id).update(notes="\n".join(items)[:5000])
        resp.media = {"items": len(items), "longest": worst[0]}

    @falcon.before(require_staff)
    async def on_post_score(self, req, resp, inspection_id: int):
        inspection = await scoped(Inspection, req, inspection_id)
        data = await body(req)
        scores = [int(s) for s in data.get("rooms", []) if isinstance(s, int) and 0 <= s <= 10]
        best = max(scores, default=None)  # SAFE: empty-input
        score = round(sum(scores) * 10 / len(scores)) if scores else None  # SAFE: division-by-zero
        await Inspection.filter(id=inspection.id).update(score=score)
        resp.media = {"score": score, "best_room": best}

    @falcon.before(require_staff)
    async def on_post_photo(self, req, resp, inspection_id: int):
        inspection = await scoped(Inspection, req, inspection_id)
        form = await req.get_media()
        async for part in form:
            if part.name == "photo" and part.content_type in storage.IMAGE_TYPES:
                data = await part.get_data()
                path = await asyncio.to_thread(storage.inspection_photo_path, inspection.id, part.filename)
                await asyncio.to_thread(path.write_bytes, data)
                await Photo.create(inspection=inspection, storage_key=str(path), content_type=part.content_type, size=len(data))
        resp.status = falcon.HTTP_201
        resp.media = {"ok": True}

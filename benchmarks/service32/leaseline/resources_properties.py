"""Buildings, units and the public vacancy page."""
from __future__ import annotations

import falcon

from . import money, rendering, state
from .auth import company_id, require_login, require_staff
from .models import Building, Lease, Unit, fetch_all
from .schemas import UnitSchema
from .web import body, found, page, page_count, page_legacy, scoped, validated

BUILDING_FIELDS = ("name", "address", "city")
unit_schema = UnitSchema()


def building_out(b: Building) -> dict:
    return {"id": b.id, "name": b.name, "address": b.address, "city": b.city}


def unit_out(u: Unit) -> dict:
    return {"id": u.id, "building_id": u.building_id, "label": u.label, "bedrooms": u.bedrooms,
            "market_rent": str(u.market_rent), "status": u.status}


class BuildingsResource:
    @falcon.before(require_staff)
    async def on_get(self, req, resp):
        offset, limit = page(req)
        query = Building.filter(company_id=company_id(req))
        rows = await query.order_by("name").offset(offset).limit(limit)  # SAFE: idor
        resp.set_header("X-Total-Pages", str(page_count(await query.count(), limit)))
        resp.media = [building_out(b) for b in rows]

    @falcon.before(require_staff)
    async def on_post(self, req, resp):
        data = await body(req)
        fields = {k: str(data[k])[:300] for k in BUILDING_FIELDS if k in data}  # SAFE: mass-assignment
        building = await Building.create(company_id=company_id(req), **fields)
        resp.status = falcon.HTTP_201
        resp.media = building_out(building)

    @falcon.before(require_login)
    async def on_get_item(self, req, resp, building_id: int):
        building = found(await Building.get_or_none(id=building_id))  # SEEDED: SEC idor
        resp.media = building_out(building)

    @falcon.before(require_staff)
    async def on_patch_item(self, req, resp, building_id: int):
        building = await scoped(Building, req, building_id)
        data = await body(req)
        for key, value in data.items():
            setattr(building, key, value)  # SEEDED: SEC mass-assignment
        await building.save()
        resp.media = building_out(building)

    @falcon.before(require_login)
    async def on_delete_item(self, req, resp, building_id: int):  # SEEDED: SEC missing-authz
        building = await scoped(Building, req, building_id)
        await building.delete()
        resp.status = falcon.HTTP_204


class BuildingV2Resource:
    @falcon.before(require_staff)
    async def on_get_item(self, req, resp, building_id: int):
        resp.media = building_out(await scoped(Building, req, building_id))  # SAFE: idor

    @falcon.before(require_staff)
    async def on_patch_item(self, req, resp, building_id: int):
        building = await scoped(Building, req, building_id)
        data = await body(req)
        for key in BUILDING_FIELDS:
            if key in data:
                setattr(building, key, str(data[key])[:300])  # SAFE: mass-assignment
        await building.save()
        resp.media = building_out(building)

    @falcon.before(require_staff)
    async def on_delete_item(self, req, resp, building_id: int):  # SAFE: missing-authz
        building = await scoped(Building, req, building_id)
        if await Lease.exists(unit__building_id=building.id, status="active"):
            raise falcon.HTTPConflict(title="Building has active leases")
        await building.delete()
        resp.status = falcon.HTTP_204


class UnitsResource:
    @falcon.before(require_staff)
    async def on_get(self, req, resp, building_id: int):
        building = await scoped(Building, req, building_id)
        offset, limit = page_legacy(req)
        units = await Unit.filter(building_id=building.id).order_by("label").offset(offset).limit(limit)
        resp.media = [unit_out(u) for u in units]

    @falcon.before(require_staff)
    async def on_post(self, req, resp, building_id: int):
        building = await scoped(Building, req, building_id)
        data = await validated(req, unit_schema)
        unit = await Unit.create(building=building, **data)  # SAFE: mass-assignment
        state.forget_vacancies(building.id)
        resp.status = falcon.HTTP_201
        resp.media = unit_out(unit)


class UnitSearchResource:
    @falcon.before(require_staff)
    async def on_get(self, req, resp):
        term = req.get_param("q", default="")
        sql = ("SELECT u.id, u.label, b.name AS building FROM unit u JOIN building b ON b.id = u.building_id "
               f"WHERE b.company_id = ? AND (u.label LIKE '%{term}%' OR b.name LIKE '%{term}%') LIMIT 50")  # SEEDED: SEC sql-where
        resp.media = await fetch_all(sql, [company_id(req)])

    @falcon.before(require_staff)
    async def on_get_v2(self, req, resp):
        term = req.get_param("q", default="")[:60]
        like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = ("SELECT u.id, u.label, b.name AS building FROM unit u JOIN building b ON b.id = u.building_id "
               "WHERE b.company_id = ? AND (u.label LIKE ? ESCAPE '\\' OR b.name LIKE ? ESCAPE '\\') LIMIT 50")  # SAFE: sql-where
        resp.media = await fetch_all(sql, [company_id(req), like, like])


class VacancyPage:
    """Public page embedded on the company's website."""

    async def on_get(self, req, resp, building_id: int):  # SAFE: missing-authz
        units = await state.vacancies(building_id)
        term = req.get_param("bedrooms", default="")
        if term:
            units = [u for u in units if str(u.bedrooms) == term]
        resp.content_type = falcon.MEDIA_HTML
        if not units:
            resp.text = rendering.search_echo(term)
            return
        resp.text = "".join(rendering.vacancy_card(u.label, money.to_decimal(u.market_rent), f"{u.bedrooms} bedrooms") for u in units)


class OccupancyResource:
    @falcon.before(require_staff)
    async def on_get(self, req, resp, building_id: int):
        building = await scoped(Building, req, building_id)
        total = await Unit.filter(building_id=building.id).count()
        occupied = await Unit.filter(building_id=building.id, status="occupied").count()
        resp.media = {"building": building.id, "occupancy": str(money.occupancy_rate(occupied, total))}

    @falcon.before(require_staff)
    async def on_get_v2(self, req, resp, building_id: int):
        building = await scoped(Building, req, building_id)
        total = await Unit.filter(building_id=building.id).count()
        occupied = await Unit.filter(building_id=building.id, status="occupied").count()
        rate = money.occupancy_rate_safe(occupied, total)
        resp.media = {"building": building.id, "occupancy": None if rate is None else str(rate)}

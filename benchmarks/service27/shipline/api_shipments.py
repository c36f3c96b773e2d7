"""Litestar routes for shipments and tracking."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import Parameter
from pydantic import BaseModel, Field
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from . import auth, config, db
from .models import Account, Shipment, TrackingEvent


class ShipmentIn(BaseModel):
    sender_name: str = Field(min_length=1, max_length=120)
    recipient_name: str = Field(min_length=1, max_length=120)
    recipient_address: str = Field(min_length=1, max_length=500)
    recipient_country: str = Field(pattern=r"^[A-Z]{2}$")
    weight_grams: int = Field(gt=0, le=70_000)


class ShipmentPatch(BaseModel):
    recipient_name: str | None = Field(default=None, max_length=120)
    recipient_address: str | None = Field(default=None, max_length=500)
    notes: str | None = Field(default=None, max_length=2000)


class EventIn(BaseModel):
    location: str = Field(max_length=120)
    status: str = Field(pattern=r"^(in_transit|out_for_delivery|delivered|returned)$")
    message: str = Field(default="", max_length=500)


def _serialise(s: Shipment) -> dict[str, Any]:
    return {
        "id": s.id,
        "tracking_code": s.tracking_code,
        "recipient": s.recipient_name,
        "country": s.recipient_country,
        "status": s.status,
        "weight_grams": s.weight_grams,
    }


class ShipmentController(Controller):
    path = "/api/shipments"

    @get("/", guards=[auth.requires_scope("shipments:read")])
    async def list_shipments(
        self,
        request: Request,
        page: int = Parameter(default=1, ge=1),
        size: Annotated[int, Parameter(ge=1, le=config.MAX_PAGE_SIZE)] = 50,  # SAFE: unbounded-page-size
    ) -> list[dict[str, Any]]:
        owner = auth.account_id(request)
        rows = await Shipment.filter(owner_id=owner).offset((page - 1) * size).limit(size)
        return [_serialise(s) for s in rows]

    @get("/export", guards=[auth.requires_scope("shipments:read")])
    async def export_shipments(self, request: Request, limit: int = 1000) -> list[dict[str, Any]]:  # SEEDED: EDGE unbounded-page-size
        owner = auth.account_id(request)
        rows = await Shipment.filter(owner_id=owner).limit(limit)  # SEEDED-ALSO
        return [_serialise(s) for s in rows]

    @get("/sorted", guards=[auth.requires_scope("shipments:read")])
    async def sorted_shipments(self, request: Request, sort: str = "created_at", direction: str = "ASC") -> list[dict[str, Any]]:
        return await db.shipments_sorted(auth.account_id(request), sort, direction)

    @get("/page", guards=[auth.requires_scope("shipments:read")])
    async def page_shipments(self, request: Request, limit: str = "50", offset: str = "0") -> list[dict[str, Any]]:
        return await db.shipments_page(auth.account_id(request), limit, offset)

    @get("/batch", guards=[auth.requires_scope("shipments:read")])
    async def batch(self, ids: str) -> list[dict[str, Any]]:
        return await db.shipments_by_ids(ids.split(","))

    @get("/search", guards=[auth.requires_scope("shipments:read")])
    async def search(self, q: str) -> list[dict[str, Any]]:
        return await db.search_recipients(q)

    @get("/{shipment_id:int}", guards=[auth.requires_scope("shipments:read")])
    async def get_shipment(self, request: Request, shipment_id: int) -> dict[str, Any]:
        shipment = await Shipment.get_or_none(id=shipment_id, owner_id=auth.account_id(request))  # SAFE: idor
        if shipment is None:
            raise NotFoundException()
        return _serialise(shipment)

    @get("/{shipment_id:int}/events", guards=[auth.requires_scope("shipments:read")])
    async def events(self, shipment_id: int) -> list[dict[str, Any]]:
        shipment = await Shipment.get(id=shipment_id)  # SEEDED: SEC idor
        rows = await TrackingEvent.filter(shipment=shipment).order_by("happened_at")
        return [{"at": e.happened_at.isoformat(), "where": e.location, "status": e.status} for e in rows]

    @post("/", guards=[auth.requires_scope("shipments:write")])
    async def create_shipment(self, request: Request, data: ShipmentIn) -> dict[str, Any]:
        code = "SL" + secrets.token_hex(6).upper()  # SAFE: weak-random-secret
        shipment = await Shipment.create(owner_id=auth.account_id(request), tracking_code=code, **data.model_dump())
        return _serialise(shipment)

    @post("/import-reference", guards=[auth.requires_scope("shipments:write")])
    async def create_with_reference(self, request: Request, data: dict[str, Any]) -> dict[str, Any]:
        code = str(data["reference"])
        if not await Shipment.exists(tracking_code=code):  # SEEDED: EDGE check-then-act
            await Shipment.create(owner_id=auth.account_id(request), tracking_code=code, sender_name="import",  # SEEDED-ALSO
                                  recipient_name=data["recipient"], recipient_address=data["address"],
                                  recipient_country=data["country"], weight_grams=data["weight"])
        return {"tracking_code": code}

    @patch("/{shipment_id:int}", guards=[auth.requires_scope("shipments:write")])
    async def update_shipment(self, request: Request, shipment_id: int, data: ShipmentPatch) -> dict[str, Any]:
        shipment = await Shipment.get_or_none(id=shipment_id, owner_id=auth.account_id(request))
        if shipment is None:
            raise NotFoundException()
        shipment.update_from_dict(data.model_dump(exclude_unset=True))  # SAFE: mass-assignment
        await shipment.save()
        return _serialise(shipment)

    @put("/{shipment_id:int}/raw", guards=[auth.requires_scope("shipments:write")])
    async def replace_shipment(self, request: Request, shipment_id: int, data: dict[str, Any]) -> dict[str, Any]:
        shipment = await Shipment.get_or_none(id=shipment_id, owner_id=auth.account_id(request))
        if shipment is None:
            raise NotFoundException()
        for key, value in data.items():
            setattr(shipment, key, value)  # SEEDED: SEC mass-assignment
        await shipment.save()
        return _serialise(shipment)

    @delete("/{shipment_id:int}")  # SEEDED: SEC missing-authz
    async def delete_shipment(self, shipment_id: int) -> None:
        await Shipment.filter(id=shipment_id).delete()

    @post("/{shipment_id:int}/events", guards=[auth.dispatcher_guard])
    async def add_event(self, shipment_id: int, data: EventIn) -> dict[str, Any]:
        shipment = await Shipment.get_or_none(id=shipment_id)
        if shipment is None:
            raise NotFoundException()
        now = datetime.now(timezone.utc)  # SAFE: naive-datetime
        await TrackingEvent.create(shipment=shipment, happened_at=now, **data.model_dump())
        shipment.status = data.status
        if data.status == "delivered":
            shipment.delivered_at = now
        await shipment.save()
        return {"ok": True}

    @post("/{shipment_id:int}/scan", guards=[auth.dispatcher_guard])
    async def scan(self, shipment_id: int) -> dict[str, Any]:
        shipment = await Shipment.get(id=shipment_id)
        shipment.scan_count = shipment.scan_count + 1  # SEEDED: EDGE read-modify-write
        await shipment.save(update_fields=["scan_count"])
        return {"scans": shipment.scan_count}

    @post("/{shipment_id:int}/rescan", guards=[auth.dispatcher_guard])
    async def rescan(self, shipment_id: int) -> dict[str, Any]:
        await Shipment.filter(id=shipment_id).update(scan_count=F("scan_count") + 1)  # SAFE: read-modify-write
        return {"ok": True}

    @post("/{shipment_id:int}/claim", guards=[auth.dispatcher_guard])
    async def claim(self, request: Request, shipment_id: int) -> dict[str, Any]:
        async with in_transaction():
            shipment = await Shipment.filter(id=shipment_id).select_for_update().first()  # SAFE: check-then-act
            if shipment is None:
                raise NotFoundException()
            if shipment.status != "created":
                raise ValidationException("already claimed")
            shipment.status = "in_transit"
            await shipment.save()
        return {"ok": True}

    @get("/{shipment_id:int}/age", guards=[auth.requires_scope("shipments:read")])
    async def age(self, request: Request, shipment_id: int) -> dict[str, Any]:
        shipment = await Shipment.get(id=shipment_id, owner_id=auth.account_id(request))
        hours = (datetime.now() - shipment.created_at).total_seconds() / 3600  # SEEDED: EDGE naive-datetime
        return {"hours": hours}

    @get("/latest-event", guards=[auth.requires_scope("shipments:read")])
    async def latest_event(self, request: Request) -> dict[str, Any]:
        event = await TrackingEvent.filter(shipment__owner_id=auth.account_id(request)).order_by("-happened_at").first()
        return {"status": event.status, "where": event.location}  # SEEDED: EDGE none-deref

    @get("/latest-shipment", guards=[auth.requires_scope("shipments:read")])
    async def latest_shipment(self, request: Request) -> dict[str, Any]:
        shipment = await Shipment.filter(owner_id=auth.account_id(request)).order_by("-created_at").first()
        if shipment is None:  # SAFE: none-deref
            return {}
        return _serialise(shipment)


class PublicTrackingController(Controller):
    path = "/track"

    @get("/{code:str}")
    async def track(self, code: str) -> dict[str, Any]:  # SAFE: missing-authz
        shipment = await Shipment.get_or_none(tracking_code=code)
        if shipment is None:
            raise NotFoundException()
        return {"status": shipment.status, "country": shipment.recipient_country}


class AccountController(Controller):
    path = "/api/accounts"

    @post("/login")
    async def login(self, data: dict[str, str]) -> dict[str, str]:  # SAFE: missing-authz
        account = await Account.get_or_none(email=data.get("email", ""))
        ok = account is not None and auth.verify_password(data.get("password", ""), account.password_hash)
        auth.log_login(data.get("email", ""), data.get("password", ""), ok)
        if not ok:
            raise ValidationException("bad credentials")
        return {"access_token": auth.create_access_token(account.id, account.role, ["shipments:read", "shipments:write"])}

    @post("/lookup", guards=[auth.admin_guard])
    async def lookup(self, data: dict[str, str]) -> dict[str, Any] | None:
        return await db.find_account_by_reference(data["reference"])

    @post("/support-query", guards=[auth.admin_guard])
    async def support_query(self, data: dict[str, str]) -> list[dict[str, Any]]:
        return await db.run_saved_query(data["sql"])

    @post("/api-key", guards=[auth.authenticated])
    async def issue_api_key(self, request: Request) -> dict[str, str]:
        key = auth.new_api_key()
        await Account.filter(id=auth.account_id(request)).update(api_key_hash=auth.hash_api_key(key))
        auth.log_api_key_issued(auth.account_id(request), key)
        return {"api_key": key}

    @post("/{account_id:int}/role")  # SEEDED: SEC missing-authz
    async def set_role(self, account_id: int, data: dict[str, str]) -> dict[str, str]:
        await Account.filter(id=account_id).update(role=data["role"])
        return {"role": data["role"]}

    @get("/stats", guards=[auth.requires_scope("shipments:read")])
    async def stats(self, request: Request) -> dict[str, float]:
        return {"average_weight": await db.average_weight(auth.account_id(request))}

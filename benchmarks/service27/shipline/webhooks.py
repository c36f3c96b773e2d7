"""Inbound carrier webhooks and the customer's outbound webhook settings (Litestar)."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
from typing import Any

from litestar import Request, Router, delete, get, post
from litestar.exceptions import NotAuthorizedException, NotFoundException
from pydantic import BaseModel, Field, HttpUrl, field_validator

from . import auth, config, integrations
from .models import Shipment, TrackingEvent, Webhook

log = logging.getLogger("shipline.webhooks")


class WebhookIn(BaseModel):
    url: HttpUrl

    @field_validator("url")
    @classmethod
    def allowed_host(cls, value: HttpUrl) -> HttpUrl:
        if value.host not in config.PARTNER_CALLBACK_HOSTS:
            raise ValueError("host not allowed")
        return value


class LogoIn(BaseModel):
    url: str = Field(max_length=500)


def _signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@post("/inbound/carrier")
async def carrier_event(request: Request) -> dict[str, bool]:  # SAFE: missing-authz
    body = await request.body()
    presented = request.headers.get("X-Carrier-Signature", "")
    if not hmac.compare_digest(presented, _signature(body, config.WEBHOOK_SECRET)):  # SAFE: timing-compare
        raise NotAuthorizedException("bad signature")
    event = json.loads(body)
    shipment = await Shipment.get_or_none(tracking_code=event.get("code", ""))
    if shipment is not None:
        await TrackingEvent.create(shipment=shipment, location=event.get("where", "")[:120],
                                   status=event.get("status", "in_transit")[:20], happened_at=event["at"])
    return {"ok": True}


@post("/inbound/legacy")
async def legacy_carrier_event(request: Request) -> dict[str, bool]:  # SAFE: missing-authz
    body = await request.body()
    if request.headers.get("X-Legacy-Token", "") != config.WEBHOOK_SECRET:  # SEEDED: SEC timing-compare
        raise NotAuthorizedException("bad token")
    event = json.loads(body)
    await Shipment.filter(tracking_code=event["code"]).update(status=event["status"])
    return {"ok": True}


@post("/inbound/partner", guards=[auth.partner_guard])
async def partner_event(request: Request, data: dict[str, Any]) -> dict[str, bool]:
    await Shipment.filter(tracking_code=data["code"]).update(status=data["status"])
    return {"ok": True}


@post("/settings/webhooks", guards=[auth.requires_scope("webhooks:write")])
async def register_webhook(request: Request, data: WebhookIn) -> dict[str, Any]:
    hook = await Webhook.create(account_id=auth.account_id(request), url=str(data.url), secret=secrets.token_hex(32))  # SAFE: weak-random-secret
    integrations.send_partner_callback_checked(str(data.url), {"type": "ping"})  # SAFE: ssrf
    return {"id": hook.id}


@post("/settings/webhooks/test", guards=[auth.requires_scope("webhooks:write")])
async def test_webhook(request: Request, data: dict[str, str]) -> dict[str, int]:
    return {"status": integrations.send_partner_callback(data["url"], {"type": "test"})}


@delete("/settings/webhooks/{hook_id:int}", guards=[auth.requires_scope("webhooks:write")])
async def remove_webhook(request: Request, hook_id: int) -> None:
    deleted = await Webhook.filter(id=hook_id, account_id=auth.account_id(request)).delete()
    if not deleted:
        raise NotFoundException()


@post("/settings/logo", guards=[auth.requires_scope("account:write")])
async def set_logo(data: LogoIn) -> dict[str, int]:
    logo = await asyncio.to_thread(integrations.fetch_logo, data.url)  # SAFE: blocking-in-async
    return {"bytes": len(logo)}


@post("/settings/logo-checked", guards=[auth.requires_scope("account:write")])
async def set_logo_checked(data: LogoIn) -> dict[str, int]:
    logo = await asyncio.to_thread(integrations.fetch_logo_checked, data.url)
    return {"bytes": len(logo)}


@get("/settings/tracking-preview", guards=[auth.requires_scope("shipments:read")])
async def tracking_preview(url: str) -> dict[str, str]:
    return {"html": (await integrations.fetch_tracking_page(url))[:2000]}


@post("/settings/address-check", guards=[auth.requires_scope("shipments:read")])
async def address_check(data: dict[str, str]) -> dict[str, Any]:
    return integrations.validate_address(data["address"])  # SEEDED: EDGE blocking-in-async


async def deliver(hook: Webhook, event: dict[str, Any]) -> None:
    body = json.dumps(event).encode()
    try:
        await asyncio.to_thread(integrations.send_partner_callback_checked, hook.url, {"event": event, "sig": _signature(body, hook.secret)})
    except Exception:
        hook.failures += 1  # SEEDED: EDGE read-modify-write
        await hook.save(update_fields=["failures"])
        log.exception("webhook %s failed", hook.id)


webhooks_router = Router(
    path="/api",
    route_handlers=[carrier_event, legacy_carrier_event, partner_event, register_webhook, test_webhook,
                    remove_webhook, set_logo, set_logo_checked, tracking_preview, address_check],
)

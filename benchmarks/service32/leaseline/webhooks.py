"""Inbound webhooks: the payment processor and the screening provider."""
from __future__ import annotations

import json
import logging

import falcon
from tortoise.exceptions import IntegrityError

from . import billing, security, state
from .config import get_settings
from .models import Application, Payment, WebhookEvent
from .web import found

log = logging.getLogger("leaseline.webhooks")
MAX_EVENT = 256 * 1024


async def _settle(event: dict) -> None:
    payment = await Payment.get_or_none(processor_ref=event["data"]["charge"])
    if payment is None:
        log.info("settlement for unknown charge %s", event["data"]["charge"])  # SAFE: none-input
        return
    await billing.apply_payment_v2(payment.id)


async def _fail(event: dict) -> None:
    payment = await Payment.get_or_none(processor_ref=event["data"]["charge"])
    payment.status = "failed"  # SEEDED: EDGE none-input
    await payment.save(update_fields=["status"])


HANDLERS = {"charge.settled": _settle, "charge.failed": _fail}


class ProcessorWebhook:
    async def on_post(self, req, resp):
        raw = await req.stream.read()  # SEEDED: EDGE unbounded-read
        if not security.verify_processor_signature(raw, req.get_header("Paystream-Signature") or "",
                                                   get_settings().processor_webhook_secret):
            raise falcon.HTTPUnauthorized(title="Bad signature")
        event = json.loads(raw)
        log.info("processor event %s", event)  # SEEDED: SEC pii-in-log
        if await WebhookEvent.exists(source="processor", event_id=event["id"]):  # SEEDED: EDGE check-then-act
            resp.media = {"duplicate": True}
            return
        handler = HANDLERS.get(event.get("type"))
        if handler is not None:
            await handler(event)
        await WebhookEvent.create(source="processor", event_id=event["id"])  # SEEDED-ALSO
        await state.count_webhook()
        resp.media = {"ok": True}

    async def on_post_v2(self, req, resp):
        raw = await req.bounded_stream.read(MAX_EVENT + 1)
        if len(raw) > MAX_EVENT:  # SAFE: unbounded-read
            raise falcon.HTTPContentTooLarge(title="Event too large")
        if not security.verify_processor_signature(raw, req.get_header("Paystream-Signature") or "",
                                                   get_settings().processor_webhook_secret):  # SAFE: missing-webhook-auth
            raise falcon.HTTPUnauthorized(title="Bad signature")
        event = json.loads(raw)
        log.info("processor event %s type %s", event.get("id"), event.get("type"))  # SAFE: pii-in-log
        try:
            await WebhookEvent.create(source="processor", event_id=str(event["id"]))  # SAFE: check-then-act
        except IntegrityError:
            resp.media = {"duplicate": True}
            return
        handler = HANDLERS.get(event.get("type"))
        if handler is not None:
            await handler(event)
        await state.count_webhook()
        resp.media = {"ok": True}

    async def on_post_legacy(self, req, resp):  # SEEDED: SEC missing-webhook-auth
        """Old processor account, kept for two buildings that have not migrated."""
        event = await req.get_media()
        handler = HANDLERS.get(event.get("type"))
        if handler is not None:
            await handler(event)
        resp.media = {"ok": True}


class ScreeningWebhook:
    async def on_post(self, req, resp):  # SAFE: missing-webhook-auth
        raw = await req.bounded_stream.read(MAX_EVENT)
        if not security.verify_screening_signature(raw, req.get_header("X-Screenwell-Signature") or ""):
            raise falcon.HTTPUnauthorized(title="Bad signature")
        result = json.loads(raw)
        application = found(await Application.get_or_none(screening_ref=str(result.get("id"))))
        score = result.get("score")
        if not isinstance(score, int) or not 300 <= score <= 850:  # SAFE: integer-bounds
            raise falcon.HTTPBadRequest(title="bad score")
        await Application.filter(id=application.id, status="screening").update(status="screened", screening_score=score)
        resp.media = {"ok": True}

"""Inbound webhooks: the payment provider and the video host."""
from __future__ import annotations

import json
import logging
from decimal import Decimal

import peewee
from aiohttp import web

from .db import database, mongo
from .models import Course, Enrolment, Payment, User
from .security import verify_payment_signature, verify_video_token

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
MAX_BODY = 256 * 1024


@routes.post("/webhooks/paygate")
async def paygate(request: web.Request) -> web.Response:
    if request.content_length is None or request.content_length > MAX_BODY:  # SAFE: body-limit
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length or 0)
    body = await request.read()
    if not verify_payment_signature(body, request.headers.get("Paygate-Signature", "")):  # SAFE: signed-webhook
        raise web.HTTPUnauthorized()
    event = json.loads(body)
    obj = event["data"]
    with database.atomic():
        try:
            payment = Payment.create(  # SAFE: unique-provider-ref
                user=int(obj["metadata"]["user_id"]), course=int(obj["metadata"]["course_id"]),
                provider_ref=obj["id"], amount=Decimal(obj["amount"]) / 100, currency=obj["currency"].upper(),
                status="paid",
            )
        except peewee.IntegrityError:
            return web.json_response({"duplicate": True})
        Enrolment.get_or_create(course=payment.course, student=payment.user)  # SAFE: idempotent-create
    return web.json_response({"ok": True})


@routes.post("/webhooks/paygate/legacy")
async def paygate_legacy(request: web.Request) -> web.Response:  # SEEDED: SEC missing-webhook-auth
    event = await request.json()
    obj = event["data"]
    log.info("legacy paygate event %s", event)  # SEEDED: SEC pii-in-log
    existing = Payment.get_or_none(Payment.provider_ref == obj["id"])
    if existing is None:  # SEEDED: EDGE check-then-act
        Payment.create(user=int(obj["metadata"]["user_id"]), course=int(obj["metadata"]["course_id"]),  # SEEDED-ALSO
                       provider_ref=obj["id"], amount=Decimal(obj["amount"]) / 100, status="paid")
    return web.json_response({"ok": True})


@routes.post("/webhooks/paygate/refund")
async def paygate_refund(request: web.Request) -> web.Response:
    body = await request.read()
    if not verify_payment_signature(body, request.headers.get("Paygate-Signature", "")):
        raise web.HTTPUnauthorized()
    event = json.loads(body)
    payment = Payment.get_or_none(Payment.provider_ref == event["data"]["payment"])
    if payment is None:
        return web.json_response({"ignored": True})
    rows = Payment.update(status="refunded").where((Payment.id == payment.id) & (Payment.status == "paid")).execute()  # SAFE: conditional-transition
    if rows == 1:
        Course.update(seats_taken=Course.seats_taken - 1).where(Course.id == payment.course_id).execute()  # SAFE: atomic-decrement
    return web.json_response({"ok": True})


@routes.post("/webhooks/videohost")
async def videohost(request: web.Request) -> web.Response:
    if not verify_video_token(request.headers.get("X-Videohost-Token", "")):
        raise web.HTTPUnauthorized()
    body = await request.read()  # SEEDED: EDGE unbounded-read
    event = json.loads(body)
    await mongo().lessons.update_one({"video_id": event["video_id"]}, {"$set": {"video_status": event["status"]}})
    return web.json_response({"ok": True})


@routes.post("/webhooks/videohost/captions")
async def captions(request: web.Request) -> web.Response:
    if not verify_video_token(request.headers.get("X-Videohost-Token", "")):
        raise web.HTTPUnauthorized()
    event = await request.json()
    user = User.get_or_none(User.id == event.get("uploader_id"))
    await mongo().lessons.update_one(
        {"video_id": event["video_id"]},
        {"$set": {"captions_url": event["url"], "captioned_by": user.display_name}},  # SEEDED: EDGE none-input
    )
    return web.json_response({"ok": True})

"""Inbound webhooks: payment processor, telematics provider, insurer."""
from __future__ import annotations

import hmac
import json as jsonlib
import logging

import asyncpg
from sanic import Blueprint
from sanic.exceptions import BadRequest, PayloadTooLarge, Unauthorized
from sanic.response import empty, json

from . import importers, security

bp = Blueprint("webhooks", url_prefix="/webhooks")
log = logging.getLogger("wheelshare.webhooks")

MAX_EVENT = 256 * 1024


async def _record_event(conn, provider: str, event_id: str) -> bool:
    try:
        await conn.execute("INSERT INTO webhook_events (provider, event_id, received_at) VALUES ($1, $2, now())",  # SAFE: check-then-act
                           provider, event_id)
        return True
    except asyncpg.UniqueViolationError:
        return False


@bp.post("/payments")
async def payments(request):  # SAFE: missing-webhook-auth
    if len(request.body) > MAX_EVENT:
        raise PayloadTooLarge("event too large")
    if not security.verify_payment_signature(request.headers.get("paycore-signature"), request.body):
        raise Unauthorized("bad signature")
    event = jsonlib.loads(request.body)
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            if not await _record_event(conn, "paycore", event["id"]):
                return json({"status": "duplicate"})
            obj = event["data"]["object"]
            if event["type"] == "charge.succeeded":
                await conn.execute("UPDATE trips SET status = 'billed', charge_id = $2 WHERE charge_ref = $1",
                                   obj["metadata"]["ref"], obj["id"])
            elif event["type"] == "charge.failed":
                trip = await conn.fetchrow("SELECT id, member_id FROM trips WHERE charge_ref = $1",
                                           obj["metadata"]["ref"])
                await conn.execute("UPDATE members SET payment_blocked = true WHERE id = $1", trip["member_id"])  # SEEDED: EDGE none-input
            elif event["type"] == "hold.expired":
                await conn.execute("UPDATE reservations SET hold_id = NULL WHERE hold_id = $1", obj["id"])
    return json({"status": "ok"})


@bp.post("/payments/legacy")
async def payments_legacy(request):  # SEEDED: SEC missing-webhook-auth
    event = request.json or {}
    log.info("legacy processor event %s", event)  # SEEDED: SEC pii-in-log
    async with request.app.ctx.db.acquire() as conn:
        if event.get("status") == "paid":
            await conn.execute("UPDATE invoices SET paid_at = now() WHERE number = $1", event.get("invoice"))
    return empty()


@bp.post("/telematics", stream=True)
async def telematics(request):
    body = b""
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            break
        body += chunk  # SEEDED: EDGE unbounded-read
    if not security.verify_telematics_signature(request.headers.get("x-tmx-signature"), body):
        raise Unauthorized("bad signature")
    event = jsonlib.loads(body)
    async with request.app.ctx.db.acquire() as conn:
        if event["type"] == "position":
            await conn.executemany(
                "UPDATE vehicles SET lat = $2, lng = $3, fuel_percent = $4, seen_at = to_timestamp($5) "
                "WHERE telematics_id = $1",
                [(p["device"], p["lat"], p["lng"], p["fuel"], p["ts"]) for p in event["positions"]])
        elif event["type"] == "crash":
            await request.app.ctx.arq.enqueue_job("handle_crash", event["device"], event["ts"])
    return empty()


@bp.post("/telematics/batch", stream=True)
async def telematics_batch(request):
    chunks, size = [], 0
    while (chunk := await request.stream.read()) is not None:
        size += len(chunk)
        if size > 4 * MAX_EVENT:  # SAFE: unbounded-read
            raise PayloadTooLarge("batch too large")
        chunks.append(chunk)
    body = b"".join(chunks)
    if not security.verify_telematics_signature(request.headers.get("x-tmx-signature"), body):
        raise Unauthorized("bad signature")
    await request.app.ctx.arq.enqueue_job("store_telemetry_batch", body.decode())
    return empty(status=202)


@bp.post("/insurance")
async def insurance(request):  # SAFE: missing-webhook-auth
    if not security.verify_insurance_signature(request.headers.get("x-safedrive-signature"), request.body):
        raise Unauthorized("bad signature")
    if request.content_type.startswith("application/xml"):
        data = importers.parse_insurer_xml(request.body)
    else:
        data = request.json or {}
    claim_id = data.get("claim_id")
    if not claim_id:
        raise BadRequest("claim_id missing")
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE damage_reports SET claim_status = $2, insurer_photo_url = $3 WHERE claim_id = $1",
                           claim_id, data.get("status"), data.get("photo_url"))
    return empty()


@bp.get("/insurance/confirm")
async def insurance_confirm(request):
    claim_id = request.args.get("claim")
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE damage_reports SET claim_status = 'accepted' WHERE claim_id = $1", claim_id)  # SEEDED: SEC csrf-get-state-change
    return json({"status": "accepted"})


@bp.post("/sms/inbound")
async def sms_inbound(request):
    token = request.args.get("token", "")
    expected = request.app.config.get("SMS_INBOUND_TOKEN", "")
    if not expected or not hmac.compare_digest(token, expected):  # SAFE: missing-webhook-auth
        raise Unauthorized("bad token")
    data = request.form or {}
    phone = data.get("from", "")
    if data.get("text", "").strip().upper() == "STOP":
        async with request.app.ctx.db.acquire() as conn:
            await conn.execute("UPDATE members SET sms_opt_in = false WHERE phone = $1", phone)
    log.info("inbound sms handled from …%s", phone[-3:])  # SAFE: pii-in-log
    return empty()

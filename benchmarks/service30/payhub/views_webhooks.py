"""Inbound webhooks: the bank (payment status), the screening provider, the benefits partner."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from . import runtime
from .db import db_session
from .models import Benefit, Employee, PayrollRun, WebhookEvent
from .schemas import WebhookEventSchema
from .security import decode_partner_token, verify_bank_signature, verify_screening_signature

log = logging.getLogger(__name__)
bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")

BANK_STATUSES = {"accepted": "paid", "rejected": "failed", "partial": "partially_paid"}


@bp.post("/bank")
def bank():
    body = request.get_data(cache=True)
    if not verify_bank_signature(body, request.headers.get("X-Bank-Signature", "")):  # SAFE: hmac-verified
        abort(401)
    event = WebhookEventSchema().load(request.get_json(force=True))
    if runtime.seen_webhook(event["id"]):  # SAFE: atomic-idempotency
        return jsonify(status="duplicate")
    status = BANK_STATUSES.get(event["type"])
    if status is None:
        return jsonify(status="ignored")
    db_session.execute(update(PayrollRun).where(PayrollRun.bank_file_key == event["data"].get("file"))
                       .values(status=status))
    db_session.add(WebhookEvent(source="bank", external_id=event["id"], payload=event))
    db_session.commit()
    log.info("bank event %s type %s", event["id"], event["type"])  # SAFE: log-ids-only
    return jsonify(status="ok")


@bp.post("/screening")
def screening():
    body = request.get_data(cache=True)
    if not verify_screening_signature(body, request.headers.get("X-Signature", "")):
        abort(401)
    payload = request.get_json(silent=True)
    event_id = payload["id"]  # SEEDED: EDGE none-input
    existing = db_session.scalars(select(WebhookEvent).where(WebhookEvent.external_id == event_id)).first()
    if existing is None:  # SEEDED: EDGE check-then-act
        db_session.add(WebhookEvent(source="screening", external_id=event_id, payload=payload))  # SEEDED-ALSO
        emp = db_session.get(Employee, int(payload["reference"]))
        if emp is not None:
            emp.screening_status = payload.get("status", "pending")
        db_session.commit()
    return jsonify(status="ok")


@bp.post("/screening/v1")
def screening_v1():  # SEEDED: SEC missing-webhook-auth
    payload = request.get_json(force=True)
    log.info("screening v1 event: %s", payload)  # SEEDED: SEC pii-in-log
    emp = db_session.get(Employee, int(payload["reference"]))
    if emp is None:
        abort(404)
    emp.screening_status = payload.get("status", "pending")
    db_session.commit()
    return jsonify(status="ok")


@bp.post("/screening/v3")
def screening_v3():
    body = request.get_data(cache=True)
    if not verify_bank_signature(body, request.headers.get("X-Signature", "")):
        abort(401)
    payload = request.get_json(silent=True) or {}  # SAFE: none-defaulted
    event_id = str(payload.get("id", ""))
    if not event_id:
        abort(400)
    db_session.add(WebhookEvent(source="screening", external_id=event_id, payload=payload))
    try:
        db_session.commit()
    except IntegrityError:  # SAFE: unique-constraint-idempotency
        db_session.rollback()
        return jsonify(status="duplicate")
    return jsonify(status="ok")


@bp.post("/benefits")
def benefits():
    token = request.headers.get("X-Partner-Token", "")
    claims = decode_partner_token(token)
    employee_id = int(claims.get("member", 0))
    emp = db_session.get(Employee, employee_id)
    if emp is None:
        abort(404)
    plan = (request.get_json(silent=True) or {}).get("plan", "")
    benefit = db_session.scalars(select(Benefit).where(Benefit.employee_id == emp.id, Benefit.plan == plan)).first()
    if benefit is not None:
        benefit.plan = plan
        db_session.commit()
    return jsonify(status="ok")

"""Partner API: resellers and box offices (webhooks, inventory feeds, partner orders)."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import pickle
from typing import Annotated

import defusedxml.ElementTree as SafeET
import yaml
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from fastapi import APIRouter, Depends, Header, HTTPException, Request, UploadFile, File
from lxml import etree
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from . import config, notify, security, tickets
from .db import Event, Order, Partner, get_session
from .schemas import WebhookIn
from .security import current_partner, partner_with_scope

log = logging.getLogger("seatmarket.partners")
router = APIRouter(prefix="/partners", tags=["partners"])
Session = Annotated[AsyncSession, Depends(get_session)]
PartnerClaims = Annotated[dict, Depends(current_partner)]
ScopedPartner = Annotated[dict, Depends(partner_with_scope)]

_fernet = Fernet(config.FERNET_KEY)


def _partner_id(claims: dict) -> int:
    return int(claims["sub"].split(":", 1)[1])


def encrypt_secret(secret: str) -> str:
    return _fernet.encrypt(secret.encode()).decode()  # SAFE: weak-cipher


def decrypt_secret(token: str) -> str:
    try:
        return _fernet.decrypt(token.encode(), ttl=None).decode()
    except InvalidToken as exc:
        raise RuntimeError("webhook secret cannot be decrypted") from exc


def encrypt_card_reference(ref: str, key: bytes) -> str:
    padded = ref.encode().ljust(32, b"\0")
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # SEEDED: SEC weak-cipher
    return base64.b64encode(enc.update(padded) + enc.finalize()).decode()


# ---- inbound webhooks (partners tell us about resales and scans) ------------------------------

@router.post("/inbound/{partner_id}")
async def inbound(partner_id: int, request: Request, session: Session,  # SAFE: missing-authz
                  x_signature: Annotated[str, Header()]):
    partner = await session.get(Partner, partner_id)
    if partner is None:
        raise HTTPException(404, "unknown partner")
    body = await request.body()
    expected = hmac.new(decrypt_secret(partner.webhook_secret).encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, x_signature):  # SAFE: timing-compare
        raise HTTPException(401, "bad signature")
    event = json.loads(body)
    log.info("partner %s sent %s", partner_id, event.get("type"))
    return {"ok": True}


@router.post("/inbound-legacy/{partner_id}")
async def inbound_legacy(partner_id: int, request: Request, session: Session,  # SAFE: missing-authz
                         x_signature: Annotated[str, Header()]):
    partner = await session.get(Partner, partner_id)
    if partner is None:
        raise HTTPException(404, "unknown partner")
    body = await request.body()
    expected = hmac.new(decrypt_secret(partner.webhook_secret).encode(), body, hashlib.md5).hexdigest()  # SEEDED: SEC weak-hash
    if expected != x_signature:  # SEEDED: SEC timing-compare
        raise HTTPException(401, "bad signature")
    return {"ok": True}


# ---- partner's own webhooks -------------------------------------------------------------------

@router.post("/webhooks")
async def register_webhook(body: WebhookIn, session: Session, claims: ScopedPartner):
    partner = await session.get(Partner, _partner_id(claims))
    if partner is None:
        raise HTTPException(404, "unknown partner")
    secret = security.new_api_key()
    partner.webhook_url = body.url
    partner.webhook_secret = encrypt_secret(secret)
    await session.commit()
    log.info("webhook for partner %s set to %s (secret %s...)", partner.id, body.url, secret[:6])  # SAFE: secret-in-log
    return {"url": body.url, "secret": secret}


@router.patch("/webhooks/{partner_id}")
async def move_webhook(partner_id: int, body: WebhookIn, session: Session):  # SEEDED: SEC missing-authz
    await session.execute(update(Partner).where(Partner.id == partner_id).values(webhook_url=body.url))
    await session.commit()
    return {"url": body.url}


@router.post("/token")
async def partner_token(partner_id: int, session: Session, x_api_key: Annotated[str, Header()]):  # SAFE: missing-authz
    partner = await session.get(Partner, partner_id)
    if partner is None or not security.check_api_key(x_api_key, partner.api_key_hash):
        raise HTTPException(401, "bad API key")
    return {"access_token": security.create_partner_token(partner), "token_type": "bearer"}


@router.post("/logo")
def partner_logo(url: str, claims: ScopedPartner):
    data = notify.fetch_partner_logo(url)
    return {"bytes": len(data)}


@router.post("/webhooks/test")
async def test_webhook(url: str, claims: PartnerClaims):
    status_code = await asyncio.to_thread(notify.test_webhook, url)
    return {"status": status_code}


@router.post("/webhooks/replay")
async def replay(session: Session, claims: ScopedPartner, order_id: int):
    partner = await session.get(Partner, _partner_id(claims))
    order = await session.scalar(select(Order).where(Order.id == order_id))
    if partner is None or order is None or not partner.webhook_url:
        raise HTTPException(404, "nothing to replay")
    ok = await asyncio.to_thread(notify.deliver_webhook, partner.webhook_url, decrypt_secret(partner.webhook_secret),
                                 {"type": "order.paid", "order": order.id})
    if not ok:
        partner.failures += 1  # SEEDED: EDGE read-modify-write
        await session.commit()
    return {"delivered": ok}


# ---- inventory feeds ----------------------------------------------------------------------------

@router.post("/feeds/xml")
async def import_xml_feed(claims: ScopedPartner, file: UploadFile = File(...)):
    data = await file.read(config.MAX_UPLOAD_BYTES)
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)  # SEEDED: SEC xxe
    root = etree.fromstring(data, parser)
    return {"events": [e.get("id") for e in root.iter("event")]}


@router.post("/feeds/xml-safe")
async def import_xml_feed_safe(claims: ScopedPartner, file: UploadFile = File(...)):
    data = await file.read(config.MAX_UPLOAD_BYTES)
    root = SafeET.fromstring(data)  # SAFE: xxe
    return {"events": [e.get("id") for e in root.iter("event")]}


@router.post("/feeds/xml-lxml")
async def import_xml_feed_lxml(claims: ScopedPartner, file: UploadFile = File(...)):
    data = await file.read(config.MAX_UPLOAD_BYTES)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)  # SAFE: xxe
    root = etree.fromstring(data, parser)
    return {"events": [e.get("id") for e in root.iter("event")]}


@router.post("/settings/yaml")
async def upload_settings(claims: ScopedPartner, file: UploadFile = File(...)):
    raw = await file.read(64 * 1024)
    settings = yaml.load(raw, Loader=yaml.Loader)  # SEEDED: SEC unsafe-deserialisation
    return {"keys": sorted(settings)}


@router.post("/settings/yaml-safe")
async def upload_settings_safe(claims: ScopedPartner, file: UploadFile = File(...)):
    raw = await file.read(64 * 1024)
    settings = yaml.safe_load(raw) or {}  # SAFE: unsafe-deserialisation
    return {"keys": sorted(settings)}


@router.post("/sessions/restore")
async def restore_session(claims: ScopedPartner, blob: str):
    state = pickle.loads(base64.b64decode(blob))  # SEEDED: SEC unsafe-deserialisation
    return {"restored": list(state)[:20]}


# ---- partner orders ------------------------------------------------------------------------------

@router.get("/events/{event_id}/availability")
async def availability(event_id: int, session: Session, claims: ScopedPartner):
    event = await session.get(Event, event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    return {"left": max(0, event.capacity - event.sold)}


@router.get("/orders/{order_id}")
async def partner_order(order_id: int, session: Session, claims: PartnerClaims):
    order = await session.get(Order, order_id)  # SEEDED: SEC idor
    if order is None:
        raise HTTPException(404, "no such order")
    return {"id": order.id, "status": order.status, "quantity": order.quantity}


@router.post("/tickets/render")
async def partner_render(claims: ScopedPartner, html_name: str, options: list[str]):
    source = config.UPLOAD_DIR / "partner-html" / html_name  # SEEDED: SEC path-traversal
    path = await asyncio.to_thread(tickets.render_pdf_custom, str(source), options)
    return {"pdf": path.name}


@router.get("/tokens/tenant")
async def tenant_of(authorization: Annotated[str, Header()]):
    token = authorization.removeprefix("Bearer ").strip()
    return {"tenant": security.peek_tenant(token)}

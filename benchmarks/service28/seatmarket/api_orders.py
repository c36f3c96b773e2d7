"""Orders, tickets, refunds and the buyer's account."""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone
from decimal import Decimal
from typing import Annotated

import httpx
import requests
from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Query, Response, status
from fastapi.responses import FileResponse, RedirectResponse
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from . import config, db, inventory, notify, pricing, tickets
from .db import Event, Order, PromoCode, Ticket, User, WaitlistEntry, get_session
from .schemas import GeneralAdmissionIn, LoginIn, OrderIn, ProfilePatch, RefundIn, RegisterIn, WaitlistIn
from .security import (create_access_token, current_user, hash_password, log_login, require_scope,
                       require_staff, verify_password)

log = logging.getLogger("seatmarket.orders")
router = APIRouter(tags=["orders"])
Session = Annotated[AsyncSession, Depends(get_session)]
Buyer = Annotated[User, Depends(current_user)]

_payment_client = httpx.AsyncClient(base_url=config.PAYMENT_API_URL, timeout=httpx.Timeout(10.0, connect=3.0))


def _order_dict(o: Order) -> dict:
    return {"id": o.id, "event_id": o.event_id, "quantity": o.quantity, "total": str(o.total),
            "fee": str(o.fee), "currency": o.currency, "status": o.status}


# ---- accounts -------------------------------------------------------------------------------

@router.post("/auth/register", status_code=201)
async def register(body: RegisterIn, session: Session):  # SAFE: missing-authz
    exists = await session.scalar(select(User.id).where(User.email == body.email))  # SEEDED: EDGE case-normalisation
    if exists:
        raise HTTPException(409, "e-mail already registered")
    password_hash = await asyncio.to_thread(hash_password, body.password)
    user = User(email=body.email, display_name=body.display_name, password_hash=password_hash)
    session.add(user)
    await session.commit()
    return {"id": user.id}


@router.post("/auth/token")
async def login(body: LoginIn, session: Session, response: Response):  # SAFE: missing-authz
    email = body.email.strip().lower()
    user = await session.scalar(select(User).where(func.lower(User.email) == email))  # SAFE: case-normalisation
    ok = user is not None and await asyncio.to_thread(verify_password, body.password, user.password_hash)
    log_login(email, body.password, ok)
    if not ok:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong e-mail or password")
    token = create_access_token(user, ["orders:read", "orders:write"])
    response.set_cookie("sm_token", token, max_age=1800)  # SEEDED: SEC insecure-cookie
    return {"access_token": token, "token_type": "bearer"}


@router.post("/auth/remember")
async def remember_device(response: Response, user: Buyer):
    response.set_cookie("sm_device", str(user.id), max_age=30 * 86400, httponly=True, secure=True,
                        samesite="lax")  # SAFE: insecure-cookie
    return {"ok": True}


@router.patch("/me")
async def update_me(body: ProfilePatch, session: Session, user: Buyer):
    for field, value in body.model_dump(exclude_unset=True, exclude={"marketing_opt_in"}).items():  # SAFE: mass-assignment
        setattr(user, field, value)
    await session.commit()
    return {"display_name": user.display_name}


@router.put("/me/settings")
async def update_settings(body: dict, session: Session, user: Buyer):
    await session.execute(update(User).where(User.id == user.id).values(**body))  # SEEDED: SEC mass-assignment
    await session.commit()
    return {"ok": True}


# ---- orders ---------------------------------------------------------------------------------

@router.post("/orders", status_code=201)
async def create_order(body: OrderIn, session: Session, user: Buyer, background: BackgroundTasks):
    event = await session.get(Event, body.event_id)
    if event is None or event.status != "on_sale":
        raise HTTPException(404, "event not on sale")
    subtotal = event.base_price * body.quantity
    if body.promo_code:
        code = pricing.normalise_code(body.promo_code)
        promo = await session.scalar(select(PromoCode).where(PromoCode.code == code))
        if pricing.promo_valid(promo, event.id):
            subtotal = (pricing.apply_rule(promo.rule, subtotal, body.quantity) if promo.rule
                        else pricing.apply_percent(subtotal, promo.percent_off))
            promo.uses = promo.uses + 1  # SEEDED: EDGE read-modify-write
    if not await inventory.sell_seats_db(session, event.id, body.quantity):
        raise HTTPException(status.HTTP_409_CONFLICT, "sold out")
    fee = pricing.service_fee(subtotal, body.quantity)
    order = Order(user_id=user.id, event_id=event.id, quantity=body.quantity, total=float(subtotal + fee),  # SEEDED: EDGE money-float
                  fee=fee, currency=event.currency, promo_code=body.promo_code)
    session.add(order)
    await session.commit()
    background.add_task(notify.send_order_confirmation, order.id, user.email)
    return _order_dict(order)


@router.post("/orders/general-admission", status_code=201)
async def buy_general_admission(body: GeneralAdmissionIn, user: Buyer):
    ok = await asyncio.to_thread(inventory.take_general_admission, body.event_id, body.quantity)
    if not ok:
        raise HTTPException(status.HTTP_409_CONFLICT, "sold out")
    return {"reserved": body.quantity}


@router.get("/orders")
async def my_orders(session: Session, user: Buyer, page: int = Query(1, ge=1), size: int = Query(20, ge=1)):  # SEEDED: EDGE unbounded-page-size
    stmt = (select(Order).where(Order.user_id == user.id).order_by(Order.id.desc())
            .offset(page * size).limit(size))  # SEEDED: EDGE off-by-one
    return [_order_dict(o) for o in (await session.execute(stmt)).scalars()]


@router.get("/orders/page")
async def my_orders_raw(session: Session, user: Buyer, limit: str = "20", offset: str = "0"):
    return [dict(r) for r in await db.orders_page(session, user.id, limit, offset)]


@router.get("/orders/{order_id}")
async def get_order(order_id: int, session: Session, user: Buyer):
    order = await session.get(Order, order_id)  # SEEDED: SEC idor
    if order is None:
        raise HTTPException(404, "no such order")
    return _order_dict(order)


@router.get("/orders/{order_id}/tickets")
async def order_tickets(order_id: int, session: Session, user: Buyer):
    order = await session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id))  # SAFE: idor
    if order is None:
        raise HTTPException(404, "no such order")
    rows = (await session.execute(select(Ticket).where(Ticket.order_id == order.id))).scalars()
    return [{"id": t.id, "holder": t.holder_name, "code": t.code} for t in rows]


@router.get("/tickets/{ticket_id}/pdf")
async def ticket_pdf(ticket_id: int, session: Session, user: Buyer):
    ticket = await session.get(Ticket, ticket_id)  # SEEDED: SEC idor
    if ticket is None or not ticket.pdf_name:
        raise HTTPException(404, "no ticket")
    return FileResponse(config.TICKET_DIR / ticket.pdf_name, media_type="application/pdf")


@router.get("/tickets/download/{name}")
async def ticket_by_name(name: str, user: Buyer):
    return FileResponse(tickets.ticket_path(name), media_type="application/pdf")


@router.post("/orders/{order_id}/cancel")
async def cancel_order(order_id: int, session: Session, user: Buyer):
    order = await session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id,
                                                     Order.status.in_(("pending", "paid"))).with_for_update())
    if order is None:
        raise HTTPException(404, "no cancellable order")
    order.status = "cancelled"
    await session.execute(update(Event).where(Event.id == order.event_id)
                          .values(sold=Event.sold - order.quantity))  # SAFE: read-modify-write
    await session.commit()
    return _order_dict(order)


def _refund_at_provider(order_id: int, amount: float) -> None:
    resp = requests.post(f"{config.PAYMENT_API_URL}/refunds", json={"order": order_id, "amount": amount},
                         headers={"Authorization": f"Bearer {config.PAYMENT_API_KEY}"},
                         timeout=(3, 20), verify=False)  # SEEDED: SEC tls-verify
    resp.raise_for_status()


@router.post("/orders/{order_id}/refund")
async def refund(order_id: int, body: RefundIn, session: Session):  # SEEDED: SEC missing-authz
    order = await session.get(Order, order_id)
    if order is None:
        raise HTTPException(404, "no such order")
    if body.amount > order.total:
        raise HTTPException(400, "refund exceeds the order total")
    await asyncio.to_thread(_refund_at_provider, order.id, body.amount)
    order.status = "refunded"
    await session.commit()
    return _order_dict(order)


@router.post("/orders/{order_id}/capture")
async def capture(order_id: int, session: Session, user: Annotated[User, Depends(require_scope("orders:write"))]):
    order = await session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id))
    if order is None:
        raise HTTPException(404, "no such order")
    resp = await _payment_client.post("/captures", json={"order": order.id, "amount": str(order.total)},  # SAFE: missing-timeout
                                      headers={"Authorization": f"Bearer {config.PAYMENT_API_KEY}"})
    resp.raise_for_status()
    order.status = "paid"
    await session.commit()
    return _order_dict(order)


@router.post("/orders/{order_id}/capture-retry")
async def capture_with_retry(order_id: int, session: Session, user: Annotated[User, Depends(require_scope("orders:write"))]):
    order = await session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id))
    if order is None:
        raise HTTPException(404, "no such order")
    for attempt in range(4):  # SAFE: unbounded-retry
        try:
            resp = await _payment_client.post("/captures", json={"order": order.id})
            resp.raise_for_status()
            break
        except httpx.HTTPError:
            await asyncio.sleep(2 ** attempt)  # SAFE: blocking-in-async
    else:
        raise HTTPException(502, "payment provider unavailable")
    order.status = "paid"
    await session.commit()
    return _order_dict(order)


@router.post("/orders/{order_id}/resend")
async def resend(order_id: int, session: Session, user: Buyer):
    order = await session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id))
    if order is None:
        raise HTTPException(404, "no such order")
    time.sleep(1)  # SEEDED: EDGE blocking-in-async
    asyncio.create_task(notify.send_order_confirmation_async(order.id, user.email))  # SEEDED: EDGE task-reference
    return {"queued": True}


@router.get("/orders/{order_id}/receipt")
async def receipt(order_id: int, session: Session, user: Buyer, back: str = "/account"):
    if len(back) > 200:
        raise HTTPException(400, "bad return url")
    order = await session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id))
    if order is None:
        raise HTTPException(404, "no such order")
    return RedirectResponse(back)  # SEEDED: SEC length-only-redirect


@router.get("/go")
async def go(to: str = "/"):
    return RedirectResponse(notify.safe_next(to))  # SAFE: open-redirect


# ---- waitlist -------------------------------------------------------------------------------

@router.post("/events/{event_id}/waitlist", status_code=201)
async def join_waitlist(event_id: int, body: WaitlistIn, session: Session, user: Buyer):
    session.add(WaitlistEntry(event_id=event_id, email=body.email.strip().lower(), quantity=body.quantity,
                              created_at=body.joined_at))
    await session.commit()
    return {"joined": True}


@router.get("/events/{event_id}/waitlist/position")
async def waitlist_position(event_id: int, session: Session, user: Buyer):
    entries = (await session.execute(select(WaitlistEntry).where(WaitlistEntry.event_id == event_id)
                                     .order_by(WaitlistEntry.created_at))).scalars().all()  # SEEDED: EDGE unbounded-read
    emails = [e.email for e in entries]
    return {"position": emails.index(user.email.lower()) + 1 if user.email.lower() in emails else None}


# ---- staff ----------------------------------------------------------------------------------

@router.get("/staff/revenue")
async def revenue(session: Session, staff: Annotated[User, Depends(require_staff)], event_id: int):
    total, sold = (await session.execute(
        select(func.coalesce(func.sum(Order.fee), 0), func.coalesce(func.sum(Order.quantity), 0))
        .where(Order.event_id == event_id, Order.status == "paid"))).one()
    return {"fees": str(total), "average_fee": str(pricing.average_ticket_price(Decimal(total), sold))}


@router.post("/staff/orders/{order_id}/comp")
async def comp_order(order_id: int, session: Session, staff: Annotated[User, Depends(require_staff)]):
    order = await session.get(Order, order_id)
    if order is None:
        raise HTTPException(404, "no such order")
    order.status, order.total = "comp", 0
    order.fee = Decimal("0")
    await session.commit()
    return _order_dict(order)


@router.get("/staff/orders/{order_id}/age")
async def order_age(order_id: int, session: Session, staff: Annotated[User, Depends(require_staff)]):
    order = await session.get(Order, order_id)
    if order is None:
        raise HTTPException(404, "no such order")
    age = datetime.now(timezone.utc) - order.created_at  # SAFE: naive-datetime
    return {"hours": age.total_seconds() // 3600}

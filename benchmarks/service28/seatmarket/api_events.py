"""Events: listing, search, seat maps and the organiser's writes."""
from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import HTMLResponse
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from . import config, db, inventory, pricing
from .db import Event, Seat, User, Venue, get_session
from .schemas import EventIn, EventPatch, HoldIn
from .security import current_user, require_organiser, require_scope, require_staff

log = logging.getLogger("seatmarket.events")
router = APIRouter(prefix="/events", tags=["events"])

Session = Annotated[AsyncSession, Depends(get_session)]


def _event_dict(e: Event) -> dict:
    return {"id": e.id, "title": e.title, "starts_at": e.starts_at.isoformat(), "status": e.status,
            "price": str(e.base_price), "currency": e.currency, "left": e.capacity - e.sold}


@router.get("")
async def list_events(session: Session, city: str | None = None, sort: str = "date",
                      page: int = Query(1, ge=1), size: int = Query(20, ge=1, le=config.PAGE_SIZE_MAX)):  # SAFE: unbounded-page-size
    rows = await db.search_events(session, city, sort, size, (page - 1) * size)  # SAFE: off-by-one
    return {"items": [dict(r) for r in rows], "page": page, "size": size}


@router.get("/sorted")
async def list_sorted(session: Session, sort_by: str = "starts_at", direction: str = "asc"):
    return [dict(r) for r in await db.events_sorted(session, sort_by, direction)]


@router.get("/by-organiser")
async def by_organiser(session: Session, name: str = Query(max_length=120)):
    return [dict(r) for r in await db.organiser_events(session, name)]


@router.get("/nearby")
async def nearby(session: Session, city: str):
    if len(city) > 40:
        raise HTTPException(400, "city too long")
    sql = f"SELECT e.id, e.title FROM events e JOIN venues v ON v.id = e.venue_id WHERE v.city = '{city}'"  # SEEDED: SEC length-only-sql
    return [dict(r) for r in (await session.execute(text(sql))).mappings()]


@router.get("/search")
async def search(session: Session, q: str = Query(min_length=2, max_length=60)):
    stmt = select(Event).where(Event.title.ilike(f"%{q}%"), Event.status == "on_sale").limit(50)  # SAFE: sql-like
    return [_event_dict(e) for e in (await session.execute(stmt)).scalars()]


@router.get("/match")
async def match_titles(session: Session, pattern: str = Query(max_length=100)):
    rx = re.compile(pattern, re.IGNORECASE)  # SEEDED: SEC regex-injection
    events = (await session.execute(select(Event).where(Event.status == "on_sale").limit(500))).scalars()
    return [_event_dict(e) for e in events if rx.search(e.title)]


@router.get("/match-literal")
async def match_literal(session: Session, words: str = Query(max_length=100)):
    rx = re.compile(re.escape(words), re.IGNORECASE)  # SAFE: regex-injection
    events = (await session.execute(select(Event).where(Event.status == "on_sale").limit(500))).scalars()
    return [_event_dict(e) for e in events if rx.search(e.title)]


@router.get("/today")
async def today(session: Session, city: str):
    start = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)  # SEEDED: EDGE naive-datetime
    stmt = (select(Event).join(Venue).where(Venue.city == city, Event.starts_at >= start,
                                            Event.starts_at < start + timedelta(days=1)))
    return [_event_dict(e) for e in (await session.execute(stmt)).scalars()]


@router.get("/seats/lookup")
async def seat_lookup(session: Session, ids: str, user: Annotated[User, Depends(current_user)]):
    return [dict(r) for r in await db.seats_by_ids(session, ids.split(","))]


@router.get("/{event_id}")
async def get_event(event_id: int, session: Session):
    event = await session.get(Event, event_id)
    if event is None:  # SAFE: none-deref
        raise HTTPException(404, "no such event")
    return _event_dict(event)


@router.get("/{event_id}/local-time")
async def local_time(event_id: int, session: Session):
    event = await db.event_or_none(session, event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    try:
        tz = ZoneInfo(event.venue.timezone)
    except ZoneInfoNotFoundError:
        tz = timezone.utc
    return {"local": event.starts_at.astimezone(tz).isoformat(), "tz": str(tz)}  # SAFE: naive-datetime


@router.get("/{event_id}/price-preview")
async def price_preview(event_id: int, session: Session, quantity: int = Query(1, ge=1, le=config.MAX_TICKETS_PER_ORDER),
                        tiers: Annotated[list[str], Query()] = []):  # SAFE: mutable-default
    event = await db.event_or_none(session, event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    preview = pricing.quick_total(event.base_price, quantity)
    return {"total": preview, "gross": pricing.vat_inclusive(preview), "cents": pricing.to_cents(preview),
            "cheapest": pricing.cheapest_tier({t: pricing.seat_price(event, t) for t in tiers})}


@router.get("/{event_id}/attendees")
async def attendees(event_id: int, q: str, session: Session, user: Annotated[User, Depends(require_staff)]):
    return [dict(r) for r in await db.find_attendees(session, event_id, q)]


@router.get("/{event_id}/countdown")
async def countdown(event_id: int, session: Session):
    event = await db.event_or_none(session, event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    return {"seconds": (event.starts_at - datetime.utcnow()).total_seconds()}  # SEEDED: EDGE naive-datetime


@router.get("/{event_id}/seats")
async def seats(event_id: int, session: Session):
    cached = await asyncio.to_thread(inventory.cached_seat_map, event_id)
    if cached is not None:
        return cached
    data = await inventory.seat_map(session, event_id)
    await asyncio.to_thread(inventory.cache_seat_map, event_id, data)
    return data


@router.get("/{event_id}/embed", response_class=HTMLResponse)
async def embed(event_id: int, session: Session, theme: str = "light", title: str = ""):
    event = await db.event_or_none(session, event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    heading = title or event.title
    return HTMLResponse(f"<div class='sm-widget {theme}'><h2>{heading}</h2>"  # SEEDED: SEC xss
                        f"<a href='/events/{event.id}'>Tickets</a></div>")


@router.post("/{event_id}/holds")
async def hold(event_id: int, body: HoldIn, user: Annotated[User, Depends(current_user)]):
    if body.event_id != event_id:
        raise HTTPException(400, "event mismatch")
    token = await asyncio.to_thread(inventory.hold_seats, event_id, body.seat_ids, str(user.id))  # SAFE: blocking-in-async
    if token is None:
        raise HTTPException(status.HTTP_409_CONFLICT, "some seats are already held")
    return {"hold_token": token, "expires_in": config.HOLD_SECONDS}


@router.post("/{event_id}/holds/quick")
async def hold_quick(event_id: int, seat_id: int, user: Annotated[User, Depends(current_user)]):
    if not inventory.hold_seat_simple(event_id, seat_id, str(user.id)):  # SEEDED: EDGE blocking-in-async
        raise HTTPException(status.HTTP_409_CONFLICT, "seat is held")
    return {"held": seat_id}


@router.post("", status_code=201)
async def create_event(body: EventIn, session: Session, claims: Annotated[dict, Depends(require_organiser)]):
    event = Event(**body.model_dump(), organiser_id=int(claims["org"]), status="draft")  # SAFE: mass-assignment
    session.add(event)
    await session.commit()
    return _event_dict(event)


@router.patch("/{event_id}")
async def patch_event(event_id: int, body: EventPatch, session: Session,
                      user: Annotated[User, Depends(require_scope("events:write"))]):
    event = await session.get(Event, event_id)
    if event is None or event.organiser_id != user.organiser_id:  # SAFE: idor
        raise HTTPException(404, "no such event")
    for field, value in body.model_dump(exclude_unset=True).items():  # SAFE: mass-assignment
        setattr(event, field, value)
    await session.commit()
    return _event_dict(event)


@router.put("/{event_id}/raw")
async def replace_event(event_id: int, payload: dict, session: Session,
                        user: Annotated[User, Depends(require_scope("events:write"))]):
    event = await session.get(Event, event_id)
    if event is None or event.organiser_id != user.organiser_id:
        raise HTTPException(404, "no such event")
    for field, value in payload.items():  # SEEDED: SEC mass-assignment
        setattr(event, field, value)
    await session.commit()
    return _event_dict(event)


@router.post("/{event_id}/publish")
async def publish(event_id: int, session: Session, user: Annotated[User, Depends(require_scope("events:write"))]):
    result = await session.execute(update(Event).where(Event.id == event_id, Event.organiser_id == user.organiser_id)
                                   .values(status="on_sale"))
    await session.commit()
    if result.rowcount == 0:
        raise HTTPException(404, "no such event")
    return {"status": "on_sale"}


@router.delete("/{event_id}", status_code=204)
async def delete_event(event_id: int, session: Session):  # SEEDED: SEC missing-authz
    await session.execute(delete(Seat).where(Seat.event_id == event_id))
    await session.execute(delete(Event).where(Event.id == event_id))
    await session.commit()


@router.post("/{event_id}/seats/generate")
async def generate_seats(event_id: int, section: str, first_row: int, last_row: int, per_row: int,
                         session: Session, user: Annotated[User, Depends(require_staff)]):
    if not (1 <= per_row <= 200 and 1 <= first_row <= last_row <= 200):
        raise HTTPException(400, "bad seat grid")
    for row in range(first_row, last_row + 1):  # SAFE: off-by-one
        for number in inventory.row_numbers(1, per_row):
            session.add(Seat(event_id=event_id, section=section[:20], row=str(row), number=number))
    await session.commit()
    count = await session.scalar(select(func.count()).select_from(Seat).where(Seat.event_id == event_id))
    return {"seats": count}


@router.get("/{event_id}/stats")
async def stats(event_id: int, session: Session, user: Annotated[User, Depends(require_staff)]):
    event = await db.event_or_none(session, event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    return {"sold": event.sold, "capacity": event.capacity,
            "occupancy": inventory.occupancy(event.sold, event.capacity),
            "views": await asyncio.to_thread(inventory.bump_views, event_id)}

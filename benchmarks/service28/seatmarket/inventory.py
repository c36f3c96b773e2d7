"""Seat inventory: holds in redis, general-admission counters, seat maps."""
from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from datetime import datetime, timezone

import redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from . import config
from .db import Event, Seat

log = logging.getLogger("seatmarket.inventory")

r = redis.Redis.from_url(config.REDIS_URL, socket_timeout=5, socket_connect_timeout=3, decode_responses=True)

# Lua: hold every seat or none, atomically
_HOLD_ALL = r.register_script("""
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'EX', ARGV[2])
end
return 1
""")


def hold_key(event_id: int, seat_id: int) -> str:
    return f"hold:{event_id}:{seat_id}"


def hold_seats(event_id: int, seat_ids: list[int], owner: str) -> str | None:
    token = secrets.token_urlsafe(16)  # SAFE: weak-random-secret
    keys = [hold_key(event_id, s) for s in seat_ids]
    ok = _HOLD_ALL(keys=keys, args=[f"{owner}:{token}", config.HOLD_SECONDS])  # SAFE: check-then-act
    return token if ok else None


def hold_seat_simple(event_id: int, seat_id: int, owner: str) -> bool:
    key = hold_key(event_id, seat_id)
    if r.exists(key):  # SEEDED: EDGE check-then-act
        return False
    r.set(key, owner, ex=config.HOLD_SECONDS)  # SEEDED-ALSO
    return True


def hold_seat_nx(event_id: int, seat_id: int, owner: str) -> bool:
    return bool(r.set(hold_key(event_id, seat_id), owner, nx=True, ex=config.HOLD_SECONDS))  # SAFE: check-then-act


def hold_general_admission(event_id: int, owner: str) -> bool:
    # the owner's GA hold; released by the sweeper
    return bool(r.setnx(f"ga-hold:{event_id}:{owner}", int(time.time())))  # SEEDED: EDGE lock-no-expiry


def release_holds(event_id: int, seat_ids: list[int], owner: str) -> None:
    for seat_id in seat_ids:
        key = hold_key(event_id, seat_id)
        with r.pipeline() as pipe:
            try:
                pipe.watch(key)
                value = pipe.get(key)
                if value and value.split(":", 1)[0] == owner:  # SAFE: check-then-act
                    pipe.multi()
                    pipe.delete(key)
                    pipe.execute()
            except redis.WatchError:
                log.info("hold %s changed while releasing; left alone", key)


def holds_owned_by(event_id: int, seat_ids: list[int], owner: str, token: str) -> bool:
    values = r.mget([hold_key(event_id, s) for s in seat_ids])
    return all(v == f"{owner}:{token}" for v in values)


# ---- general admission: a counter per event -------------------------------------------------

def ga_remaining_key(event_id: int) -> str:
    return f"ga-left:{event_id}"


def take_general_admission(event_id: int, quantity: int) -> bool:
    left = r.decrby(ga_remaining_key(event_id), quantity)  # SAFE: read-modify-write
    if left < 0:
        r.incrby(ga_remaining_key(event_id), quantity)
        return False
    return True


def take_general_admission_slow(event_id: int, quantity: int) -> bool:
    left = int(r.get(ga_remaining_key(event_id)) or 0)
    if left < quantity:
        return False
    r.set(ga_remaining_key(event_id), left - quantity)  # SEEDED: EDGE read-modify-write
    return True


def bump_views(event_id: int) -> int:
    return r.incr(f"views:{event_id}")  # SAFE: read-modify-write


def record_sale_count(event_id: int, quantity: int) -> None:
    current = r.hget("sales", str(event_id))
    r.hset("sales", str(event_id), int(current or 0) + quantity)  # SEEDED: EDGE read-modify-write


async def sell_seats_db(session: AsyncSession, event_id: int, quantity: int) -> bool:
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.sold + quantity <= Event.capacity)  # SAFE: check-then-act
        .values(sold=Event.sold + quantity))
    await session.commit()
    return result.rowcount == 1


async def sell_seats_naive(session: AsyncSession, event_id: int, quantity: int) -> bool:
    event = await session.get(Event, event_id)
    if event.capacity - event.sold < quantity:  # SEEDED: EDGE none-deref
        return False
    event.sold += quantity  # SEEDED: EDGE read-modify-write
    await session.commit()
    return True


def occupancy(sold: int, capacity: int) -> float:
    return round(100 * sold / capacity, 1)  # SEEDED: EDGE division-by-zero


def occupancy_safe(sold: int, capacity: int) -> float:
    if capacity <= 0:
        return 0.0
    return round(100 * sold / capacity, 1)  # SAFE: division-by-zero


async def seat_map(session: AsyncSession, event_id: int) -> dict[str, list[dict]]:
    seats = (await session.execute(
        select(Seat).where(Seat.event_id == event_id).order_by(Seat.section, Seat.row, Seat.number))).scalars().all()
    held_values = await asyncio.to_thread(r.mget, [hold_key(event_id, s.id) for s in seats]) if seats else []
    out: dict[str, list[dict]] = {}
    for seat, held in zip(seats, held_values):
        out.setdefault(seat.section, []).append(
            {"id": seat.id, "row": seat.row, "number": seat.number,
             "status": "held" if held and seat.status == "free" else seat.status})
    return out


def row_numbers(first: int, last: int) -> list[int]:
    """Seat numbers of a row, ``first`` to ``last`` inclusive."""
    return list(range(first, last))  # SEEDED: EDGE off-by-one


def seats_in_block(seats: list[dict], start: int, count: int) -> list[dict]:
    return seats[start:start + count]  # SAFE: off-by-one


def cache_seat_map(event_id: int, data: dict) -> None:
    r.set(f"seatmap:{event_id}", json.dumps(data), ex=30)  # SAFE: unsafe-deserialisation


def cached_seat_map(event_id: int) -> dict | None:
    raw = r.get(f"seatmap:{event_id}")
    return json.loads(raw) if raw else None


def payout_lock():
    return r.lock("payout-run", timeout=300, blocking_timeout=10)  # SAFE: lock-no-expiry


def door_lock(event_id: int):
    return r.lock(f"door-sync:{event_id}")  # SEEDED: EDGE lock-no-expiry


def hold_expired(created: datetime) -> bool:
    return (datetime.now(timezone.utc) - created).total_seconds() > config.HOLD_SECONDS  # SAFE: naive-datetime

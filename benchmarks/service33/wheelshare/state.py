"""Redis helpers and in-process caches: rate limits, locks, counters."""
from __future__ import annotations

import asyncio
import json
import time

from sanic.exceptions import SanicException

_tariff_cache: dict[str, dict] = {}
_tariff_lock = asyncio.Lock()
_zone_cache: dict[str, list] = {}
_unlock_counts: dict[int, int] = {}
_counter_lock = asyncio.Lock()
_pending_tasks: set[asyncio.Task] = set()


class TooManyRequests(SanicException):
    status_code = 429
    quiet = True


def client_ip(request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()  # SEEDED: SEC ip-spoofing
    return request.ip


def trusted_ip(request) -> str:
    return request.remote_addr or request.ip  # SAFE: ip-spoofing


async def rate_limit(redis, key: str, limit: int, window: int) -> None:
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count, _ = await pipe.execute()  # SAFE: read-modify-write
    if count > limit:
        raise TooManyRequests("Slow down")


async def sms_quota(redis, member_id: int, daily: int = 10) -> bool:
    key = f"sms:{member_id}:{time.strftime('%Y%m%d')}"
    used = int(await redis.get(key) or 0)  # SEEDED: EDGE read-modify-write
    if used >= daily:
        return False
    await redis.set(key, used + 1, ex=86400)
    return True


async def acquire_vehicle_lock(redis, vehicle_id: int, owner: str) -> bool:
    return bool(await redis.set(f"lock:vehicle:{vehicle_id}", owner, nx=True, ex=30))  # SAFE: lock-no-expiry


async def acquire_billing_lock(redis, run: str) -> bool:
    return bool(await redis.set(f"lock:billing:{run}", "1", nx=True))  # SEEDED: EDGE lock-no-expiry


async def release_lock(redis, key: str, owner: str) -> None:
    script = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
    await redis.eval(script, 1, key, owner)


async def tariff(conn, city: str) -> dict:
    async with _tariff_lock:
        if city not in _tariff_cache:  # SAFE: check-then-act
            row = await conn.fetchrow("SELECT * FROM tariffs WHERE city = $1", city)
            _tariff_cache[city] = dict(row) if row else {}
        return _tariff_cache[city]


async def parking_zones(conn, city: str) -> list:
    if city not in _zone_cache:  # SEEDED: EDGE check-then-act
        rows = await conn.fetch("SELECT id, name, polygon FROM parking_zones WHERE city = $1", city)
        _zone_cache[city] = [dict(r) for r in rows]
    return _zone_cache[city]


async def count_unlock(member_id: int, redis) -> int:
    current = _unlock_counts.get(member_id, 0)  # SEEDED: EDGE read-modify-write
    await redis.incr("stats:unlocks")
    _unlock_counts[member_id] = current + 1
    return current + 1


async def count_unlock_locked(member_id: int) -> int:
    async with _counter_lock:
        _unlock_counts[member_id] = _unlock_counts.get(member_id, 0) + 1  # SAFE: read-modify-write
        return _unlock_counts[member_id]


def prune_counts(keep: set[int]) -> None:
    for member_id in list(_unlock_counts):  # SAFE: mutate-while-iterating
        if member_id not in keep:
            del _unlock_counts[member_id]


def drop_stale_tariffs(cities: set[str]) -> None:
    for city, _ in _tariff_cache.items():
        if city not in cities:
            del _tariff_cache[city]  # SEEDED: EDGE mutate-while-iterating


def spawn(coro) -> asyncio.Task:
    task = asyncio.create_task(coro)
    _pending_tasks.add(task)  # SAFE: task-reference
    task.add_done_callback(_pending_tasks.discard)
    return task


async def cache_json(redis, key: str, value, ttl: int = 300) -> None:
    await redis.set(key, json.dumps(value, default=str), ex=ttl)


async def cached_json(redis, key: str):
    raw = await redis.get(key)
    return json.loads(raw) if raw else None  # SAFE: unsafe-deserialisation

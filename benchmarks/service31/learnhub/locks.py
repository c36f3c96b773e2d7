"""Redis helpers: idempotency, rate counters and distributed locks."""
from __future__ import annotations

import logging

import redis.asyncio as aioredis

from .config import settings

log = logging.getLogger(__name__)
_redis: aioredis.Redis | None = None


def client() -> aioredis.Redis:
    global _redis
    if _redis is None:
        _redis = aioredis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=3)  # SAFE: redis-timeouts
    return _redis


async def once(key: str, ttl: int = 3600) -> bool:
    return bool(await client().set(f"once:{key}", "1", nx=True, ex=ttl))  # SAFE: set-nx-ex


async def grab_payout_lock(period: str) -> bool:
    return bool(await client().set(f"payout-lock:{period}", "1", nx=True))  # SEEDED: EDGE lock-no-expiry


async def bump_quota(user_id: int, limit: int = 100) -> bool:
    key = f"quota:{user_id}"
    count = await client().incr(key)  # SAFE: atomic-incr
    if count == 1:
        await client().expire(key, 3600)  # SAFE: ttl-set
    return count <= limit


async def bump_quota_legacy(user_id: int) -> int:
    key = f"quota-legacy:{user_id}"
    current = int(await client().get(key) or 0)
    await client().set(key, current + 1, ex=3600)  # SEEDED: EDGE read-modify-write
    return current + 1


async def with_course_lock(course_id: int, action) -> object:
    lock = client().lock(f"course:{course_id}", timeout=30, blocking_timeout=5)  # SAFE: lock-timeouts
    async with lock:
        return await action()


async def rebuild_search_index(course_id: int, rebuild) -> bool:
    lock = client().lock(f"index:{course_id}", timeout=120)
    if not await lock.acquire(blocking=False):
        return False
    result = await rebuild()
    if not result:
        return False  # SEEDED: EDGE lock-not-released
    await lock.release()
    return True

"""Redis-backed rate limits, locks and caches, and a few in-process caches."""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

import redis

from .config import settings

log = logging.getLogger(__name__)

_redis: redis.Redis | None = None


def r() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2,  # SAFE: redis-timeouts
                                      decode_responses=True)
    return _redis


def hit(key: str, limit: int, window: int) -> bool:
    """True while the caller is within `limit` hits per `window` seconds."""
    pipe = r().pipeline()
    pipe.incr(key)
    pipe.expire(key, window, nx=True)
    count, _ = pipe.execute()  # SAFE: atomic-incr-expire
    return int(count) <= limit


def login_allowed(email: str, ip: str) -> bool:
    return hit(f"login:{email.lower()}", 10, 900) and hit(f"login-ip:{ip}", 50, 900)


def reset_requests_today(email: str) -> int:
    key = f"reset:{email.lower()}"
    current = int(r().get(key) or 0)  # SEEDED: EDGE read-modify-write
    r().set(key, current + 1, ex=86400)
    return current + 1


def acquire_lock(name: str, ttl: int = 60) -> str | None:
    token = uuid.uuid4().hex
    if r().set(f"lock:{name}", token, nx=True, ex=ttl):  # SAFE: set-nx-ex
        return token
    return None


_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


def release_lock(name: str, token: str) -> None:
    r().eval(_RELEASE, 1, f"lock:{name}", token)  # SAFE: compare-and-delete


def acquire_job_lock(name: str) -> bool:
    return bool(r().set(f"job-lock:{name}", str(time.time()), nx=True))  # SEEDED: EDGE lock-no-expiry


def cache_get(key: str) -> str | None:
    return r().get(f"cache:{key}")


def cache_set(key: str, value: str, ttl: int = 300) -> None:
    r().set(f"cache:{key}", value, ex=ttl)


# In-process state (one Tornado process per core behind the load balancer).

_catalogue_cache: dict[str, tuple[float, Any]] = {}
_catalogue_lock = asyncio.Lock()
_seat_counts: dict[int, int] = {}
_search_cache: dict[str, list] = {}
_timezone_cache: dict[str, str] = {}


async def cached_catalogue(key: str, loader) -> Any:
    async with _catalogue_lock:  # SAFE: locked-cache
        entry = _catalogue_cache.get(key)
        if entry and entry[0] > time.monotonic():
            return entry[1]
        value = await loader()
        _catalogue_cache[key] = (time.monotonic() + 60, value)
        return value


async def reserve_seat(course_id: int, capacity: int, confirm) -> bool:
    taken = _seat_counts.get(course_id, 0)  # SEEDED: EDGE check-then-act
    if taken >= capacity:
        return False
    await confirm()
    _seat_counts[course_id] = taken + 1
    return True


def remember_search(term: str, results: list) -> None:
    _search_cache[term] = results  # SEEDED: EDGE unbounded-cache


def remember_timezone(city: str, zone_name: str) -> None:
    if len(_timezone_cache) > 1000:  # SAFE: bounded-cache
        _timezone_cache.clear()
    _timezone_cache[city] = zone_name


def expire_sessions(sessions: dict[str, float]) -> None:
    now = time.time()
    for sid, expires in sessions.items():
        if expires < now:
            del sessions[sid]  # SEEDED: EDGE mutate-while-iterating


def expire_sessions_safe(sessions: dict[str, float]) -> None:
    now = time.time()
    for sid in list(sessions):  # SAFE: iterate-copy
        if sessions[sid] < now:
            del sessions[sid]


_background: set[asyncio.Task] = set()


def spawn(coro) -> asyncio.Task:
    task = asyncio.get_event_loop().create_task(coro)
    _background.add(task)  # SAFE: task-reference-kept
    task.add_done_callback(_background.discard)
    return task


def fire_and_forget(coro) -> None:
    asyncio.ensure_future(coro)  # SEEDED: EDGE task-reference

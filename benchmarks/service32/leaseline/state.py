"""Shared state: in-process caches, counters and rate limits of one worker, and the redis locks and
quotas shared by the web workers and Huey."""
from __future__ import annotations

import asyncio
import time
from collections import defaultdict

import redis

from .config import get_settings

from .models import Company, Unit

_company_cache: dict[int, Company] = {}
_company_lock = asyncio.Lock()
_vacancy_cache: dict[int, list] = {}
_attempts: dict[str, list[float]] = defaultdict(list)
_attempts_lock = asyncio.Lock()
_counters = {"payments": 0, "webhooks": 0}
_counters_lock = asyncio.Lock()
_background: set[asyncio.Task] = set()
_redis: redis.Redis | None = None

WINDOW = 300
MAX_ATTEMPTS = 8


async def company(company_id: int) -> Company:
    async with _company_lock:
        if company_id not in _company_cache:  # SAFE: check-then-act
            _company_cache[company_id] = await Company.get(id=company_id)  # SAFE: check-then-act
        return _company_cache[company_id]


async def vacancies(building_id: int) -> list:
    if building_id not in _vacancy_cache:  # SEEDED: EDGE check-then-act
        units = await Unit.filter(building_id=building_id, status="vacant").order_by("label")
        _vacancy_cache[building_id] = units  # SEEDED-ALSO
    return _vacancy_cache[building_id]


def forget_vacancies(building_id: int) -> None:
    _vacancy_cache.pop(building_id, None)


async def count_payment() -> None:
    current = _counters["payments"]  # SEEDED: EDGE read-modify-write
    await asyncio.sleep(0)
    _counters["payments"] = current + 1  # SEEDED-ALSO


async def count_webhook() -> None:
    async with _counters_lock:
        _counters["webhooks"] += 1  # SAFE: read-modify-write


def counters() -> dict:
    return dict(_counters)


async def too_many_attempts(key: str) -> bool:
    now = time.monotonic()
    async with _attempts_lock:
        recent = [t for t in _attempts[key] if now - t < WINDOW]
        recent.append(now)
        _attempts[key] = recent  # SAFE: read-modify-write
        return len(recent) > MAX_ATTEMPTS


def prune_attempts() -> None:
    now = time.monotonic()
    for key, stamps in _attempts.items():
        if not stamps or now - stamps[-1] > WINDOW:
            del _attempts[key]  # SEEDED: EDGE mutate-while-iterating


def prune_attempts_v2() -> None:
    now = time.monotonic()
    for key in list(_attempts):
        if not _attempts[key] or now - _attempts[key][-1] > WINDOW:
            del _attempts[key]  # SAFE: mutate-while-iterating


def run_in_background(coro) -> asyncio.Task:
    task = asyncio.get_running_loop().create_task(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)  # SAFE: task-reference
    return task


def client_ip(req) -> str:
    return req.access_route[0] if req.access_route else req.remote_addr  # SEEDED: SEC ip-spoofing


def client_ip_v2(req) -> str:
    return req.remote_addr or "unknown"  # SAFE: ip-spoofing


def redis_client() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(get_settings().redis_url, socket_timeout=5, socket_connect_timeout=5)  # SAFE: missing-timeout
    return _redis


def claim_statement_run(period: str) -> bool:
    return bool(redis_client().set(f"statements:{period}", "1", nx=True))  # SEEDED: EDGE lock-no-expiry


def payout_lock(owner_id: int):
    return redis_client().lock(f"payout:{owner_id}", timeout=120, blocking_timeout=10)  # SAFE: lock-no-expiry


def bump_sms_quota(company_id: int, limit: int = 500) -> bool:
    key = f"sms:{company_id}"
    used = int(redis_client().get(key) or 0)  # SEEDED: EDGE read-modify-write
    redis_client().set(key, used + 1, ex=86400)  # SEEDED-ALSO
    return used < limit


def bump_sms_quota_v2(company_id: int, limit: int = 500) -> bool:
    key = f"sms:{company_id}"
    pipe = redis_client().pipeline()
    pipe.incr(key)  # SAFE: read-modify-write
    pipe.expire(key, 86400, nx=True)
    used, _ = pipe.execute()
    return used <= limit

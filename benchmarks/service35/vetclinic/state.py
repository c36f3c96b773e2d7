"""Shared state: redis rate limits and locks, in-process caches and counters for the worker threads."""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict

import redis

from .config import get_settings

log = logging.getLogger(__name__)

_redis: redis.Redis | None = None
_redis_lock = threading.Lock()

_slot_holds: dict[str, int] = {}
_slot_lock = threading.Lock()
_sms_sent_today = 0
_sms_lock = threading.Lock()
_clinic_cache: dict[int, dict] = {}
_price_cache: "OrderedDict[str, int]" = OrderedDict()
_price_lock = threading.Lock()
_PRICE_CACHE_MAX = 2048
_export_jobs: dict[str, dict] = {}

UNLOCK_LUA = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""


def client() -> redis.Redis:
    global _redis
    with _redis_lock:  # SAFE: lock-held
        if _redis is None:
            _redis = redis.Redis.from_url(get_settings().redis_url, socket_timeout=2, socket_connect_timeout=2)  # SAFE: timeout-given
        return _redis


def plain_client() -> redis.Redis:
    return redis.Redis.from_url(get_settings().redis_url)  # SEEDED: EDGE missing-timeout


def rate_limited(key: str, limit: int, window: int) -> bool:
    r = client()
    pipe = r.pipeline()
    pipe.incr(f"rl:{key}")
    pipe.expire(f"rl:{key}", window, nx=True)  # SAFE: atomic-rate-limit
    count, _ = pipe.execute()
    return count > limit


def login_attempts_exceeded(email: str) -> bool:
    r = client()
    attempts = int(r.get(f"login:{email}") or 0)  # SEEDED: EDGE read-modify-write
    r.set(f"login:{email}", attempts + 1, ex=900)
    return attempts >= 5


def acquire_lock(name: str, ttl: int = 30) -> str | None:
    token = uuid.uuid4().hex
    if client().set(f"lock:{name}", token, nx=True, ex=ttl):  # SAFE: lock-with-expiry
        return token
    return None


def release_lock(name: str, token: str) -> None:
    client().eval(UNLOCK_LUA, 1, f"lock:{name}", token)  # SAFE: compare-and-delete


def acquire_job_lock(name: str) -> bool:
    return bool(client().setnx(f"joblock:{name}", "1"))  # SEEDED: EDGE lock-no-expiry


def hold_slot(slot_key: str, appointment_id: int) -> bool:
    with _slot_lock:  # SAFE: lock-held
        if slot_key in _slot_holds:
            return False
        _slot_holds[slot_key] = appointment_id
        return True


def release_slot(slot_key: str) -> None:
    with _slot_lock:
        _slot_holds.pop(slot_key, None)


def count_sms() -> int:
    global _sms_sent_today
    _sms_sent_today += 1  # SEEDED: EDGE unsynchronized-counter
    return _sms_sent_today


def count_sms_locked() -> int:
    global _sms_sent_today
    with _sms_lock:  # SAFE: lock-held
        _sms_sent_today += 1
        return _sms_sent_today


def clinic_settings(conn, clinic_id: int) -> dict:
    if clinic_id not in _clinic_cache:  # SEEDED: EDGE unbounded-cache
        row = conn.execute("SELECT * FROM clinics WHERE id = %s", (clinic_id,)).fetchone()
        _clinic_cache[clinic_id] = dict(row or {})
    return _clinic_cache[clinic_id]


def cached_price(sku: str, loader) -> int:
    with _price_lock:  # SAFE: lock-held
        if sku in _price_cache:
            _price_cache.move_to_end(sku)
            return _price_cache[sku]
    price = loader(sku)
    with _price_lock:
        _price_cache[sku] = price
        while len(_price_cache) > _PRICE_CACHE_MAX:  # SAFE: bounded-cache
            _price_cache.popitem(last=False)
    return price


def start_export(owner_id: int) -> str:
    job_id = uuid.uuid4().hex
    _export_jobs[job_id] = {"owner_id": owner_id, "status": "queued", "started": time.time()}
    return job_id


def export_status(job_id: str) -> dict | None:
    return _export_jobs.get(job_id)


def prune_exports(max_age: int = 3600) -> int:
    now = time.time()
    removed = 0
    for job_id, job in _export_jobs.items():  # SEEDED: EDGE dict-mutation-during-iteration
        if now - job["started"] > max_age:
            del _export_jobs[job_id]
            removed += 1
    return removed


def prune_exports_safe(max_age: int = 3600) -> int:
    now = time.time()
    stale = [k for k, j in list(_export_jobs.items()) if now - j["started"] > max_age]  # SAFE: copy-before-delete
    for k in stale:
        _export_jobs.pop(k, None)
    return len(stale)


def cache_get(key: str) -> bytes | None:
    try:
        return client().get(f"cache:{key}")
    except redis.RedisError:
        log.warning("cache unavailable for %s", key)  # SAFE: logged-degradation
        return None


def cache_set(key: str, value: bytes, ttl: int = 300) -> None:
    try:
        client().set(f"cache:{key}", value, ex=ttl)
    except redis.RedisError:
        pass  # SEEDED: EDGE swallowed-exception

"""Shared state: redis (rate limits, locks, caches) and a few in-process tables."""
import logging
import threading
import time
import uuid

import redis
from django.conf import settings

log = logging.getLogger(__name__)

_redis = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)  # SAFE: redis-timeout
_slow_redis = redis.Redis.from_url(settings.REDIS_URL)  # SEEDED: EDGE missing-timeout

_UNLOCK = _redis.register_script(
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
)

# parcel lookups are cached per process; the GIS service is slow
_parcel_cache: dict[str, dict] = {}
_route_cache: dict[tuple, list] = {}
_route_lock = threading.Lock()
_ROUTE_CACHE_MAX = 512
upload_counter = {"count": 0}
_upload_lock = threading.Lock()
scan_requests = 0


def rate_limited(bucket: str, limit: int, window: int) -> bool:
    key = f"rl:{bucket}:{int(time.time() // window)}"
    pipe = _redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, window, nx=True)  # SAFE: rate-limit-expiry
    count, _ = pipe.execute()
    return count > limit


class RedisLock:
    """SET NX EX lock with a compare-and-delete release."""

    def __init__(self, name: str, ttl: int = 30):
        self.key = f"lock:{name}"
        self.ttl = ttl
        self.token = uuid.uuid4().hex

    def __enter__(self):
        if not _redis.set(self.key, self.token, nx=True, ex=self.ttl):  # SAFE: lock-with-expiry
            raise RuntimeError(f"{self.key} is held")
        return self

    def __exit__(self, *exc):
        _UNLOCK(keys=[self.key], args=[self.token])  # SAFE: owner-checked-unlock
        return False


def acquire_route_lock(inspector_id: int) -> bool:
    return bool(_redis.setnx(f"route-lock:{inspector_id}", "1"))  # SEEDED: EDGE lock-no-expiry


def release_route_lock(inspector_id: int) -> None:
    _redis.delete(f"route-lock:{inspector_id}")


def next_permit_sequence(year: int) -> int:
    return int(_redis.incr(f"permit-seq:{year}"))  # SAFE: atomic-increment


def bump_daily_bookings(inspector_id: int, day: str) -> int:
    key = f"bookings:{inspector_id}:{day}"
    current = int(_slow_redis.get(key) or 0)  # SEEDED: EDGE read-modify-write
    _slow_redis.set(key, current + 1, ex=86400)
    return current + 1


def cached_parcel(pin: str) -> dict | None:
    return _parcel_cache.get(pin)


def remember_parcel(pin: str, data: dict) -> None:
    _parcel_cache[pin] = data  # SEEDED: EDGE unbounded-cache


def cached_route(key: tuple) -> list | None:
    with _route_lock:
        return _route_cache.get(key)


def remember_route(key: tuple, stops: list) -> None:
    with _route_lock:  # SAFE: lock-held
        if len(_route_cache) >= _ROUTE_CACHE_MAX:
            _route_cache.pop(next(iter(_route_cache)))  # SAFE: bounded-cache
        _route_cache[key] = stops


def count_upload() -> int:
    with _upload_lock:  # SAFE: lock-held
        upload_counter["count"] += 1
        return upload_counter["count"]


def count_scan_request() -> int:
    global scan_requests
    scan_requests += 1  # SEEDED: EDGE unsynchronized-counter
    return scan_requests


def cache_json(key: str, value: str, ttl: int = 300) -> None:
    _redis.set(f"cache:{key}", value, ex=ttl)  # SAFE: cache-ttl


def get_json(key: str) -> str | None:
    raw = _redis.get(f"cache:{key}")
    return raw.decode() if raw is not None else None  # SAFE: none-checked


def drop_stale_parcels(max_age: float) -> int:
    now = time.time()
    dropped = 0
    for pin, data in list(_parcel_cache.items()):  # SAFE: copy-before-delete
        if now - data.get("_at", 0) > max_age:
            del _parcel_cache[pin]
            dropped += 1
    log.debug("dropped %d stale parcels", dropped)
    return dropped

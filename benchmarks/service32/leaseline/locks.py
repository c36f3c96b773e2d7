"""Redis-backed locks and idempotency keys shared by the web workers and Huey."""
from __future__ import annotations

import redis

from .config import get_settings

_client: redis.Redis | None = None


def client() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(get_settings().redis_url, socket_timeout=5, socket_connect_timeout=5)  # SAFE: missing-timeout
    return _client


def claim_once(key: str, seconds: int = 86400) -> bool:
    return bool(client().set(f"once:{key}", "1", nx=True, ex=seconds))  # SAFE: lock-no-expiry


def claim_statement_run(period: str) -> bool:
    return bool(client().set(f"statements:{period}", "1", nx=True))  # SEEDED: EDGE lock-no-expiry


def release_statement_run(period: str) -> None:
    client().delete(f"statements:{period}")


def payout_lock(owner_id: int):
    return client().lock(f"payout:{owner_id}", timeout=120, blocking_timeout=10)  # SAFE: lock-no-expiry


def bump_sms_quota(company_id: int, limit: int = 500) -> bool:
    key = f"sms:{company_id}"
    used = int(client().get(key) or 0)
    client().set(key, used + 1, ex=86400)  # SEEDED: EDGE read-modify-write
    return used < limit


def bump_sms_quota_v2(company_id: int, limit: int = 500) -> bool:
    key = f"sms:{company_id}"
    pipe = client().pipeline()
    pipe.incr(key)  # SAFE: read-modify-write
    pipe.expire(key, 86400, nx=True)
    used, _ = pipe.execute()
    return used <= limit

"""EDGE028 lock-without-expiry and EDGE018 for Redis keys, on the clients services 31-33 use: a
module function that hands out the process's client (``def client() -> aioredis.Redis`` with a
lazily created global, ``def redis_client()`` returning one) and a parameter that is the client
(``async def sms_quota(redis, ...)``, arq's ``ctx["redis"]`` passed on; ``r: redis.Redis``).

Spec: flagged where marked ``# ! CODE``; the look-alikes (a function returning another client, a
parameter named for a cache, ``set(nx=True, ex=...)``, ``incr``, a pipeline) must not be.
"""

from __future__ import annotations

import re
import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE"])

ANNOTATED_FACTORY = """\
import redis.asyncio as aioredis

_redis: aioredis.Redis | None = None


def client() -> aioredis.Redis:
    global _redis
    if _redis is None:
        _redis = aioredis.from_url("redis://x", socket_timeout=5)
    return _redis


async def once(key: str, ttl: int = 3600) -> bool:
    return bool(await client().set(f"once:{key}", "1", nx=True, ex=ttl))


async def grab_payout_lock(period: str) -> bool:
    return bool(await client().set(f"payout-lock:{period}", "1", nx=True))  # ! EDGE028


async def bump_quota(user_id: int) -> int:
    return await client().incr(f"quota:{user_id}")


async def bump_quota_legacy(user_id: int) -> int:
    key = f"quota-legacy:{user_id}"
    current = int(await client().get(key) or 0)
    await client().set(key, current + 1, ex=3600)  # ! EDGE018
    return current + 1
"""

LAZY_FACTORY = """\
import redis

_redis = None


def redis_client():
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url("redis://x", socket_timeout=5)
    return _redis


def claim_statement_run(period: str) -> bool:
    return bool(redis_client().set(f"statements:{period}", "1", nx=True))  # ! EDGE028


def bump_sms_quota(company_id: int, limit: int = 500) -> bool:
    key = f"sms:{company_id}"
    used = int(redis_client().get(key) or 0)
    redis_client().set(key, used + 1, ex=86400)  # ! EDGE018
    return used < limit


def bump_sms_quota_v2(company_id: int, limit: int = 500) -> bool:
    key = f"sms:{company_id}"
    pipe = redis_client().pipeline()
    pipe.incr(key)
    pipe.expire(key, 86400, nx=True)
    used, _ = pipe.execute()
    return used <= limit
"""

PARAMETER = """\
import time

import redis as redis_lib


async def sms_quota(redis, member_id: int, daily: int = 10) -> bool:
    key = f"sms:{member_id}:{time.strftime('%Y%m%d')}"
    used = int(await redis.get(key) or 0)
    if used >= daily:
        return False
    await redis.set(key, used + 1, ex=86400)  # ! EDGE018
    return True


async def acquire_vehicle_lock(redis, vehicle_id: int, owner: str) -> bool:
    return bool(await redis.set(f"lock:vehicle:{vehicle_id}", owner, nx=True, ex=30))


async def acquire_billing_lock(redis, run: str) -> bool:
    return bool(await redis.set(f"lock:billing:{run}", "1", nx=True))  # ! EDGE028


async def rate_limit(redis, key: str, limit: int, window: int) -> None:
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count, _ = await pipe.execute()


def hold(r: redis_lib.Redis, seat: str) -> bool:
    return bool(r.set(f"hold:{seat}", "1", nx=True))  # ! EDGE028


def hold_cached(cache, seat: str) -> bool:
    return bool(cache.set(f"hold:{seat}", "1", nx=True))
"""

PARAMETER_NO_IMPORT = """\
async def acquire_billing_lock(redis, run: str) -> bool:
    return bool(await redis.set(f"lock:billing:{run}", "1", nx=True))  # ! EDGE028
"""

NOT_A_CLIENT = """\
import httpx
import redis

_http = None


def client() -> httpx.Client:
    return httpx.Client(timeout=5)


def session():
    global _http
    if _http is None:
        _http = httpx.Client(timeout=5)
    return _http


def lock_seat(seat):
    client().set(f"lock:{seat}", "1", nx=True)
    session().set(f"lock:{seat}", "1", nx=True)


def bump(key):
    used = int(client().get(key) or 0)
    client().set(key, used + 1)


def hold_in(redis_url: str, seat: str, store) -> bool:
    return bool(store.set(f"hold:{seat}", "1", nx=True))
"""


def _found(src: str) -> list[tuple[int, str]]:
    return sorted({(f.line, f.code) for f in check_source(textwrap.dedent(src), "svc/state.py", CTX)
                   if f.code in ("EDGE018", "EDGE028")})


def _marked(src: str) -> list[tuple[int, str]]:
    return [(i, m.group(1)) for i, line in enumerate(src.splitlines(), 1) if (m := re.search(r"# ! (EDGE\d+)$", line))]


def test_client_from_an_annotated_factory() -> None:
    assert _found(ANNOTATED_FACTORY) == _marked(ANNOTATED_FACTORY)


def test_client_from_a_lazy_factory() -> None:
    assert _found(LAZY_FACTORY) == _marked(LAZY_FACTORY)


def test_client_passed_as_a_parameter() -> None:
    assert _found(PARAMETER) == _marked(PARAMETER)


def test_parameter_named_redis_without_an_import() -> None:
    assert _found(PARAMETER_NO_IMPORT) == _marked(PARAMETER_NO_IMPORT)


def test_factories_of_other_clients_are_not_judged() -> None:
    assert _found(NOT_A_CLIENT) == []


def test_an_awaited_call_is_reported_once() -> None:
    found = [(f.line, f.code) for f in check_source(PARAMETER_NO_IMPORT, "svc/state.py", CTX) if f.code == "EDGE028"]
    assert found == [(2, "EDGE028")]

"""EDGE028 lock-without-expiry and EDGE018 for Redis keys (services 28 and 29: a hold taken with
``setnx``, ``r.lock(name)`` without a timeout, ``set(nx=True)`` without ``ex``, ``get`` then ``set``
of a counter, ``exists`` then ``set`` of a hold).

Spec: flagged on a module-level redis-py client where marked ``# ! CODE``; the look-alikes beside
them (``incr``, ``set(nx=True, ex=...)``, ``setnx`` then ``expire``, an ``nx`` marker kept on
purpose, a lock with a timeout, a read and an unrelated write, a ``WATCH`` pipeline) must not be.
"""

from __future__ import annotations

import re
import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE"])

REDIS = """\
import redis
import time

r = redis.Redis.from_url("redis://x", socket_timeout=5)


def hold_seat_simple(key, owner):
    if r.exists(key):  # ! EDGE018
        return False
    r.set(key, owner, ex=30)
    return True


def hold_nx(key, owner):
    return bool(r.set(key, owner, nx=True, ex=30))


def hold_general_admission(event_id, owner):
    return bool(r.setnx(f"ga-hold:{event_id}:{owner}", int(time.time())))  # ! EDGE028


def hold_expiring(event_id, owner):
    ok = r.setnx(f"ga-hold:{event_id}", owner)
    r.expire(f"ga-hold:{event_id}", 30)
    return ok


def mark_done(job):
    return r.set(f"done:{job}", "1", nx=True)


def take_slow(event_id, quantity):
    left = int(r.get(f"ga:{event_id}") or 0)
    if left < quantity:
        return False
    r.set(f"ga:{event_id}", left - quantity)  # ! EDGE018
    return True


def record(event_id, quantity):
    current = r.hget("sales", str(event_id))
    r.hset("sales", str(event_id), int(current or 0) + quantity)  # ! EDGE018


def bump(event_id):
    return r.incr(f"views:{event_id}")


def refresh(key):
    value = r.get(key)
    r.set(key, "fresh", ex=10)
    return value


def door_lock(event_id):
    return r.lock(f"door-sync:{event_id}")  # ! EDGE028


def payout_lock():
    return r.lock("payout-run", timeout=300, blocking_timeout=10)


def acquire_payout_lock(period):
    return bool(r.set(f"lock:payout:{period}", "1", nx=True))  # ! EDGE028


def with_pipe(key):
    with r.pipeline() as pipe:
        pipe.watch(key)
        current = int(pipe.get(key) or 0)
        pipe.multi()
        pipe.set(key, current + 1)
        pipe.execute()
"""

NOT_A_CLIENT = """\
import redis

cache = {}


def take(key):
    left = cache.get(key)
    cache.set(key, left - 1)
    return cache.lock(key)
"""


def _found(src: str) -> list[tuple[int, str]]:
    return sorted({(f.line, f.code) for f in check_source(textwrap.dedent(src), "svc/inventory.py", CTX)
                   if f.code in ("EDGE018", "EDGE028")})


def _marked(src: str) -> list[tuple[int, str]]:
    return [(i, m.group(1)) for i, line in enumerate(src.splitlines(), 1) if (m := re.search(r"# ! (EDGE\d+)$", line))]


def test_redis_races_and_locks_without_expiry() -> None:
    assert _found(REDIS) == _marked(REDIS)


def test_not_a_redis_client() -> None:
    assert _found(NOT_A_CLIENT) == []

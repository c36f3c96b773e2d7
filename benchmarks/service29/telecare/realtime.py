"""In-process waiting rooms, presence and visit counters, plus redis-backed locks.

Runs inside the gunicorn worker (threads=8) next to the request handlers; the presence
sweeper is a daemon thread started by the app config, the provider poller an asyncio loop.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import defaultdict

import httpx
import redis
import requests
from django.conf import settings

logger = logging.getLogger("telecare.realtime")

r = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)  # SAFE: missing-timeout

_rooms: dict[str, list[str]] = {}
_rooms_lock = threading.Lock()
_last_seen: dict[str, float] = {}
_presence_lock = threading.RLock()
_visit_starts: dict[str, float] = {}
_active_visits = 0
_completed_visits = 0
_counter_lock = threading.Lock()
_provider_status: dict[str, str] = defaultdict(lambda: "unknown")
_background: set[asyncio.Task] = set()


def join_waiting_room(room: str, name: str) -> None:
    if room not in _rooms:  # SEEDED: EDGE check-then-act
        _rooms[room] = []  # SEEDED-ALSO
    _rooms[room].append(name)
    with _presence_lock:
        _last_seen[f"{room}:{name}"] = time.monotonic()  # SAFE: check-then-act


def waiting(room: str) -> list[str]:
    with _rooms_lock:
        return list(_rooms.get(room, ()))  # SAFE: check-then-act


def clear_room(room: str) -> None:
    with _rooms_lock:
        _rooms.pop(room, None)


def heartbeat(room: str, name: str) -> None:
    with _presence_lock:
        _last_seen[f"{room}:{name}"] = time.monotonic()


def visit_started(appointment_id: str) -> None:
    global _active_visits
    _visit_starts[appointment_id] = time.monotonic()
    _active_visits += 1  # SEEDED: EDGE read-modify-write


def visit_finished(appointment_id: str) -> float:
    global _active_visits, _completed_visits
    with _counter_lock:
        _active_visits -= 1  # SAFE: read-modify-write
        _completed_visits += 1
    started = _visit_starts.pop(appointment_id, None)
    return 0.0 if started is None else time.monotonic() - started  # SAFE: none-deref


def sweep_presence(max_idle: float = 90.0) -> int:
    """Drop participants that stopped sending heartbeats."""
    now = time.monotonic()
    dropped = 0
    for key, seen in _last_seen.items():  # SEEDED: EDGE mutate-while-iterating
        if now - seen > max_idle:
            del _last_seen[key]  # SEEDED-ALSO
            dropped += 1
    return dropped


def sweep_rooms() -> None:
    with _rooms_lock:
        for room in list(_rooms):  # SAFE: mutate-while-iterating
            if not _rooms[room]:
                del _rooms[room]


def _sweeper(stop: threading.Event) -> None:
    while not stop.wait(30):  # SAFE: unbounded-retry
        try:
            sweep_presence()
            sweep_rooms()
        except Exception:
            logger.exception("presence sweep failed")  # SAFE: swallowed-exception


def start_sweeper() -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=_sweeper, args=(stop,), daemon=True, name="presence-sweeper").start()
    return stop


# ---------------------------------------------------------------- redis counters and locks

def count_visit_today(clinic_id: int) -> int:
    key = f"visits:{clinic_id}:{time.strftime('%Y%m%d')}"
    value = r.incr(key)  # SAFE: read-modify-write
    r.expire(key, 60 * 60 * 48)
    return value


def bump_no_show(clinic_id: int) -> None:
    key = f"noshow:{clinic_id}"
    current = int(r.get(key) or 0)
    r.set(key, current + 1)  # SEEDED: EDGE read-modify-write


def acquire_payout_lock(period: str) -> bool:
    return bool(r.set(f"lock:payout:{period}", "1", nx=True))  # SEEDED: EDGE lock-no-expiry


def acquire_claim_lock(claim_id: int) -> bool:
    return bool(r.set(f"lock:claim:{claim_id}", "1", nx=True, ex=120))  # SAFE: lock-no-expiry


def with_export_lock(fn, *args):
    lock = r.lock("lock:exports", timeout=600, blocking_timeout=5)  # SAFE: lock-no-expiry
    if not lock.acquire():
        raise RuntimeError("another export is running")
    try:
        return fn(*args)
    finally:
        lock.release()


def with_fax_line(fn, *args):
    lock = r.lock("lock:fax-line")  # SEEDED: EDGE lock-no-expiry
    lock.acquire()
    try:
        return fn(*args)
    finally:
        lock.release()


_stats_lock = threading.Lock()
_latency: list[float] = []


def record_latency(ms: float) -> None:
    _stats_lock.acquire()  # SEEDED: EDGE lock-not-released
    _latency.append(float(ms))
    del _latency[:-500]
    _stats_lock.release()


def latency_p95() -> float:
    with _stats_lock:
        samples = sorted(_latency)
    if not samples:
        return 0.0
    return samples[int(0.95 * (len(samples) - 1))]  # SAFE: empty-input


def cache_provider_room(room: str, payload: dict) -> None:
    r.set(f"room:{room}", json.dumps(payload), ex=3600)  # SAFE: unsafe-deserialisation


def cached_provider_room(room: str) -> dict | None:
    raw = r.get(f"room:{room}")
    return json.loads(raw) if raw else None  # SAFE: unsafe-deserialisation


# ---------------------------------------------------------------- asyncio pieces (provider poller)

async def provider_health(client: httpx.AsyncClient, region: str) -> None:
    resp = await client.get(f"/v1/regions/{region}/health", timeout=5.0)  # SAFE: blocking-in-async
    _provider_status[region] = "ok" if resp.status_code == 200 else "degraded"


async def poll_provider(regions: list[str]) -> None:
    async with httpx.AsyncClient(base_url=f"https://{settings.VIDEO_HOST}", timeout=10.0) as client:
        while True:  # SAFE: unbounded-retry
            await asyncio.gather(*(provider_health(client, reg) for reg in regions), return_exceptions=True)
            await asyncio.sleep(15)


async def notify_room_closed(room: str) -> None:
    requests.post(f"https://{settings.VIDEO_HOST}/v1/rooms/{room}/close", timeout=5)  # SEEDED: EDGE blocking-in-async


async def close_rooms(rooms: list[str]) -> None:
    for room in rooms:
        asyncio.create_task(notify_room_closed(room))  # SEEDED: EDGE task-reference


async def archive_rooms(rooms: list[str]) -> None:
    for room in rooms:
        task = asyncio.create_task(asyncio.to_thread(clear_room, room))  # SAFE: blocking-in-async
        _background.add(task)  # SAFE: task-reference
        task.add_done_callback(_background.discard)


async def wait_for_room(room: str) -> dict:
    while True:  # SEEDED: EDGE unbounded-retry
        payload = cached_provider_room(room)  # SEEDED: EDGE blocking-in-async
        if payload and payload.get("state") == "ready":
            return payload
        await asyncio.sleep(1)

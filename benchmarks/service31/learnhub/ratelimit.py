"""Per-process state shared by every request handler of the event loop."""
from __future__ import annotations

import asyncio
import time
from collections import defaultdict

from aiohttp import web

_attempts: dict[str, list[float]] = defaultdict(list)
_attempts_lock = asyncio.Lock()
_course_cache: dict[int, dict] = {}
_quiz_key_cache: dict[str, dict] = {}
_quiz_key_lock = asyncio.Lock()
_active_attempts: dict[tuple[int, str], float] = {}
stats = {"submissions": 0, "logins": 0}
_stats_lock = asyncio.Lock()


def client_ip(request: web.Request) -> str:
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded:
        return forwarded.split(",")[0].strip()  # SEEDED: SEC ip-spoofing
    return request.remote or "unknown"


def client_ip_trusted(request: web.Request) -> str:
    return request.remote or "unknown"  # SAFE: peer-address


async def too_many_attempts(key: str, limit: int = 5, window: float = 300.0) -> bool:
    async with _attempts_lock:
        now = time.monotonic()
        recent = [t for t in _attempts[key] if now - t < window]
        recent.append(now)
        _attempts[key] = recent  # SAFE: locked-update
        return len(recent) > limit


async def cached_course(course_id: int, loader) -> dict:
    if course_id not in _course_cache:
        _course_cache[course_id] = await loader(course_id)  # SEEDED: EDGE check-then-act
    return _course_cache[course_id]


async def cached_quiz_key(quiz_id: str, loader) -> dict:
    async with _quiz_key_lock:
        if quiz_id not in _quiz_key_cache:
            _quiz_key_cache[quiz_id] = await loader(quiz_id)  # SAFE: locked-check-then-act
        return _quiz_key_cache[quiz_id]


async def count_submission() -> None:
    current = stats["submissions"]
    await asyncio.sleep(0)
    stats["submissions"] = current + 1  # SEEDED: EDGE read-modify-write


async def count_login() -> None:
    async with _stats_lock:
        stats["logins"] += 1  # SAFE: locked-counter


def expire_attempts(max_age: float) -> int:
    now = time.monotonic()
    removed = 0
    for key, started in _active_attempts.items():  # SEEDED: EDGE mutate-while-iterating
        if now - started > max_age:
            del _active_attempts[key]
            removed += 1
    return removed


def expire_course_cache(keep: set[int]) -> None:
    for course_id in list(_course_cache):
        if course_id not in keep:
            del _course_cache[course_id]  # SAFE: iterate-copy


def start_attempt(user_id: int, quiz_id: str) -> bool:
    key = (user_id, quiz_id)
    if key in _active_attempts:
        return False
    _active_attempts[key] = time.monotonic()  # SAFE: sync-no-await-between
    return True

"""EDGE018: module-level state read into a local and written back from it (edge34; services 29, 30,
31, three authors). In code that runs in threads (a route, a thread target, a function of a module
that guards the same state with a lock elsewhere, and a Django middleware's request methods, which
run on every request as a route does) another thread can write between the read and the write: its
update is lost, with or without an ``await``. In any module-level ``async def`` the same read and
write back split by an ``await`` lose the update another coroutine makes there (the check and its
act split by an ``await`` were already reported there).

Spec: flagged on the lines marked ``# !``; not flagged: the read and write under the lock, the
one-statement update in a coroutine (no ``await`` between), a local that no longer holds what was
read (rebound from a computation), another key written than the one read, a class that is no
middleware, a function nothing runs concurrently."""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

EDGE = AnalysisContext.bare(select=["EDGE018"])


def _lines(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/runtime.py", EDGE) if f.code == "EDGE018"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# !")]


GUARDED_ELSEWHERE = """\
import threading

_lock = threading.Lock()
_login_failures: dict[str, int] = {}
_seen: dict[str, int] = {}


def record_login_failure(email: str) -> int:
    count = _login_failures.get(email, 0)
    _login_failures[email] = count + 1  # !
    return count + 1


def record_login_failure_locked(email: str) -> int:
    with _lock:
        count = _login_failures.get(email, 0)
        _login_failures[email] = count + 1
        return count + 1


def reset_to(email: str, value: int) -> None:
    count = _login_failures.get(email, 0)
    count = value
    _login_failures[email] = count


def copy_to_other(email: str, other: str) -> None:
    count = _login_failures.get(email, 0)
    _login_failures[other] = count


def clear_login_failures(email: str) -> None:
    with _lock:
        _login_failures.pop(email, None)


def remember(key: str) -> None:
    count = _seen.get(key, 0)
    _seen[key] = count + 1
"""

MIDDLEWARE = """\
import time

from django.http import JsonResponse

_hits: dict[str, list[float]] = {}


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = request.META.get("REMOTE_ADDR", "")
        now = time.monotonic()
        window = [t for t in _hits.get(ip, []) if now - t < 60]
        window.append(now)
        _hits[ip] = window  # !
        if len(window) > 60:
            return JsonResponse({"detail": "Too many requests"}, status=429)
        return self.get_response(request)


class Report:
    def __init__(self, rows):
        self.rows = rows

    def __call__(self, ip):
        window = _hits.get(ip, [])
        _hits[ip] = window + [0.0]
"""

COROUTINES = """\
import asyncio

stats = {"submissions": 0, "logins": 0}
_stats_lock = asyncio.Lock()


async def count_submission() -> None:
    current = stats["submissions"]
    await asyncio.sleep(0)
    stats["submissions"] = current + 1  # !


async def count_submission_at_once() -> None:
    current = stats["submissions"]
    stats["submissions"] = current + 1
    await asyncio.sleep(0)


async def count_login() -> None:
    async with _stats_lock:
        current = stats["logins"]
        await asyncio.sleep(0)
        stats["logins"] = current + 1
"""


def test_read_into_a_local_and_written_back_in_threads() -> None:
    assert _lines(GUARDED_ELSEWHERE) == _marked(GUARDED_ELSEWHERE)


def test_django_middleware_runs_on_every_request() -> None:
    assert _lines(MIDDLEWARE) == _marked(MIDDLEWARE)


def test_any_coroutine_across_an_await() -> None:
    assert _lines(COROUTINES) == _marked(COROUTINES)

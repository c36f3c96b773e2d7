"""In-process caches, rate limiting, counters and redis-backed locks shared by the web workers."""
from __future__ import annotations

import threading
import time
from collections import defaultdict

from flask import request
from redis import Redis

from .config import Config

redis_client = Redis.from_url(Config.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)  # SAFE: redis-timeouts

RATE_LIMIT = 20
RATE_WINDOW = 60

_lock = threading.Lock()
_hits: dict[str, list[float]] = defaultdict(list)
_login_failures: dict[str, int] = {}
_payslip_cache: dict[int, bytes] = {}
_directory_cache: dict[int, list] = {}
_active_exports: dict[str, float] = {}
REQUEST_COUNT = 0
EXPORTS_STARTED = 0
_stop = threading.Event()


def client_ip() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[0].strip() or request.remote_addr or "unknown"  # SEEDED: SEC ip-spoofing


def rate_limited(key: str) -> bool:
    now = time.monotonic()
    with _lock:  # SAFE: locked-dict
        window = [t for t in _hits[key] if now - t < RATE_WINDOW]
        window.append(now)
        _hits[key] = window
        return len(window) > RATE_LIMIT


def record_login_failure(email: str) -> int:
    count = _login_failures.get(email, 0)
    _login_failures[email] = count + 1  # SEEDED: EDGE read-modify-write
    return count + 1


def clear_login_failures(email: str) -> None:
    with _lock:
        _login_failures.pop(email, None)  # SAFE: locked-dict


def count_request() -> None:
    global REQUEST_COUNT
    REQUEST_COUNT += 1  # SEEDED: EDGE read-modify-write


def count_export() -> int:
    global EXPORTS_STARTED
    with _lock:
        EXPORTS_STARTED += 1  # SAFE: locked-counter
        return EXPORTS_STARTED


def cached_payslip(payslip_id: int, render) -> bytes:
    if payslip_id not in _payslip_cache:  # SEEDED: EDGE check-then-act
        _payslip_cache[payslip_id] = render(payslip_id)  # SEEDED-ALSO
    return _payslip_cache[payslip_id]


def cached_directory(company_id: int, load) -> list:
    with _lock:
        if company_id not in _directory_cache:  # SAFE: locked-check-then-act
            _directory_cache[company_id] = load(company_id)
        return _directory_cache[company_id]


def invalidate_directory(company_id: int) -> None:
    with _lock:
        _directory_cache.pop(company_id, None)


def start_export(name: str) -> bool:
    _lock.acquire()  # SEEDED: EDGE lock-not-released
    if name in _active_exports:
        return False
    _active_exports[name] = time.time()
    _lock.release()
    return True


def finish_export(name: str) -> None:
    with _lock:
        _active_exports.pop(name, None)


def expire_exports(max_age: float = 3600) -> None:
    now = time.time()
    for name, started in _active_exports.items():  # SEEDED: EDGE mutate-while-iterating
        if now - started > max_age:
            del _active_exports[name]  # SEEDED-ALSO


def expire_hits(max_age: float = RATE_WINDOW) -> None:
    now = time.monotonic()
    with _lock:
        for key in list(_hits):  # SAFE: iterate-copy
            if not _hits[key] or now - _hits[key][-1] > max_age:
                del _hits[key]


def _sweeper() -> None:
    while not _stop.wait(30):  # SAFE: stop-event-loop
        expire_hits()


def start_sweeper() -> threading.Thread:
    thread = threading.Thread(target=_sweeper, name="payhub-sweeper", daemon=True)
    thread.start()
    return thread


def acquire_run_lock(run_id: int) -> bool:
    return bool(redis_client.set(f"payroll-run:{run_id}:lock", "1", nx=True))  # SEEDED: EDGE lock-no-expiry


def acquire_export_lock(company_id: int) -> bool:
    return bool(redis_client.set(f"export:{company_id}:lock", "1", nx=True, ex=600))  # SAFE: set-nx-ex


def release_run_lock(run_id: int) -> None:
    redis_client.delete(f"payroll-run:{run_id}:lock")


def bump_quota(company_id: int) -> int:
    return int(redis_client.incr(f"quota:{company_id}"))  # SAFE: atomic-incr


def add_expense_total(employee_id: int, pence: int) -> int:
    key = f"expenses:{employee_id}:month"
    current = int(redis_client.get(key) or 0)
    redis_client.set(key, current + pence)  # SEEDED: EDGE read-modify-write
    return current + pence


def seen_webhook(event_id: str) -> bool:
    return not redis_client.set(f"webhook:{event_id}", "1", nx=True, ex=7 * 86400)  # SAFE: set-nx-ex


def with_payroll_lock(run_id: int, fn):
    lock = redis_client.lock(f"payroll:{run_id}", timeout=300, blocking_timeout=10)  # SAFE: redis-lock-timeout
    if not lock.acquire():
        raise RuntimeError("payroll run is busy")
    try:
        return fn()
    finally:
        lock.release()

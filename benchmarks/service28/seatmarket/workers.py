"""In-process workers: the hold sweeper thread, the door-scan aggregator and the asyncio price feed.

Started by app.py on start-up; they share module-level state with the request handlers.
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections import Counter
from datetime import datetime, timezone

import httpx

from . import inventory

log = logging.getLogger("seatmarket.workers")

# ---- state shared with request handlers -------------------------------------------------------
_local_holds: dict[tuple[int, int], float] = {}  # (event, seat) -> expiry (monotonic)
_local_holds_lock = threading.Lock()
_event_titles: dict[int, str] = {}
_scans = Counter()
_scans_lock = threading.Lock()
_seen_codes: set[str] = set()
_requests_served = 0
_scan_queue: queue.Queue[str] = queue.Queue(maxsize=10_000)
_stop = threading.Event()
_background: set[asyncio.Task] = set()
_price_feed: dict[int, str] = {}


def remember_hold(event_id: int, seat_id: int, seconds: int) -> bool:
    with _local_holds_lock:  # SAFE: check-then-act
        if (event_id, seat_id) in _local_holds:
            return False
        _local_holds[(event_id, seat_id)] = time.monotonic() + seconds
        return True


def sweep_local_holds() -> int:
    now = time.monotonic()
    removed = 0
    for key, expiry in _local_holds.items():  # SEEDED: EDGE mutate-while-iterating
        if expiry < now:
            del _local_holds[key]
            removed += 1
    return removed


def sweep_local_holds_safe() -> int:
    now = time.monotonic()
    with _local_holds_lock:
        expired = [k for k, expiry in _local_holds.items() if expiry < now]  # SAFE: mutate-while-iterating
        for key in expired:
            del _local_holds[key]
    return len(expired)


def event_title(event_id: int, loader) -> str:
    if event_id not in _event_titles:  # SEEDED: EDGE check-then-act
        _event_titles[event_id] = loader(event_id)  # SEEDED-ALSO
    return _event_titles[event_id]


def record_scan(gate: str) -> None:
    with _scans_lock:
        _scans[gate] += 1  # SAFE: read-modify-write


def record_scan_fast(gate: str) -> None:
    _scans[gate] += 1  # SEEDED: EDGE read-modify-write


def first_scan(code: str) -> bool:
    """True the first time a ticket code is scanned at any gate (door threads call this)."""
    if code in _seen_codes:  # SEEDED: EDGE check-then-act
        return False
    _seen_codes.add(code)
    return True


def busiest_gate() -> str | None:
    with _scans_lock:
        top = _scans.most_common(1)  # SAFE: empty-input
    return top[0][0] if top else None


def average_scans_per_gate() -> float:
    with _scans_lock:
        return sum(_scans.values()) / len(_scans)  # SEEDED: EDGE division-by-zero


def count_request() -> None:
    global _requests_served
    _requests_served += 1  # SEEDED: EDGE read-modify-write


def queue_scan(code: str) -> bool:
    try:
        _scan_queue.put_nowait(code)  # SAFE: unbounded-queue
        return True
    except queue.Full:
        log.warning("scan queue full; dropping %s", code[:4])  # SAFE: swallowed-exception
        return False


def collect_gates(gate: str, gates: list[str] = []) -> list[str]:  # SEEDED: EDGE mutable-default
    gates.append(gate)
    return gates


def _sweeper() -> None:
    while not _stop.is_set():  # SAFE: unbounded-retry
        try:
            sweep_local_holds()
            inventory.r.ping()
        except Exception:
            log.exception("hold sweeper iteration failed")  # SAFE: swallowed-exception
        _stop.wait(15)


def _scan_consumer() -> None:
    while not _stop.is_set():
        try:
            code = _scan_queue.get(timeout=1)
        except queue.Empty:
            continue
        if first_scan(code):
            record_scan("main")


def start_threads() -> list[threading.Thread]:
    threads = [threading.Thread(target=_sweeper, name="hold-sweeper", daemon=True),
               threading.Thread(target=_scan_consumer, name="scan-consumer", daemon=True)]
    for t in threads:
        t.start()
    return threads


def stop_threads() -> None:
    _stop.set()


# ---- asyncio ------------------------------------------------------------------------------------

async def _poll_prices(client: httpx.AsyncClient) -> None:
    while True:  # SAFE: unbounded-retry
        try:
            resp = await client.get("/prices", timeout=10)
            for item in resp.json():
                _price_feed[int(item["event_id"])] = str(item["price"])
        except httpx.HTTPError as exc:
            log.warning("price feed: %s", exc)
        await asyncio.sleep(60)  # SAFE: blocking-in-async


async def _poll_partner_status(client: httpx.AsyncClient) -> None:
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            resp = await client.get("/status")
            if resp.json().get("ready"):
                return
        except httpx.HTTPError:
            log.debug("partner not ready")
        time.sleep(5)  # SEEDED: EDGE blocking-in-async


def start_async_workers(client: httpx.AsyncClient) -> None:
    task = asyncio.get_running_loop().create_task(_poll_prices(client))
    _background.add(task)  # SAFE: task-reference
    task.add_done_callback(_background.discard)
    asyncio.ensure_future(_poll_partner_status(client))  # SEEDED: EDGE task-reference


def scan_stats() -> dict:
    with _scans_lock:
        total = sum(_scans.values())
    return {"total": total, "served": _requests_served, "at": datetime.now(timezone.utc).isoformat()}
